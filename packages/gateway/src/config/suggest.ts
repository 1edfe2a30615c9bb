// "Did you mean …?" for model names: optimal-string-alignment edit distance (a swap of two neighbours is one edit,
// the commonest typo), bounded so an error path stays cheap even for long or hostile names.

/** Names longer than this get no suggestion: nobody mistypes a 200-character model id. */
const MAX_NAME = 120;

export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  const m = a.length;
  const n = b.length;
  let prev2 = new Array<number>(n + 1).fill(0);
  let prev = Array.from({ length: n + 1 }, (_, j) => j);
  let cur = new Array<number>(n + 1).fill(0);
  for (let i = 1; i <= m; i++) {
    cur[0] = i;
    for (let j = 1; j <= n; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min((prev[j] as number) + 1, (cur[j - 1] as number) + 1, (prev[j - 1] as number) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        d = Math.min(d, (prev2[j - 2] as number) + 1);
      cur[j] = d;
    }
    [prev2, prev, cur] = [prev, cur, prev2];
  }
  return prev[n] as number;
}

/**
 * Up to `max` candidates close to `name`, best first. A name without a provider (`gpt-4o-mini`) is also compared
 * with each candidate's model part (`openai/gpt-4o-mini`), and a prefix of a model part (`claude-sonnet`) counts.
 */
export function closeMatches(name: string, candidates: Iterable<string>, max = 3): string[] {
  if (name.length === 0 || name.length > MAX_NAME) return [];
  const lower = name.toLowerCase();
  const limit = Math.max(2, Math.round(lower.length * 0.3));
  const scored: Array<[number, string]> = [];
  for (const cand of candidates) {
    const c = cand.toLowerCase();
    let score = editDistance(lower, c);
    const slash = c.indexOf('/');
    if (!lower.includes('/') && slash > 0) {
      const model = c.slice(slash + 1);
      score = Math.min(score, editDistance(lower, model));
      if (model.startsWith(lower) && lower.length >= 4) score = Math.min(score, 1.5);
    } else if (c.startsWith(lower) && lower.length >= 6) {
      score = Math.min(score, 1.5);
    }
    if (score <= limit) scored.push([score, cand]);
  }
  scored.sort((x, y) => x[0] - y[0] || x[1].localeCompare(y[1]));
  return [...new Set(scored.map(([, c]) => c))].slice(0, max);
}

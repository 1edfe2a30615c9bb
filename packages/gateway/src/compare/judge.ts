// The judge: one extra model call per answer that scores it 1–10 against a rubric and says why. Building the
// request and reading the verdict are pure; the verdict parser accepts JSON, fenced JSON, or "Score: 7/10" prose.
import type { PromptCase } from './prompt-set.js';
import { promptText } from './prompt-set.js';

export const DEFAULT_RUBRIC = [
  '10: fully correct, complete, follows every instruction and format requirement.',
  '7-9: correct with minor omissions or style issues.',
  '4-6: partially correct or misses an instruction.',
  '1-3: wrong, off-topic, empty or refuses without reason.',
].join('\n');

export interface JudgeVerdict {
  /** 1..10, undefined when the judge's answer could not be read. */
  score?: number;
  reason: string;
}

const MAX_ANSWER_CHARS = 8_000;

export function judgeMessages(c: PromptCase, answer: string, rubric = DEFAULT_RUBRIC) {
  const parts = [
    'You grade an AI assistant answer. Score it from 1 to 10 using this rubric:',
    rubric,
    '',
    `Task given to the assistant:\n<<<\n${promptText(c)}\n>>>`,
    ...(c.expected !== undefined ? [`Reference answer:\n<<<\n${c.expected}\n>>>`] : []),
    `Assistant answer:\n<<<\n${answer.slice(0, MAX_ANSWER_CHARS)}\n>>>`,
    '',
    'Reply with JSON only: {"score": <integer 1-10>, "reason": "<one sentence>"}',
  ];
  return [
    { role: 'system', content: 'You are a strict, fair evaluator. Reply with JSON only.' },
    { role: 'user', content: parts.join('\n') },
  ];
}

/** Structured output for judges that honour it; the parser does not rely on it. */
export const JUDGE_RESPONSE_FORMAT = {
  type: 'json_schema',
  json_schema: {
    name: 'verdict',
    strict: true,
    schema: {
      type: 'object',
      properties: { score: { type: 'integer', minimum: 1, maximum: 10 }, reason: { type: 'string' } },
      required: ['score', 'reason'],
      additionalProperties: false,
    },
  },
} as const;

function clampScore(n: number): number | undefined {
  if (!Number.isFinite(n)) return undefined;
  const r = Math.round(n);
  return r >= 1 && r <= 10 ? r : undefined;
}

const shorten = (s: string) => (s.length > 300 ? `${s.slice(0, 300)}…` : s).trim();

export function parseVerdict(text: string): JudgeVerdict {
  const t = text.trim();
  // JSON anywhere in the answer (bare, fenced or after some prose): take the first object that has a score.
  for (const m of t.matchAll(/\{[^{}]*\}/g)) {
    try {
      const o = JSON.parse(m[0]) as Record<string, unknown>;
      const raw = o.score ?? o.rating ?? o.grade;
      const score = clampScore(typeof raw === 'string' ? Number.parseFloat(raw) : Number(raw));
      if (score !== undefined) {
        const why = o.reason ?? o.explanation ?? o.rationale ?? '';
        return { score, reason: shorten(typeof why === 'string' ? why : JSON.stringify(why)) };
      }
    } catch {
      // not JSON: try the next candidate
    }
  }
  const prose =
    /\b(?:score|rating|grade)\b[\s*:=]*(?:is|of)?[\s*:=]*(\d{1,2}(?:\.\d+)?)\s*(?:\/\s*10|out of 10)?/i.exec(t) ??
    /\b(\d{1,2}(?:\.\d+)?)\s*(?:\/\s*10|out of 10)\b/i.exec(t);
  if (prose?.[1]) {
    const score = clampScore(Number.parseFloat(prose[1]));
    if (score !== undefined) return { score, reason: shorten(t.replace(prose[0], '').replace(/^[\s:.,-]+/, '')) };
  }
  return { reason: `unreadable verdict: ${shorten(t) || '(empty)'}` };
}

// Same-format responses are sent as the upstream's own JSON text with only the members the gateway changes
// replaced (`model`, `usage` with its `cost`), instead of re-serialising the whole parsed object (issue #15).
// Money safety: the text has already been accepted by JSON.parse and priced from that parse; the replaced values
// are `JSON.stringify` of the very objects that were priced, so the client reads exactly what re-serialising
// would have given it for those members. Anything this scanner does not handle plainly — a top-level value that
// is not an object, a replaced member's name repeated or missing from the text — returns `undefined` and the caller re-serialises as before.

/** Index just past the string starting at `i` (an opening quote), or -1. */
function stringEnd(text: string, i: number): number {
  let from = i + 1;
  for (;;) {
    const q = text.indexOf('"', from);
    if (q === -1) return -1;
    let backslashes = 0;
    for (let b = q - 1; text.charCodeAt(b) === 92; b--) backslashes++;
    if (backslashes % 2 === 0) return q + 1;
    from = q + 1;
  }
}

// JSON's whitespace is exactly these four characters.
function skipWs(text: string, i: number): number {
  for (;;) {
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 10 && c !== 13 && c !== 9) return i;
    i++;
  }
}

/** Index just past the JSON value starting at `i`, or -1. Assumes text JSON.parse accepted. */
function valueEnd(text: string, i: number): number {
  const c = text.charCodeAt(i);
  if (c === 34) return stringEnd(text, i);
  if (c === 123 || c === 91) {
    let depth = 0;
    while (i < text.length) {
      const d = text.charCodeAt(i);
      if (d === 34) {
        i = stringEnd(text, i);
        if (i === -1) return -1;
        continue;
      }
      if (d === 123 || d === 91) depth++;
      else if (d === 125 || d === 93) {
        depth--;
        if (depth === 0) return i + 1;
      }
      i++;
    }
    return -1;
  }
  // number, true, false, null: up to the next delimiter
  while (i < text.length) {
    const d = text.charCodeAt(i);
    if (d === 44 || d === 125 || d === 93 || d === 32 || d === 10 || d === 13 || d === 9) break;
    i++;
  }
  return i;
}

/**
 * `text` (a JSON object JSON.parse accepted) with the values of the named top-level members replaced by the given
 * JSON texts; `undefined` when the text is not a plain case (see the module comment), so the caller re-serialises.
 */
export function replaceTopLevelMembers(text: string, values: ReadonlyMap<string, string>): string | undefined {
  let i = skipWs(text, 0);
  if (text.charCodeAt(i) !== 123) return undefined;
  const spans: { start: number; end: number; json: string }[] = [];
  const seen = new Set<string>();
  i = skipWs(text, i + 1);
  if (text.charCodeAt(i) !== 125) {
    for (;;) {
      if (text.charCodeAt(i) !== 34) return undefined;
      const keyEnd = stringEnd(text, i);
      if (keyEnd === -1) return undefined;
      let key = text.slice(i + 1, keyEnd - 1);
      // An escaped name (`"usag\u0065"`) is the member JSON.parse read under its decoded name.
      if (key.includes('\\')) key = JSON.parse(text.slice(i, keyEnd)) as string;
      i = skipWs(text, keyEnd);
      if (text.charCodeAt(i) !== 58) return undefined;
      const start = skipWs(text, i + 1);
      const end = valueEnd(text, start);
      if (end === -1) return undefined;
      const json = values.get(key);
      if (json !== undefined) {
        // JSON.parse keeps the last of repeated names; some clients keep the first. Never guess which was priced.
        if (seen.has(key)) return undefined;
        seen.add(key);
        spans.push({ start, end, json });
      }
      i = skipWs(text, end);
      const c = text.charCodeAt(i);
      if (c === 44) {
        i = skipWs(text, i + 1);
        continue;
      }
      if (c === 125) break;
      return undefined;
    }
  }
  if (skipWs(text, i + 1) !== text.length || seen.size !== values.size) return undefined;
  let out = '';
  let from = 0;
  for (const s of spans) {
    out += text.slice(from, s.start) + s.json;
    from = s.end;
  }
  return out + text.slice(from);
}

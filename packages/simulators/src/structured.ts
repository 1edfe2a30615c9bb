// Structured-output helpers shared by the three simulated providers.

type Obj = Record<string, unknown>;
const isObject = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * JSON mode without a schema (OpenAI `json_object`, Gemini `responseMimeType` alone): a real model follows the
 * prompt, which usually embeds the wanted JSON Schema. Return the first JSON object in the prompt that looks like
 * a schema (has `properties` or `type: object`); bounded to the first 50 candidate braces per text.
 */
export function schemaInPrompt(texts: readonly string[]): unknown {
  for (const text of texts) {
    let from = 0;
    for (let tries = 0; tries < 50; tries++) {
      const start = text.indexOf('{', from);
      if (start < 0) break;
      const end = matchingBrace(text, start);
      if (end > start) {
        try {
          const value = JSON.parse(text.slice(start, end + 1)) as unknown;
          if (isObject(value) && (isObject(value.properties) || value.type === 'object')) return value;
        } catch {
          // not JSON: keep looking
        }
      }
      from = start + 1;
    }
  }
  return undefined;
}

/** Index of the `}` closing the `{` at `start` (string-aware), or -1. */
function matchingBrace(text: string, start: number): number {
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return i;
  }
  return -1;
}

/** How many answers were asked for (`n`, `candidateCount`), clamped to 1..8. */
export function answerCount(n: unknown): number {
  return typeof n === 'number' && Number.isInteger(n) ? Math.max(1, Math.min(8, n)) : 1;
}

/** The request hash (hex) of answer `i`: answer 0 keeps the request's own, so n=1 is unchanged. */
export function answerHash(hash: string, i: number): string {
  if (i === 0) return hash;
  const head = (Number.parseInt(hash.slice(0, 8), 16) ^ Math.imul(i, 0x85ebca6b)) >>> 0;
  return head.toString(16).padStart(8, '0') + hash.slice(8);
}

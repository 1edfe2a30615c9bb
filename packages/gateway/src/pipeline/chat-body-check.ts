// A hand-compiled accept-only check of `chatRequestSchema` (request-schemas.ts) for the hot path: `true` only when
// zod would accept the body, so a valid body skips zod's walk and its copy of every nested object (2 % of a chat
// request's CPU, plus the garbage). `false` means "not sure": the caller runs zod, which accepts it or names the
// first bad field in the API's own 400. Keep it in step with the schema (chat-body-check.test.ts compares both).

// biome-ignore lint/suspicious/noControlCharactersInRegex: rejecting control characters is the point
const CONTROL = /[\x00-\x1f\x7f]/;
const ROLES = new Set(['system', 'developer', 'user', 'assistant', 'tool', 'function']);

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isAbsent = (v: unknown) => v === undefined || v === null;
const intAtLeast1 = (v: unknown, max = Number.MAX_SAFE_INTEGER) =>
  isAbsent(v) || (typeof v === 'number' && Number.isSafeInteger(v) && v >= 1 && v <= max);

/** `[{ type: string, ... }]`: the element shape of `tools` and of a content-part array. */
function typedParts(v: unknown): boolean {
  if (!Array.isArray(v)) return false;
  for (const p of v) if (!isObject(p) || typeof p.type !== 'string') return false;
  return true;
}

function validMessage(m: unknown): boolean {
  if (!isObject(m) || typeof m.role !== 'string' || !ROLES.has(m.role)) return false;
  const c = m.content;
  return isAbsent(c) || typeof c === 'string' || typedParts(c);
}

/** True when `chatRequestSchema` certainly accepts `body` (a plain object); false: let zod decide and explain. */
export function isValidChatBody(body: Record<string, unknown>): boolean {
  const model = body.model;
  if (typeof model !== 'string' || model.length < 1 || model.length > 256 || CONTROL.test(model)) return false;
  const messages = body.messages;
  if (!Array.isArray(messages) || messages.length < 1) return false;
  for (const m of messages) if (!validMessage(m)) return false;
  const { stream, stream_options: so, temperature: t, tools } = body;
  if (!isAbsent(stream) && typeof stream !== 'boolean') return false;
  if (!isAbsent(so) && !(isObject(so) && (so.include_usage === undefined || typeof so.include_usage === 'boolean')))
    return false;
  if (!intAtLeast1(body.max_tokens) || !intAtLeast1(body.max_completion_tokens) || !intAtLeast1(body.n, 128))
    return false;
  if (!isAbsent(t) && !(typeof t === 'number' && t >= 0 && t <= 2)) return false;
  return tools === undefined || typedParts(tools);
}

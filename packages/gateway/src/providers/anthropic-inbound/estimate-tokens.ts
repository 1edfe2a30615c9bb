// A provider-neutral input-token estimate for an Anthropic Messages body: ≈ 4 characters per token over the
// system prompt, every text / tool block and the tool definitions, plus a small per-message overhead. Used where
// the real count is not available yet (a translated stream's message_start) or not at all (count_tokens for a
// non-Anthropic target, flagged as an estimate).

const CHARS_PER_TOKEN = 4;
const PER_MESSAGE = 4;

function textOf(value: unknown): number {
  if (typeof value === 'string') return value.length;
  if (Array.isArray(value)) {
    let n = 0;
    for (const v of value) n += textOf(v);
    return n;
  }
  if (value && typeof value === 'object') {
    const b = value as Record<string, unknown>;
    if (typeof b.text === 'string') return b.text.length;
    if (b.type === 'tool_use') return String(b.name ?? '').length + JSON.stringify(b.input ?? {}).length;
    if (b.type === 'tool_result') return textOf(b.content);
    if (b.type === 'image' || b.type === 'document') return 1_000; // a page or picture, roughly
  }
  return 0;
}

export function estimateAnthropicInputTokens(body: Record<string, unknown>): number {
  const messages = Array.isArray(body.messages) ? body.messages : [];
  let chars = textOf(body.system);
  for (const m of messages) chars += textOf((m as { content?: unknown })?.content);
  if (Array.isArray(body.tools) && body.tools.length > 0) chars += JSON.stringify(body.tools).length;
  const overhead = PER_MESSAGE * (messages.length + (body.system ? 1 : 0));
  return Math.ceil(chars / CHARS_PER_TOKEN) + overhead;
}

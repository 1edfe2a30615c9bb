// Upper bounds of what a provider can bill for a request, computed from the DECODED body (never a header: a chunked
// or gzip body has no useful Content-Length). Pure. See docs/accounts.md "What a reservation covers".
//
// Text: every tokenizer we price (byte-level BPE, SentencePiece with byte fallback) spends at least one byte per
// token, so the UTF-8 size of the body's JSON is an upper bound of its text tokens, chat-template overhead included
// (each message's JSON punctuation outweighs the few tokens a template adds). Media strings are not text: their
// base64 is replaced by a per-part bound.

/** One image, any detail or size: above OpenAI high detail (≤ ~2,500), Anthropic (≤ ~1,600), Gemini (≤ 1,120). */
export const IMAGE_TOKENS = 4096;
/** Audio: one token per 16 base64 characters (≥ 32 tokens/s down to ~4 kbps audio) plus a fixed 64. */
export const AUDIO_BASE64_CHARS_PER_TOKEN = 16;
/** Documents (PDF) become text + page images: their bytes plus this much. */
export const DOCUMENT_EXTRA_TOKENS = 2048;
/** Fixed per request: a system prompt some providers add for tool use (Anthropic: a few hundred tokens). */
export const TOOLS_OVERHEAD_TOKENS = 1024;
export const BASE_OVERHEAD_TOKENS = 16;

const IMAGE_TYPES = new Set(['image', 'image_url', 'input_image']);
const AUDIO_TYPES = new Set(['input_audio']);

function mediaBound(part: Record<string, unknown>): number | undefined {
  const type = part.type;
  if (typeof type !== 'string') return undefined;
  if (IMAGE_TYPES.has(type)) return IMAGE_TOKENS;
  if (AUDIO_TYPES.has(type)) {
    const audio = part.input_audio as { data?: unknown } | undefined;
    const chars = typeof audio?.data === 'string' ? audio.data.length : 0;
    return Math.ceil(chars / AUDIO_BASE64_CHARS_PER_TOKEN) + 64;
  }
  return undefined;
}

/** Upper bound of the input tokens a provider can bill for this decoded request body. */
export function inputTokenBound(body: unknown): number {
  let json: string;
  try {
    json = JSON.stringify(body) ?? '';
  } catch {
    return Number.MAX_SAFE_INTEGER; // unserialisable: never cheap
  }
  let tokens = Buffer.byteLength(json, 'utf8') + BASE_OVERHEAD_TOKENS;
  // The walk below only adjusts for objects with a `type` or a `tools` member; JSON.stringify writes every such key
  // as `"type":` / `"tools":` (a string value's quotes come out escaped), so without either the text is the bound.
  if (!json.includes('"type":') && !json.includes('"tools":')) return Math.max(BASE_OVERHEAD_TOKENS, tokens);
  let hasTools = false;
  // Iterative walk (bodies are depth-checked before this, but no recursion either way).
  const stack: unknown[] = [body];
  for (let v = stack.pop(); v !== undefined; v = stack.pop()) {
    if (v === null || typeof v !== 'object') continue;
    if (Array.isArray(v)) {
      for (const c of v) if (c !== null && typeof c === 'object') stack.push(c);
      continue;
    }
    const o = v as Record<string, unknown>;
    const bound = mediaBound(o);
    if (bound !== undefined) {
      // The part's JSON (mostly its base64) was counted as text above: count its bound instead.
      tokens += bound - (JSON.stringify(o)?.length ?? 0);
      continue;
    }
    if (o.type === 'document' || o.type === 'file') tokens += DOCUMENT_EXTRA_TOKENS;
    if (Array.isArray(o.tools) && o.tools.length > 0) hasTools = true;
    for (const c of Object.values(o)) if (c !== null && typeof c === 'object') stack.push(c);
  }
  if (hasTools) tokens += TOOLS_OVERHEAD_TOKENS;
  return Math.max(BASE_OVERHEAD_TOKENS, tokens);
}

/**
 * Searches assumed for a server-side web-search tool without `max_uses`: Anthropic pauses a server-tool loop after
 * 10 iterations (`pause_turn`); twice that leaves room for several searches in one iteration.
 */
export const DEFAULT_WEB_SEARCHES = 20;

/** Most billable server-side web searches a request can trigger (Anthropic `web_search_*` tools: `max_uses`). */
export function webSearchBound(body: Record<string, unknown>): number {
  const tools = body.tools;
  if (!Array.isArray(tools)) return 0;
  let searches = 0;
  for (const t of tools) {
    const tool = t as { type?: unknown; max_uses?: unknown } | null;
    if (typeof tool?.type !== 'string' || !tool.type.startsWith('web_search')) continue;
    const max = tool.max_uses;
    searches += typeof max === 'number' && Number.isFinite(max) && max >= 0 ? Math.ceil(max) : DEFAULT_WEB_SEARCHES;
  }
  return searches;
}

/** How many completions one call asks for: OpenAI `n`, Gemini `candidateCount` (a target's params override). */
export function outputMultiplier(body: Record<string, unknown>, params?: Record<string, unknown>): number {
  const pick = (k: string) => {
    const v = params?.[k] ?? body[k];
    return typeof v === 'number' && Number.isFinite(v) && v >= 1 ? Math.ceil(v) : 1;
  };
  const gen = (params?.generationConfig ?? body.generationConfig) as { candidateCount?: unknown } | undefined;
  const candidates =
    typeof gen?.candidateCount === 'number' && gen.candidateCount >= 1 ? Math.ceil(gen.candidateCount) : 1;
  return Math.max(pick('n'), pick('candidateCount'), candidates);
}

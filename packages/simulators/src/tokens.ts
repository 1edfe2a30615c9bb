// The simulators' token rule, exported so tests anywhere can compute the exact usage a simulator reports.
//
//   text tokens      = ceil(UTF-16 length / 4)                     (textTokens)
//   input tokens     = Σ over messages (4 + text tokens of the message's text)
//                      + text tokens of JSON.stringify(tools) when tools are given   (countInputTokens)
//   output tokens    = number of generated words (one word = one token)
//   tool call tokens = 4 + text tokens of (name + JSON arguments)
//   embedding input  = Σ text tokens of each input string (no overhead)
//
// The system prompt counts as one message. Provider-specific extraction of "the message's text" lives in
// each provider folder (openaiInputTokens, anthropicInputTokens, geminiInputTokens).

export const MESSAGE_OVERHEAD_TOKENS = 4;
export const TOOL_CALL_OVERHEAD_TOKENS = 4;
export const DEFAULT_OUTPUT_TOKENS = 16;
/** Thinking tokens generated when thinking is requested and the scenario does not say how many. */
export const DEFAULT_REASONING_TOKENS = 8;

export function textTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

/** Input tokens of a conversation given the text of each message (system prompt included as one). */
export function countInputTokens(messageTexts: readonly string[], toolsJson?: string): number {
  let total = 0;
  for (const text of messageTexts) total += MESSAGE_OVERHEAD_TOKENS + textTokens(text);
  if (toolsJson !== undefined) total += textTokens(toolsJson);
  return total;
}

export function toolCallTokens(name: string, argumentsJson: string): number {
  return TOOL_CALL_OVERHEAD_TOKENS + textTokens(name + argumentsJson);
}

export function countEmbeddingTokens(inputs: readonly string[]): number {
  let total = 0;
  for (const text of inputs) total += textTokens(text);
  return total;
}

const WORDS = (
  'the a switch yard signal track train route token river stone light cloud model answer quiet ' +
  'bright simple steady north south east west garden window paper market harbor engine circuit ' +
  'lantern meadow copper silver amber canyon ember falcon glacier harvest island jasmine kettle ' +
  'ladder marble needle orchard pepper quartz ribbon saddle timber velvet willow yonder zephyr'
).split(' ');

/** xorshift32: tiny, fast, deterministic. */
export function prng(seed: number): () => number {
  let s = seed >>> 0 || 0x9e3779b9;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s;
  };
}

/** `count` words chosen by `seed`; each word is one output token. */
export function generateWords(seed: number, count: number): string[] {
  const next = prng(seed);
  const out: string[] = new Array(count);
  for (let i = 0; i < count; i++) out[i] = WORDS[next() % WORDS.length] as string;
  return out;
}

/**
 * Split words into `pieces` text fragments (as evenly as possible) that concatenate to `words.join(' ')`.
 * Every fragment after the first starts with the space that separates it from the previous word.
 */
export function splitWords(words: readonly string[], pieces: number): string[] {
  const n = words.length;
  if (n === 0) return [];
  const k = Math.max(1, Math.min(pieces, n));
  const out: string[] = [];
  let start = 0;
  for (let i = 0; i < k; i++) {
    const end = Math.round(((i + 1) * n) / k);
    const part = words.slice(start, end).join(' ');
    out.push(start === 0 ? part : ' ' + part);
    start = end;
  }
  return out;
}

/** Split a string into `pieces` contiguous fragments (for streamed tool-call arguments). */
export function splitString(text: string, pieces: number): string[] {
  const k = Math.max(1, Math.min(pieces, text.length));
  const out: string[] = [];
  for (let i = 0; i < k; i++)
    out.push(text.slice(Math.floor((i * text.length) / k), Math.floor(((i + 1) * text.length) / k)));
  return out;
}

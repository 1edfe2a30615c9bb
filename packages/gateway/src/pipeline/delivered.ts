// What a stream cut short (client abort, upstream cut, timeout, bad event) is charged: what was delivered.
// Provider usage when the provider sent its final report; otherwise a flagged estimate (`source: 'estimated'`):
// the input upper bound (or the provider's own input count when seen) plus the delivered output, counted as one
// token per UTF-8 byte of delivered text — an upper bound for every tokenizer we price, so never less than the bill.
import { buildErrorInfo, type Usage } from '@switchyard/core';
import type { ChatCompletionChunk } from '../providers/openai-chat-types.js';
import type { CallMeta } from './call-meta.js';
import { AttemptError } from './seams.js';

/**
 * Text bytes per output token beyond which a stream is cut: no tokenizer spends this many bytes per token on
 * average, so more text than `outputCapTokens × this` proves the upstream ignores the call's max tokens (an
 * endless stream) — it is stopped and charged the most a provider could bill.
 */
export const MAX_BYTES_PER_TOKEN = 32;
const CUT_SLACK_BYTES = 64 * 1024;

/** Counts text delivered to the client; throws (invalid_response) once an upstream sends far beyond the cap. */
export function addDelivered(meta: CallMeta, textBytes: number): void {
  if (textBytes === 0) return;
  meta.deliveredTextBytes = (meta.deliveredTextBytes ?? 0) + textBytes;
  const cap = meta.outputCapTokens;
  if (cap !== undefined && meta.deliveredTextBytes > cap * MAX_BYTES_PER_TOKEN + CUT_SLACK_BYTES) {
    throw new AttemptError(
      buildErrorInfo(
        'invalid_response',
        `${meta.target.providerId}: upstream sent far more output than the call's max tokens allow`,
      ),
    );
  }
}

/** Text-bearing JSON string fields of OpenAI chunks, Responses `*.delta` and Anthropic events (text, tool args, reasoning). */
const TEXT_FIELD =
  /"(?:content|reasoning_content|reasoning|refusal|arguments|text|partial_json|thinking|delta)"\s*:\s*"((?:[^"\\]|\\.)*)"/g;

/** UTF-8 bytes of the text fields of one raw event (escaped form: never shorter than the decoded text). */
export function textBytesOfEvent(data: string): number {
  // exec on the shared global regex, not matchAll: matchAll clones the regex and builds an iterator per event.
  let n = 0;
  TEXT_FIELD.lastIndex = 0;
  for (let m = TEXT_FIELD.exec(data); m !== null; m = TEXT_FIELD.exec(data)) {
    if (m[1]) n += Buffer.byteLength(m[1], 'utf8');
  }
  TEXT_FIELD.lastIndex = 0;
  return n;
}

const bytes = (s: unknown) => (typeof s === 'string' && s.length > 0 ? Buffer.byteLength(s, 'utf8') : 0);

/** UTF-8 bytes of the text an OpenAI chunk object carries. */
export function textBytesOfChunk(chunk: ChatCompletionChunk): number {
  let n = 0;
  for (const c of chunk.choices ?? []) {
    const d = c.delta as Record<string, unknown> | undefined;
    if (!d) continue;
    n += bytes(d.content) + bytes(d.reasoning_content) + bytes(d.reasoning) + bytes(d.refusal);
    const calls = d.tool_calls as { function?: { arguments?: unknown; name?: unknown } }[] | undefined;
    if (Array.isArray(calls)) for (const t of calls) n += bytes(t.function?.arguments) + bytes(t.function?.name);
  }
  return n;
}

/**
 * The usage to settle a stream that did not complete. `seen` is the provider's usage so far, `final` whether it was
 * its closing report (then it is the bill, as is). Output: the delivered text (one token per byte), but never more
 * than the call's output cap (`n` × max tokens: all a provider can bill), and never less than the provider's count.
 */
export function cutShortUsage(
  seen: Usage | undefined,
  final: boolean,
  inputTokenBound: number,
  deliveredTextBytes: number,
  outputCapTokens?: number,
): Usage {
  if (seen && final) return seen;
  const inputSeen = seen !== undefined && seen.inputTokens > 0;
  const delivered = outputCapTokens !== undefined ? Math.min(deliveredTextBytes, outputCapTokens) : deliveredTextBytes;
  const output = Math.max(seen?.outputTokens ?? 0, delivered);
  const base: Usage = inputSeen
    ? seen
    : {
        inputTokens: 0,
        outputTokens: 0,
        cacheReadTokens: 0,
        cacheWriteTokens: 0,
        reasoningTokens: 0,
        source: 'estimated',
      };
  return {
    ...base,
    inputTokens: inputSeen ? seen.inputTokens : Math.max(0, Math.ceil(inputTokenBound)),
    outputTokens: output,
    reasoningTokens: Math.min(seen?.reasoningTokens ?? 0, output),
    source: 'estimated',
  };
}

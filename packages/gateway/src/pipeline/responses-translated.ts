// /v1/responses → a non-OpenAI target: the chat attempt's result (OpenAI Chat, the canonical format) → a
// Responses API `response` object, or the Responses SSE event sequence for streams.
import { nanosToUsdNumber, type Usage } from '@switchyard/core';
import { createResponsesStreamEncoder } from '../providers/responses-inbound/responses-stream-encoder.js';
import { type ResponsesContext, toResponsesResponse } from '../providers/responses-inbound/to-responses-response.js';
import type { CallMeta } from './call-meta.js';
import type { ChatValue } from './chat-attempt.js';
import { reencodeStream } from './reencode-stream.js';
import type { ResponseObject, ResponsesValue } from './responses-passthrough.js';

const NO_USAGE: Usage = {
  inputTokens: 0,
  outputTokens: 0,
  cacheReadTokens: 0,
  cacheWriteTokens: 0,
  reasoningTokens: 0,
  source: 'estimated',
};

export function chatToResponses(
  value: ChatValue,
  ctx: ResponsesContext,
  onComplete: (response: ResponseObject, meta: CallMeta) => void,
): ResponsesValue {
  if (value.kind === 'json') {
    const response = toResponsesResponse(value.completion, value.meta.usage ?? NO_USAGE, ctx);
    onComplete(response, value.meta);
    return { kind: 'json', response, meta: value.meta };
  }
  const encoder = createResponsesStreamEncoder(ctx);
  const { meta } = value;
  const { head, tail } = reencodeStream(
    value,
    (chunk) => encoder.push(chunk),
    () => {
      const cost = meta.cost ? nanosToUsdNumber(meta.cost.totalNanos) : undefined;
      const events = encoder.end(meta.usage, cost);
      onComplete({ id: ctx.id, output: encoder.output() }, meta);
      return events;
    },
  );
  return { kind: 'stream', head, tail, meta, nextSequence: encoder.nextSequence };
}

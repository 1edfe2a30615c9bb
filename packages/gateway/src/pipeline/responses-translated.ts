// /v1/responses → a non-OpenAI target: the chat attempt's result (OpenAI Chat, the canonical format) → a
// Responses API `response` object, or the Responses SSE event sequence for streams.
import { nanosToUsdNumber, type Usage } from '@switchyard/core';
import type { ChatCompletionChunk } from '../providers/openai-chat-types.js';
import { createResponsesStreamEncoder } from '../providers/responses-inbound/responses-stream-encoder.js';
import { type ResponsesContext, toResponsesResponse } from '../providers/responses-inbound/to-responses-response.js';
import { encodeSse } from '../providers/sse.js';
import type { CallMeta } from './call-meta.js';
import type { ChatValue } from './chat-attempt.js';
import type { StreamItem } from './chat-stream.js';
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
  const encode = (items: StreamItem[]) => {
    let out = '';
    // Chat attempts run with `output: 'chunks'` here, so every item is a chunk object.
    for (const item of items) for (const ev of encoder.push(item as ChatCompletionChunk)) out += encodeSse(ev);
    return out;
  };
  const { meta, tail } = value;
  async function* mapped(): AsyncGenerator<string[], void> {
    try {
      for await (const batch of tail) {
        const text = encode(batch);
        if (text) yield [text];
      }
      const cost = meta.cost ? nanosToUsdNumber(meta.cost.totalNanos) : undefined;
      const events = encoder.end(meta.usage, cost);
      onComplete({ id: ctx.id, output: encoder.output() }, meta);
      yield [events.map(encodeSse).join('')];
    } finally {
      await tail.return(undefined);
    }
  }
  // return() on a generator that never started skips its `finally`: close the inner stream either way.
  const gen = mapped();
  const ownReturn = gen.return.bind(gen);
  gen.return = async (v) => {
    await tail.return(undefined);
    return ownReturn(v);
  };
  return { kind: 'stream', head: [encode(value.head)], tail: gen, meta, nextSequence: encoder.nextSequence };
}

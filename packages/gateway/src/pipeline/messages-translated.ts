// /v1/messages → a non-Anthropic target: Anthropic request → OpenAI Chat (canonical) → the chat attempt →
// back to an Anthropic message, or to the Anthropic SSE event sequence for streams.
import type { Usage } from '@switchyard/core';
import { createAnthropicStreamEncoder } from '../providers/anthropic-inbound/anthropic-stream-encoder.js';
import { toAnthropicResponse } from '../providers/anthropic-inbound/to-anthropic-response.js';
import type { ChatCompletionChunk } from '../providers/openai-chat-types.js';
import { encodeSse } from '../providers/sse.js';
import { type CallMeta, servedModel } from './call-meta.js';
import type { ChatValue } from './chat-attempt.js';
import type { StreamItem } from './chat-stream.js';
import type { GatewayRequest } from './seams.js';

export type MessagesValue =
  | { kind: 'json'; message: object; meta: CallMeta }
  | { kind: 'stream'; head: string[]; tail: AsyncGenerator<string[], void>; meta: CallMeta };

const NO_USAGE: Usage = {
  inputTokens: 0,
  outputTokens: 0,
  cacheReadTokens: 0,
  cacheWriteTokens: 0,
  reasoningTokens: 0,
  source: 'estimated',
};

/** `inputTokens`: the request's estimate, shown in message_start until the real count arrives in message_delta. */
export function chatToMessages(value: ChatValue, req: GatewayRequest, inputTokens: number): MessagesValue {
  if (value.kind === 'json') {
    return {
      kind: 'json',
      message: toAnthropicResponse(value.completion, value.meta.usage ?? NO_USAGE),
      meta: value.meta,
    };
  }
  const encoder = createAnthropicStreamEncoder({
    id: req.requestId,
    model: servedModel(value.meta.target),
    inputTokens,
  });
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
      yield [encoder.end(meta.usage).map(encodeSse).join('')];
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
  return { kind: 'stream', head: [encode(value.head)], tail: gen, meta };
}

// /v1/messages → a non-Anthropic target: Anthropic request → OpenAI Chat (canonical) → the chat attempt →
// back to an Anthropic message, or to the Anthropic SSE event sequence for streams.
import type { Usage } from '@switchyard/core';
import { createAnthropicStreamEncoder } from '../providers/anthropic-inbound/anthropic-stream-encoder.js';
import { toAnthropicResponse } from '../providers/anthropic-inbound/to-anthropic-response.js';
import { type CallMeta, servedModel } from './call-meta.js';
import type { ChatValue } from './chat-attempt.js';
import { reencodeStream } from './reencode-stream.js';
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
  const { meta } = value;
  const { head, tail } = reencodeStream(
    value,
    (chunk) => encoder.push(chunk),
    () => encoder.end(meta.usage),
  );
  return { kind: 'stream', head, tail, meta };
}

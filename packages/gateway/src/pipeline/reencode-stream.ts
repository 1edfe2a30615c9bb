// Shared by the translated /v1/messages and /v1/responses paths: a committed chat stream (chunk objects) re-encoded
// event by event into the client's SSE format, with the encoder's closing events once the chat stream ended.
import type { ChatCompletionChunk } from '../providers/openai-chat-types.js';
import type { SseEvent } from '../providers/provider-adapter.js';
import { encodeSse } from '../providers/sse.js';
import type { ChatValue } from './chat-attempt.js';
import type { StreamItem } from './chat-stream.js';

/** A chat stream value re-encoded: `push` maps one chunk to events, `end` gives the closing events. */
export function reencodeStream(
  value: Extract<ChatValue, { kind: 'stream' }>,
  push: (chunk: ChatCompletionChunk) => Iterable<SseEvent>,
  end: () => SseEvent[],
): { head: string[]; tail: AsyncGenerator<string[], void> } {
  const encode = (items: StreamItem[]) => {
    let out = '';
    // Chat attempts run with `output: 'chunks'` here, so every item is a chunk object.
    for (const item of items) for (const ev of push(item as ChatCompletionChunk)) out += encodeSse(ev);
    return out;
  };
  const { tail } = value;
  async function* mapped(): AsyncGenerator<string[], void> {
    try {
      for await (const batch of tail) {
        const text = encode(batch);
        if (text) yield [text];
      }
      yield [end().map(encodeSse).join('')];
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
  return { head: [encode(value.head)], tail: gen };
}

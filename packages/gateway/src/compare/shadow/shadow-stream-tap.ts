// Observes a committed chat stream for shadow comparison without changing it: the same batches pass through, the
// text is read on the side, and `done` fires once when the stream ends, fails or is closed. Delegates return()
// and throw() to the inner stream even before the first next(), so the upstream is always released.

import type { StreamItem } from '../../pipeline/chat-stream.js';
import type { ChatCompletion } from '../../providers/openai-chat-types.js';
import { encodeSseJson } from '../../providers/sse.js';
import { ChatStreamReader } from '../chat-stream-reader.js';

type Tail = AsyncGenerator<StreamItem[], void>;

export function tapStream(head: StreamItem[], inner: Tail, done: (ok: boolean, text: string) => void): Tail {
  const reader = new ChatStreamReader(0, () => 0);
  const feed = (items: StreamItem[]) => {
    for (const it of items) reader.push(typeof it === 'string' ? it : encodeSseJson(it));
  };
  let finished = false;
  const finish = (ok: boolean) => {
    if (finished) return;
    finished = true;
    done(ok && reader.summary().error === undefined, reader.summary().text);
  };
  feed(head);
  const tail = {
    async next() {
      try {
        const r = await inner.next();
        if (r.done) finish(true);
        else feed(r.value);
        return r;
      } catch (err) {
        finish(false);
        throw err;
      }
    },
    async return(v: undefined) {
      finish(false);
      return inner.return(v);
    },
    async throw(err: unknown) {
      finish(false);
      return inner.throw(err);
    },
    [Symbol.asyncIterator]() {
      return tail;
    },
  };
  return tail as unknown as Tail;
}

/** The answer of a JSON completion: message text, else tool-call arguments (structured output via tools). */
export function completionText(c: ChatCompletion): string {
  const msg = c.choices?.[0]?.message;
  if (!msg) return '';
  if (msg.content) return msg.content;
  return (msg.tool_calls ?? []).map((t) => t.function?.arguments ?? '').join('');
}

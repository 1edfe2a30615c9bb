// streamToClient: what a committed stream keeps while it runs. Its first batch is encoded and sent at once; the
// items are then let go, so a stream (or anything still holding its parts) does not keep them alive.
import { describe, expect, it } from 'vitest';
import type { CallMeta } from './call-meta.js';
import type { CallScope } from './request-flow.js';
import type { RouteExecutor } from './seams.js';
import { respondStream, streamToClient } from './stream-response.js';

const format = {
  encode: (items: string[]) => items.join(''),
  end: () => 'data: [DONE]\n\n',
  error: () => 'event: error\n\n',
};

describe('streamToClient', () => {
  it('sends the first batch, then empties it; the tail and the end follow, and the request finishes once', async () => {
    const head = ['data: {"a":1}\n\n', 'data: {"a":2}\n\n'];
    async function* tail() {
      yield ['data: {"a":3}\n\n'];
    }
    const finished: number[] = [];
    const reports: unknown[] = [];
    const call = {
      req: { signal: new AbortController().signal },
      finish: (status: number) => finished.push(status),
    } as unknown as CallScope;
    const executor = { report: (_id: string, r: unknown) => reports.push(r) } as unknown as RouteExecutor;
    const meta = { target: { id: 't' }, endMs: 5 } as unknown as CallMeta;
    const out = streamToClient({ head, tail: tail(), meta }, [], call, executor, format);
    const first = await out.next();
    expect(first.value).toBe('data: {"a":1}\n\ndata: {"a":2}\n\n');
    expect(head).toEqual([]);
    const rest: string[] = [];
    for await (const text of out) rest.push(text);
    expect(rest).toEqual(['data: {"a":3}\n\n', 'data: [DONE]\n\n']);
    expect(finished).toEqual([200]);
    expect(reports).toEqual([{ ok: true, latencyMs: 5 }]);
  });

  describe('respondStream', () => {
    const setup = () => {
      const finished: number[] = [];
      const recorded: string[] = [];
      const call = {
        req: { signal: new AbortController().signal },
        headers: () => ({ 'x-request-id': 'r' }),
        finish: (status: number) => finished.push(status),
        recorder: { text: (t: string) => recorded.push(t) },
      } as unknown as CallScope;
      const executor = { report: () => {} } as unknown as RouteExecutor;
      const meta = { target: { id: 't' }, endMs: 5 } as unknown as CallMeta;
      async function* tail() {
        yield ['data: {"a":2}\n\n'];
      }
      return { finished, recorded, call, executor, meta, tail };
    };
    const collect = async (stream: AsyncIterable<string | Buffer>) => {
      const out: string[] = [];
      for await (const t of stream) out.push(String(t));
      return out;
    };

    it('encodes the first batch at once: taken by the writer, the stream starts after it', async () => {
      const { finished, recorded, call, executor, meta, tail } = setup();
      const head = ['data: {"a":1}\n\n'];
      const res = respondStream(call, { head, tail: tail(), meta }, [], executor, format);
      if (!('stream' in res)) throw new Error('not a stream');
      expect(head).toEqual([]);
      expect(res.takeHead?.()).toBe('data: {"a":1}\n\n');
      expect(res.takeHead?.()).toBe(''); // taken once
      expect(await collect(res.stream)).toEqual(['data: {"a":2}\n\n', 'data: [DONE]\n\n']);
      expect(recorded).toEqual(['data: {"a":1}\n\n', 'data: {"a":2}\n\n']); // the cache recorder saw it once
      expect(finished).toEqual([200]);
    });

    it('not taken, the stream yields it first (a reader that only iterates loses nothing)', async () => {
      const { call, executor, meta, tail } = setup();
      const res = respondStream(call, { head: ['data: {"a":1}\n\n'], tail: tail(), meta }, [], executor, format);
      if (!('stream' in res)) throw new Error('not a stream');
      expect(await collect(res.stream)).toEqual(['data: {"a":1}\n\n', 'data: {"a":2}\n\n', 'data: [DONE]\n\n']);
      expect(res.takeHead?.()).toBe(''); // sent by the stream: nothing left to take
    });

    it('a cache recorder that fails on the first batch ends the stream with the error event (nothing stored)', async () => {
      const { finished, call, executor, meta, tail } = setup();
      (call as unknown as { recorder: unknown }).recorder = {
        text: () => {
          throw new TypeError('odd chunk');
        },
      };
      const res = respondStream(call, { head: ['data: {"a":1}\n\n'], tail: tail(), meta }, [], executor, format);
      if (!('stream' in res)) throw new Error('not a stream');
      expect(res.takeHead?.()).toBe('data: {"a":1}\n\n');
      expect(await collect(res.stream)).toEqual(['event: error\n\n']);
      expect(finished).toHaveLength(1);
      expect(finished[0]).not.toBe(200);
    });

    it('a first batch that cannot be encoded: nothing to take, the stream ends with the error event', async () => {
      const { finished, call, executor, meta, tail } = setup();
      const failing = {
        ...format,
        encode: () => {
          throw new Error('bad item');
        },
      };
      const res = respondStream(call, { head: ['x'], tail: tail(), meta }, [], executor, failing);
      if (!('stream' in res)) throw new Error('not a stream');
      expect(res.takeHead?.()).toBeUndefined();
      expect(await collect(res.stream)).toEqual(['event: error\n\n']);
      expect(finished).toHaveLength(1);
      expect(finished[0]).not.toBe(200);
    });
  });
});

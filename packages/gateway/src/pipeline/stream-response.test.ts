// streamToClient: what a committed stream keeps while it runs. Its first batch is encoded and sent at once; the
// items are then let go, so a stream (or anything still holding its parts) does not keep them alive.
import { describe, expect, it } from 'vitest';
import type { CallMeta } from './call-meta.js';
import type { CallScope } from './request-flow.js';
import type { RouteExecutor } from './seams.js';
import { streamToClient } from './stream-response.js';

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
});

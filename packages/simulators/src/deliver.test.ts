import type { ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { deliver } from './deliver.js';
import type { Fault, Scenario, SseReply } from './types.js';

/** A ServerResponse stand-in that records the calls `deliver` makes, in order. */
function recorder() {
  const calls: string[] = [];
  const res = {
    writeHead: () => calls.push('writeHead'),
    flushHeaders: () => calls.push('flushHeaders'),
    write: (c: string) => calls.push(`write ${c.trim()}`),
    end: (c?: string) => calls.push(c === undefined ? 'end' : `end ${c.trim()}`),
    destroy: () => calls.push('destroy'),
  };
  return { calls, res: res as unknown as ServerResponse };
}

const reply: SseReply = {
  kind: 'sse',
  headers: { 'content-type': 'text/event-stream' },
  events: ['data: 1\n\n', 'data: 2\n\n'],
};

async function run(scenario: Scenario, fault?: Fault) {
  const { calls, res } = recorder();
  const signal = new AbortController().signal;
  await deliver(res, { reply, fault, scenario, streamError: () => 'data: err\n\n', signal: () => signal });
  return calls;
}

describe('deliver (SSE): when the headers leave', () => {
  it('with the first event when nothing waits before it (one write, one wake-up for the client)', async () => {
    expect(await run({ chunkDelayMs: 1 })).toEqual(['writeHead', 'write data: 1', 'write data: 2', 'end']);
  });

  it('ahead of the first event when a ttft wait comes between them', async () => {
    expect(await run({ ttftMs: 5, chunkDelayMs: 1 })).toEqual([
      'writeHead',
      'flushHeaders',
      'write data: 1',
      'write data: 2',
      'end',
    ]);
  });

  it('ahead of a fault that strikes before the first event', async () => {
    const calls = await run({ chunkDelayMs: 1 }, { kind: 'reset_mid_stream', afterChunks: 0 });
    expect(calls).toEqual(['writeHead', 'flushHeaders', 'destroy']);
  });

  it('in the single write of an unpaced stream', async () => {
    expect(await run({})).toEqual(['writeHead', 'end data: 1\n\ndata: 2']);
  });
});

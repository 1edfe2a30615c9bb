import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent } from 'undici';
import { describe, expect, it } from 'vitest';
import { collectStreams, type StreamSamples, summarizeStreams } from './stream-run.js';

const one = (ttft: number, gaps: number[]) => ({ ttft, gaps, total: ttft + gaps.reduce((a, b) => a + b, 0) });

describe('summarizeStreams', () => {
  it('takes the percentiles over every block of one contender pooled, not per block', () => {
    const a: StreamSamples = { results: [one(1, [20, 20]), one(2, [20])], errors: 0 };
    const b: StreamSamples = { results: [one(9, [30]), one(10, [40])], errors: 1, firstError: 'HTTP 502' };
    const s = summarizeStreams([a, b]);
    expect(s.ttft.count).toBe(4);
    expect(s.ttft.p50_ms).toBe(2); // nearest rank over 1, 2, 9, 10 (a per-block median would say 1 or 9)
    expect(s.gap.count).toBe(5);
    expect(s.readsPerStream).toBe(9 / 4); // each stream: its gaps + its first read
    expect(s.errors).toBe(1);
    expect(s.firstError).toBe('HTTP 502');
  });

  it('reports nothing measured as NaN percentiles and zero reads', () => {
    const s = summarizeStreams([{ results: [], errors: 2, firstError: 'x' }]);
    expect(Number.isNaN(s.ttft.p50_ms)).toBe(true);
    expect(s.readsPerStream).toBe(0);
    expect(s.errors).toBe(2);
  });
});

describe('collectStreams', () => {
  it("with `ramp`, runs but does not record each worker's first stream; keeps a given Agent open", async () => {
    let served = 0;
    const server = createServer((_req, res) => {
      served++;
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('data: 1\n\n');
      setTimeout(() => res.end('data: 2\n\n'), 5);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    const dispatcher = new Agent({ connections: 2 });
    try {
      const t = { url, method: 'GET' as const, headers: {} };
      const s = await collectStreams(t, { streams: 6, concurrency: 2, timeoutMs: 10_000, ramp: true, dispatcher });
      expect(served).toBe(6);
      expect(s.results).toHaveLength(4);
      expect(s.errors).toBe(0);
      // The Agent was the caller's: still usable.
      const again = await collectStreams(t, { streams: 2, concurrency: 2, timeoutMs: 10_000, dispatcher });
      expect(again.results).toHaveLength(2);
    } finally {
      await dispatcher.close();
      await new Promise((r) => server.close(r));
    }
  });
});

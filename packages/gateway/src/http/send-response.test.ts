// Streams: a primed stream's headers leave with its first bytes (one write, like a pass-through proxy); a stream
// still waiting for its first item sends its headers at once, so the client sees the status while it waits.
import { createServer, type Server, type ServerResponse } from 'node:http';
import { type AddressInfo, connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { sendJsonResponse, sendPipelineResponse } from './send-response.js';

let server: Server | undefined;
afterEach(async () => {
  await new Promise((r) => server?.close(r));
  server = undefined;
});

async function serve(stream: (res: ServerResponse) => AsyncIterable<string>): Promise<number> {
  server = createServer((_req, res) => {
    void sendPipelineResponse(res, {
      status: 200,
      headers: { 'content-type': 'text/event-stream' },
      stream: stream(res),
    });
  });
  await new Promise<void>((r) => server?.listen(0, '127.0.0.1', r));
  return (server.address() as AddressInfo).port;
}

/** Raw reads of one GET, as they arrive; `until` says when to stop (bounded by the test timeout). */
function rawReads(port: number, until: (text: string) => boolean): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const reads: string[] = [];
    const socket = connect(port, '127.0.0.1', () => {
      socket.write('GET / HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n');
    });
    socket.setEncoding('utf8');
    socket.on('data', (d: string) => {
      reads.push(d);
      if (until(reads.join(''))) {
        socket.destroy();
        resolve(reads);
      }
    });
    socket.on('error', reject);
    socket.on('close', () => resolve(reads));
  });
}

describe('sendPipelineResponse streams', () => {
  it('a primed stream: headers not flushed ahead of the first bytes, whole body delivered', async () => {
    const sentBeforeFirst: number[] = [];
    const port = await serve(async function* (res) {
      // Bytes handed to this connection's socket so far (headers count once flushed).
      sentBeforeFirst.push(res.socket?.bytesWritten ?? -1);
      yield 'data: first\n\n';
      yield 'data: second\n\n';
    });
    const reads = await rawReads(port, (t) => t.includes('data: second'));
    expect(sentBeforeFirst).toEqual([0]);
    expect(reads[0]).toContain('HTTP/1.1 200');
    expect(reads[0]).toContain('data: first');
    expect(reads.join('')).toContain('data: second');
  });

  it('a stream still waiting: headers arrive before its first item exists', async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const port = await serve(async function* () {
      await gate;
      yield 'data: late\n\n';
    });
    // The first item is only produced once the client has seen the headers: without the flush this never ends.
    const head = await rawReads(port, (t) => t.includes('\r\n\r\n'));
    expect(head.join('')).toContain('HTTP/1.1 200');
    expect(head.join('')).not.toContain('data: late');
    release();
  }, 20_000);
});

describe('sendPipelineResponse with first bytes ready (takeHead)', () => {
  async function serveHead(head: string, items: string[], pulls: number[]): Promise<number> {
    server = createServer((_req, res) => {
      let taken = false;
      void sendPipelineResponse(res, {
        status: 200,
        headers: { 'content-type': 'text/event-stream' },
        takeHead: () => {
          taken = true;
          return head;
        },
        stream: (async function* () {
          // The head was written before the stream was first pulled: the socket has the headers and the head.
          pulls.push(taken ? (res.socket?.bytesWritten ?? -1) : -2);
          for (const item of items) yield item;
        })(),
      });
    });
    await new Promise<void>((r) => server?.listen(0, '127.0.0.1', r));
    return (server.address() as AddressInfo).port;
  }

  it('the head leaves with the headers in one write, before the stream is pulled; the rest follows', async () => {
    const pulls: number[] = [];
    const port = await serveHead('data: head\n\n', ['data: tail\n\n'], pulls);
    const reads = await rawReads(port, (t) => t.includes('data: tail'));
    expect(reads[0]).toContain('HTTP/1.1 200');
    expect(reads[0]).toContain('data: head');
    const all = reads.join('');
    expect(all.indexOf('data: head')).toBeLessThan(all.indexOf('data: tail'));
    expect(pulls).toHaveLength(1);
    expect(pulls[0]).toBeGreaterThan(0);
    expect(all.slice(0, pulls[0])).toContain('data: head');
  });

  it('an empty head: the headers are flushed at once, before the stream has anything', async () => {
    const pulls: number[] = [];
    const port = await serveHead('', [], pulls);
    const head = await rawReads(port, (t) => t.includes('\r\n\r\n'));
    expect(head.join('')).toContain('HTTP/1.1 200');
    expect(pulls[0]).toBeGreaterThan(0);
  });
});

describe('sendPipelineResponse JSON', () => {
  it('calls `sent` once the whole answer is handed to the socket, not before', async () => {
    const seen: { writtenAtSent: number; ended: boolean }[] = [];
    const body = '{"ok":true}';
    server = createServer((_req, res) => {
      void sendPipelineResponse(res, {
        status: 200,
        headers: {},
        json: { ok: true },
        text: body,
        sent: () => seen.push({ writtenAtSent: res.socket?.bytesWritten ?? -1, ended: res.writableEnded }),
      });
    });
    await new Promise<void>((r) => server?.listen(0, '127.0.0.1', r));
    const reads = await rawReads((server.address() as AddressInfo).port, (t) => t.endsWith(body));
    expect(reads.join('')).toContain(body);
    expect(seen).toHaveLength(1);
    expect(seen[0]?.ended).toBe(true);
    expect(seen[0]?.writtenAtSent).toBe(Buffer.byteLength(reads.join('')));
  });
});

describe('sendJsonResponse', () => {
  it('writes the answer and calls `sent` in the same turn, after the end (the API routes call it directly)', async () => {
    const seen: boolean[] = [];
    server = createServer((_req, res) => {
      sendJsonResponse(res, { status: 200, headers: {}, json: { ok: 1 }, sent: () => seen.push(res.writableEnded) });
      seen.push(true); // after `sent`, still in this turn
    });
    await new Promise<void>((r) => server?.listen(0, '127.0.0.1', r));
    const reads = await rawReads((server.address() as AddressInfo).port, (t) => t.endsWith('{"ok":1}'));
    expect(reads.join('')).toContain('{"ok":1}');
    expect(seen).toEqual([true, true]);
  });
});

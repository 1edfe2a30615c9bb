// Streams: a primed stream's headers leave with its first bytes (one write, like a pass-through proxy); a stream
// still waiting for its first item sends its headers at once, so the client sees the status while it waits.
import { createServer, type Server, type ServerResponse } from 'node:http';
import { type AddressInfo, connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { sendPipelineResponse } from './send-response.js';

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

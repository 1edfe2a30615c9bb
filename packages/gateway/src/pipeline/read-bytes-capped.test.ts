// readBytesCapped reads a Readable by its events (the hot path) with the outcomes `for await` gives: all bytes,
// `undefined` past the cap (stream destroyed), the stream's error, a premature close as an error.
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { UpstreamResponse } from '../upstream/upstream-client.js';
import { readBytesCapped } from './upstream-call.js';

const asBody = (r: Readable) => r as unknown as UpstreamResponse['body'];

describe('readBytesCapped on a Readable', () => {
  it('returns every chunk, concatenated', async () => {
    const bytes = await readBytesCapped(asBody(Readable.from([Buffer.from('{"a":'), Buffer.from('1}')])), 100);
    expect(bytes?.toString()).toBe('{"a":1}');
  });

  it('returns undefined past the cap and destroys the stream', async () => {
    const r = Readable.from([Buffer.alloc(60), Buffer.alloc(60), Buffer.alloc(60)]);
    expect(await readBytesCapped(asBody(r), 100)).toBeUndefined();
    expect(r.destroyed).toBe(true);
  });

  it("rejects with the stream's error", async () => {
    const r = new Readable({ read() {} });
    const read = readBytesCapped(asBody(r), 100);
    r.push(Buffer.from('x'));
    r.destroy(new Error('socket hang up'));
    await expect(read).rejects.toThrow('socket hang up');
  });

  it('rejects when the stream closes before its end', async () => {
    const r = new Readable({ read() {} });
    const read = readBytesCapped(asBody(r), 100);
    r.push(Buffer.from('x'));
    r.destroy();
    await expect(read).rejects.toMatchObject({ code: 'ERR_STREAM_PREMATURE_CLOSE' });
  });

  it('rejects at once for a stream already failed', async () => {
    const r = new Readable({ read() {} });
    r.on('error', () => {});
    r.destroy(new Error('gone'));
    await expect(readBytesCapped(asBody(r), 100)).rejects.toThrow('gone');
  });
});

import type { IncomingMessage } from 'node:http';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { BodyReadError, parseStrictJson, plainBodyLength, readJsonBody } from './read-json-body.js';

const reqWith = (headers: Record<string, string>) => ({ headers }) as unknown as IncomingMessage;

describe('plainBodyLength', () => {
  const json = { 'content-type': 'application/json', 'content-length': '10' };
  it('takes plain identity UTF-8 bodies within the limit', () => {
    expect(plainBodyLength(reqWith(json), 100)).toBe(10);
    expect(plainBodyLength(reqWith({ ...json, 'content-type': 'application/json; charset=UTF-8' }), 100)).toBe(10);
    expect(plainBodyLength(reqWith({ ...json, 'content-encoding': 'identity' }), 100)).toBe(10);
  });
  it('leaves everything else to express.json', () => {
    expect(plainBodyLength(reqWith(json), 9)).toBeUndefined(); // 413 comes from body-parser
    expect(plainBodyLength(reqWith({ ...json, 'content-encoding': 'gzip' }), 100)).toBeUndefined();
    expect(plainBodyLength(reqWith({ ...json, 'content-type': 'application/json; charset=latin1' }), 100)).toBe(
      undefined,
    );
    expect(plainBodyLength(reqWith({ 'content-type': 'application/json', 'transfer-encoding': 'chunked' }), 100)).toBe(
      undefined,
    );
    expect(plainBodyLength(reqWith({ 'content-type': 'application/json' }), 100)).toBeUndefined();
  });
});

describe('parseStrictJson', () => {
  it('parses objects and arrays, strips a BOM, treats empty as {}', () => {
    expect(parseStrictJson(' {"a":1}')).toEqual({ a: 1 });
    expect(parseStrictJson('\ufeff[1]')).toEqual([1]);
    expect(parseStrictJson('')).toEqual({});
  });
  it('refuses top-level scalars and broken JSON as entity.parse.failed', () => {
    for (const bad of ['"x"', '1', 'null', '{"a":', 'nope']) {
      expect(() => parseStrictJson(bad)).toThrow(BodyReadError);
      try {
        parseStrictJson(bad);
      } catch (e) {
        expect((e as BodyReadError).type).toBe('entity.parse.failed');
        expect((e as BodyReadError).status).toBe(400);
      }
    }
  });
});

describe('readJsonBody', () => {
  it('concatenates chunks split inside a multi-byte character', async () => {
    const bytes = Buffer.from('{"m":"héllo"}');
    const s = new PassThrough();
    const p = readJsonBody(s as unknown as IncomingMessage, bytes.length);
    s.write(bytes.subarray(0, 8)); // splits the 2-byte é
    s.end(bytes.subarray(8));
    expect(await p).toEqual({ m: 'héllo' });
  });
  it('rejects as request.aborted when the stream closes early', async () => {
    const s = new PassThrough();
    const p = readJsonBody(s as unknown as IncomingMessage, 100);
    s.write('{"a"');
    s.destroy();
    await expect(p).rejects.toMatchObject({ type: 'request.aborted', status: 400 });
  });
});

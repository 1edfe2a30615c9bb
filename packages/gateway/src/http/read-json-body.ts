// Hot-path JSON body reader for the API POSTs: one Buffer concat and one JSON.parse, no body-parser machinery.
// It takes only the plain case — identity encoding, a Content-Length within the limit, UTF-8 (or no) charset — and
// otherwise says "not mine" so the caller falls back to express.json, which owns compressed, chunked, oversized
// and other-charset bodies. Its failures carry body-parser's `type` and `status`, so the same error handler
// answers them in the same formats.
import { isUtf8 } from 'node:buffer';
import type { IncomingMessage } from 'node:http';

/** Shaped like body-parser's errors (http-errors): `type` and `status` are what bodyErrorHandler reads. */
export class BodyReadError extends Error {
  constructor(
    readonly type: 'entity.parse.failed' | 'request.aborted' | typeof INVALID_UTF8,
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'BodyReadError';
  }
}

/** Error `type` of a body that is not valid UTF-8 (both readers; the error handler answers 400). */
export const INVALID_UTF8 = 'entity.invalid_utf8';

/**
 * Bytes of a UTF-8 body → text, refusing invalid UTF-8: silently replacing bad bytes with U+FFFD would forward
 * (and bill) a prompt other than the one sent.
 */
export function decodeUtf8Body(buf: Buffer): string {
  if (!isUtf8(buf)) throw new BodyReadError(INVALID_UTF8, 400, 'body is not valid UTF-8');
  return buf.toString('utf8');
}

/** express.json `verify` hook: the same UTF-8 check for bodies the fast reader does not take (gzip, chunked). */
export function verifyUtf8(_req: unknown, _res: unknown, buf: Buffer, encoding: string | null): void {
  if (encoding !== null && encoding.toLowerCase().replace('-', '') !== 'utf8') return;
  decodeUtf8Body(buf);
}

const UTF8_CHARSET = /;\s*charset\s*=\s*"?utf-8"?\s*(;|$)/i;

/** The byte length this reader will take, or undefined when the request must go to express.json. */
export function plainBodyLength(req: IncomingMessage, limit: number): number | undefined {
  const h = req.headers;
  if (h['transfer-encoding'] !== undefined) return undefined;
  const enc = h['content-encoding'];
  if (enc !== undefined && enc.toLowerCase() !== 'identity') return undefined;
  const ct = h['content-type'] ?? '';
  if (ct.includes('charset') && !UTF8_CHARSET.test(ct)) return undefined;
  const raw = h['content-length'];
  if (raw === undefined || !/^\d+$/.test(raw)) return undefined;
  const length = Number(raw);
  return length <= limit ? length : undefined;
}

/** JSON text → value with body-parser's `strict` rules: empty is `{}`, only an object or array at the top. */
export function parseStrictJson(text: string): unknown {
  const s = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text; // iconv (body-parser) strips a UTF-8 BOM
  if (s.length === 0) return {};
  let i = 0;
  for (let c = s.charCodeAt(0); c === 32 || c === 9 || c === 10 || c === 13; c = s.charCodeAt(++i));
  const first = s.charCodeAt(i); // NaN past the end (all whitespace)
  if (first !== 0x7b && first !== 0x5b)
    throw new BodyReadError('entity.parse.failed', 400, 'body is not a JSON object');
  try {
    return JSON.parse(s);
  } catch {
    throw new BodyReadError('entity.parse.failed', 400, 'body is not valid JSON');
  }
}

/** Reads exactly the announced bytes (Node's parser enforces Content-Length) and parses them. */
export function readJsonBody(req: IncomingMessage, length: number): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let received = 0;
    let done = false;
    const finish = (err?: Error) => {
      if (done) return;
      done = true;
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onAbort);
      req.off('close', onAbort);
      if (err) {
        reject(err);
        return;
      }
      try {
        const buf = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, received);
        resolve(parseStrictJson(decodeUtf8Body(buf)));
      } catch (e) {
        reject(e);
      }
    };
    const onData = (chunk: Buffer) => {
      chunks.push(chunk);
      received += chunk.length;
    };
    const onEnd = () =>
      finish(received === length ? undefined : new BodyReadError('request.aborted', 400, 'request size mismatch'));
    const onAbort = () => finish(new BodyReadError('request.aborted', 400, 'request aborted'));
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onAbort);
    req.on('close', onAbort);
  });
}

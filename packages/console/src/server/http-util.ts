// Small node:http helpers of the console handler: JSON errors in the admin API's format, bounded bodies, cookies.
import type { IncomingMessage, ServerResponse } from 'node:http';

export const BODY_LIMIT = 64 * 1024;

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers });
  res.end(JSON.stringify(body));
}

/** The admin API's error shape, so the page reads every failure the same way. */
export function sendError(
  res: ServerResponse,
  status: number,
  code: string,
  message: string,
  headers: Record<string, string> = {},
) {
  sendJson(res, status, { error: { message, type: 'invalid_request_error', param: null, code } }, headers);
}

export class BodyTooLarge extends Error {}

/** The request body, refused past `limit` bytes (the stream is not read further). */
export async function readBody(req: IncomingMessage, limit = BODY_LIMIT): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new BodyTooLarge();
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

export function cookieValue(req: IncomingMessage, name: string): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

export function isHttps(req: IncomingMessage): boolean {
  const encrypted = (req.socket as { encrypted?: boolean }).encrypted === true;
  return encrypted || req.headers['x-forwarded-proto'] === 'https';
}

/** The origin this request was sent to, as a browser on this page would write it in `Origin`. */
export function ownOrigin(req: IncomingMessage): string {
  return `${isHttps(req) ? 'https' : 'http'}://${req.headers.host ?? ''}`;
}

export interface CookieOptions {
  path: string;
  maxAgeSec: number;
  secure: boolean;
}

export function sessionCookie(name: string, value: string, o: CookieOptions): string {
  const attrs = [`${name}=${value}`, `Path=${o.path}`, `Max-Age=${o.maxAgeSec}`, 'HttpOnly', 'SameSite=Strict'];
  if (o.secure) attrs.push('Secure');
  return attrs.join('; ');
}

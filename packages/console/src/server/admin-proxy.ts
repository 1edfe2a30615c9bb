// /ui/api/* → the public admin API (/admin/*), with the session swapped for the admin token. The console page
// speaks only the admin API through here, so the same page works against any gateway's /admin.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendError } from './http-util.js';

export const PROXY_TIMEOUT_MS = 30_000;
const PASS_HEADERS = ['content-type', 'content-disposition'];

/** Where the admin API lives: a fixed base URL, or (default) the server that received this request. */
export type AdminBase = string | ((req: IncomingMessage) => string);

export function sameServerAdmin(req: IncomingMessage): string {
  let addr = req.socket.localAddress ?? '127.0.0.1';
  if (addr.startsWith('::ffff:') && addr.includes('.')) addr = addr.slice(7); // IPv4-mapped
  return `http://${addr.includes(':') ? `[${addr}]` : addr}:${req.socket.localPort}/admin`;
}

export async function forwardToAdmin(
  req: IncomingMessage,
  res: ServerResponse,
  o: { base: AdminBase; token: string; path: string; body: Buffer | undefined },
): Promise<void> {
  const base = typeof o.base === 'function' ? o.base(req) : o.base;
  const headers: Record<string, string> = { authorization: `Bearer ${o.token}` };
  const type = req.headers['content-type'];
  if (o.body && type) headers['content-type'] = type;
  let upstream: Response;
  try {
    upstream = await fetch(`${base.replace(/\/$/, '')}${o.path}`, {
      method: req.method ?? 'GET',
      headers,
      ...(o.body && o.body.length > 0 && { body: o.body }),
      signal: AbortSignal.timeout(PROXY_TIMEOUT_MS),
    });
  } catch {
    sendError(res, 502, 'admin_unreachable', 'The admin API could not be reached. Is the gateway running?');
    return;
  }
  const out: Record<string, string> = { 'cache-control': 'no-store' };
  for (const h of PASS_HEADERS) {
    const v = upstream.headers.get(h);
    if (v) out[h] = v;
  }
  const body = Buffer.from(await upstream.arrayBuffer());
  res.writeHead(upstream.status, out);
  res.end(body);
}

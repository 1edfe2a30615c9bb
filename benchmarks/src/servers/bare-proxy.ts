// The floor for any Node proxy: node:http in, one undici keep-alive Pool out, bodies streamed both ways,
// no parsing. Whatever a real gateway adds on top of this is its own work.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { pipeline } from 'node:stream';
import { Pool } from 'undici';

// undici rejects hop-by-hop request headers; they are per-connection anyway.
const HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'proxy-connection', 'host', 'expect']);

function forwardable(headers: IncomingHttpHeaders | Record<string, string | string[] | undefined>) {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(headers)) if (v !== undefined && !HOP.has(k)) out[k] = v;
  return out;
}

export function createBareProxy(upstreamOrigin: string): { server: Server; close(): Promise<void> } {
  const pool = new Pool(upstreamOrigin, { connections: 256 });
  const server = createServer((req, res) => {
    const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
    pool.request(
      {
        path: req.url ?? '/',
        method: req.method as 'POST',
        headers: forwardable(req.headers),
        body: hasBody ? req : null,
      },
      (err, data) => {
        if (err) {
          if (!res.headersSent) res.writeHead(502, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ error: { message: 'bad gateway', type: 'upstream_error' } }));
          return;
        }
        res.writeHead(data.statusCode, forwardable(data.headers));
        pipeline(data.body, res, () => {});
      },
    );
  });
  server.keepAliveTimeout = 60_000;
  return {
    server,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await pool.close();
    },
  };
}

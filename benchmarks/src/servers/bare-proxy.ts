// The floor for any Node proxy: node:http in, one undici keep-alive Pool out, bodies streamed both ways,
// no parsing. Whatever a real gateway adds on top of this is its own work.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
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
    // `stream` writes the upstream body straight into `res` (no intermediate Readable).
    pool.stream(
      {
        path: req.url ?? '/',
        method: req.method as 'POST',
        headers: forwardable(req.headers),
        body: hasBody ? req : null,
      },
      ({ statusCode, headers }) => {
        res.writeHead(statusCode, forwardable(headers));
        return res;
      },
      (err) => {
        if (!err) return;
        if (res.headersSent) res.destroy(err);
        else {
          res.writeHead(502, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ error: { message: 'bad gateway', type: 'upstream_error' } }));
        }
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

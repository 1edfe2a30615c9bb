// Standalone server: bind, and shut down gracefully — stop accepting, let in-flight requests (streams included)
// finish, then close. A hard deadline bounds the wait.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { GatewayConfig } from '../config/config-schema.js';
import { createGateway, type GatewayApp, type GatewayOptions } from './create-gateway.js';

export interface RunningGateway {
  url: string;
  server: Server;
  app: GatewayApp;
  /** Graceful: resolves when every in-flight request has finished (or `graceMs` passed). */
  close(graceMs?: number): Promise<void>;
}

export interface ListenOptions {
  host?: string;
  port?: number;
  /** Time a client may take to send its request headers (slowloris guard). Default 30 s. */
  headersTimeoutMs?: number;
  /** Time a client may take to send its whole request, body included. Default 120 s. */
  requestTimeoutMs?: number;
}

export async function listen(
  config: GatewayConfig,
  options: GatewayOptions & ListenOptions = {},
): Promise<RunningGateway> {
  const app = createGateway(config, options);
  // Both bound only how long RECEIVING a request may take; a long streamed response is unaffected. (Node derives
  // headersTimeout from requestTimeout, so `requestTimeout: 0` had switched the slowloris guard off entirely.)
  const headersTimeout = options.headersTimeoutMs ?? 30_000;
  const server = createServer(
    {
      keepAliveTimeout: 5_000,
      headersTimeout,
      requestTimeout: Math.max(options.requestTimeoutMs ?? 120_000, headersTimeout),
      connectionsCheckingInterval: Math.min(5_000, headersTimeout),
    },
    // The API POSTs take the node:http fast path; everything else (and every unusual body) is the Express app's.
    (req, res) => {
      if (!app.switchyard.serveApi(req, res)) app(req, res);
    },
  );
  const host = options.host ?? config.server.host;
  const port = options.port ?? config.server.port;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const addr = server.address() as AddressInfo;
  const shownHost = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  let closing: Promise<void> | undefined;

  return {
    url: `http://${shownHost}:${addr.port}`,
    server,
    app,
    close(graceMs = 30_000) {
      closing ??= new Promise<void>((resolve) => {
        app.switchyard.drain();
        const hard = setTimeout(() => server.closeAllConnections(), graceMs);
        hard.unref();
        // Idle keep-alive sockets would hold close() open; busy ones close after their response.
        const idle = setInterval(() => server.closeIdleConnections(), 100);
        idle.unref();
        server.close(() => {
          clearTimeout(hard);
          clearInterval(idle);
          void app.switchyard.close().finally(resolve);
        });
        server.closeIdleConnections();
      });
      return closing;
    },
  };
}

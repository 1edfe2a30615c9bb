// Loopback listeners for the security suites: a canary that records every connection (proof that nothing was
// called that should not be), and a raw sink that keeps every byte posted to it (an OTLP endpoint to grep).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Listener {
  url: string;
  port: number;
  /** Connections accepted so far. */
  connections(): number;
  /** Raw request bodies received, concatenated. */
  bytes(): Buffer;
  close(): Promise<void>;
}

export async function startListener(): Promise<Listener> {
  let connections = 0;
  const bodies: Buffer[] = [];
  const server: Server = createServer((req, res) => {
    req.on('data', (c: Buffer) => bodies.push(c));
    req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end('{}'));
  });
  server.on('connection', () => {
    connections++;
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    connections: () => connections,
    bytes: () => Buffer.concat(bodies),
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

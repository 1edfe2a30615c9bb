// A local webhook receiver (node:http on 127.0.0.1, port 0) that records every delivery and checks its signature.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { DELIVERY_ID_HEADER, SIGNATURE_HEADER, verifySignature } from '../../src/alerts/index.js';

export interface Received {
  deliveryId: string;
  signatureOk: boolean;
  body: string;
  event: { id: string; type: string; created_at: string; data: Record<string, unknown> };
}

/** What to do with the n-th request (0-based): a status to answer, or `hang` (never answer). */
export type Behaviour = (n: number) => number | 'hang';

export interface Receiver {
  url: string;
  received: Received[];
  /** requests seen and not answered (hanging) */
  hanging(): number;
  close(): Promise<void>;
}

export async function startReceiver(secret: string, behaviour: Behaviour = () => 200): Promise<Receiver> {
  const received: Received[] = [];
  let hanging = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const n = received.length;
      received.push({
        deliveryId: String(req.headers[DELIVERY_ID_HEADER] ?? ''),
        signatureOk: verifySignature(secret, req.headers[SIGNATURE_HEADER] as string | undefined, body),
        body,
        event: JSON.parse(body),
      });
      const what = behaviour(n);
      if (what === 'hang') {
        hanging++;
        return;
      }
      res.writeHead(what, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    received,
    hanging: () => hanging,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

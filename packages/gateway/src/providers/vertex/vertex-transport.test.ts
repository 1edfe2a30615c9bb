// The Vertex transport's token sources against the simulator's JWT check: a service-account JSON file path
// (token cached across requests) and Application Default Credentials from GOOGLE_APPLICATION_CREDENTIALS.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Simulator, startSimulator, vertexTestServiceAccount } from '@switchyard/simulators';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HttpRequestSpec, ProviderTransport } from '../provider-adapter.js';
import { createVertexTransport } from './vertex-transport.js';

let sim: Simulator;
let dir: string;
let saFile: string;
const savedAdc = process.env.GOOGLE_APPLICATION_CREDENTIALS;

const spec = (): HttpRequestSpec => ({
  method: 'POST',
  url: `${sim.url}/v1/projects/p/locations/us-central1/publishers/google/models/gemini-2.5-flash:generateContent`,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ contents: [{ role: 'user', parts: [{ text: 'hi' }] }] }),
});

async function send(t: ProviderTransport): Promise<{ status: number; auth: string }> {
  const s = await t.prepare(spec());
  const res = await fetch(s.url, { method: 'POST', headers: s.headers, body: s.body ?? null });
  await res.text();
  return { status: res.status, auth: s.headers.authorization ?? '' };
}

beforeAll(async () => {
  sim = await startSimulator({ provider: 'vertex' });
  dir = await mkdtemp(join(tmpdir(), 'sy-gcp-'));
  saFile = join(dir, 'sa.json');
  await writeFile(saFile, JSON.stringify(vertexTestServiceAccount()));
});
afterAll(async () => {
  if (savedAdc === undefined) delete process.env.GOOGLE_APPLICATION_CREDENTIALS;
  else process.env.GOOGLE_APPLICATION_CREDENTIALS = savedAdc;
  await sim.close();
  await rm(dir, { recursive: true, force: true });
});

describe('vertex transport tokens', () => {
  it('service-account JSON from a file path: accepted, and the same cached token on the next request', async () => {
    const t = createVertexTransport({ credentials: saFile });
    const a = await send(t);
    const b = await send(t);
    expect(a.status).toBe(200);
    expect(b.status).toBe(200);
    expect(a.auth).toMatch(/^Bearer ey/);
    expect(b.auth).toBe(a.auth);
  });

  it('Application Default Credentials (GOOGLE_APPLICATION_CREDENTIALS)', async () => {
    process.env.GOOGLE_APPLICATION_CREDENTIALS = saFile;
    expect((await send(createVertexTransport({}))).status).toBe(200);
  });

  it('an unreadable credentials file is an auth error', async () => {
    const err = await createVertexTransport({ credentials: join(dir, 'missing.json') })
      .prepare(spec())
      .then(
        () => undefined,
        (e: unknown) => e as { status?: number },
      );
    expect(err?.status).toBe(401);
  });
});

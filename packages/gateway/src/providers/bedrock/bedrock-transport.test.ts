// The Bedrock transport's credential sources against the simulator's SigV4 check: environment, a profile of the
// shared credentials file, and none at all (an `auth` error without the chain's words).
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BEDROCK_TEST_CREDENTIALS, type Simulator, startSimulator } from '@switchyard/simulators';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { HttpRequestSpec } from '../provider-adapter.js';
import { createBedrockTransport } from './bedrock-transport.js';

const VARS = [
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_PROFILE',
  'AWS_SHARED_CREDENTIALS_FILE',
  'AWS_CONFIG_FILE',
  'AWS_EC2_METADATA_DISABLED',
  'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI',
  'AWS_CONTAINER_CREDENTIALS_FULL_URI',
  'AWS_WEB_IDENTITY_TOKEN_FILE',
];
const saved = Object.fromEntries(VARS.map((v) => [v, process.env[v]]));
let sim: Simulator;
let dir: string;

function clearAwsEnv(): void {
  for (const v of VARS) delete process.env[v];
  process.env.AWS_EC2_METADATA_DISABLED = 'true'; // never reach for instance metadata in a test
  process.env.AWS_CONFIG_FILE = join(dir, 'no-config');
  process.env.AWS_SHARED_CREDENTIALS_FILE = join(dir, 'no-credentials');
}

const spec = (): HttpRequestSpec => ({
  method: 'POST',
  url: `${sim.url}/model/${encodeURIComponent('amazon.nova-lite-v1:0')}/converse`,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ messages: [{ role: 'user', content: [{ text: 'hi' }] }] }),
});

async function send(transport: ReturnType<typeof createBedrockTransport>): Promise<number> {
  const signed = await transport.prepare(spec());
  const { host: _host, ...headers } = signed.headers;
  const res = await fetch(signed.url, { method: 'POST', headers, body: signed.body ?? null });
  await res.text();
  return res.status;
}

beforeAll(async () => {
  sim = await startSimulator({ provider: 'bedrock' });
  dir = await mkdtemp(join(tmpdir(), 'sy-aws-'));
});
afterEach(() => {
  for (const v of VARS) {
    if (saved[v] === undefined) delete process.env[v];
    else process.env[v] = saved[v];
  }
});
afterAll(async () => {
  await sim.close();
  await rm(dir, { recursive: true, force: true });
});

describe('bedrock transport credentials', () => {
  it('from the environment (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY)', async () => {
    clearAwsEnv();
    process.env.AWS_ACCESS_KEY_ID = BEDROCK_TEST_CREDENTIALS.accessKeyId;
    process.env.AWS_SECRET_ACCESS_KEY = BEDROCK_TEST_CREDENTIALS.secretAccessKey;
    expect(await send(createBedrockTransport({ region: 'us-east-1' }))).toBe(200);
  });

  it('from a profile of the shared credentials file; a wrong secret there is a 403', async () => {
    clearAwsEnv();
    const file = join(dir, 'credentials');
    await writeFile(
      file,
      `[sim]\naws_access_key_id = ${BEDROCK_TEST_CREDENTIALS.accessKeyId}\naws_secret_access_key = ${BEDROCK_TEST_CREDENTIALS.secretAccessKey}\n` +
        `[stale]\naws_access_key_id = ${BEDROCK_TEST_CREDENTIALS.accessKeyId}\naws_secret_access_key = not-it\n`,
    );
    process.env.AWS_SHARED_CREDENTIALS_FILE = file;
    expect(await send(createBedrockTransport({ region: 'eu-west-1', profile: 'sim' }))).toBe(200);
    expect(await send(createBedrockTransport({ region: 'eu-west-1', profile: 'stale' }))).toBe(403);
  });

  it('none anywhere: prepare fails as a 401-shaped auth error, without the provider chain’s text', async () => {
    clearAwsEnv();
    const err = await createBedrockTransport({ region: 'us-east-1' })
      .prepare(spec())
      .then(
        () => undefined,
        (e: unknown) => e as { status?: number; message?: string },
      );
    expect(err?.status).toBe(401);
    expect(err?.message).toBe('AWS credentials could not be loaded');
  });

  it('a Bedrock API key (bearer) is sent unsigned', async () => {
    const s = { ...spec(), headers: { ...spec().headers, authorization: 'Bearer br-key' } };
    const out = await createBedrockTransport({ region: 'us-east-1', ...BEDROCK_TEST_CREDENTIALS }).prepare(s);
    expect(out.headers.authorization).toBe('Bearer br-key');
    expect(out.headers['x-amz-date']).toBeUndefined();
  });
});

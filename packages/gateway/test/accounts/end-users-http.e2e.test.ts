// End-user limits through the real HTTP gateway: the end user named by Anthropic's metadata.user_id, OpenAI's
// `user` or x-switchyard-end-user is one and the same within its team; its refusal comes in the API's own error
// format and names only that end user's limit.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type AllSimulators, startAllSimulators } from '@switchyard/simulators';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Accounts, createAccounts } from '../../src/accounts/index.js';
import { listen, type RunningGateway } from '../../src/http/listen.js';
import { priceSourceFor } from '../../src/pipeline/create-deps.js';
import { silentLog, simConfig, UPSTREAM_KEY } from '../helpers.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'sy-eu-http-'));
let sims: AllSimulators;
let gw: RunningGateway;
let accounts: Accounts;
let secret = '';

beforeAll(async () => {
  sims = await startAllSimulators({ apiKey: UPSTREAM_KEY });
  const config = simConfig(sims);
  const priceSource = priceSourceFor(config);
  accounts = await createAccounts({ store: `sqlite:${path.join(dir, 'eu.db')}`, priceSource });
  const team = await accounts.service.createTeam({
    name: 'http',
    creditsNanos: 10_000_000_000n,
    endUserLimits: { budgets: {}, rpm: 1 },
  });
  secret = (await accounts.service.createKey({ name: 'web', teamId: team.id })).secret;
  gw = await listen(config, { admission: accounts.admission, priceSource, log: silentLog });
}, 60_000);
afterAll(async () => {
  await gw?.close(2_000);
  await sims?.close();
  await accounts?.close();
  rmSync(dir, { recursive: true, force: true });
});

const post = async (p: string, body: unknown, headers: Record<string, string> = {}) => {
  const res = await fetch(`${gw.url}${p}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(20_000),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown>, headers: res.headers };
};
const messages = (user?: string) =>
  post('/v1/messages', {
    model: 'anthropic/claude-sonnet-4-5',
    max_tokens: 16,
    messages: [{ role: 'user', content: 'hi' }],
    ...(user !== undefined && { metadata: { user_id: user } }),
  });
const chat = (user?: string, headers: Record<string, string> = {}) =>
  post(
    '/v1/chat/completions',
    { model: 'openai/gpt-4o-mini', max_tokens: 16, messages: [{ role: 'user', content: 'hi' }], ...(user && { user }) },
    headers,
  );

describe('end-user rpm over HTTP', () => {
  it('Anthropic: the second call of one end user is a 429 in Anthropic format; others and anonymous pass', async () => {
    expect((await messages('u-anthropic')).status).toBe(200);
    const refused = await messages('u-anthropic');
    expect(refused.status).toBe(429);
    expect(refused.json).toEqual({
      type: 'error',
      error: {
        type: 'rate_limit_error',
        message: 'Rate limit reached for requests per minute (RPM) for this end user.',
      },
    });
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await messages('u-other')).status).toBe(200);
    expect((await messages()).status).toBe(200);
    expect((await messages()).status).toBe(200);
  }, 60_000);

  it('OpenAI: the same end user via `user` or the header is refused in OpenAI format, naming the user param', async () => {
    expect((await chat('u-openai')).status).toBe(200);
    const refused = await chat(undefined, { 'x-switchyard-end-user': 'u-openai' });
    expect(refused.status).toBe(429);
    expect(refused.json).toEqual({
      error: {
        type: 'requests',
        code: 'rate_limit_exceeded',
        param: 'user',
        message: 'Rate limit reached for requests per minute (RPM) for this end user.',
      },
    });
    const tooLong = await chat('x'.repeat(257));
    expect(tooLong.status).toBe(400);
    expect((tooLong.json.error as { code: string }).code).toBe('invalid_end_user');
  }, 60_000);
});

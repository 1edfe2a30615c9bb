// Engine behaviour shared by every provider: timing, hang/close, fail_first_n, aborts, the request log.
import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { startAllSimulators, startSimulator } from './server.js';
import type { Scenario, Simulator } from './types.js';

const opened: Simulator[] = [];
async function sim(scenario?: Scenario): Promise<Simulator> {
  const s = await startSimulator({ provider: 'openai', scenario });
  opened.push(s);
  return s;
}
afterEach(async () => {
  await Promise.all(opened.splice(0).map((s) => s.close()));
});

const chatBody = (extra: Record<string, unknown> = {}) =>
  JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }], ...extra });
function post(s: Simulator, scenario?: Scenario | string, extra: Record<string, unknown> = {}, signal?: AbortSignal) {
  const headers: Record<string, string> = {
    authorization: 'Bearer sk-secret-value',
    'content-type': 'application/json',
  };
  if (scenario !== undefined)
    headers['x-sim-scenario'] = typeof scenario === 'string' ? scenario : JSON.stringify(scenario);
  return fetch(`${s.url}/v1/chat/completions`, { method: 'POST', headers, body: chatBody(extra), signal });
}
async function until(cond: () => boolean, ms = 2000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}
const handles = () =>
  process.getActiveResourcesInfo().filter((h) => h === 'TCPSocketWrap' || h === 'TCPServerWrap' || h === 'Timeout');

describe('simulator engine', () => {
  it('hang never answers; close() resolves fast and leaves no socket, server or timer behind', async () => {
    const before = handles().length;
    const s = await startSimulator({ provider: 'openai' });
    const pending = post(s, 'hang').catch((e: unknown) => e);
    const stalled = post(s, { fault: { kind: 'hang', afterChunks: 1 } }, { stream: true }).then(
      (r) => r.text().catch((e: unknown) => e),
      (e: unknown) => e,
    );
    await until(() => s.stats.inFlight === 2);
    const t0 = performance.now();
    await s.close();
    expect(performance.now() - t0).toBeLessThan(200);
    expect(await pending).toBeInstanceOf(Error);
    expect(await stalled).toBeInstanceOf(Error);
    await new Promise((r) => setTimeout(r, 20));
    expect(handles().length).toBeLessThanOrEqual(before);
  });

  it('close() also interrupts latency sleeps and slow streams', async () => {
    const s = await startSimulator({ provider: 'openai', scenario: { latencyMs: 60_000 } });
    const p = post(s).catch((e: unknown) => e);
    await until(() => s.stats.inFlight === 1);
    const t0 = performance.now();
    await s.close();
    expect(performance.now() - t0).toBeLessThan(200);
    expect(await p).toBeInstanceOf(Error);
  });

  it('fail_first_n fails the first N requests per scenarioKey, then succeeds; reset() re-arms', async () => {
    const s = await sim();
    const scenario: Scenario = { scenarioKey: 'a', fault: { kind: 'fail_first_n', n: 2 } };
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await post(s, scenario)).status);
    expect(statuses).toEqual([503, 503, 200, 200]);
    expect((await post(s, { ...scenario, scenarioKey: 'b' })).status).toBe(503);
    s.reset();
    expect((await post(s, scenario)).status).toBe(503);
  });

  it('fail_first_n + SDK retries: the SDK honours retry-after-ms and succeeds on the third attempt', async () => {
    const s = await sim({
      scenarioKey: 'retry',
      fault: { kind: 'fail_first_n', n: 2, fault: { kind: 'status', status: 429, retryAfterMs: 1 } },
    });
    const client = new OpenAI({ apiKey: 'k', baseURL: `${s.url}/v1`, maxRetries: 2 });
    const r = await client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] });
    expect(r.choices[0]?.finish_reason).toBe('stop');
    expect(s.requests.map((e) => e.headers['x-stainless-retry-count'])).toEqual(['0', '1', '2']);
  });

  it('latencyMs delays headers; ttftMs and chunkDelayMs pace the stream', async () => {
    const s = await sim();
    let t0 = performance.now();
    await (await post(s, { latencyMs: 80 })).text();
    expect(performance.now() - t0).toBeGreaterThanOrEqual(75);
    t0 = performance.now();
    const res = await post(s, { ttftMs: 300, chunkDelayMs: 20, outputTokens: 3 }, { stream: true });
    const headersAt = performance.now() - t0;
    await res.text();
    const total = performance.now() - t0;
    expect(headersAt).toBeLessThan(200); // headers flushed well before the first event
    expect(total).toBeGreaterThanOrEqual(300 + 20 * 5 - 5); // 6 events: role, 3 words, finish, [DONE]
  });

  it('slow_drip sends the body byte by byte and it still parses', async () => {
    const s = await sim();
    const t0 = performance.now();
    const res = await fetch(`${s.url}/v1/models/gpt-4o`, {
      headers: { authorization: 'Bearer k', 'x-sim-scenario': '{"fault":{"kind":"slow_drip","byteDelayMs":2}}' },
    });
    const reader = res.body!.getReader();
    let reads = 0;
    let text = '';
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      reads++;
      text += new TextDecoder().decode(value);
    }
    expect(reads).toBeGreaterThan(50);
    expect(JSON.parse(text)).toMatchObject({ id: 'gpt-4o', object: 'model' });
    expect(performance.now() - t0).toBeGreaterThan(2 * (reads - 1));
  });

  it('counts a client abort mid-stream (proves a caller cancelled the upstream call)', async () => {
    const s = await sim();
    const ac = new AbortController();
    const res = await post(s, { chunkDelayMs: 50, outputTokens: 50 }, { stream: true }, ac.signal);
    const reader = res.body!.getReader();
    await reader.read();
    ac.abort();
    await until(() => s.stats.inFlight === 0);
    expect(s.stats).toMatchObject({ requests: 1, aborted: 1, completed: 0 });
  });

  it('request log: method, path, parsed body, secrets redacted, bounded by logLimit', async () => {
    const s = await startSimulator({ provider: 'openai', logLimit: 2 });
    opened.push(s);
    for (let i = 0; i < 3; i++) await (await post(s, undefined, { n: i })).text();
    expect(s.requests).toHaveLength(2);
    expect(s.requests[0]).toMatchObject({ seq: 2, method: 'POST', path: '/v1/chat/completions', body: { n: 1 } });
    expect(s.requests[0]?.headers.authorization).toBe('[redacted]');
    expect(JSON.stringify(s.requests)).not.toContain('sk-secret-value');
    expect(s.stats.completed).toBe(3);
  });

  it('server scenario applies; header merges over it; setScenario replaces it; bad header → 400', async () => {
    const s = await sim({ outputTokens: 2 });
    const words = async (sc?: Scenario | string) =>
      ((await (await post(s, sc)).json()) as { usage: { completion_tokens: number } }).usage.completion_tokens;
    expect(await words()).toBe(2);
    expect(await words({ outputTokens: 5 })).toBe(5);
    s.setScenario({ outputTokens: 3 });
    expect(await words()).toBe(3);
    expect(await words({ preset: 'reasoning', outputTokens: 1 })).toBe(33);
    const bad = await post(s, '{not json');
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toContain('x-sim-scenario');
    expect((await post(s, 'no_such_preset')).status).toBe(400);
  });

  it('startAllSimulators starts the three providers on distinct ports and closes them', async () => {
    const all = await startAllSimulators();
    expect(new Set([all.openai.port, all.anthropic.port, all.gemini.port]).size).toBe(3);
    expect([all.openai.provider, all.anthropic.provider, all.gemini.provider]).toEqual([
      'openai',
      'anthropic',
      'gemini',
    ]);
    await all.close();
    await expect(fetch(`${all.openai.url}/v1/models`)).rejects.toThrow();
  });
});

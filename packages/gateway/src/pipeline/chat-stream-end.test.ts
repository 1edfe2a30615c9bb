// How a same-format OpenAI stream may end: [DONE] (complete), no [DONE] after a finish_reason or the usage chunk
// (complete: some OpenAI-compatible servers omit it), or a body that simply stops mid-answer (interrupted: one
// error event, no [DONE], the attempt reported as failed).
import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateConfig } from '../config/load-config.js';
import { listen, type RunningGateway } from '../http/listen.js';
import { chunkEvent as event, startFakeOpenAIUpstream } from './testing/fake-openai-upstream.js';

let upstream: Server;
let gw: RunningGateway;
/** What the observer heard per request: the attempt's outcome and usage, and the request's error class. */
const heard: { attemptError?: string; usage: boolean; requestError?: string }[] = [];

const USAGE = { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 };

/** What the upstream sends per model name; every body ends cleanly (no socket error). */
const BODIES: Record<string, string[]> = {
  done: [event({ content: 'a' }, null), event({}, 'stop'), event({}, null, USAGE), 'data: [DONE]\n\n'],
  'finish-no-done': [event({ content: 'a' }, null), event({}, 'stop')],
  'usage-no-done': [event({ content: 'a' }, null), event({}, null, USAGE)],
  cut: [event({ role: 'assistant', content: '' }, null), event({ content: 'a' }, null), event({ content: 'b' }, null)],
};

beforeAll(async () => {
  const fake = await startFakeOpenAIUpstream((model, res) => {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    for (const e of BODIES[model] ?? []) res.write(e);
    res.end();
  });
  upstream = fake.server;
  const config = validateConfig({
    providers: { up: { kind: 'openai-compatible', apiKey: 'k', baseURL: fake.baseURL } },
    timeouts: { connectMs: 1_000, firstByteMs: 2_000, totalMs: 5_000 },
  });
  gw = await listen(config, {
    log: { warn() {}, error() {} },
    host: '127.0.0.1',
    port: 0,
    observer: {
      requestStarted() {},
      attemptFinished(record) {
        heard.push({
          usage: record.usage !== undefined,
          ...(record.error && { attemptError: record.error.errorClass }),
        });
      },
      requestFinished(_req, summary) {
        const last = heard.at(-1);
        if (last && summary.errorClass) last.requestError = summary.errorClass;
      },
    },
  });
});

afterAll(async () => {
  await gw?.close(1_000);
  await new Promise((r) => upstream?.close(r));
});

async function streamFor(model: string) {
  const res = await fetch(`${gw.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      model: `up/${model}`,
      stream: true,
      stream_options: { include_usage: true },
      messages: [{ role: 'user', content: 'hi' }],
    }),
    signal: AbortSignal.timeout(5_000),
  });
  const data = (await res.text())
    .split('\n\n')
    .filter((e) => e.startsWith('data: '))
    .map((e) => e.slice(6));
  return { status: res.status, data };
}

describe('end of an OpenAI pass-through stream', () => {
  it('[DONE] from upstream: complete, exactly one [DONE] to the client', async () => {
    const { status, data } = await streamFor('done');
    expect(status).toBe(200);
    expect(data.at(-1)).toBe('[DONE]');
    expect(data.filter((d) => d === '[DONE]')).toHaveLength(1);
    expect(data.some((d) => d.includes('"error"'))).toBe(false);
  });

  it.each(['finish-no-done', 'usage-no-done'])('%s: treated as complete, the gateway appends [DONE]', async (m) => {
    const { status, data } = await streamFor(m);
    expect(status).toBe(200);
    expect(data.at(-1)).toBe('[DONE]');
    expect(data.some((d) => d.includes('"error"'))).toBe(false);
  });

  it('a body that stops without [DONE], finish_reason or usage: one stream_interrupted event, no [DONE]', async () => {
    const { status, data } = await streamFor('cut');
    expect(status).toBe(200);
    expect(data.some((d) => d.includes('"content":"b"'))).toBe(true); // what arrived was forwarded
    expect(data).not.toContain('[DONE]');
    const errors = data.filter((d) => d.includes('"error"'));
    expect(errors).toHaveLength(1);
    const last = JSON.parse(data.at(-1) ?? '{}') as { error?: { code?: string; message?: string } };
    expect(last.error?.code).toBe('stream_interrupted');
    expect(last.error?.message).toBe('provider "up" stream ended before completion');
  });

  it('the observer hears the interrupted attempt as failed, and the complete one with its usage', async () => {
    heard.length = 0;
    await streamFor('cut');
    await streamFor('usage-no-done');
    await expect.poll(() => heard.length).toBe(2);
    expect(heard[0]).toMatchObject({ attemptError: 'stream_interrupted', requestError: 'stream_interrupted' });
    expect(heard[1]).toEqual({ usage: true });
  });
});

// Every response of the API endpoints is counted once in switchyard_requests_total, including refusals before a
// route plan exists; and a retried request's backoff sleep is kept out of the overhead histogram.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateConfig } from '../config/load-config.js';
import { GatewayError, type GatewayObserver } from '../pipeline/seams.js';
import { createTelemetry } from '../telemetry/index.js';
import { listen, type RunningGateway } from './listen.js';

type Summary = Parameters<GatewayObserver['requestFinished']>[1];

let upstream: Server;
let upstreamCalls = 0;
let gw: RunningGateway;
const telemetry = await createTelemetry({ metrics: { routes: ['retrying'], defaultMetrics: false } });
const summaries: Summary[] = [];

const completion = {
  id: 'chatcmpl-1',
  object: 'chat.completion',
  created: 1,
  model: 'gpt-4o-mini',
  choices: [{ index: 0, message: { role: 'assistant', content: 'hi' }, finish_reason: 'stop' }],
  usage: { prompt_tokens: 3, completion_tokens: 1, total_tokens: 4 },
};

beforeAll(async () => {
  // Every other call is a 503 asking for a 300 ms pause: the gateway retries after sleeping.
  upstream = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      upstreamCalls++;
      if (upstreamCalls % 2 === 1) {
        res.writeHead(503, { 'content-type': 'application/json', 'retry-after-ms': '300' });
        res.end(JSON.stringify({ error: { message: 'busy', type: 'server_error', code: null } }));
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(completion));
    });
  });
  await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', r));
  const port = (upstream.address() as AddressInfo).port;
  const config = validateConfig({
    providers: { up: { kind: 'openai', apiKey: 'sk-up', baseURL: `http://127.0.0.1:${port}/v1` } },
    routes: { retrying: { targets: ['up/gpt-4o-mini'], retry: { maxAttempts: 2, baseDelayMs: 10, maxDelayMs: 1000 } } },
    limits: { maxBodyBytes: 2048 },
  });
  const observer: GatewayObserver = {
    requestStarted: (r) => telemetry.observer.requestStarted(r),
    attemptFinished: (rec, info) => telemetry.observer.attemptFinished(rec, info),
    requestFinished(r, s) {
      summaries.push(s);
      telemetry.observer.requestFinished(r, s);
    },
  };
  const admission = {
    async admit(req: { clientKey?: string }) {
      if (req.clientKey === 'sk-bad') throw new GatewayError(401, 'invalid_request_error', 'invalid_api_key', 'no');
      return { headers: {}, settle() {}, release() {} };
    },
  };
  gw = await listen(config, { observer, admission, log: { warn() {}, error() {} }, host: '127.0.0.1', port: 0 });
});

afterAll(async () => {
  await gw?.close(1_000);
  await new Promise((r) => upstream?.close(r));
});

async function post(path: string, body: string, headers: Record<string, string> = {}) {
  const res = await fetch(`${gw.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });
  await res.arrayBuffer();
  return res.status;
}

async function count(labels: Record<string, string>): Promise<number> {
  const m = await telemetry.registry.getSingleMetric('switchyard_requests_total')?.get();
  return (m?.values ?? [])
    .filter((v) => Object.entries(labels).every(([k, l]) => v.labels[k] === l))
    .reduce((s, v) => s + v.value, 0);
}

const chat = (model: string) => JSON.stringify({ model, messages: [{ role: 'user', content: 'hi' }] });

describe('request accounting', () => {
  it('counts refusals before a plan exists, each once, with route other and an error class', async () => {
    expect(await post('/v1/chat/completions', '{not json')).toBe(400);
    expect(await post('/v1/chat/completions', JSON.stringify({ model: 'x' }))).toBe(400); // no messages
    expect(await post('/v1/chat/completions', chat('nope/never'))).toBe(404);
    expect(await post('/v1/chat/completions', chat('x'), { 'content-type': 'text/plain' })).toBe(415);
    expect(await post('/v1/embeddings', JSON.stringify({ model: 'x', input: 'y'.repeat(4096) }))).toBe(413);
    expect(await post('/v1/messages', '{"model":')).toBe(400);
    expect(await post('/v1/chat/completions', chat('retrying'), { authorization: 'Bearer sk-bad' })).toBe(401);

    const chatOther = { route: 'other', endpoint: 'chat', status_class: '4xx' };
    expect(await count({ ...chatOther, error_class: 'bad_request' })).toBe(3); // bad JSON, validation, 415
    expect(await count({ ...chatOther, error_class: 'not_found' })).toBe(1);
    expect(await count({ route: 'other', endpoint: 'embeddings', error_class: 'request_too_large' })).toBe(1);
    expect(await count({ route: 'other', endpoint: 'messages', error_class: 'bad_request' })).toBe(1);
    // Admission refusals happen after plan resolution: counted under the route the client named.
    expect(await count({ route: 'retrying', status_class: '4xx', error_class: 'auth' })).toBe(1);
    expect(await count({})).toBe(7);
    expect(upstreamCalls).toBe(0);
    // Unknown paths are not API requests.
    expect(await post('/v1/unknown', '{}')).toBe(404);
    expect(await count({})).toBe(7);
  });

  it('reports the retry backoff as waitMs and keeps it out of overhead', async () => {
    summaries.length = 0;
    // prom-client names histogram series `<name>_count` / `<name>_sum` in metricName (missing from its types).
    const overhead = async (suffix: string) => {
      const m = await telemetry.registry.getSingleMetric('switchyard_gateway_overhead_seconds')?.get();
      const v = (m?.values ?? []) as Array<{ metricName?: string; value: number }>;
      return v.find((x) => x.metricName?.endsWith(suffix))?.value ?? 0;
    };
    const before = await overhead('_count');
    expect(await post('/v1/chat/completions', chat('retrying'))).toBe(200);
    const s = summaries.at(-1);
    expect(s?.attempts.map((a) => a.kind)).toEqual(['primary', 'retry']);
    expect(s?.waitMs).toBeGreaterThanOrEqual(295);
    expect(s!.durationMs - s!.upstreamMs - s!.waitMs!).toBeLessThan(100);
    expect(await overhead('_count')).toBe(before + 1);
    expect(await overhead('_sum')).toBeLessThan(0.1); // the 300 ms sleep is not in it
  });
});

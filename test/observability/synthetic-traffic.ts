// INTERMEDIATE traffic source: drives the real telemetry (observer → prom-client → /metrics on node:http) with
// CallRecords shaped like the pipeline's, until the HTTP shell can serve a real gateway to Prometheus.
import { createServer, type Server } from 'node:http';
import type { CallRecord, ErrorInfo } from '../../packages/core/src/index.js';
import type { AttemptLog, GatewayRequest } from '../../packages/gateway/src/pipeline/seams.js';
import { createTelemetry, type Telemetry } from '../../packages/gateway/src/telemetry/index.js';

const err = (errorClass: ErrorInfo['errorClass'], status?: number): ErrorInfo => ({
  errorClass,
  retryable: true,
  fallbackEligible: true,
  message: errorClass,
  ...(status ? { status } : {}),
});

interface Call {
  route: string;
  endpoint?: GatewayRequest['endpoint'];
  status: number;
  errorClass?: string;
  keyId?: string;
  attempts: Array<{
    kind: AttemptLog['kind'];
    target: string;
    outcome: AttemptLog['outcome'];
    error?: ErrorInfo;
    stream?: boolean;
    unknownPrice?: boolean;
  }>;
}

const KIND: Record<string, CallRecord['provider']> = { openai: 'openai', anthropic: 'anthropic', gemini: 'gemini' };

/** One wave of the mix: success, stream, retry, fallback, hedge, breaker skip, upstream failure, auth error, unknown price. */
export const MIX: Call[] = [
  {
    route: 'fast',
    status: 200,
    keyId: 'key_alpha',
    attempts: [{ kind: 'primary', target: 'openai/gpt-4o', outcome: 'ok' }],
  },
  {
    route: 'fast',
    status: 200,
    keyId: 'key_beta',
    attempts: [{ kind: 'primary', target: 'openai/gpt-4o', outcome: 'ok', stream: true }],
  },
  {
    route: 'fast',
    status: 200,
    keyId: 'key_alpha',
    attempts: [
      { kind: 'primary', target: 'openai/gpt-4o', outcome: 'error', error: err('rate_limited', 429) },
      { kind: 'retry', target: 'openai/gpt-4o', outcome: 'ok' },
    ],
  },
  {
    route: 'smart',
    status: 200,
    keyId: 'key_beta',
    attempts: [
      { kind: 'primary', target: 'anthropic/claude-sonnet-4-5', outcome: 'error', error: err('overloaded', 529) },
      { kind: 'fallback', target: 'gemini/gemini-2.5-flash', outcome: 'ok', stream: true },
    ],
  },
  {
    route: 'smart',
    status: 200,
    keyId: 'key_alpha',
    attempts: [
      { kind: 'skipped', target: 'anthropic/claude-sonnet-4-5', outcome: 'skipped' },
      { kind: 'fallback', target: 'gemini/gemini-2.5-flash', outcome: 'ok' },
    ],
  },
  {
    route: 'hedged',
    status: 200,
    keyId: 'key_beta',
    attempts: [
      { kind: 'primary', target: 'openai/gpt-4o', outcome: 'cancelled' },
      { kind: 'hedge', target: 'openai/gpt-4o-mini', outcome: 'ok' },
    ],
  },
  {
    route: 'fast',
    status: 502,
    errorClass: 'upstream_5xx',
    keyId: 'key_alpha',
    attempts: [{ kind: 'primary', target: 'openai/gpt-4o', outcome: 'error', error: err('upstream_5xx', 502) }],
  },
  {
    route: 'openai/gpt-mystery',
    status: 200,
    keyId: 'key_beta',
    attempts: [{ kind: 'primary', target: 'openai/gpt-mystery', outcome: 'ok', unknownPrice: true }],
  },
  { route: 'fast', status: 401, errorClass: 'auth', attempts: [] },
];

export interface SyntheticGateway {
  telemetry: Telemetry;
  /** `host:port` serving GET /metrics. */
  target: string;
  wave(n: number): void;
  stop(): Promise<void>;
}

export async function startSyntheticGateway(): Promise<SyntheticGateway> {
  const telemetry = createTelemetry(
    { metrics: { perKeyLabels: true, maxKeys: 10, routes: ['fast', 'smart', 'hedged'] } },
    {
      breakerStates: () => [
        ['anthropic/claude-sonnet-4-5', 'open'],
        ['openai/gpt-4o', 'closed'],
        ['gemini/gemini-2.5-flash', 'half-open'],
      ],
      accountGauges: () => ({
        reservationsOpen: 2,
        keys: [
          {
            keyId: 'key_alpha',
            creditsRemainingNanos: 4_200_000_000n,
            budgets: [{ period: 'month', usedRatio: 0.42 }],
          },
          { keyId: 'key_beta', creditsRemainingNanos: 900_000_000n, budgets: [{ period: 'day', usedRatio: 0.85 }] },
        ],
      }),
    },
  );
  const server: Server = createServer((req, res) => {
    if (req.url === '/metrics') return telemetry.metricsHandler(req, res);
    res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;

  let seq = 0;
  const wave = (n: number) => {
    for (let i = 0; i < n; i++) for (const call of MIX) replay(telemetry, call, `req-${++seq}`, i);
  };
  return {
    telemetry,
    target: `127.0.0.1:${port}`,
    wave,
    stop: async () => {
      await new Promise<void>((r) => server.close(() => r()));
      await telemetry.shutdown();
    },
  };
}

function replay(t: Telemetry, call: Call, requestId: string, jitter: number): void {
  const req: GatewayRequest = {
    requestId,
    endpoint: call.endpoint ?? 'chat',
    model: call.route,
    stream: call.attempts.some((a) => a.stream),
    estimatedInputTokens: 20,
    signal: new AbortController().signal,
    receivedAt: Date.now(),
  };
  t.observer.requestStarted(req);
  let upstreamMs = 0;
  const logs: AttemptLog[] = [];
  for (const a of call.attempts) {
    const durationMs = a.kind === 'skipped' ? 0 : 80 + 40 * jitter + (a.outcome === 'error' ? 5 : 0);
    logs.push({
      targetId: a.target,
      kind: a.kind,
      outcome: a.outcome,
      durationMs,
      ...(a.error ? { error: a.error } : {}),
    });
    if (a.kind === 'skipped') continue;
    upstreamMs += durationMs;
    const [providerId = 'openai', model = ''] = a.target.split('/');
    const ok = a.outcome === 'ok';
    const record: CallRecord = {
      provider: KIND[providerId] ?? 'openai-compatible',
      providerId,
      operation: 'chat',
      requestModel: model,
      startTime: Date.now() - durationMs,
      durationMs,
      streaming: a.stream === true,
      outcome: ok ? 'ok' : 'error',
      requestId,
      attributes: { route: call.route, ...(call.keyId ? { keyId: call.keyId } : {}) },
      ...(a.stream ? { timeToFirstTokenMs: 30 + jitter } : {}),
      ...(a.error ? { error: a.error } : {}),
      ...(ok
        ? {
            usage: {
              inputTokens: 120,
              outputTokens: 40,
              cacheReadTokens: 0,
              cacheWriteTokens: 0,
              reasoningTokens: 0,
              source: 'provider' as const,
            },
          }
        : {}),
      ...(ok && !a.unknownPrice
        ? { cost: { inputNanos: 300_000n, outputNanos: 400_000n, totalNanos: 700_000n, priceSource: 'test' } }
        : {}),
      ...(ok && a.unknownPrice ? { unknownPrice: true } : {}),
    };
    t.observer.attemptFinished(record, { route: call.route, kind: a.kind });
  }
  t.observer.requestFinished(req, {
    route: call.route,
    status: call.status,
    durationMs: upstreamMs + 1 + jitter * 0.5,
    upstreamMs,
    attempts: logs,
    ...(call.errorClass ? { errorClass: call.errorClass } : {}),
    ...(call.keyId ? { keyId: call.keyId } : {}),
  });
}

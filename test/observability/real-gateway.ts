// A real gateway for the proof: the Express shell (`listen`) + route executor + accounts (sqlite, two keys with
// credits and budgets) + telemetry, in front of the three simulators. Faulty upstreams are the same simulators
// with a fault scenario header baked into the provider config.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAccounts } from '../../packages/gateway/src/accounts/index.js';
import { ALERT_EVENTS } from '../../packages/gateway/src/alerts/index.js';
import { createShadowMetrics } from '../../packages/gateway/src/compare/shadow/shadow-metrics.js';
import { createShadowMirror } from '../../packages/gateway/src/compare/shadow/shadow-mirror.js';
import { validateConfig } from '../../packages/gateway/src/config/load-config.js';
import { listen } from '../../packages/gateway/src/http/listen.js';
import { priceSourceFor } from '../../packages/gateway/src/pipeline/create-deps.js';
import { createRouteExecutor } from '../../packages/gateway/src/routing/index.js';
import { accountGaugesFrom, createTelemetry, type Telemetry } from '../../packages/gateway/src/telemetry/index.js';
import { startReceiver } from '../../packages/gateway/test/alerts/webhook-receiver.js';
import { SCENARIO_HEADER, startAllSimulators } from '../../packages/simulators/src/index.js';

const SIM_KEY = 'sk-sim-observability';

export interface RealGateway {
  url: string;
  /** `host:port` serving GET /metrics. */
  target: string;
  telemetry: Telemetry;
  keys: { alpha: string; beta: string };
  stop(): Promise<void>;
}

/** `otlpEndpoint`: also export traces there (SERVER span per request from the shell, CLIENT per attempt). */
export async function startRealGateway(opts: { otlpEndpoint?: string } = {}): Promise<RealGateway> {
  const sims = await startAllSimulators({ apiKey: SIM_KEY });
  const openai = `${sims.openai.url}/v1`;
  const faulty = (kind: 'openai' | 'anthropic', scenario: string) => ({
    kind,
    apiKey: SIM_KEY,
    baseURL: kind === 'openai' ? openai : sims.anthropic.url,
    headers: { [SCENARIO_HEADER]: scenario },
  });
  const config = validateConfig(
    {
      server: { host: '127.0.0.1', port: 0 },
      providers: {
        openai: { kind: 'openai', apiKey: SIM_KEY, baseURL: openai },
        anthropic: { kind: 'anthropic', apiKey: SIM_KEY, baseURL: sims.anthropic.url },
        gemini: { kind: 'gemini', apiKey: SIM_KEY, baseURL: sims.gemini.url },
        local: { kind: 'openai-compatible', apiKey: SIM_KEY, baseURL: openai },
        overloaded: faulty('anthropic', 'overloaded'),
        limited: faulty('openai', 'rate_limited'),
        broken: faulty('openai', 'server_error'),
        slow: faulty('openai', 'slow'),
      },
      routes: {
        fast: {
          strategy: 'fallback',
          targets: ['gemini/gemini-2.5-flash', 'openai/gpt-4o-mini'],
          // Every `fast` request is mirrored, so the Shadow panels have data.
          shadow: { target: 'anthropic/claude-sonnet-4-5', sampleRate: 1, maxUsdPerDay: '5' },
        },
        smart: { strategy: 'fallback', targets: ['overloaded/claude-sonnet-4-5', 'openai/gpt-4.1'] },
        retrying: {
          strategy: 'single',
          targets: ['limited/gpt-4o-mini'],
          retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 5 },
        },
        failing: { strategy: 'single', targets: ['broken/gpt-4o-mini'], retry: { maxAttempts: 1 } },
        hedged: { strategy: 'fallback', targets: ['slow/gpt-4o-mini', 'openai/gpt-4o-mini'], hedge: { afterMs: 30 } },
      },
      // Deterministic mode: only the wave's `temperature: 0` shot is cached (a miss, then a hit every wave).
      cache: { mode: 'deterministic' },
    },
    'observability proof',
  );
  const dir = mkdtempSync(join(tmpdir(), 'switchyard-obs-'));
  const priceSource = priceSourceFor(config);
  // An opened breaker stays open for the whole run: with the 5 s default, a slow (loaded) run could see it
  // half-open at the rule evaluation, and the breaker alert would read inactive instead of pending.
  const executor = createRouteExecutor({ breaker: { coolDownMs: 600_000 } });
  // Telemetry first (alerts count deliveries on its registry); the gauges read the store opened just below.
  let readAccounts: ReturnType<typeof accountGaugesFrom> | undefined;
  const telemetry = await createTelemetry(
    {
      metrics: { perKeyLabels: true, maxKeys: 20, routes: Object.keys(config.routes) },
      ...(opts.otlpEndpoint ? { tracing: { enabled: true, endpoint: opts.otlpEndpoint } } : {}),
    },
    {
      breakerStates: () => executor.breakerStates().map((b) => [b.targetId, b.state] as const),
      accountGauges: () => (readAccounts ? readAccounts() : { keys: [] }),
    },
  );
  // A budget-alert receiver: the first wave crosses 1 % of team ml's budget, one delivery (the alert panel's data).
  const secret = 'whsec_observability_0123456789';
  const receiver = await startReceiver(secret);
  const accounts = await createAccounts({
    store: `sqlite:${join(dir, 'accounts.db')}`,
    priceSource,
    unknownPrice: 'allow',
    alerts: {
      options: {
        webhooks: [{ url: receiver.url, secret, events: new Set(ALERT_EVENTS), thresholds: [1] }],
        maxAttempts: 3,
        baseDelayMs: 10,
        maxDelayMs: 100,
        timeoutMs: 5_000,
        queueSize: 100,
      },
      registry: telemetry.registry,
    },
  });
  readAccounts = accountGaugesFrom(accounts.store);
  // Two teams: ml has a budget (alpha spends its own credits first, under ml's budget), ops a pool beta draws on.
  const ml = await accounts.service.createTeam({ name: 'ml', budgets: { totalNanos: 10_000_000n } });
  const ops = await accounts.service.createTeam({ name: 'ops', creditsNanos: 5_000_000_000n });
  const alpha = await accounts.service.createKey({ name: 'alpha', creditsNanos: 5_000_000_000n, teamId: ml.id });
  const beta = await accounts.service.createKey({
    name: 'beta',
    teamId: ops.id,
    budgets: { dailyNanos: 50_000_000n, monthlyNanos: 10_000_000_000n },
  });
  const silent = { info() {}, warn() {}, error() {}, debug() {} };
  const gw = await listen(config, {
    executor,
    admission: accounts.admission,
    observer: telemetry.observer,
    priceSource,
    log: silent as never,
    metrics: (req, res) => telemetry.metricsHandler(req, res),
    serverSpan: (headers, fn, info) => telemetry.withServerSpan(headers, fn, info),
    shadow: createShadowMirror({ metrics: createShadowMetrics(telemetry.registry) }),
  });
  return {
    url: gw.url,
    target: gw.url.replace(/^http:\/\//, ''),
    telemetry,
    keys: { alpha: alpha.secret, beta: beta.secret },
    async stop() {
      await gw.close(2000);
      await telemetry.shutdown();
      await accounts.close();
      await receiver.close();
      await sims.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

interface Shot {
  model: string;
  key?: 'alpha' | 'beta';
  stream?: boolean;
  temperature?: number;
}

/**
 * One wave of mixed traffic: success, stream, fallback, retry→429, upstream 500, hedge, unknown price, no key, and a
 * cacheable request (a response cache hit from the second wave on).
 */
export const WAVE: Shot[] = [
  { model: 'fast', key: 'alpha' },
  { model: 'fast', key: 'beta', stream: true },
  { model: 'smart', key: 'alpha' },
  { model: 'retrying', key: 'beta' },
  { model: 'failing', key: 'alpha' },
  { model: 'hedged', key: 'beta' },
  { model: 'local/llama-mystery-7b', key: 'alpha' },
  { model: 'openai/gpt-4o-mini', key: 'beta', stream: true },
  { model: 'fast' },
  { model: 'fast', key: 'alpha', temperature: 0 },
];

/** Sends one wave; every request bounded by a 10 s timeout. Returns the HTTP statuses. */
export async function sendWave(gw: RealGateway): Promise<number[]> {
  return Promise.all(
    WAVE.map(async (s) => {
      const res = await fetch(`${gw.url}/v1/chat/completions`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(s.key ? { authorization: `Bearer ${gw.keys[s.key]}` } : {}),
        },
        body: JSON.stringify({
          model: s.model,
          messages: [{ role: 'user', content: 'Say hello in five words.' }],
          max_tokens: 16,
          ...(s.temperature !== undefined && { temperature: s.temperature }),
          ...(s.stream ? { stream: true, stream_options: { include_usage: true } } : {}),
        }),
        signal: AbortSignal.timeout(10_000),
      });
      await res.arrayBuffer(); // drain streams to the end
      return res.status;
    }),
  );
}

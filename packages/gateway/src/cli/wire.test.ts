import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../config/interpolate.js';
import { validateConfig } from '../config/load-config.js';
import { planFor } from '../config/plan-for.js';
import { listen } from '../http/listen.js';
import { AttemptError, type GatewayRequest, type RouteTarget } from '../pipeline/seams.js';
import type { ObservableRouteExecutor } from '../routing/index.js';
import { wireGateway } from './wire.js';

const log = pino({ level: 'silent' });
const dir = mkdtempSync(path.join(os.tmpdir(), 'sy-wire-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const providers = { openai: { kind: 'openai', apiKey: 'sk-test', baseURL: 'http://127.0.0.1:9/v1' } };

function request(model: string): GatewayRequest {
  return {
    requestId: `r-${Math.random()}`,
    callId: `c-${Math.random()}`,
    endpoint: 'chat',
    model,
    stream: false,
    estimatedInputTokens: 1_000,
    maxOutputTokens: 1_000,
    signal: new AbortController().signal,
    receivedAt: Date.now(),
  };
}

/** Runs one request through the wired executor; returns the target ids in the order they were tried. */
async function tried(executor: ObservableRouteExecutor, plan: Parameters<ObservableRouteExecutor['execute']>[0]) {
  const order: string[] = [];
  await executor
    .execute(
      plan,
      async (t: RouteTarget) => {
        order.push(t.id);
        throw new AttemptError({ errorClass: 'upstream_5xx', retryable: false, fallbackEligible: true, message: 'x' });
      },
      request(plan.name),
    )
    .catch(() => {});
  return order;
}

describe('wireGateway', () => {
  it('prices `cheapest` with the operator overrides (chained before the catalog), also after a reload', async () => {
    const routes = { budget: { strategy: 'cheapest', targets: ['openai/gpt-4o', 'openai/gpt-4o-mini'] } };
    // In the catalog gpt-4o costs ~16x gpt-4o-mini; the override makes it nearly free.
    const config = validateConfig({
      providers,
      routes,
      prices: { 'openai/gpt-4o': { input: '0.001', output: '0.001' } },
    });
    const wired = await wireGateway(config, log, {});
    const executor = wired.options.executor as ObservableRouteExecutor;
    const plan = planFor('budget', config);
    expect(await tried(executor, plan)).toEqual(['openai/gpt-4o', 'openai/gpt-4o-mini']);
    wired.reloaded(validateConfig({ providers, routes })); // overrides removed: the catalog decides again
    expect(await tried(executor, plan)).toEqual(['openai/gpt-4o-mini', 'openai/gpt-4o']);
    await wired.close();
  });

  it('takes breaker thresholds from `routing.breaker`', async () => {
    const config = validateConfig({ providers, routing: { breaker: { consecutiveFailures: 1, coolDownMs: 60_000 } } });
    const wired = await wireGateway(config, log, {});
    const executor = wired.options.executor as ObservableRouteExecutor;
    const plan = planFor('openai/gpt-4o', config);
    await tried(executor, plan);
    expect(executor.breakerStates()).toMatchObject([{ targetId: 'openai/gpt-4o', state: 'open' }]);
    expect(await tried(executor, plan)).toEqual([]); // skipped while open
    await wired.close();
  });

  it('validates the telemetry section strictly, naming the bad path', async () => {
    const bad = validateConfig({ providers, telemetry: { metrics: { maxKeys: 0 } } });
    const err = await wireGateway(bad, log, {}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toMatch(/^telemetry\.metrics\.maxKeys: /);
    const typo = validateConfig({ providers, telemetry: { metrics: { perKeyLabel: true } } });
    expect(await wireGateway(typo, log, {}).catch((e: unknown) => e)).toBeInstanceOf(ConfigError);
  });
});

describe('routing and config admin endpoints, the console', () => {
  const TOKEN = 'admin-secret-token';
  const base = (file: string) =>
    validateConfig({
      providers,
      routes: { smart: { strategy: 'fallback', targets: ['openai/gpt-4o', 'openai/gpt-4o-mini'] } },
      accounts: { store: `sqlite:${path.join(dir, file)}` },
    });

  it('GET /admin/v1/breakers and /admin/v1/routes behind the admin token; accounts endpoints still served', async () => {
    const config = base('on.db');
    const wired = await wireGateway(config, log, { SWITCHYARD_ADMIN_TOKEN: TOKEN });
    const executor = wired.options.executor as ObservableRouteExecutor;
    const gw = await listen(config, { ...wired.options, host: '127.0.0.1', port: 0 });
    try {
      const get = (p: string, token?: string) =>
        fetch(`${gw.url}/admin${p}`, token ? { headers: { authorization: `Bearer ${token}` } } : {});
      expect((await get('/v1/breakers')).status).toBe(401);
      expect((await get('/v1/breakers', 'wrong')).status).toBe(401);
      expect((await get('/v1/routes')).status).toBe(401);
      expect(await (await get('/v1/breakers', TOKEN)).json()).toEqual({ object: 'list', data: [] });

      executor.report('openai/gpt-4o', {
        ok: false,
        latencyMs: 1,
        error: { errorClass: 'upstream_5xx', retryable: true, fallbackEligible: true, message: 'x' },
      });
      const breakers = (await (await get('/v1/breakers', TOKEN)).json()) as { data: unknown[] };
      expect(breakers.data).toEqual([
        {
          target: 'openai/gpt-4o',
          state: 'closed',
          consecutive_failures: 1,
          window_requests: 1,
          window_failures: 1,
          opened_at: null,
        },
      ]);
      const routes = (await (await get('/v1/routes', TOKEN)).json()) as { data: unknown[] };
      expect(routes.data).toEqual([
        {
          route: 'smart',
          strategy: 'fallback',
          targets: [
            { target: 'openai/gpt-4o', breaker_state: 'closed', latency: null, rate_limited_until: null },
            { target: 'openai/gpt-4o-mini', breaker_state: 'closed', latency: null, rate_limited_until: null },
          ],
        },
      ]);
      // The accounts admin API behind the same mount is untouched.
      expect((await get('/v1/keys', TOKEN)).status).toBe(200);
      expect((await get('/v1/keys')).status).toBe(401);
      expect((await get('/v1/nope', TOKEN)).status).toBe(404);
      // The redacted running config, and the web console beside the admin API.
      const cfg = (await (await get('/v1/config', TOKEN)).json()) as { config: { providers: { openai: object } } };
      expect(cfg.config.providers.openai).toMatchObject({ kind: 'openai', apiKey: '[redacted]' });
      expect((await get('/v1/config')).status).toBe(401);
      const ui = await fetch(`${gw.url}/ui/`);
      expect(ui.status).toBe(200);
      expect(await ui.text()).toContain('/ui/assets/app.js');
    } finally {
      await gw.close(1_000);
      await wired.close();
    }
  });

  it('is off when the admin API is off (no token)', async () => {
    const config = base('off.db');
    const wired = await wireGateway(config, log, {});
    const gw = await listen(config, { ...wired.options, host: '127.0.0.1', port: 0 });
    try {
      const res = await fetch(`${gw.url}/admin/v1/breakers`, { headers: { authorization: `Bearer ${TOKEN}` } });
      expect(res.status).toBe(404);
      expect((await fetch(`${gw.url}/ui/`)).status).toBe(404); // no admin API, no console
      expect((await fetch(`${gw.url}/admin/v1/config`, { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(
        404,
      );
    } finally {
      await gw.close(1_000);
      await wired.close();
    }
  });
});

describe('alerts wiring', () => {
  it('webhooks in the config: delivery metrics on /metrics (all 16 series at 0), the secret nowhere', async () => {
    const secret = 'whsec_wire_test_0123456789';
    const config = validateConfig({
      providers,
      accounts: { store: `sqlite:${path.join(dir, 'alerts.db')}` },
      alerts: { webhooks: [{ url: 'http://127.0.0.1:9/hooks', secret }] },
    });
    const wired = await wireGateway(config, log, {});
    const gw = await listen(config, { ...wired.options, host: '127.0.0.1', port: 0 });
    try {
      const text = await (await fetch(`${gw.url}/metrics`)).text();
      expect(text.match(/^switchyard_alert_deliveries_total\{/gm)).toHaveLength(16);
      expect(text).toContain('switchyard_alert_deliveries_total{event="budget.threshold",outcome="delivered"} 0');
      expect(text).not.toContain(secret);
    } finally {
      await gw.close(1_000);
      await wired.close();
    }
  });

  it('a reload that changes the webhooks says they apply after a restart', async () => {
    const warnings: string[] = [];
    const spy = { ...log, warn: (_o: object, msg: string) => warnings.push(msg) } as unknown as typeof log;
    const hooks = (url: string) =>
      validateConfig({
        providers,
        accounts: { store: `sqlite:${path.join(dir, 'alerts-reload.db')}` },
        alerts: { webhooks: [{ url, secret: 'whsec_wire_test_0123456789' }] },
      });
    const wired = await wireGateway(hooks('http://127.0.0.1:9/a'), spy, {});
    try {
      wired.reloaded(hooks('http://127.0.0.1:9/a'));
      expect(warnings).toEqual([]);
      wired.reloaded(hooks('http://127.0.0.1:9/b'));
      expect(warnings).toEqual(['alerts: webhook changes apply after a restart']);
    } finally {
      await wired.close();
    }
  });
});

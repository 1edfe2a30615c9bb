// Everything `switchyard start` plugs into the gateway beyond the defaults: the real route executor (breakers
// exposed to metrics and /admin, prices shared with the pipeline), telemetry (/metrics, optional OTLP traces)
// and, when configured, accounts (/admin) with the admin console (/ui).
import express from 'express';
import { type AccountsConfig, createAccounts } from '../accounts/index.js';
import { parseAlerts } from '../alerts/index.js';
import { createShadowAdminRouter } from '../compare/shadow/shadow-admin-router.js';
import { createShadowMetrics } from '../compare/shadow/shadow-metrics.js';
import { createShadowMirror } from '../compare/shadow/shadow-mirror.js';
import type { GatewayConfig } from '../config/config-schema.js';
import { createConfigAdminRouter } from '../http/admin-config-router.js';
import { createRoutingAdminRouter, type RouteSummary } from '../http/admin-routing-router.js';
import type { GatewayOptions } from '../http/create-gateway.js';
import { priceSourceFor, routeExecutorOptionsFor, swappablePriceSource } from '../pipeline/create-deps.js';
import { createRouteExecutor } from '../routing/index.js';
import { breakerSeries, configuredTargets } from '../telemetry/breaker-series.js';
import { type AccountGauges, accountGaugesFrom, createTelemetry, parseTelemetryConfig } from '../telemetry/index.js';
import type { Logger } from './logger.js';

export interface Wired {
  options: GatewayOptions;
  /** Config hot reload: refresh what telemetry, prices and /admin derive from the config. */
  reloaded(config: GatewayConfig): void;
  close(): Promise<void>;
}

/** Configured routes as the routing admin endpoint lists them. */
export function routeSummaries(config: GatewayConfig): RouteSummary[] {
  return Object.entries(config.routes).map(([name, r]) => ({
    name,
    strategy: r.strategy,
    targets: r.targets.map((t) => (typeof t === 'string' ? t : t.target)),
  }));
}

/** Throws ConfigError (naming the bad `telemetry.*` path) when the telemetry section is invalid. */
export async function wireGateway(config: GatewayConfig, log: Logger, env = process.env): Promise<Wired> {
  const telemetryConfig = parseTelemetryConfig(config.telemetry);
  // One price source for the pipeline's cost, `cheapest` routing and accounts' reservations: operator overrides
  // chained before the catalog, swapped in place on reload so every holder sees the new prices.
  const priceSource = swappablePriceSource(priceSourceFor(config));
  const executor = createRouteExecutor({
    ...routeExecutorOptionsFor(config),
    priceSource,
    onBreakerChange: (targetId, state) => log.warn({ targetId, state }, 'circuit breaker changed state'),
  });
  let readAccounts: (() => Promise<AccountGauges>) | undefined;
  let configured = configuredTargets(config);
  const telemetry = await createTelemetry(
    {
      ...telemetryConfig,
      metrics: { routes: Object.keys(config.routes), ...telemetryConfig.metrics },
    },
    {
      // Only configured targets get their own series: client-chosen model names must not create series.
      breakerStates: () =>
        breakerSeries(
          executor.breakerStates().map((b) => [b.targetId, b.state] as const),
          configured,
        ),
      // Read at scrape time; the accounts store opens below.
      accountGauges: () => (readAccounts ? readAccounts() : { keys: [] }),
      onSpansDropped: (summary) => log.warn(summary, 'trace spans dropped (switchyard_trace_spans_dropped_total)'),
    },
  );
  const shadow = createShadowMirror({ metrics: createShadowMetrics(telemetry.registry), logger: log });
  const options: GatewayOptions = {
    executor,
    shadow,
    observer: telemetry.observer,
    priceSource,
    log,
    metrics: (req, res) => telemetry.metricsHandler(req, res),
    serverSpan: (headers, fn, info) => telemetry.withServerSpan(headers, fn, info),
  };
  let routes = routeSummaries(config);
  let running = config;
  let closeAccounts = async () => {};
  if (!config.accounts && config.alerts?.webhooks.length)
    log.warn({}, 'alerts: webhooks need the accounts section; ignored');
  if (config.accounts) {
    const section = config.accounts as Partial<AccountsConfig>;
    const alerts = parseAlerts(config.alerts);
    const accounts = await createAccounts({
      ...section,
      ...(alerts && { alerts: { options: alerts, registry: telemetry.registry } }),
      store: section.store ?? (config.store?.url as string | undefined) ?? 'sqlite:./switchyard.db',
      priceSource,
      log,
    });
    options.admission = accounts.admission;
    readAccounts = accountGaugesFrom(accounts.store);
    const token = (config.auth?.adminToken as string | undefined) ?? env.SWITCHYARD_ADMIN_TOKEN;
    const accountsAdmin = accounts.adminRouter(token);
    const routingAdmin = createRoutingAdminRouter(executor, () => routes, token);
    const shadowAdmin = createShadowAdminRouter(shadow, token);
    const configAdmin = createConfigAdminRouter(() => running, token);
    // Both or neither: the admin API is on exactly when accounts' is. Routing and shadow first: accounts answers
    // 404 to any path it does not know.
    if (accountsAdmin && routingAdmin && shadowAdmin && configAdmin) {
      options.admin = express.Router().use(routingAdmin, shadowAdmin, configAdmin, accountsAdmin);
      // The web console at /ui speaks only that admin API (through its own session-guarded proxy).
      const { createConsoleHandler } = await import('@switchyard/console');
      const ui = createConsoleHandler({ adminToken: token as string });
      options.console = (req, res) => ui(req, res);
    }
    closeAccounts = () => accounts.close();
  }
  return {
    options,
    reloaded(next) {
      // The webhook list is read at start-up (deliveries in flight belong to it): a change needs a restart.
      if (JSON.stringify(next.alerts) !== JSON.stringify(config.alerts)) {
        log.warn({}, 'alerts: webhook changes apply after a restart');
      }
      priceSource.set(priceSourceFor(next));
      routes = routeSummaries(next);
      running = next;
      configured = configuredTargets(next);
      telemetry.setRoutes(Object.keys(next.routes));
    },
    async close() {
      shadow.close();
      await closeAccounts();
      await telemetry.shutdown();
    },
  };
}

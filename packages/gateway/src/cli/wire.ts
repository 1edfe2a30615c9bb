// Everything `switchyard start` plugs into the gateway beyond the defaults: the real route executor (breakers
// exposed to metrics), telemetry (/metrics, optional OTLP traces) and, when configured, accounts (/admin).
import { type AccountsConfig, createAccounts } from '../accounts/index.js';
import type { GatewayConfig } from '../config/config-schema.js';
import type { GatewayOptions } from '../http/create-gateway.js';
import { priceSourceFor } from '../pipeline/create-deps.js';
import { createRouteExecutor } from '../routing/index.js';
import { type AccountGauges, accountGaugesFrom, createTelemetry, type TelemetryConfig } from '../telemetry/index.js';
import type { Logger } from './logger.js';

export interface Wired {
  options: GatewayOptions;
  /** Config hot reload: refresh what telemetry derives from the config. */
  reloaded(config: GatewayConfig): void;
  close(): Promise<void>;
}

export async function wireGateway(config: GatewayConfig, log: Logger, env = process.env): Promise<Wired> {
  const priceSource = priceSourceFor(config);
  const executor = createRouteExecutor({
    onBreakerChange: (targetId, state) => log.warn({ targetId, state }, 'circuit breaker changed state'),
  });
  let readAccounts: (() => Promise<AccountGauges>) | undefined;
  const telemetry = createTelemetry(
    {
      ...(config.telemetry as TelemetryConfig | undefined),
      metrics: {
        routes: Object.keys(config.routes),
        ...(config.telemetry?.metrics as TelemetryConfig['metrics']),
      },
    },
    {
      breakerStates: () => executor.breakerStates().map((b) => [b.targetId, b.state] as const),
      // Read at scrape time; the accounts store opens below.
      accountGauges: () => (readAccounts ? readAccounts() : { keys: [] }),
    },
  );
  const options: GatewayOptions = {
    executor,
    observer: telemetry.observer,
    priceSource,
    log,
    metrics: (req, res) => telemetry.metricsHandler(req, res),
    serverSpan: (headers, fn, info) => telemetry.withServerSpan(headers, fn, info),
  };
  let closeAccounts = async () => {};
  if (config.accounts) {
    const section = config.accounts as Partial<AccountsConfig>;
    const accounts = await createAccounts({
      ...section,
      store: section.store ?? (config.store?.url as string | undefined) ?? 'sqlite:./switchyard.db',
      priceSource,
      log,
    });
    options.admission = accounts.admission;
    readAccounts = accountGaugesFrom(accounts.store);
    const admin = accounts.adminRouter((config.auth?.adminToken as string | undefined) ?? env.SWITCHYARD_ADMIN_TOKEN);
    if (admin) options.admin = admin;
    closeAccounts = () => accounts.close();
  }
  return {
    options,
    reloaded: (next) => telemetry.setRoutes(Object.keys(next.routes)),
    async close() {
      await closeAccounts();
      await telemetry.shutdown();
    },
  };
}

// `switchyard start`: config file (--config / SWITCHYARD_CONFIG) → else provider keys from env → else demo mode
// on the in-process simulators. Hot-reloads the config file; SIGTERM/SIGINT shut down gracefully.
import { parseArgs } from 'node:util';
import { autoConfigFromEnv } from '../config/auto-config.js';
import type { GatewayConfig } from '../config/config-schema.js';
import { watchConfig } from '../config/hot-reload.js';
import { ConfigError } from '../config/interpolate.js';
import { loadConfigFile } from '../config/load-config.js';
import type { startDemo } from '../demo/demo-mode.js';
import type { CliCommand } from './commands.js';
import { launcherChain, watchLaunchers } from './launcher-watch.js';
import { createLogger } from './logger.js';

export const START_HELP = `Usage: switchyard start [--config FILE] [--host HOST] [--port PORT]

Starts the gateway: an OpenAI-compatible API (plus Anthropic-native /v1/messages) over the configured providers.

Options:
  -c, --config FILE   YAML or JSON config file (env: SWITCHYARD_CONFIG). Reloaded when it changes.
      --host HOST     Interface to bind (default: server.host from the config, else 127.0.0.1)
  -p, --port PORT     Port to bind; 0 picks a free one (default: server.port from the config, else 4100)
  -h, --help          Show this help

Without a config file, providers are configured from OPENAI_API_KEY, ANTHROPIC_API_KEY and
GEMINI_API_KEY / GOOGLE_API_KEY. With none of them set, Switchyard starts in DEMO MODE: the bundled
OpenAI, Anthropic and Gemini simulators run in-process and nothing is sent to a real provider.

Environment: SWITCHYARD_CONFIG, SWITCHYARD_ADMIN_TOKEN (enables /admin when accounts are configured),
LOG_LEVEL (pino level, default info), OTEL_EXPORTER_OTLP_ENDPOINT (turns on tracing).`;

function parsePort(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v) || Number(v) > 65_535) throw new ConfigError(`--port must be an integer 0-65535, got "${v}"`);
  return Number(v);
}

export async function runStart(argv: string[], env = process.env): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      config: { type: 'string', short: 'c' },
      host: { type: 'string' },
      port: { type: 'string', short: 'p' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(`${START_HELP}\n`);
    return 0;
  }
  // Before anything slow: a launcher that exits during start-up must already be in the chain we watch.
  const launchers = launcherChain();
  // Loaded after --help so help stays instant (telemetry and accounts pull in a lot).
  const [{ startDemo }, { demoBanner }, { listen }, { wireGateway }] = await Promise.all([
    import('../demo/demo-mode.js'),
    import('../demo/demo-banner.js'),
    import('../http/listen.js'),
    import('./wire.js'),
  ]);
  const log = createLogger();
  const configPath = values.config ?? env.SWITCHYARD_CONFIG;
  let config: GatewayConfig | undefined;
  let demo: Awaited<ReturnType<typeof startDemo>> | undefined;
  try {
    const port = parsePort(values.port);
    config = configPath ? await loadConfigFile(configPath, env) : autoConfigFromEnv(env);
    const server = {
      host: values.host ?? config?.server.host ?? '127.0.0.1',
      port: port ?? config?.server.port ?? 4100,
    };
    if (!config) {
      demo = await startDemo(server, { withAccounts: Boolean(env.SWITCHYARD_ADMIN_TOKEN) });
      config = demo.config;
    }
    config = { ...config, server: { ...config.server, ...server } };
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`switchyard: ${err.message}\n`);
      return 1;
    }
    throw err;
  }

  let wired: Awaited<ReturnType<typeof wireGateway>>;
  try {
    wired = await wireGateway(config, log, env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`switchyard: Invalid ${configPath ?? 'config'}: ${err.message}\n`);
    await demo?.close();
    return 1;
  }
  let gw: Awaited<ReturnType<typeof listen>>;
  try {
    gw = await listen(config, wired.options);
  } catch (err) {
    const line = listenFailure(err, config.server);
    if (!line) throw err;
    // One clear line and a non-zero exit at once: a health probe must not be left talking to whatever holds the port.
    process.stderr.write(`switchyard: ${line}\n`);
    await wired.close().catch(() => {});
    await demo?.close();
    return 1;
  }
  if (demo) {
    process.stdout.write(`${demoBanner(gw.url, demo.accountsDir ? { accountsDir: demo.accountsDir } : {})}\n`);
  }
  log.info(
    { url: gw.url, providers: Object.keys(config.providers), routes: Object.keys(config.routes), demo: Boolean(demo) },
    `switchyard listening on ${gw.url}`,
  );
  const watcher = configPath
    ? watchConfig(
        configPath,
        (file) => loadConfigFile(file, env),
        (next) => {
          // Host and port stay as bound; the rest of `server` (cors) follows the file.
          gw.app.switchyard.reload({
            ...next,
            server: { ...next.server, host: config.server.host, port: config.server.port },
          });
          wired.reloaded(next);
        },
        { info: (m) => log.info(m), error: (m) => log.error(m) },
      )
    : undefined;

  return new Promise<number>((resolve) => {
    let stopping = false;
    let unwatchLaunchers = () => {};
    const stop = (signal: string) => {
      if (stopping) {
        log.warn({ signal }, 'second signal: exiting now');
        process.exit(1);
      }
      stopping = true;
      log.info({ signal }, 'shutting down: finishing in-flight requests');
      watcher?.close();
      unwatchLaunchers();
      void (async () => {
        await gw.close();
        await wired.close().catch(() => {});
        await demo?.close();
        log.info('stopped');
        resolve(0);
      })();
    };
    process.on('SIGTERM', () => stop('SIGTERM'));
    process.on('SIGINT', () => stop('SIGINT'));
    // npx and pnpm do not forward signals to the script they run: stop when they are gone (see launcher-watch.ts).
    unwatchLaunchers = watchLaunchers(launchers, (pid) => stop(`launcher exited (pid ${pid})`));
  });
}

/** The one-line reason a bind failed, for the errors a user can fix by choosing another address. */
export function listenFailure(err: unknown, server: { host: string; port: number }): string | undefined {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  const how = 'pick another with --port N (0 = any free port) or server.port in the config';
  if (code === 'EADDRINUSE') return `port ${server.port} on ${server.host} is already in use; ${how}`;
  if (code === 'EACCES') return `no permission to listen on port ${server.port} on ${server.host}; ${how}`;
  if (code === 'EADDRNOTAVAIL')
    return `cannot listen on ${server.host}: no such local address; choose another with --host`;
  return undefined;
}

export const startCommand: CliCommand = {
  name: 'start',
  summary: 'Start the gateway (demo mode on simulators when nothing is configured)',
  help: START_HELP,
  run: (argv) => runStart(argv),
};

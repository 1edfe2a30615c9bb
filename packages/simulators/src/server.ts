// startSimulator: one node:http server speaking one provider's wire format, with scenarios and faults.
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { anthropicProvider } from './anthropic/anthropic-provider.js';
import { azureProvider } from './azure/azure-provider.js';
import { bedrockProvider } from './bedrock/bedrock-provider.js';
import { deliver, sleep, untilClosed } from './deliver.js';
import { geminiProvider } from './gemini/gemini-provider.js';
import { base62Id } from './ids.js';
import { openaiProvider } from './openai/openai-provider.js';
import { PreparedCache } from './prepared-cache.js';
import type { ProviderImpl, RequestContext } from './provider.js';
import { activeFault, normalizeScenario, SCENARIO_HEADER } from './scenario.js';
import type {
  JsonReply,
  Reply,
  RequestLogEntry,
  ResolvedScenario,
  Scenario,
  SimProvider,
  Simulator,
  SimulatorOptions,
} from './types.js';
import { vertexProvider } from './vertex/vertex-provider.js';

const PROVIDERS: Record<SimProvider, ProviderImpl> = {
  openai: openaiProvider,
  anthropic: anthropicProvider,
  gemini: geminiProvider,
  azure: azureProvider,
  bedrock: bedrockProvider,
  vertex: vertexProvider,
};

const SECRET_HEADERS = [
  'authorization',
  'x-api-key',
  'x-goog-api-key',
  'api-key',
  'proxy-authorization',
  'x-amz-security-token',
];

function redactHeaders(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  const out = { ...headers };
  for (const h of SECRET_HEADERS) if (out[h] !== undefined) out[h] = '[redacted]';
  return out;
}

function redactPath(url: string): string {
  return url.replace(/([?&]key=)[^&]*/g, '$1[redacted]');
}

const HTML_PAGE =
  '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n' +
  '<hr><center>cloudflare</center>\r\n</body>\r\n</html>\r\n';

function htmlReply(status: number): JsonReply {
  return { kind: 'json', status, headers: { 'content-type': 'text/html' }, body: HTML_PAGE };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    req.on('data', (c: Buffer) => parts.push(c));
    req.on('end', () =>
      resolve(parts.length === 1 ? (parts[0] as Buffer).toString() : Buffer.concat(parts).toString()),
    );
    req.on('error', reject);
  });
}

export async function startSimulator(options: SimulatorOptions): Promise<Simulator> {
  const provider = PROVIDERS[options.provider];
  if (!provider) throw new Error(`unknown provider: ${String(options.provider)}`);
  const host = options.host ?? '127.0.0.1';
  const logLimit = options.logLimit ?? 1000;
  let serverScenario: ResolvedScenario | undefined = options.scenario && normalizeScenario(options.scenario);
  const counters = new Map<string, number>();
  const cache = new PreparedCache();
  const log: RequestLogEntry[] = [];
  const sockets = new Set<Socket>();
  const stats = { requests: 0, completed: 0, aborted: 0, openConnections: 0, inFlight: 0 };
  let seq = 0;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const n = ++seq;
    stats.requests++;
    stats.inFlight++;
    // The abort signal is created only when a handler has to wait: most requests never need one.
    let controller: AbortController | undefined;
    let isClosed = false;
    const signal = (): AbortSignal => {
      if (!controller) {
        controller = new AbortController();
        if (isClosed) controller.abort();
      }
      return controller.signal;
    };
    res.on('close', () => {
      isClosed = true;
      controller?.abort();
      stats.inFlight--;
      if (res.writableFinished) stats.completed++;
      else stats.aborted++;
    });
    const raw = await readBody(req);
    const method = req.method ?? 'GET';
    const rawUrl = req.url ?? '/';
    const header = req.headers[SCENARIO_HEADER];
    const prep = cache.get(method, rawUrl, typeof header === 'string' ? header : '', raw, serverScenario);
    log.push({
      seq: n,
      method,
      path: redactPath(rawUrl),
      headers: redactHeaders(req.headers),
      body: prep.body ?? (raw.length > 0 ? raw : null),
      receivedAt: Date.now(),
    });
    if (log.length > logLimit) log.splice(0, log.length - logLimit);

    const ctx: RequestContext = {
      method,
      pathname: prep.pathname,
      query: prep.query,
      body: prep.body,
      raw,
      hash: prep.hash,
      requestId: base62Id(prep.hash, 24, n),
      scenario: prep.scenario,
    };
    if (prep.scenarioError !== undefined) {
      const reply = provider.badRequest(prep.scenarioError, ctx);
      await deliver(res, { reply, fault: undefined, scenario: {}, streamError: () => '', signal });
      return;
    }
    const scenario = ctx.scenario;
    const authError = provider.checkAuth(req.headers, prep.query, options.apiKey, ctx);
    const fault = authError ? undefined : activeFault(scenario, counters);
    if (fault?.kind === 'reset_before_headers') {
      await sleep(scenario.latencyMs ?? 0, signal());
      req.socket.destroy();
      return;
    }
    if (fault?.kind === 'hang' && fault.afterChunks === undefined) return untilClosed(signal());
    let reply: Reply;
    if (authError) reply = authError;
    else if (fault?.kind === 'status') reply = provider.statusError(fault, ctx);
    else if (fault?.kind === 'html_error') reply = htmlReply(fault.status ?? 502);
    else {
      reply = prep.reply ?? provider.handle(ctx);
      if (reply.kind === 'sse' || reply.status === 200) prep.reply = reply;
      // Request ids are unique per request, even when the reply itself is reused.
      reply = { ...reply, headers: { ...reply.headers, ...provider.requestIdHeaders(ctx) } };
    }
    const wait = (scenario.latencyMs ?? 0) + (reply.kind === 'json' ? (scenario.ttftMs ?? 0) : 0);
    if (wait > 0 && !(await sleep(wait, signal()))) return;
    await deliver(res, { reply, fault, scenario, streamError: () => provider.streamErrorEvent(ctx), signal });
  }

  const server = createServer({ keepAliveTimeout: 30_000 }, (req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500).end();
      else res.destroy();
    });
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    stats.openConnections++;
    socket.on('close', () => {
      sockets.delete(socket);
      stats.openConnections--;
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const urlHost = host.includes(':') ? `[${host}]` : host;

  return {
    provider: options.provider,
    url: `http://${urlHost}:${port}`,
    port,
    get requests() {
      return log;
    },
    get stats() {
      return { ...stats };
    },
    setScenario(s) {
      serverScenario = s && normalizeScenario(s);
      cache.clear();
    },
    reset() {
      log.length = 0;
      counters.clear();
      stats.requests = 0;
      stats.completed = 0;
      stats.aborted = 0;
    },
    close() {
      return new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
        server.closeAllConnections();
      });
    },
  };
}

export interface AllSimulatorsOptions {
  host?: string;
  scenario?: Scenario;
  apiKey?: string;
  logLimit?: number;
}

export interface AllSimulators {
  openai: Simulator;
  anthropic: Simulator;
  gemini: Simulator;
  close(): Promise<void>;
}

/** The three simulators on free ports with shared options. */
export async function startAllSimulators(opts: AllSimulatorsOptions = {}): Promise<AllSimulators> {
  const [openai, anthropic, gemini] = await Promise.all(
    (['openai', 'anthropic', 'gemini'] as const).map((provider) => startSimulator({ ...opts, provider })),
  );
  return {
    openai: openai as Simulator,
    anthropic: anthropic as Simulator,
    gemini: gemini as Simulator,
    close: async () => {
      await Promise.all([openai?.close(), anthropic?.close(), gemini?.close()]);
    },
  };
}

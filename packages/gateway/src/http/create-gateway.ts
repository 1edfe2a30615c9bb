// The Express shell: a few lines per route adapting HTTP to the framework-neutral pipeline. Returned as an
// Express app so users can mount it (`app.use('/llm', gateway)`) or serve it with `listen()`.
import express, { type Express, type Request, type RequestHandler, type Response, type Router } from 'express';
import type { GatewayConfig } from '../config/config-schema.js';
import { createPipelineDeps, type PipelineOptions } from '../pipeline/create-deps.js';
import { handleChat } from '../pipeline/handle-chat.js';
import { handleEmbeddings } from '../pipeline/handle-embeddings.js';
import { handleMessages } from '../pipeline/handle-messages.js';
import { handleModels } from '../pipeline/handle-models.js';
import type { PipelineDeps, PipelineInput, PipelineResponse } from '../pipeline/pipeline-types.js';
import { GatewayError } from '../pipeline/seams.js';
import { bodyErrorHandler, requireJson, sendGatewayError } from './body-errors.js';
import { sendJson, sendPipelineResponse } from './send-response.js';

export interface GatewayOptions extends PipelineOptions {
  /** Served at GET /metrics (e.g. telemetry's Prometheus handler). */
  metrics?: RequestHandler;
  /** Mounted at /admin (e.g. the accounts admin router). */
  admin?: Router;
  /** Wraps each API request, response and stream included (telemetry's `withServerSpan`: one SERVER span). */
  serverSpan?: <T>(
    headers: Request['headers'],
    fn: () => Promise<T>,
    info: { method: string; route: string },
  ) => Promise<T>;
}

export interface GatewayControl {
  /** The collaborators in force; replaced on reload. */
  readonly deps: PipelineDeps;
  /** Swap in a new config (hot reload): new requests use it, in-flight ones keep theirs. */
  reload(config: GatewayConfig): void;
  /** /readyz reports 503 from now on (used during graceful shutdown). */
  drain(): void;
  /** Closes upstream connection pools. */
  close(): Promise<void>;
}

export type GatewayApp = Express & { switchyard: GatewayControl };

type Handler = (input: PipelineInput & { bodyBytes?: number }, deps: PipelineDeps) => Promise<PipelineResponse>;

export function createGateway(config: GatewayConfig, options: GatewayOptions = {}): GatewayApp {
  let deps = createPipelineDeps(config, options);
  let draining = false;
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);

  const proxy =
    (handler: Handler, route: string): RequestHandler =>
    async (req: Request, res: Response) => {
      const abort = new AbortController();
      res.on('close', () => {
        if (!res.writableFinished) abort.abort();
      });
      const run = async () => {
        const out = await handler(
          {
            body: req.body,
            headers: req.headers,
            signal: abort.signal,
            bodyBytes: Number(req.headers['content-length']) || 0,
          },
          deps,
        );
        await sendPipelineResponse(res, out);
      };
      if (options.serverSpan) await options.serverSpan(req.headers, run, { method: req.method, route });
      else await run();
    };

  const json = express.json({ limit: config.limits.maxBodyBytes, type: () => true });
  const post = [requireJson, json];
  app.post('/v1/chat/completions', post, proxy(handleChat, '/v1/chat/completions'));
  app.post('/v1/messages', post, proxy(handleMessages, '/v1/messages'));
  app.post('/v1/embeddings', post, proxy(handleEmbeddings, '/v1/embeddings'));
  app.get('/v1/models', (_req, res) => {
    const out = handleModels(deps);
    if ('json' in out) sendJson(res, out.status, out.headers, out.json);
  });
  app.get('/healthz', (_req, res) => sendJson(res, 200, {}, { status: 'ok' }));
  app.get('/readyz', (_req, res) =>
    sendJson(res, draining ? 503 : 200, {}, { status: draining ? 'draining' : 'ready' }),
  );
  if (options.metrics) app.get('/metrics', options.metrics);
  if (options.admin) app.use('/admin', options.admin);
  app.use((req, res) => {
    sendGatewayError(
      req,
      res,
      new GatewayError(404, 'invalid_request_error', 'not_found', `No route for ${req.method} ${req.path}`),
    );
  });
  app.use(bodyErrorHandler(config.limits.maxBodyBytes));

  const control: GatewayControl = {
    get deps() {
      return deps;
    },
    reload(next) {
      deps = createPipelineDeps(next, {
        ...options,
        executor: deps.executor,
        upstream: deps.upstream,
        admission: deps.admission,
        observer: deps.observer,
      });
    },
    drain() {
      draining = true;
    },
    close: () => deps.upstream.close(),
  };
  return Object.assign(app, { switchyard: control });
}

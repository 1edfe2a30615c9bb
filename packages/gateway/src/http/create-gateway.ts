// The Express shell: a few lines per route adapting HTTP to the framework-neutral pipeline. Returned as an
// Express app so users can mount it (`app.use('/llm', gateway)`) or serve it with `listen()`.
import type { IncomingMessage, ServerResponse } from 'node:http';
import express, {
  type Express,
  type NextFunction,
  type Request,
  type RequestHandler,
  type Response,
  type Router,
} from 'express';
import { createResponseCache } from '../cache/response-cache.js';
import { createShadowMirror } from '../compare/shadow/shadow-mirror.js';
import type { GatewayConfig } from '../config/config-schema.js';
import { Cancellation } from '../pipeline/cancellation.js';
import {
  createPipelineDeps,
  type PipelineOptions,
  priceSourceFor,
  swappablePriceSource,
} from '../pipeline/create-deps.js';
import { handleChat } from '../pipeline/handle-chat.js';
import { handleCountTokens } from '../pipeline/handle-count-tokens.js';
import { handleEmbeddings } from '../pipeline/handle-embeddings.js';
import { handleMessages } from '../pipeline/handle-messages.js';
import { handleModel, handleModelList } from '../pipeline/handle-models.js';
import { handleResponses } from '../pipeline/handle-responses.js';
import type { PipelineDeps, PipelineInput, PipelineResponse } from '../pipeline/pipeline-types.js';
import { rejectEarly } from '../pipeline/request-flow.js';
import { type Endpoint, GatewayError } from '../pipeline/seams.js';
import { type ApiFastPath, type ApiRoute, createApiFastPath } from './api-fast-path.js';
import {
  apiFormatOf,
  bodyErrorHandler,
  bodyFailure,
  requireJson,
  type SendRejection,
  sendGatewayError,
} from './body-errors.js';
import { corsMiddleware } from './cors.js';
import { plainBodyLength, readJsonBody, verifyUtf8 } from './read-json-body.js';
import { sendJson, sendJsonResponse, sendPipelineResponse } from './send-response.js';

export interface GatewayOptions extends PipelineOptions {
  /** Served at GET /metrics (e.g. telemetry's Prometheus handler). */
  metrics?: RequestHandler;
  /** Mounted at /admin (e.g. the accounts admin router). */
  admin?: Router;
  /** Mounted at /ui: the admin web console (`@switchyard/console`), on when the admin API is. */
  console?: RequestHandler;
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
  /**
   * node:http fast path for the API POSTs (used by `listen()`): serves the plain case without Express and returns
   * true, or returns false and leaves the request to the app.
   */
  readonly serveApi: ApiFastPath;
}

export type GatewayApp = Express & { switchyard: GatewayControl };

type Handler = (input: PipelineInput, deps: PipelineDeps) => Promise<PipelineResponse>;

/** The proxied API paths (relative to where the app is mounted). */
const ENDPOINT_OF: Readonly<Record<string, Endpoint>> = {
  '/v1/chat/completions': 'chat',
  '/v1/messages': 'messages',
  '/v1/embeddings': 'embeddings',
  '/v1/responses': 'responses',
};

/** A route's PipelineInput: a class, so `signal` is a prototype getter (created on first read; ADR 0011). */
class ApiInput implements PipelineInput {
  constructor(
    readonly body: unknown,
    readonly headers: PipelineInput['headers'],
    readonly cancel: Cancellation,
  ) {}
  get signal(): AbortSignal {
    return this.cancel.signal;
  }
}

export function createGateway(config: GatewayConfig, options: GatewayOptions = {}): GatewayApp {
  // Without a price source from the caller, keep one object whose prices follow reloads: the default executor
  // (`cheapest`) holds it for the life of the app.
  const prices = options.priceSource ? undefined : swappablePriceSource(priceSourceFor(config));
  // The response cache outlives reloads (its entries must): a new config only changes its policy or store.
  const cache =
    options.cache ??
    createResponseCache({ ...(options.log && { log: options.log }), ...(options.now && { now: options.now }) });
  cache.configure(config.cache, config.routes);
  const withPrices = (o: PipelineOptions): PipelineOptions => ({ ...o, cache, ...(prices && { priceSource: prices }) });
  // Shadow traffic (routes' `shadow:` option) is on by config; its budget and log outlive reloads.
  const ownShadow = options.shadow ? undefined : createShadowMirror({ logger: options.log });
  const shadowed = (o: PipelineOptions): PipelineOptions => (ownShadow ? { ...o, shadow: ownShadow } : o);
  let deps = createPipelineDeps(config, shadowed(withPrices(options)));
  let draining = false;
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(corsMiddleware(() => deps.config.server.cors));

  // One function per API route, framework-neutral: the Express routes and the node:http fast path both call it.
  const apiRoute =
    (handler: Handler, route: string): ApiRoute =>
    async (req: IncomingMessage, res: ServerResponse, body: unknown) => {
      // A Cancellation, not an AbortController: no AbortSignal unless something reads `signal` (ADR 0011).
      const cancel = new Cancellation();
      // A client gone before this ran (its close read with its request) fired 'close' already.
      if (res.destroyed) cancel.abort();
      else
        res.on('close', () => {
          if (!res.writableFinished) cancel.abort();
        });
      const input = new ApiInput(body, req.headers, cancel);
      const run = async () => {
        const out = await handler(input, deps);
        // A JSON answer is one synchronous write: no stream loop's promise (or microtask turn) for it.
        if ('json' in out) sendJsonResponse(res, out);
        else await sendPipelineResponse(res, out);
      };
      if (options.serverSpan) await options.serverSpan(req.headers, run, { method: req.method ?? 'POST', route });
      else await run();
    };

  // Refusals by the shell itself (415, 413, unreadable JSON) on an API path are counted like the pipeline's own
  // early refusals; anything else (unknown path, /admin) is just answered.
  const refuse: SendRejection = (req, res, err) => {
    const endpoint = ENDPOINT_OF[req.path];
    if (!endpoint) return sendGatewayError(req, res, err);
    void rejectEarly(req, deps, endpoint, apiFormatOf(req.path), err).then((out) => {
      if ('json' in out) sendJson(res, out.status, out.headers, out.json);
    });
  };
  const limit = config.limits.maxBodyBytes;
  const json = express.json({ limit, type: () => true, verify: verifyUtf8 });
  const mustBeJson = requireJson(refuse);
  // One handler per API route (fewer router hops): plain bodies are read here, the rest go through express.json.
  const post = (serve: ApiRoute): RequestHandler => {
    // Express 5 only catches a handler's own returned promise: these continuations pass failures to `next`.
    const run = (req: Request, res: Response, next: NextFunction) => serve(req, res, req.body).catch(next);
    const withBody = (req: Request, res: Response, next: NextFunction) => {
      const length = plainBodyLength(req, limit);
      if (length === undefined) {
        json(req, res, (err?: unknown) => (err ? next(err) : void run(req, res, next)));
        return;
      }
      readJsonBody(req, length).then((body) => {
        req.body = body;
        return run(req, res, next);
      }, next);
    };
    return (req, res, next) => mustBeJson(req, res, () => withBody(req, res, next));
  };
  const routes = new Map<string, ApiRoute>([
    ['/v1/chat/completions', apiRoute(handleChat, '/v1/chat/completions')],
    ['/v1/messages', apiRoute(handleMessages, '/v1/messages')],
    ['/v1/messages/count_tokens', apiRoute(handleCountTokens, '/v1/messages/count_tokens')],
    ['/v1/embeddings', apiRoute(handleEmbeddings, '/v1/embeddings')],
    ['/v1/responses', apiRoute(handleResponses, '/v1/responses')],
  ]);
  for (const [path, serve] of routes) app.post(path, post(serve));
  const serveApi = createApiFastPath(routes, limit, (path, req, res, err) => {
    // As the Express error handler: a failure after the answer started can only end the connection.
    if (res.headersSent) res.destroy();
    else refuse({ path, headers: req.headers }, res, bodyFailure(err, limit));
  });
  const models = (serve: (req: Request) => Promise<PipelineResponse>): RequestHandler => {
    return (req, res, next) => {
      serve(req).then((out) => {
        if ('json' in out) sendJson(res, out.status, out.headers, out.json);
      }, next);
    };
  };
  app.get(
    '/v1/models',
    models((req) => handleModelList(req.headers, deps)),
  );
  // Ids contain `/` (openai/gpt-4.1): the whole rest of the path is the id.
  app.get(
    /^\/v1\/models\/(.+)$/,
    models((req) => handleModel(decodeURIComponent(req.params[0] ?? ''), req.headers, deps)),
  );
  app.get('/healthz', (_req, res) => sendJson(res, 200, {}, { status: 'ok' }));
  app.get('/readyz', (_req, res) =>
    sendJson(res, draining ? 503 : 200, {}, { status: draining ? 'draining' : 'ready' }),
  );
  if (options.metrics) app.get('/metrics', options.metrics);
  if (options.admin) app.use('/admin', options.admin);
  if (options.console) app.use('/ui', options.console);
  app.use((req, res) => {
    sendGatewayError(
      req,
      res,
      new GatewayError(404, 'invalid_request_error', 'not_found', `No route for ${req.method} ${req.path}`),
    );
  });
  app.use(bodyErrorHandler(config.limits.maxBodyBytes, refuse));

  const control: GatewayControl = {
    get deps() {
      return deps;
    },
    reload(next) {
      prices?.set(priceSourceFor(next));
      cache.configure(next.cache, next.routes);
      deps = createPipelineDeps(next, {
        ...shadowed(withPrices(options)),
        executor: deps.executor,
        upstream: deps.upstream,
        admission: deps.admission,
        observer: deps.observer,
        responsesStore: deps.responsesStore,
      });
    },
    drain() {
      draining = true;
    },
    close: async () => {
      ownShadow?.close();
      await deps.upstream.close();
      await cache.close();
    },
    serveApi,
  };
  return Object.assign(app, { switchyard: control });
}

// instrumentFetch(): a fetch that records the three providers' APIs for users of other clients.
import { classifyHttpError, classifyStreamError } from '../errors/classify-http-error.js';
import type { Operation, ProviderKind } from '../types.js';
import { asObject } from '../usage/read-fields.js';
import { CallTracker, serverOf } from './call-tracker.js';
import { type InstrumentOptions, type ResolvedOptions, resolveOptions } from './instrument-options.js';
import {
  observeAnthropicBody,
  observeAnthropicEvent,
  observeGeminiResponse,
  observeOpenAIBody,
  observeOpenAIChunk,
} from './observe-responses.js';
import { createSseDataReader } from './sse-lines.js';

export interface InstrumentFetchOptions extends InstrumentOptions {
  /** Extra base URLs to recognise, e.g. `{ 'http://localhost:8000/v1': 'openai-compatible' }`. */
  baseUrls?: Record<string, ProviderKind>;
}

const DEFAULT_HOSTS: Record<string, ProviderKind> = {
  'api.openai.com': 'openai',
  'api.anthropic.com': 'anthropic',
  'generativelanguage.googleapis.com': 'gemini',
};

interface Detected {
  provider: ProviderKind;
  operation: Operation;
  model: string;
  streaming: boolean;
  body: Record<string, unknown> | undefined;
}

function providerFor(url: URL, baseUrls: Array<[string, ProviderKind]>): ProviderKind | undefined {
  const href = url.href;
  for (const [base, p] of baseUrls) if (href.startsWith(base)) return p;
  return DEFAULT_HOSTS[url.hostname];
}

function parseBody(body: unknown): Record<string, unknown> | undefined {
  if (typeof body !== 'string') return undefined;
  try {
    return asObject(JSON.parse(body));
  } catch {
    return undefined;
  }
}

function detect(
  url: URL,
  init: RequestInit | undefined,
  baseUrls: Array<[string, ProviderKind]>,
): Detected | undefined {
  if ((init?.method ?? 'GET').toUpperCase() !== 'POST') return undefined;
  const provider = providerFor(url, baseUrls);
  if (!provider) return undefined;
  const path = url.pathname;
  const body = parseBody(init?.body);
  const model = typeof body?.model === 'string' ? body.model : 'unknown';
  if (provider === 'gemini') {
    const m = /\/models\/([^/:]+):(generateContent|streamGenerateContent|embedContent)$/.exec(path);
    if (!m) return undefined;
    const operation = m[2] === 'embedContent' ? 'embeddings' : 'generate_content';
    return { provider, operation, model: m[1] as string, streaming: m[2] === 'streamGenerateContent', body };
  }
  if (provider === 'anthropic') {
    return path.endsWith('/v1/messages')
      ? { provider, operation: 'chat', model, streaming: body?.stream === true, body }
      : undefined;
  }
  const operation: Operation | undefined = path.endsWith('/chat/completions')
    ? 'chat'
    : path.endsWith('/embeddings')
      ? 'embeddings'
      : path.endsWith('/responses')
        ? 'responses'
        : undefined;
  return operation ? { provider, operation, model, streaming: body?.stream === true, body } : undefined;
}

function observeBody(d: Detected, body: unknown, t: CallTracker): void {
  if (d.provider === 'anthropic') observeAnthropicBody(body, t);
  else if (d.provider === 'gemini') observeGeminiResponse(body, t);
  else observeOpenAIBody(body, t);
}

/** Returns an ErrorInfo-bearing failure when the event is an in-stream error. */
function observeEvent(d: Detected, data: unknown, t: CallTracker): void {
  const o = asObject(data);
  if (o && (o.type === 'error' || (o.error !== undefined && o.error !== null && o.type === undefined))) {
    t.fail(undefined, classifyStreamError(d.provider, data));
    return;
  }
  if (d.provider === 'anthropic') observeAnthropicEvent(data, t);
  else if (d.provider === 'gemini') {
    t.chunk();
    observeGeminiResponse(data, t);
  } else observeOpenAIChunk(data, t, false);
}

/** Same status and headers; the body passes through byte for byte while we read its events. */
function observeStream(res: Response, d: Detected, t: CallTracker): Response {
  const body = res.body;
  if (!body) return res;
  const reader = body.getReader();
  const feed = createSseDataReader((data) => observeEvent(d, data, t));
  const out = new ReadableStream<Uint8Array>({
    async pull(ctrl) {
      try {
        const { done, value } = await reader.read();
        if (done) {
          t.ok();
          ctrl.close();
          return;
        }
        try {
          feed(value);
        } catch {}
        ctrl.enqueue(value);
      } catch (err) {
        t.fail(err);
        ctrl.error(err);
      }
    },
    cancel(reason) {
      t.abandon();
      return reader.cancel(reason);
    },
  });
  const wrapped = new Response(out, { status: res.status, statusText: res.statusText, headers: res.headers });
  Object.defineProperty(wrapped, 'url', { value: res.url });
  return wrapped;
}

function record(res: Response, d: Detected, t: CallTracker): Response {
  t.requestId = res.headers.get('x-request-id') ?? res.headers.get('request-id') ?? undefined;
  if (!res.ok) {
    res
      .clone()
      .text()
      .then(
        (text) => t.fail(undefined, classifyHttpError(d.provider, res.status, text, res.headers)),
        () => t.fail(undefined, classifyHttpError(d.provider, res.status, undefined, res.headers)),
      );
    return res;
  }
  if (d.streaming) return observeStream(res, d, t);
  res
    .clone()
    .json()
    .then(
      (json) => {
        observeBody(d, json, t);
        t.ok();
      },
      (err) => t.fail(err),
    );
  return res;
}

export function instrumentFetch(
  fetchImpl: typeof fetch = globalThis.fetch,
  options?: InstrumentFetchOptions,
): typeof fetch {
  const o: ResolvedOptions = resolveOptions(options);
  const baseUrls = Object.entries(options?.baseUrls ?? {});
  return async function instrumentedFetch(input: string | URL | Request, init?: RequestInit): Promise<Response> {
    let d: Detected | undefined;
    let t: CallTracker | undefined;
    try {
      const url = new URL(typeof input === 'string' || input instanceof URL ? input : input.url);
      d = detect(url, init ?? (input instanceof Request ? { method: input.method } : undefined), baseUrls);
      if (d) {
        const body = d.body;
        t = new CallTracker(
          {
            provider: d.provider,
            operation: d.operation,
            requestModel: d.model,
            streaming: d.streaming,
            ...serverOf(url.href),
            inputChars: () => (typeof init?.body === 'string' ? init.body.length : 0),
            inputMessages: () => body?.messages ?? body?.contents ?? body?.input,
          },
          o,
        );
      }
    } catch {
      t = undefined;
    }
    if (!t || !d) return fetchImpl(input, init);
    let res: Response;
    try {
      res = await fetchImpl(input, init);
    } catch (err) {
      t.fail(err);
      throw err;
    }
    try {
      return record(res, d, t);
    } catch {
      return res;
    }
  };
}

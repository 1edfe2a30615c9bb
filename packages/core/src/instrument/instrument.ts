// instrument(client): the same client back, with every covered call recorded. No global patching: Proxies
// on the client and its resource objects, built once here.
import type { Operation, ProviderKind } from '../types.js';
import { type CallStart, CallTracker, serverOf } from './call-tracker.js';
import { anthropicProviderOf, geminiProviderOf, isBedrockRuntimeClient, openaiProviderOf } from './client-kind.js';
import { instrumentBedrock } from './instrument-bedrock.js';
import { type InstrumentOptions, type ResolvedOptions, resolveOptions } from './instrument-options.js';
import {
  observeAnthropicBody,
  observeAnthropicEvent,
  observeGeminiResponse,
  observeOpenAIBody,
  observeOpenAIChunk,
} from './observe-responses.js';
import { proxyWith, runOnView } from './proxy-with.js';
import { wrapIterator } from './wrap-iterator.js';
import { wrapAnthropicMessageStream } from './wrap-message-stream.js';
import { type StainlessSpec, wrapStainlessCreate } from './wrap-stainless.js';

type AnyFn = (...args: unknown[]) => unknown;
type Obj = Record<string | symbol, unknown>;

const model = (p: Record<string, unknown>) => (typeof p.model === 'string' ? p.model : 'unknown');
const chars = (x: unknown) => () => {
  try {
    return typeof x === 'string' ? x.length : (JSON.stringify(x)?.length ?? 0);
  } catch {
    return 0;
  }
};

function openaiSpec(provider: ProviderKind, operation: Operation, server: ReturnType<typeof serverOf>): StainlessSpec {
  return {
    requestIdHeader: 'x-request-id',
    start: (p) => {
      const input = p.messages ?? p.input;
      return {
        provider,
        operation,
        requestModel: model(p),
        streaming: p.stream === true,
        serverAddress: server.serverAddress,
        serverPort: server.serverPort,
        inputChars: chars(input),
        inputMessages: () => input,
      };
    },
    observeBody: observeOpenAIBody,
    observeChunk: observeOpenAIChunk,
    rewrite: (p, o) => {
      const so = p.stream_options as Record<string, unknown> | undefined;
      if (operation !== 'chat' || !o.includeUsage || p.stream !== true || so?.include_usage !== undefined)
        return [p, false];
      return [{ ...p, stream_options: { ...so, include_usage: true } }, true];
    },
  };
}

function anthropicSpec(provider: ProviderKind, server: ReturnType<typeof serverOf>): StainlessSpec {
  return {
    requestIdHeader: 'request-id',
    start: (p) => ({
      provider,
      operation: 'chat',
      requestModel: model(p),
      streaming: p.stream === true,
      ...server,
      inputChars: chars(p.messages),
      inputMessages: () =>
        p.system ? [{ role: 'system', content: p.system }, ...((p.messages as unknown[]) ?? [])] : p.messages,
    }),
    observeBody: observeAnthropicBody,
    observeChunk: (event, t) => {
      observeAnthropicEvent(event, t);
      return false;
    },
  };
}

/** The openai SDK's helpers that make their requests through `this._client.<resource>.create`. */
const OPENAI_HELPERS = ['parse', 'stream', 'runTools'] as const;

function instrumentOpenAI<T extends object>(client: T, o: ResolvedOptions): T {
  const c = client as Obj;
  const server = serverOf(c.baseURL);
  const provider = openaiProviderOf(c);
  let wrapped: T | undefined;
  const wrapCreate = (resource: unknown, op: Operation) => {
    const r = resource as Obj;
    // The helpers (`chat.completions.parse` / `.stream()` / `.runTools()`, `responses.parse` / `.stream()`) call
    // `this._client.<resource>.create`: with `_client` the instrumented client, each request they make goes through
    // the recorded `create`.
    return proxyWith(r, {
      ...runOnView(r, { _client: { get: () => wrapped } }, OPENAI_HELPERS),
      create: wrapStainlessCreate(r.create as AnyFn, r, openaiSpec(provider, op, server), o),
    });
  };
  const chat = c.chat as Obj;
  const overrides: Record<string, unknown> = {};
  if (chat?.completions) overrides.chat = proxyWith(chat, { completions: wrapCreate(chat.completions, 'chat') });
  if (c.embeddings) overrides.embeddings = wrapCreate(c.embeddings, 'embeddings');
  if (c.responses) overrides.responses = wrapCreate(c.responses, 'responses');
  wrapped = proxyWith(client, overrides);
  return wrapped;
}

/**
 * The Anthropic SDK's helpers that make their requests through `this.create` or `this._client`: `parse`, and on
 * `beta.messages` the tool runner and message threads (`toolRunner` builds its thread with `_toolRunnerThread`; a
 * thread sends each turn with `this._client.beta.messages.create`).
 */
const ANTHROPIC_HELPERS = ['parse', 'toolRunner', '_toolRunnerThread', 'thread'] as const;

function instrumentAnthropic<T extends object>(client: T, o: ResolvedOptions): T {
  const c = client as Obj;
  const server = serverOf(c.baseURL);
  const spec = anthropicSpec(anthropicProviderOf(c), server);
  let wrapped: T | undefined;
  const wrapMessages = (messages: Obj) => {
    const create = wrapStainlessCreate(messages.create as AnyFn, messages, spec, o);
    const origStream = messages.stream as AnyFn;
    const stream = (...args: unknown[]) => {
      const p = args[0] as Record<string, unknown>;
      let t: CallTracker | undefined;
      try {
        const call = spec.start(p);
        if (call) t = new CallTracker({ ...call, streaming: true }, o);
      } catch {}
      const ms = Reflect.apply(origStream, messages, args);
      if (t) wrapAnthropicMessageStream(ms, t);
      return ms;
    };
    // `parse` calls `this.create`, the tool runner and threads `this._client.beta.messages.*`: with both the
    // instrumented ones, each request they make is recorded.
    const swap = { create: { value: create }, _client: { get: () => wrapped } };
    return proxyWith(messages, { ...runOnView(messages, swap, ANTHROPIC_HELPERS), create, stream });
  };
  const overrides: Record<string, unknown> = { messages: wrapMessages(c.messages as Obj) };
  const beta = c.beta as Obj | undefined;
  if ((beta?.messages as Obj | undefined)?.create) {
    overrides.beta = proxyWith(beta as Obj, { messages: wrapMessages(beta?.messages as Obj) });
  }
  wrapped = proxyWith(client, overrides);
  return wrapped;
}

function geminiStart(
  p: Record<string, unknown>,
  operation: Operation,
  streaming: boolean,
  /** The provider (Gemini API or Vertex) and its server.address / server.port. */
  target: { provider: ProviderKind; serverAddress?: string; serverPort?: number },
): CallStart {
  const contents = p.contents;
  return {
    ...target,
    operation,
    // `models/x`, and on Vertex `publishers/google/models/x` or `projects/…/models/x`, name the model x.
    requestModel: model(p).replace(/^(?:.*\/)?models\//, ''),
    streaming,
    inputChars: chars(contents),
    inputMessages: () => contents,
  };
}

function instrumentGemini<T extends object>(client: T, o: ResolvedOptions): T {
  const c = client as Obj;
  const models = c.models as Obj;
  let base: unknown;
  try {
    base = (c.apiClient as { getBaseUrl?: () => string } | undefined)?.getBaseUrl?.();
  } catch {}
  const provider = geminiProviderOf(c);
  const server = { provider, ...serverOf(base ?? 'https://generativelanguage.googleapis.com/') };
  const call = (name: string, operation: Operation) => {
    const orig = models[name] as AnyFn;
    return async (...args: unknown[]) => {
      let t: CallTracker | undefined;
      try {
        t = new CallTracker(geminiStart(args[0] as Record<string, unknown>, operation, false, server), o);
      } catch {}
      try {
        const res = await Reflect.apply(orig, models, args);
        if (t) {
          try {
            if (operation === 'generate_content') observeGeminiResponse(res, t);
          } catch {}
          t.ok();
        }
        return res;
      } catch (err) {
        t?.fail(err);
        throw err;
      }
    };
  };
  const origStream = models.generateContentStream as AnyFn;
  const generateContentStream = async (...args: unknown[]) => {
    let t: CallTracker | undefined;
    try {
      t = new CallTracker(geminiStart(args[0] as Record<string, unknown>, 'generate_content', true, server), o);
    } catch {}
    let gen: AsyncGenerator<unknown>;
    try {
      gen = (await Reflect.apply(origStream, models, args)) as AsyncGenerator<unknown>;
    } catch (err) {
      t?.fail(err);
      throw err;
    }
    if (!t) return gen;
    const tracker = t;
    return wrapIterator(gen, tracker, (chunk) => {
      tracker.chunk();
      observeGeminiResponse(chunk, tracker);
      return false;
    });
  };
  const wrappedModels = proxyWith(models, {
    generateContent: call('generateContent', 'generate_content'),
    embedContent: call('embedContent', 'embeddings'),
    generateContentStream,
  });
  const overrides: Record<string, unknown> = { models: wrappedModels };
  // `chats.create()` hands each session the models module the Chats were built with (`this.modelsModule`): with
  // the wrapped one, every sendMessage / sendMessageStream is a recorded call.
  const chats = c.chats as Obj | undefined;
  if (typeof chats?.create === 'function') {
    overrides.chats = proxyWith(chats, runOnView(chats, { modelsModule: { value: wrappedModels } }, ['create']));
  }
  return proxyWith(client, overrides);
}

/**
 * Wrap an official `openai` (v6, `OpenAI` or `AzureOpenAI`), `@anthropic-ai/sdk` (or `AnthropicVertex`),
 * `@google/genai` (Gemini API or Vertex mode) or `@aws-sdk/client-bedrock-runtime` client: the same client type
 * back, with a CallRecord (span, metrics, cost) for every covered call. Anything else is returned untouched.
 */
export function instrument<T extends object>(client: T, options?: InstrumentOptions): T {
  // Wrapping twice would record every call twice.
  if (instrumented.has(client)) return client;
  try {
    const o = resolveOptions(options);
    const c = client as Obj;
    const has = (x: unknown, m: string) => !!x && typeof (x as Obj)[m] === 'function';
    let wrapped: T = client;
    if (isBedrockRuntimeClient(c)) wrapped = instrumentBedrock(client, o);
    else if (has((c.chat as Obj | undefined)?.completions, 'create')) wrapped = instrumentOpenAI(client, o);
    else if (has(c.messages, 'create')) wrapped = instrumentAnthropic(client, o);
    else if (has(c.models, 'generateContent')) wrapped = instrumentGemini(client, o);
    instrumented.add(wrapped);
    return wrapped;
  } catch {
    return client; // an unexpected client shape: no telemetry rather than a broken client
  }
}

const instrumented = new WeakSet<object>();

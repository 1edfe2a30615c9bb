// /v1/responses → an OpenAI or OpenAI-compatible target: the body goes through untouched except `model` (and
// target params), stream events are forwarded as they arrive. Usage, status and the output (for the
// conversation store) are read from the terminal event (response.completed / response.incomplete), whose
// `usage` also gets the call's `cost`, as chat's usage chunk does.
import { buildErrorInfo, classifyStreamError, openaiUsage } from '@switchyard/core';
import { encodeSse, SseParser } from '../providers/sse.js';
import { type CallMeta, priceUsage, servedModel } from './call-meta.js';
import { InStreamError, withModel } from './chat-stream.js';
import { addDelivered, textBytesOfEvent } from './delivered.js';
import { openaiLikeSpec } from './forward-headers.js';
import type { HeaderMap, PipelineDeps } from './pipeline-types.js';
import { type AttemptContext, AttemptError, type GatewayRequest, type RoutePlan, type RouteTarget } from './seams.js';
import { primeStream } from './stream-prime.js';
import { type OpenUpstream, openUpstream, readJson } from './upstream-call.js';

export type ResponseObject = Record<string, unknown> & { id?: string; output?: unknown[]; usage?: unknown };

export type ResponsesValue =
  | { kind: 'json'; response: object; meta: CallMeta }
  | { kind: 'stream'; head: string[]; tail: AsyncGenerator<string[], void>; meta: CallMeta; nextSequence(): number };

export interface ResponsesEnv {
  req: GatewayRequest;
  plan: RoutePlan;
  deps: PipelineDeps;
  clientHeaders: HeaderMap;
  /** A response finished well (JSON, or a stream's terminal event): for the conversation store. */
  onComplete(response: ResponseObject, meta: CallMeta): void;
}

const TERMINAL = new Set(['response.completed', 'response.incomplete']);
const FAILED = new Set(['error', 'response.failed']);
const WITH_RESPONSE = new Set(['response.created', 'response.in_progress', 'response.queued']);

/** Prices the response's usage on the meta and writes the cost into it (USD number, like chat's usage.cost). */
function settleResponse(response: ResponseObject, meta: CallMeta, deps: PipelineDeps): void {
  if (typeof response.id === 'string') meta.responseId = response.id;
  if (typeof response.model === 'string') meta.responseModel = response.model;
  response.model = servedModel(meta.target);
  if (typeof response.status === 'string') meta.finishReasons.push(response.status);
  const usage = openaiUsage(response.usage);
  const cost = usage ? priceUsage(meta, usage, deps.priceSource) : undefined;
  if (usage) meta.usageFinal = true; // the terminal event's usage is the bill
  if (cost !== undefined && response.usage && typeof response.usage === 'object')
    (response.usage as { cost?: number }).cost = cost;
}

/** An `error` or `response.failed` event → the classification of that failure. */
function failureOf(data: string, providerId: string) {
  let error: unknown;
  try {
    const parsed = JSON.parse(data) as { type?: string; response?: { error?: unknown } };
    error = parsed.type === 'response.failed' ? parsed.response?.error : parsed;
  } catch {
    error = undefined;
  }
  const info = classifyStreamError('openai', JSON.stringify({ error: error ?? { message: 'response failed' } }));
  return { ...info, message: `${providerId}: ${info.message}` };
}

async function* responsesEvents(
  open: OpenUpstream,
  meta: CallMeta,
  env: ResponsesEnv,
  counter: { seq: number },
): AsyncGenerator<string[], void> {
  const { deps } = env;
  const providerId = meta.target.providerId;
  let terminal = false;
  let committed = false;
  const servedJson = JSON.stringify(servedModel(meta.target));
  const parser = new SseParser(open.maxBodyBytes);
  const handle = (ev: { event?: string; data: string }): string | undefined => {
    if (ev.data === '' || ev.data === '[DONE]') return undefined;
    const type = ev.event ?? /"type"\s*:\s*"([^"]+)"/.exec(ev.data)?.[1];
    if (type && FAILED.has(type)) throw new InStreamError(failureOf(ev.data, providerId));
    if (ev.data.charCodeAt(0) !== 123 || ev.data.charCodeAt(ev.data.length - 1) !== 125) {
      throw new InStreamError(
        buildErrorInfo('invalid_response', `${providerId}: upstream sent an event that is not a JSON object`),
      );
    }
    counter.seq++;
    if (type && TERMINAL.has(type)) {
      terminal = true;
      const data = JSON.parse(ev.data) as { response?: ResponseObject };
      if (data.response) {
        settleResponse(data.response, meta, deps);
        env.onComplete(data.response, meta);
      }
      return encodeSse({ ...(ev.event !== undefined && { event: ev.event }), data: JSON.stringify(data) });
    }
    if (type?.endsWith('.delta')) addDelivered(meta, textBytesOfEvent(ev.data)); // what a cut-short call is charged
    // Events carrying the whole response object name the served model too (the terminal one is rewritten above).
    if (type && WITH_RESPONSE.has(type)) return encodeSse({ ...ev, data: withModel(ev.data, servedJson) });
    return encodeSse(ev);
  };
  try {
    for await (const buf of open.res.body) {
      const batch: string[] = [];
      for (const ev of parser.push(buf)) {
        const text = handle(ev);
        if (text !== undefined) batch.push(text);
      }
      if (batch.length) {
        meta.firstTokenMs ??= deps.now() - meta.startTime;
        yield batch;
        committed = true;
      }
    }
    const tail: string[] = [];
    for (const ev of parser.end()) {
      const text = handle(ev);
      if (text !== undefined) tail.push(text);
    }
    if (tail.length) yield tail;
    if (!terminal) {
      throw new InStreamError(
        buildErrorInfo('stream_interrupted', `provider "${providerId}" stream ended before completion`),
      );
    }
  } catch (err) {
    const info = err instanceof InStreamError || err instanceof AttemptError ? err.info : open.failure(err);
    meta.error = info;
    throw new AttemptError(info, committed);
  } finally {
    open.done();
    meta.endMs = deps.now() - meta.startTime;
  }
}

export async function responsesPassthrough(
  body: Record<string, unknown>,
  target: RouteTarget,
  ctx: AttemptContext,
  meta: CallMeta,
  env: ResponsesEnv,
): Promise<ResponsesValue> {
  const { req, plan, deps } = env;
  const outgoing = { ...body, model: target.model, ...target.params };
  const spec = openaiLikeSpec('/responses', outgoing, target, env.clientHeaders, req.stream);
  const open = await openUpstream(spec, target, ctx, plan, req, deps);
  meta.headersMs = deps.now() - meta.startTime;
  if (req.stream) {
    const counter = { seq: 0 };
    const primed = await primeStream(responsesEvents(open, meta, env, counter), target.providerId);
    ctx.firstByte();
    return { kind: 'stream', ...primed, meta, nextSequence: () => counter.seq };
  }
  const response = (await readJson(open, target.providerId)) as ResponseObject;
  meta.endMs = deps.now() - meta.startTime;
  settleResponse(response, meta, deps);
  env.onComplete(response, meta);
  return { kind: 'json', response, meta };
}

// /v1/messages → an Anthropic target: the body goes through untouched except `model` (and target params);
// stream events are forwarded as they arrive while usage is read from message_start / message_delta.
import { anthropicUsage, classifyStreamError, type Usage } from '@switchyard/core';
import { encodeSse, SseParser } from '../providers/sse.js';
import { type CallMeta, checkUsage, priceUsage, servedModel } from './call-meta.js';
import { InStreamError } from './chat-stream.js';
import { addDelivered, textBytesOfEvent } from './delivered.js';
import { anthropicSpec } from './forward-headers.js';
import type { HeaderMap, PipelineDeps } from './pipeline-types.js';
import { type AttemptContext, AttemptError, type GatewayRequest, type RoutePlan, type RouteTarget } from './seams.js';
import { primeStream } from './stream-prime.js';
import { type OpenUpstream, openUpstream, readJson } from './upstream-call.js';

export type MessagesPassValue =
  | { kind: 'json'; message: Record<string, unknown>; meta: CallMeta }
  | { kind: 'stream'; head: string[]; tail: AsyncGenerator<string[], void>; meta: CallMeta };

async function* anthropicEvents(
  open: OpenUpstream,
  meta: CallMeta,
  deps: PipelineDeps,
): AsyncGenerator<string[], void> {
  const providerId = meta.target.providerId;
  let usage: Usage | undefined;
  let committed = false;
  const parser = new SseParser(open.maxBodyBytes);
  const handle = (ev: { event?: string; data: string }): string => {
    if (ev.event === 'error') {
      const info = classifyStreamError('anthropic', ev.data);
      throw new InStreamError({ ...info, message: `${providerId}: ${info.message}` });
    }
    if (ev.event === 'message_start' || ev.event === 'message_delta') {
      const data = JSON.parse(ev.data) as {
        message?: { usage?: unknown; model?: string; id?: string };
        usage?: unknown;
        delta?: { stop_reason?: string };
      };
      usage = anthropicUsage(data.message?.usage ?? data.usage, usage);
      if (usage) checkUsage(usage, providerId); // bounded when read, before anything is priced or forwarded
      if (data.message?.model) meta.responseModel = data.message.model;
      if (data.message?.id) meta.responseId = data.message.id;
      if (data.delta?.stop_reason) meta.finishReasons.push(data.delta.stop_reason);
      if (data.message) {
        data.message.model = servedModel(meta.target);
        return encodeSse({ event: ev.event, data: JSON.stringify(data) });
      }
      if (ev.event === 'message_delta') meta.usageFinal = true; // output_tokens there is the final count
    } else if (ev.event === 'content_block_delta') {
      addDelivered(meta, textBytesOfEvent(ev.data));
    }
    return encodeSse(ev);
  };
  try {
    for await (const buf of open.res.body) {
      const batch = parser.push(buf).map(handle);
      if (batch.length) {
        meta.firstTokenMs ??= deps.now() - meta.startTime;
        yield batch;
        committed = true;
      }
    }
    const tail = parser.end().map(handle);
    if (tail.length) yield tail;
  } catch (err) {
    const info = err instanceof InStreamError || err instanceof AttemptError ? err.info : open.failure(err);
    meta.error = info;
    throw new AttemptError(info, committed);
  } finally {
    open.done();
    try {
      if (usage) priceUsage(meta, usage, deps.priceSource);
    } catch {
      // an impossible usage already failed the attempt in handle(); it is never priced
    }
    meta.endMs = deps.now() - meta.startTime;
  }
}

export async function anthropicPassthrough(
  body: Record<string, unknown>,
  target: RouteTarget,
  ctx: AttemptContext,
  meta: CallMeta,
  env: { req: GatewayRequest; plan: RoutePlan; deps: PipelineDeps; clientHeaders: HeaderMap },
): Promise<MessagesPassValue> {
  const { req, plan, deps } = env;
  const spec = anthropicSpec({ ...body, model: target.model, ...target.params }, target, env.clientHeaders);
  const open = await openUpstream(spec, target, ctx, plan, req, deps);
  meta.headersMs = deps.now() - meta.startTime;
  if (req.stream) {
    const primed = await primeStream(anthropicEvents(open, meta, deps), target.providerId);
    ctx.firstByte();
    return { kind: 'stream', ...primed, meta };
  }
  const message = (await readJson(open, target.providerId)) as Record<string, unknown>;
  meta.endMs = deps.now() - meta.startTime;
  if (typeof message.model === 'string') meta.responseModel = message.model;
  message.model = servedModel(target);
  if (typeof message.id === 'string') meta.responseId = message.id;
  if (typeof message.stop_reason === 'string') meta.finishReasons.push(message.stop_reason);
  const usage = anthropicUsage(message.usage);
  if (usage) priceUsage(meta, usage, deps.priceSource);
  return { kind: 'json', message, meta };
}

// The attempt function for chat: one target → its request → upstream → an OpenAI-format result. OpenAI-like
// targets are same-format pass-through; Anthropic and Gemini go through their adapter's pure translators.

import { buildErrorInfo, openaiUsage } from '@switchyard/core';
import { outputCapOf } from '../accounts/pricing.js';
import type { ChatCompletion, ChatCompletionRequest } from '../providers/openai-chat-types.js';
import {
  addWarnings,
  attemptFailure,
  type CallMeta,
  newCallMeta,
  priceUsage,
  servedModel,
  translateOrReject,
} from './call-meta.js';
import { openaiPassthroughStream, type StreamItem, translatedStream } from './chat-stream.js';
import { openaiLikeSpec } from './forward-headers.js';
import { replaceTopLevelMembers } from './json-splice.js';
import type { HeaderMap, PipelineDeps } from './pipeline-types.js';
import { type Attempt, AttemptError, type GatewayRequest, type RoutePlan, type RouteTarget } from './seams.js';
import { primeStream } from './stream-prime.js';
import { openUpstream, readJson, readJsonText } from './upstream-call.js';

export type ChatValue =
  | {
      kind: 'json';
      completion: ChatCompletion;
      meta: CallMeta;
      /** `completion` as JSON text, when it was spliced from the upstream's own text (json-splice.ts). */
      text?: string;
    }
  | { kind: 'stream'; head: StreamItem[]; tail: AsyncGenerator<StreamItem[], void>; meta: CallMeta };

export interface ChatAttemptOptions {
  /** `sse`: same-format events may be forwarded as text; `chunks`: always chunk objects (for re-translation). */
  output: 'sse' | 'chunks';
  clientWantsUsage: boolean;
  clientHeaders: HeaderMap;
  /** Called with the meta of every attempt that failed before commit (for its CallRecord). */
  onFailed(meta: CallMeta): void;
  /** Warnings from translating the client's request into OpenAI Chat (the /v1/messages inbound step). */
  inboundWarnings?: readonly string[];
}

/**
 * The upstream's text with `model` and `usage` replaced by the values of the (already changed) `completion`:
 * exactly what re-serialising `completion` sends for those members, without re-serialising the rest.
 */
function splicedCompletion(text: string, completion: ChatCompletion): string | undefined {
  if (typeof completion !== 'object' || completion === null || Array.isArray(completion)) return undefined;
  const values = new Map([['model', JSON.stringify(completion.model)]]);
  if (Object.hasOwn(completion, 'usage')) values.set('usage', JSON.stringify(completion.usage));
  return replaceTopLevelMembers(text, values);
}

export const isOpenAILike = (t: RouteTarget) => t.kind === 'openai' || t.kind === 'openai-compatible';

export function chatAttempt(
  body: ChatCompletionRequest,
  req: GatewayRequest,
  plan: RoutePlan,
  deps: PipelineDeps,
  opts: ChatAttemptOptions,
): Attempt<ChatValue> {
  return async (target, ctx) => {
    const meta = newCallMeta(target, ctx.kind, 'chat', req.stream, deps.now());
    addWarnings(meta, opts.inboundWarnings);
    meta.outputCapTokens = outputCapOf(req, target, deps.priceSource);
    try {
      return await run(target, meta);
    } catch (err) {
      throw attemptFailure(err, meta, deps, opts.onFailed, 'attempt failed unexpectedly');
    }

    async function run(target: RouteTarget, meta: CallMeta): Promise<ChatValue> {
      const outgoing: ChatCompletionRequest = { ...body, model: target.model, ...target.params };
      const env = () => ({ open, meta, priceSource: deps.priceSource, now: deps.now });
      let open: Awaited<ReturnType<typeof openUpstream>>;

      if (isOpenAILike(target)) {
        // Always ask for usage: the call must be priced even when the client did not ask for the usage chunk.
        if (req.stream) outgoing.stream_options = { ...(body.stream_options ?? {}), include_usage: true };
        const spec = openaiLikeSpec('/chat/completions', outgoing, target, opts.clientHeaders, req.stream);
        open = await openUpstream(spec, target, ctx, plan, req, deps);
        meta.headersMs = deps.now() - meta.startTime;
        if (req.stream) {
          const primed = await primeStream(
            openaiPassthroughStream(env(), opts.output, opts.clientWantsUsage, servedModel(target)),
            target.providerId,
          );
          ctx.firstByte();
          return { kind: 'stream', ...primed, meta };
        }
        const read = await readJsonText(open, target.providerId);
        const completion = read.json as ChatCompletion;
        meta.endMs = deps.now() - meta.startTime;
        meta.responseModel = completion.model;
        completion.model = servedModel(target);
        meta.responseId = completion.id;
        meta.finishReasons = (completion.choices ?? []).flatMap((c) => (c.finish_reason ? [c.finish_reason] : []));
        const usage = openaiUsage(completion.usage);
        const cost = usage ? priceUsage(meta, usage, deps.priceSource) : undefined;
        if (completion.usage && cost !== undefined) completion.usage.cost = cost;
        const text = splicedCompletion(read.text, completion);
        return { kind: 'json', completion, meta, ...(text !== undefined && { text }) };
      }

      // Only translated responses need it: built after the same-format branch, not for every attempt.
      const ctxResp = {
        model: servedModel(target),
        id: `chatcmpl-${req.requestId}`,
        created: Math.floor(req.receivedAt / 1000),
      };
      const adapter = deps.adapterFor(target.kind);
      if (!adapter) {
        throw new AttemptError(buildErrorInfo('unknown', `${target.providerId}: no adapter for kind ${target.kind}`));
      }
      const request = translateOrReject(target, () => adapter.chatRequest(outgoing, target));
      addWarnings(meta, request.warnings);
      open = await openUpstream(request.value, target, ctx, plan, req, deps);
      meta.headersMs = deps.now() - meta.startTime;
      if (req.stream) {
        const translator = adapter.chatStream({ ...ctxResp, includeUsage: opts.clientWantsUsage });
        const primed = await primeStream(translatedStream(env(), translator), target.providerId);
        ctx.firstByte();
        return { kind: 'stream', ...primed, meta };
      }
      const json = await readJson(open, target.providerId);
      meta.endMs = deps.now() - meta.startTime;
      const translated = adapter.chatResponse(json, ctxResp);
      const completion = translated.value;
      meta.responseId = completion.id;
      meta.finishReasons = completion.choices.flatMap((c) => (c.finish_reason ? [c.finish_reason] : []));
      const cost = translated.usage ? priceUsage(meta, translated.usage, deps.priceSource) : undefined;
      if (completion.usage && cost !== undefined) completion.usage.cost = cost;
      return { kind: 'json', completion, meta };
    }
  };
}

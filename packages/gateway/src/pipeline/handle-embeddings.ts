// POST /v1/embeddings: OpenAI-like targets pass through; others use their adapter's embeddings translators.
import { buildErrorInfo, embeddingsUsage, openaiUsage } from '@switchyard/core';
import { inputTokenBound } from '../accounts/input-bound.js';
import type { EmbeddingsRequest, EmbeddingsResponse } from '../providers/openai-chat-types.js';
import {
  addWarnings,
  attemptFailure,
  type CallMeta,
  newCallMeta,
  priceUsage,
  servedModel,
  translateOrReject,
} from './call-meta.js';
import { isOpenAILike } from './chat-attempt.js';
import { openaiLikeSpec } from './forward-headers.js';
import type { PipelineDeps, PipelineInput, PipelineResponse } from './pipeline-types.js';
import { rejectEarly, respondJson, runFlow } from './request-flow.js';
import { embeddingsRequestSchema, parseBody } from './request-schemas.js';
import { AttemptError } from './seams.js';
import { openUpstream, readJson } from './upstream-call.js';

/** Characters of the embeddings input (token-id arrays count ~4 characters per token id). */
function inputChars(input: EmbeddingsRequest['input']): number {
  const one = (x: unknown): number => (typeof x === 'string' ? x.length : Array.isArray(x) ? x.length * 4 : 0);
  return Array.isArray(input) && input.some((x) => typeof x !== 'number')
    ? input.reduce<number>((n, x) => n + one(x), 0)
    : one(input);
}

interface EmbeddingsValue {
  response: EmbeddingsResponse;
  meta: CallMeta;
}

export async function handleEmbeddings(input: PipelineInput, deps: PipelineDeps): Promise<PipelineResponse> {
  let body: EmbeddingsRequest;
  try {
    body = parseBody(embeddingsRequestSchema, input.body) as EmbeddingsRequest;
  } catch (err) {
    return rejectEarly(input, deps, 'embeddings', 'openai', err);
  }
  return runFlow<EmbeddingsValue>(input, deps, {
    endpoint: 'embeddings',
    cacheBody: body,
    api: 'openai',
    model: body.model,
    stream: false,
    inputTokens: inputTokenBound(body.input),
    attempt: (req, plan, onFailed) => async (target, ctx) => {
      const meta = newCallMeta(target, ctx.kind, 'embeddings', false, deps.now());
      try {
        const outgoing: EmbeddingsRequest = { ...body, model: target.model, ...target.params };
        const adapter = isOpenAILike(target) ? undefined : deps.adapterFor(target.kind);
        let spec: ReturnType<typeof openaiLikeSpec>;
        if (isOpenAILike(target)) spec = openaiLikeSpec('/embeddings', outgoing, target, input.headers, false);
        else if (adapter?.embeddingsRequest && adapter.embeddingsResponse) {
          const toUpstream = adapter.embeddingsRequest;
          const translated = translateOrReject(target, () => toUpstream(outgoing, target));
          spec = translated.value;
          addWarnings(meta, translated.warnings);
        } else {
          throw new AttemptError({
            ...buildErrorInfo(
              'bad_request',
              `${target.providerId}: provider kind ${target.kind} has no embeddings API`,
            ),
            fallbackEligible: true,
          });
        }
        const open = await openUpstream(spec, target, ctx, plan, req, deps);
        const json = await readJson(open, target.providerId);
        meta.endMs = deps.now() - meta.startTime;
        let response: EmbeddingsResponse;
        let usage = undefined as ReturnType<typeof openaiUsage>;
        if (adapter?.embeddingsResponse) {
          const ctxResp = { model: servedModel(target), id: req.requestId, created: Math.floor(req.receivedAt / 1000) };
          const out = adapter.embeddingsResponse(json, {
            ...ctxResp,
            encodingFormat: body.encoding_format ?? 'float',
          } as typeof ctxResp);
          response = out.value;
          usage = out.usage;
        } else {
          response = json as EmbeddingsResponse;
          usage = openaiUsage(response.usage);
          meta.responseModel = response.model;
          response.model = servedModel(target);
        }
        // Gemini reports no tokens for embeddings: a call with input is estimated (and flagged), never free.
        const cost = priceUsage(
          meta,
          embeddingsUsage(usage, () => inputChars(body.input)),
          deps.priceSource,
        );
        if (response.usage && cost !== undefined) response.usage.cost = cost;
        return { response, meta };
      } catch (err) {
        throw attemptFailure(err, meta, deps, onFailed, 'embeddings attempt failed unexpectedly');
      }
    },
    respond: ({ value, attempts }, call) => respondJson(call, value.meta, attempts, value.response),
  });
}

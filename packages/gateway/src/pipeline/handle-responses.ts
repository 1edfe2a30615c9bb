// POST /v1/responses (OpenAI Responses API), framework-neutral. Targets with the Responses API (OpenAI, some
// OpenAI-compatible vendors): pass-through. Other targets: the request is translated to OpenAI Chat (the canonical format), run through the chat attempt, and
// translated back to a Responses object or event stream. `previous_response_id` / `item_reference` are resolved
// against the per-key conversation store (responses-store.ts) so a conversation can continue on any provider.
import { buildErrorInfo, ERROR_CLASS_INFO } from '@switchyard/core';
import { inputTokenBound } from '../accounts/input-bound.js';
import { outputCapOf } from '../accounts/pricing.js';
import { fromResponsesRequest } from '../providers/responses-inbound/from-responses-request.js';
import type { ResponsesInputItem, ResponsesRequest } from '../providers/responses-inbound/responses-wire.js';
import type { ResponsesContext } from '../providers/responses-inbound/to-responses-response.js';
import { encodeSse } from '../providers/sse.js';
import { attemptFailure, type CallMeta, newCallMeta, servedModel } from './call-meta.js';
import { chatAttempt } from './chat-attempt.js';
import { badRequest, clientCode } from './client-errors.js';
import type { PipelineDeps, PipelineInput, PipelineResponse } from './pipeline-types.js';
import { clientKeyOf, rejectEarly, respondJson, runFlow } from './request-flow.js';
import { parseBody, responsesBodySchema } from './request-schemas.js';
import {
  asItems,
  bodyForTarget,
  type ConversationContext,
  resolveConversation,
  speaksResponses,
} from './responses-context.js';
import { type ResponseObject, type ResponsesValue, responsesPassthrough } from './responses-passthrough.js';
import { tenantOf } from './responses-store.js';
import { chatToResponses } from './responses-translated.js';
import { AttemptError, GatewayError } from './seams.js';
import { respondStream, type StreamFormat } from './stream-response.js';

const refersBack = (body: ResponsesRequest) =>
  !!body.previous_response_id || (Array.isArray(body.input) && body.input.some((i) => i.type === 'item_reference'));

/**
 * Responses SSE: events pass through as text; after commit a failure ends the stream with one `error` event
 * (`type, code, message, param, sequence_number` as OpenAI sends it). The nested `error` object is an extra that
 * makes openai-node throw an APIError carrying the message instead of ending the stream without a response.
 */
function responsesSseFormat(nextSequence: () => number): StreamFormat<string> {
  return {
    encode: (items) => items.join(''),
    end: () => '',
    error: (info) =>
      encodeSse({
        event: 'error',
        data: JSON.stringify({
          type: 'error',
          sequence_number: nextSequence(),
          code: clientCode(info),
          message: info.message,
          param: null,
          error: { type: ERROR_CLASS_INFO[info.errorClass].openaiType, code: clientCode(info), message: info.message },
        }),
      }),
  };
}

/** A client error found while choosing the body for a target: the attempt's own 400, never a 500. */
function asAttemptError(err: unknown): unknown {
  if (!(err instanceof GatewayError)) return err;
  return new AttemptError({
    ...buildErrorInfo('bad_request', err.message),
    status: err.status,
    ...(err.code !== null && { providerCode: err.code }),
  });
}

export async function handleResponses(input: PipelineInput, deps: PipelineDeps): Promise<PipelineResponse> {
  let body: ResponsesRequest;
  try {
    body = parseBody(responsesBodySchema, input.body) as ResponsesRequest;
    // Background responses are fetched later by polling: the gateway could neither serve nor price them.
    if (body.background) throw badRequest("'background' mode is not supported through the gateway", 'background');
  } catch (err) {
    return rejectEarly(input, deps, 'responses', 'openai', err);
  }
  const store = deps.responsesStore;
  const keep = body.store !== false;
  const tenant = keep || refersBack(body) ? tenantOf(clientKeyOf(input.headers)) : '';
  const conversation: ConversationContext | undefined = refersBack(body)
    ? resolveConversation(body, store, tenant)
    : undefined;
  const stream = body.stream === true;
  const remember = (response: ResponseObject, providerId: string, passthrough: boolean) => {
    if (!keep || typeof response.id !== 'string') return;
    const before: ResponsesInputItem[] = conversation?.items ?? asItems(body.input);
    store.put(
      tenant,
      response.id,
      {
        items: [...before, ...((response.output ?? []) as ResponsesInputItem[])],
        providerId,
        passthrough,
        complete: conversation?.unresolved === undefined,
      },
      conversation?.prefix,
    );
  };

  return runFlow<ResponsesValue>(input, deps, {
    endpoint: 'responses',
    api: 'openai',
    model: body.model,
    stream,
    // The stored conversation is sent upstream too: its bytes bound its tokens like the body's (input-bound.ts).
    inputTokens: inputTokenBound(body) + (conversation?.extraBytes ?? 0),
    ...(body.max_output_tokens != null && { maxOutputTokens: body.max_output_tokens }),
    cacheBody: body,
    // A replayed response continues like a live one; its id is not known upstream, so never pass-through.
    onCacheHit: (response, providerId) => remember(response as ResponseObject, providerId, false),
    attempt: (req, plan, onFailed) => {
      const responseCtx: ResponsesContext = {
        id: `resp_${deps.newId().replaceAll('-', '')}`,
        createdAt: Math.floor(req.receivedAt / 1000),
        model: req.model,
        request: body,
      };
      const onComplete = (response: ResponseObject, meta: CallMeta) =>
        remember(response, meta.target.providerId, speaksResponses(meta.target));
      // Translated once, on first use by a non-OpenAI target.
      let chat: ReturnType<typeof chatAttempt> | undefined;
      const viaChat = (translatedBody: ResponsesRequest) => {
        chat ??= chatAttempt(fromResponsesRequest({ ...translatedBody, stream }).value, req, plan, deps, {
          output: 'chunks',
          clientWantsUsage: true,
          clientHeaders: input.headers,
          onFailed,
        });
        return chat;
      };
      return async (target, ctx) => {
        if (!speaksResponses(target)) {
          let run: ReturnType<typeof chatAttempt>;
          try {
            run = viaChat(bodyForTarget(body, conversation, target));
          } catch (err) {
            throw asAttemptError(err);
          }
          return chatToResponses(await run(target, ctx), { ...responseCtx, model: servedModel(target) }, onComplete);
        }
        const meta = newCallMeta(target, ctx.kind, 'responses', req.stream, deps.now());
        meta.outputCapTokens = outputCapOf(req, target, deps.priceSource);
        try {
          const outgoing = bodyForTarget(body, conversation, target);
          return await responsesPassthrough(outgoing, target, ctx, meta, {
            req,
            plan,
            deps,
            clientHeaders: input.headers,
            onComplete,
          });
        } catch (err) {
          throw attemptFailure(asAttemptError(err), meta, deps, onFailed, 'responses attempt failed unexpectedly');
        }
      };
    },
    respond: ({ value, attempts }, call) =>
      value.kind === 'json'
        ? respondJson(call, value.meta, attempts, value.response)
        : respondStream(call, value, attempts, deps.executor, responsesSseFormat(value.nextSequence)),
  });
}

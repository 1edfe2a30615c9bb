// POST /v1/messages (Anthropic format in and out). Anthropic targets: pass-through. Other targets: the request is
// translated to OpenAI Chat (the canonical format), run through the chat attempt, and translated back.
import { buildErrorInfo } from '@switchyard/core';
import { inputTokenBound, webSearchBound } from '../accounts/input-bound.js';
import { outputCapOf } from '../accounts/pricing.js';
import { estimateAnthropicInputTokens } from '../providers/anthropic-inbound/estimate-tokens.js';
import { fromAnthropicRequest } from '../providers/anthropic-inbound/from-anthropic-request.js';
import type { ChatCompletionRequest } from '../providers/openai-chat-types.js';
import { encodeSse } from '../providers/sse.js';
import { attemptFailure, newCallMeta } from './call-meta.js';
import { chatAttempt } from './chat-attempt.js';
import { anthropicErrorTypeOf } from './client-errors.js';
import { anthropicPassthrough } from './messages-passthrough.js';
import { chatToMessages, type MessagesValue } from './messages-translated.js';
import type { PipelineDeps, PipelineInput, PipelineResponse } from './pipeline-types.js';
import { rejectEarly, respondJson, runFlow } from './request-flow.js';
import { messagesRequestSchema, parseBody } from './request-schemas.js';
import { AttemptError } from './seams.js';
import { respondStream, type StreamFormat } from './stream-response.js';

/** Anthropic events pass through as text; after commit a failure ends the stream with one `error` event. */
const anthropicSseFormat: StreamFormat<string> = {
  encode: (items) => items.join(''),
  end: () => '',
  error: (info) =>
    encodeSse({
      event: 'error',
      data: JSON.stringify({
        type: 'error',
        error: { type: anthropicErrorTypeOf(info), message: info.message },
      }),
    }),
};

export async function handleMessages(input: PipelineInput, deps: PipelineDeps): Promise<PipelineResponse> {
  let body: Record<string, unknown> & { model: string; max_tokens: number; stream?: boolean };
  try {
    body = parseBody(messagesRequestSchema, input.body);
  } catch (err) {
    return rejectEarly(input, deps, 'messages', 'anthropic', err);
  }
  return runFlow<MessagesValue>(input, deps, {
    endpoint: 'messages',
    cacheBody: body,
    api: 'anthropic',
    model: body.model,
    stream: body.stream === true,
    maxOutputTokens: body.max_tokens,
    inputTokens: inputTokenBound(body),
    webSearches: webSearchBound(body as Record<string, unknown>),
    attempt: (req, plan, onFailed) => {
      // Translated once, on first use by a non-Anthropic target (and its input estimate made once, not per attempt).
      let chat: ReturnType<typeof chatAttempt> | undefined;
      let inputEstimate: number | undefined;
      const viaChat = () => {
        if (!chat) {
          const inbound = fromAnthropicRequest(body);
          const translated: ChatCompletionRequest = inbound.value;
          translated.stream = req.stream;
          if (req.stream) translated.stream_options = { include_usage: true };
          chat = chatAttempt(translated, req, plan, deps, {
            output: 'chunks',
            clientWantsUsage: true,
            clientHeaders: input.headers,
            onFailed,
            inboundWarnings: inbound.warnings,
          });
        }
        return chat;
      };
      return async (target, ctx) => {
        if (target.kind !== 'anthropic') {
          let run: ReturnType<typeof chatAttempt>;
          try {
            run = viaChat();
          } catch (err) {
            // The body cannot be expressed in OpenAI Chat: a client error, not the provider's.
            const message = err instanceof Error ? err.message : 'invalid request';
            throw new AttemptError({ ...buildErrorInfo('bad_request', message), status: 400 });
          }
          const value = await run(target, ctx);
          inputEstimate ??= estimateAnthropicInputTokens(body);
          return chatToMessages(value, req, inputEstimate);
        }
        const meta = newCallMeta(target, ctx.kind, 'chat', req.stream, deps.now());
        meta.outputCapTokens = outputCapOf(req, target, deps.priceSource);
        try {
          return await anthropicPassthrough(body, target, ctx, meta, { req, plan, deps, clientHeaders: input.headers });
        } catch (err) {
          throw attemptFailure(err, meta, deps, onFailed, 'messages attempt failed unexpectedly');
        }
      };
    },
    respond: ({ value, attempts }, call) =>
      value.kind === 'json'
        ? respondJson(call, value.meta, attempts, value.message)
        : respondStream(call, value, attempts, deps.executor, anthropicSseFormat),
  });
}

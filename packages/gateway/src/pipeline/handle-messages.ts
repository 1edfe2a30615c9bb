// POST /v1/messages (Anthropic format in and out). Anthropic targets: pass-through. Other targets: the request is
// translated to OpenAI Chat (the canonical format), run through the chat attempt, and translated back.
import { buildErrorInfo } from '@switchyard/core';
import { encodeSse } from '../providers/sse.js';
import { newCallMeta } from './call-meta.js';
import { anthropicErrorType, toClientError } from './client-errors.js';
import { SSE_HEADERS } from './handle-chat.js';
import { anthropicPassthrough, type MessagesPassValue } from './messages-passthrough.js';
import type { PipelineDeps, PipelineInput, PipelineResponse } from './pipeline-types.js';
import { runFlow } from './request-flow.js';
import { messagesRequestSchema, parseBody } from './request-schemas.js';
import { AttemptError } from './seams.js';
import { streamToClient } from './stream-response.js';

export async function handleMessages(
  input: PipelineInput & { bodyBytes?: number },
  deps: PipelineDeps,
): Promise<PipelineResponse> {
  let body: Record<string, unknown> & { model: string; max_tokens: number; stream?: boolean };
  try {
    body = parseBody(messagesRequestSchema, input.body);
  } catch (err) {
    const e = toClientError(err, 'anthropic');
    return { status: e.status, headers: e.headers, json: e.body };
  }
  return runFlow<MessagesPassValue>(input, deps, {
    endpoint: 'messages',
    api: 'anthropic',
    model: body.model,
    stream: body.stream === true,
    maxOutputTokens: body.max_tokens,
    attempt: (req, plan, onFailed) => async (target, ctx) => {
      const meta = newCallMeta(target, ctx.kind, 'chat', req.stream, deps.now());
      try {
        if (target.kind === 'anthropic') {
          return await anthropicPassthrough(body, target, ctx, meta, { req, plan, deps, clientHeaders: input.headers });
        }
        throw new AttemptError({
          ...buildErrorInfo('bad_request', `${target.providerId}: /v1/messages to ${target.kind} is not available yet`),
          fallbackEligible: true,
        });
      } catch (err) {
        meta.error = err instanceof AttemptError ? err.info : buildErrorInfo('unknown', `${target.providerId}: failed`);
        meta.endMs = deps.now() - meta.startTime;
        onFailed(meta);
        if (err instanceof AttemptError) throw err;
        deps.log.error({ err, target: target.id }, 'messages attempt failed unexpectedly');
        throw new AttemptError(meta.error);
      }
    },
    respond({ value, attempts }, call) {
      const headers = call.headers(value.meta, attempts);
      if (value.kind === 'json') {
        call.finish(200, value.meta, attempts);
        return { status: 200, headers, json: value.message };
      }
      return {
        status: 200,
        headers: { ...headers, ...SSE_HEADERS },
        stream: streamToClient(value, attempts, call, deps.executor, {
          encode: (items) => items.join(''),
          end: () => '',
          error: (info) =>
            encodeSse({
              event: 'error',
              data: JSON.stringify({
                type: 'error',
                error: { type: anthropicErrorType(info.status ?? 500), message: info.message },
              }),
            }),
        }),
      };
    },
  });
}

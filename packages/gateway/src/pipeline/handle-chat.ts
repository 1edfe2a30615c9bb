// POST /v1/chat/completions, framework-neutral.
import { ERROR_CLASS_INFO } from '@switchyard/core';
import { inputTokenBound, outputMultiplier } from '../accounts/input-bound.js';
import type { ChatCompletionChunk, ChatCompletionRequest } from '../providers/openai-chat-types.js';
import { encodeSseJson } from '../providers/sse.js';
import { type ChatValue, chatAttempt } from './chat-attempt.js';
import { isValidChatBody } from './chat-body-check.js';
import type { StreamItem } from './chat-stream.js';
import { clientCode } from './client-errors.js';
import type { PipelineDeps, PipelineInput, PipelineResponse } from './pipeline-types.js';
import { rejectEarly, respondJson, runFlow } from './request-flow.js';
import { chatRequestSchema, parseBody } from './request-schemas.js';
import { respondStream, type StreamFormat } from './stream-response.js';

export const openaiSseFormat: StreamFormat<StreamItem> = {
  encode(items) {
    let out = '';
    for (const item of items) out += typeof item === 'string' ? item : encodeSseJson(item as ChatCompletionChunk);
    return out;
  },
  end: () => 'data: [DONE]\n\n',
  error: (info) =>
    encodeSseJson({
      error: {
        message: info.message,
        type: ERROR_CLASS_INFO[info.errorClass].openaiType,
        param: null,
        code: clientCode(info),
      },
    }),
};

export async function handleChat(input: PipelineInput, deps: PipelineDeps): Promise<PipelineResponse> {
  let body: ChatCompletionRequest;
  try {
    body = parseBody(chatRequestSchema, input.body, isValidChatBody) as ChatCompletionRequest;
  } catch (err) {
    return rejectEarly(input, deps, 'chat', 'openai', err);
  }
  const stream = body.stream === true;
  const maxOut = body.max_completion_tokens ?? body.max_tokens ?? undefined;
  return runFlow<ChatValue>(input, deps, {
    endpoint: 'chat',
    cacheBody: body,
    api: 'openai',
    model: body.model,
    stream,
    ...(maxOut != null && { maxOutputTokens: maxOut }),
    inputTokens: inputTokenBound(body),
    outputMultiplier: outputMultiplier(body),
    attempt: (req, plan, onFailed) =>
      chatAttempt(body, req, plan, deps, {
        output: 'sse',
        clientWantsUsage: body.stream_options?.include_usage === true,
        clientHeaders: input.headers,
        onFailed,
      }),
    respond: ({ value, attempts }, call) => {
      // Shadow traffic: decided once the primary is committed; the tap only observes (see compare/shadow).
      const tap = deps.shadow?.begin(call.plan, body, call.req, deps);
      if (value.kind === 'json') {
        const res = respondJson(call, value.meta, attempts, value.completion, value.text);
        tap?.json(value.completion, value.meta);
        return res;
      }
      return respondStream(call, tap ? tap.stream(value) : value, attempts, deps.executor, openaiSseFormat);
    },
  });
}

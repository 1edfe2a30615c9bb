// OpenAI(-compatible) chat.completion → the client's chat.completion: vendor extras kept, `model` set to the
// requested name, and the few fields some vendors omit (content, refusal, logprobs) filled so strict clients parse.
import { openaiUsage, type Usage } from '@switchyard/core';
import type { ChatCompletion } from '../openai-chat-types.js';
import type { ResponseContext, Translated } from '../provider-adapter.js';
import { invalidResponse } from '../translate-common.js';
import { fromOpenAIFinishReason } from './openai-finish-reason.js';
import { openaiCompletionWire } from './openai-wire.js';

export function fromOpenAIResponse(
  body: unknown,
  ctx: ResponseContext,
): Translated<ChatCompletion> & { usage?: Usage } {
  const parsed = openaiCompletionWire.safeParse(body);
  if (!parsed.success) invalidResponse('openai', parsed.error.issues[0]?.message ?? 'bad completion body');
  const res = parsed.data;
  const choices = res.choices.map((c, i) => ({
    ...c,
    index: c.index ?? i,
    message: {
      role: 'assistant',
      ...c.message,
      content: c.message?.content ?? null,
      refusal: c.message?.refusal ?? null,
    },
    finish_reason: fromOpenAIFinishReason(c.finish_reason),
    logprobs: c.logprobs ?? null,
  }));
  const value = {
    ...res,
    id: res.id || ctx.id,
    object: 'chat.completion',
    created: res.created ?? ctx.created,
    model: ctx.model,
    choices,
  } as ChatCompletion;
  const usage = openaiUsage(res.usage);
  return { value, warnings: [], ...(usage && { usage }) };
}

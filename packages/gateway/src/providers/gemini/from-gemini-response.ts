// Gemini generateContent response → OpenAI chat.completion. Thought parts are dropped; function calls get
// stable synthesized ids; a blocked prompt (no candidates) becomes one empty `content_filter` choice.
import { geminiUsage, toOpenAIUsage, type Usage } from '@switchyard/core';
import type { ChatCompletion, ChatToolCall } from '../openai-chat-types.js';
import type { ResponseContext, Translated } from '../provider-adapter.js';
import { assistantChoice, invalidResponse } from '../translate-common.js';
import { fromGeminiFinishReason, geminiToolCallId } from './gemini-finish-reason.js';
import { type GeminiCandidate, geminiResponseSchema } from './gemini-wire.js';

export function fromGeminiResponse(
  body: unknown,
  ctx: ResponseContext,
): Translated<ChatCompletion> & { usage?: Usage } {
  const parsed = geminiResponseSchema.safeParse(body);
  if (!parsed.success) invalidResponse('gemini', parsed.error.issues[0]?.message ?? 'bad response body');
  const res = parsed.data;
  const candidates = res.candidates ?? [];
  const choices: ChatCompletion['choices'] =
    candidates.length > 0
      ? candidates.map((c, i) => toChoice(c, c.index ?? i, ctx.id))
      : [
          {
            index: 0,
            message: { role: 'assistant', content: null, refusal: null },
            finish_reason: res.promptFeedback?.blockReason ? 'content_filter' : 'stop',
            logprobs: null,
          },
        ];
  const usage = geminiUsage(res.usageMetadata);
  const completion: ChatCompletion = {
    id: res.responseId ?? ctx.id,
    object: 'chat.completion',
    created: ctx.created,
    model: ctx.model,
    choices,
    ...(usage && { usage: toOpenAIUsage(usage) }),
  };
  return { value: completion, warnings: [], ...(usage && { usage }) };
}

function toChoice(c: GeminiCandidate, index: number, ctxId: string): ChatCompletion['choices'][number] {
  let text = '';
  const toolCalls: ChatToolCall[] = [];
  for (const p of c.content?.parts ?? []) {
    if (p.thought) continue;
    if (p.text) text += p.text;
    if (p.functionCall) {
      toolCalls.push({
        id: geminiToolCallId(ctxId, index, toolCalls.length),
        type: 'function',
        function: { name: p.functionCall.name ?? '', arguments: JSON.stringify(p.functionCall.args ?? {}) },
      });
    }
  }
  return assistantChoice(text, toolCalls, fromGeminiFinishReason(c.finishReason, toolCalls.length > 0), index);
}

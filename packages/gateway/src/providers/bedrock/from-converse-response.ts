// Bedrock Converse response → OpenAI chat.completion (pure). Converse has no response id: the gateway's is used.
import type { Usage } from '@switchyard/core';
import { bedrockUsage, toOpenAIUsage } from '@switchyard/core';
import type { ChatCompletion, ChatToolCall } from '../openai-chat-types.js';
import type { ResponseContext, Translated } from '../provider-adapter.js';
import { assistantChoice, invalidResponse } from '../translate-common.js';
import { fromConverseStopReason } from './bedrock-usage.js';
import { converseResponseSchema } from './converse-wire.js';

export function fromConverseResponse(
  body: unknown,
  ctx: ResponseContext,
): Translated<ChatCompletion> & { usage?: Usage } {
  const parsed = converseResponseSchema.safeParse(body);
  if (!parsed.success) invalidResponse('bedrock', parsed.error.issues[0]?.message ?? 'bad Converse body');
  const res = parsed.data;
  let text = '';
  const toolCalls: ChatToolCall[] = [];
  for (const block of res.output.message.content) {
    if (typeof block.text === 'string') text += block.text;
    else if (block.toolUse) {
      const { toolUseId, name, input } = block.toolUse;
      toolCalls.push({ id: toolUseId, type: 'function', function: { name, arguments: JSON.stringify(input ?? {}) } });
    }
  }
  const usage = bedrockUsage(res.usage);
  const value: ChatCompletion = {
    id: ctx.id,
    object: 'chat.completion',
    created: ctx.created,
    model: ctx.model,
    choices: [assistantChoice(text, toolCalls, fromConverseStopReason(res.stopReason))],
    ...(usage && { usage: toOpenAIUsage(usage) }),
  };
  return { value, warnings: [], ...(usage && { usage }) };
}

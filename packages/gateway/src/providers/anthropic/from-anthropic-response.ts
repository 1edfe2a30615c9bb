// Anthropic Messages response → OpenAI chat.completion. Thinking blocks are dropped (documented).
import { anthropicUsage, toOpenAIUsage, type Usage } from '@switchyard/core';
import type { ChatCompletion, ChatToolCall } from '../openai-chat-types.js';
import type { ResponseContext, Translated } from '../provider-adapter.js';
import { assistantChoice, invalidResponse } from '../translate-common.js';
import { fromAnthropicStopReason } from './anthropic-finish-reason.js';
import { anthropicMessageSchema, JSON_RESPONSE_TOOL } from './anthropic-wire.js';

export function fromAnthropicResponse(
  body: unknown,
  ctx: ResponseContext,
): Translated<ChatCompletion> & { usage?: Usage } {
  const parsed = anthropicMessageSchema.safeParse(body);
  if (!parsed.success) invalidResponse('anthropic', parsed.error.issues[0]?.message ?? 'bad message body');
  const msg = parsed.data;
  let text = '';
  let jsonAnswer = false;
  const toolCalls: ChatToolCall[] = [];
  for (const block of msg.content) {
    if (block.type === 'text' && 'text' in block) text += block.text;
    else if (block.type === 'tool_use' && 'input' in block) {
      const args = JSON.stringify(block.input ?? {});
      if (block.name === JSON_RESPONSE_TOOL) {
        text += args;
        jsonAnswer = true;
      } else toolCalls.push({ id: block.id, type: 'function', function: { name: block.name, arguments: args } });
    }
  }
  const usage = anthropicUsage(msg.usage);
  const finish = jsonAnswer && msg.stop_reason === 'tool_use' ? 'stop' : fromAnthropicStopReason(msg.stop_reason);
  const completion: ChatCompletion = {
    id: msg.id ?? ctx.id,
    object: 'chat.completion',
    created: ctx.created,
    model: ctx.model,
    choices: [assistantChoice(text, toolCalls, finish)],
    ...(usage && { usage: toOpenAIUsage(usage) }),
  };
  return { value: completion, warnings: [], ...(usage && { usage }) };
}

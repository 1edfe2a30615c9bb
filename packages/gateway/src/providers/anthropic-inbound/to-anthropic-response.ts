// OpenAI chat.completion (from a non-Anthropic target) → Anthropic Messages response for `/v1/messages` clients.
import { type AnthropicUsageObject, toAnthropicUsage, type Usage } from '@switchyard/core';
import { toAnthropicStopReason } from '../anthropic/anthropic-finish-reason.js';
import type { ChatCompletion } from '../openai-chat-types.js';

export type AnthropicOutBlock =
  | { type: 'text'; text: string }
  | { type: 'tool_use'; id: string; name: string; input: unknown };

export interface AnthropicMessageOut {
  id: string;
  type: 'message';
  role: 'assistant';
  model: string;
  content: AnthropicOutBlock[];
  stop_reason: string;
  stop_sequence: null;
  usage: AnthropicUsageObject;
}

/** Tool arguments are a JSON string in OpenAI; Anthropic wants the object. Unparseable text is kept as `{ value }`. */
export function toolInput(args: string): unknown {
  if (args.trim() === '') return {};
  try {
    return JSON.parse(args);
  } catch {
    return { value: args };
  }
}

/** Anthropic ids look like `msg_…`; keep the upstream id readable behind that prefix. */
export function anthropicMessageId(id: string): string {
  return id.startsWith('msg_') ? id : `msg_${id}`;
}

export function toAnthropicResponse(completion: ChatCompletion, usage: Usage): AnthropicMessageOut {
  const choice = completion.choices[0];
  const content: AnthropicOutBlock[] = [];
  const text = choice?.message.content ?? choice?.message.refusal;
  if (text) content.push({ type: 'text', text });
  for (const tc of choice?.message.tool_calls ?? [])
    content.push({ type: 'tool_use', id: tc.id, name: tc.function.name, input: toolInput(tc.function.arguments) });
  return {
    id: anthropicMessageId(completion.id),
    type: 'message',
    role: 'assistant',
    model: completion.model,
    content,
    stop_reason: toAnthropicStopReason(choice?.finish_reason),
    stop_sequence: null,
    usage: toAnthropicUsage(usage),
  };
}

// Test support: drive a ChatStreamTranslator over events and reassemble what a client would see.
import type { ChatCompletionChunk, ChatToolCall } from '../openai-chat-types.js';
import type { ChatStreamTranslator, SseEvent } from '../provider-adapter.js';

export function collectStream(t: ChatStreamTranslator, events: SseEvent[]): ChatCompletionChunk[] {
  const out: ChatCompletionChunk[] = [];
  for (const e of events) out.push(...t.push(e));
  out.push(...t.end());
  return out;
}

/** Accumulate chunks the way the OpenAI SDK does: text by concatenation, tool calls by `index`. */
export function assemble(chunks: ChatCompletionChunk[]): { text: string; toolCalls: ChatToolCall[]; finish?: string } {
  let text = '';
  let finish: string | undefined;
  const calls: ChatToolCall[] = [];
  for (const c of chunks) {
    const choice = c.choices[0];
    if (!choice) continue;
    text += choice.delta.content ?? '';
    for (const d of choice.delta.tool_calls ?? []) {
      calls[d.index] ??= { id: '', type: 'function', function: { name: '', arguments: '' } };
      const call = calls[d.index]!;
      if (d.id) call.id = d.id;
      if (d.function?.name) call.function.name += d.function.name;
      call.function.arguments += d.function?.arguments ?? '';
    }
    if (choice.finish_reason) finish = choice.finish_reason;
  }
  return { text, toolCalls: calls, ...(finish && { finish }) };
}

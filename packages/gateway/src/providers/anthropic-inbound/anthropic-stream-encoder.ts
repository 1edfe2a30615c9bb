// OpenAI chat.completion.chunk sequence → the full Anthropic SSE event sequence for `/v1/messages` stream clients:
// message_start, content_block_start/delta/stop (text_delta, tool_use + input_json_delta), message_delta with
// stop_reason and final usage, message_stop. Usage arrives last in OpenAI streams, so message_start carries the
// caller's input estimate and message_delta repeats the real input counts (newer Anthropic SDKs read them there).
import { openaiUsage, toAnthropicUsage, type Usage } from '@switchyard/core';
import { toAnthropicStopReason } from '../anthropic/anthropic-finish-reason.js';
import type { ChatCompletionChunk } from '../openai-chat-types.js';
import type { SseEvent } from '../provider-adapter.js';
import { anthropicMessageId } from './to-anthropic-response.js';

export interface AnthropicStreamEncoder {
  push(chunk: ChatCompletionChunk): SseEvent[];
  /** `usage`: the normalized usage the gateway measured (else the stream's own usage chunk is used). */
  end(usage?: Usage): SseEvent[];
}

const ev = (type: string, payload: object): SseEvent => ({ event: type, data: JSON.stringify({ type, ...payload }) });

export function createAnthropicStreamEncoder(opts: {
  id: string;
  model: string;
  inputTokens?: number;
}): AnthropicStreamEncoder {
  let started = false;
  let ended = false;
  let open = -1; // index of the open content block, -1 when none
  let openKind: 'text' | 'tool' | undefined;
  let blocks = 0;
  const toolBlocks = new Map<number, number>(); // OpenAI tool index → Anthropic block index
  let stopReason = 'end_turn';
  let seenUsage: Usage | undefined;

  const start = (out: SseEvent[]) => {
    if (started) return;
    started = true;
    out.push(
      ev('message_start', {
        message: {
          id: anthropicMessageId(opts.id),
          type: 'message',
          role: 'assistant',
          model: opts.model,
          content: [],
          stop_reason: null,
          stop_sequence: null,
          usage: { input_tokens: opts.inputTokens ?? 0, output_tokens: 0 },
        },
      }),
    );
  };
  const close = (out: SseEvent[]) => {
    if (open === -1) return;
    out.push(ev('content_block_stop', { index: open }));
    open = -1;
    openKind = undefined;
  };
  const openBlock = (out: SseEvent[], kind: 'text' | 'tool', block: object): number => {
    close(out);
    open = blocks++;
    openKind = kind;
    out.push(ev('content_block_start', { index: open, content_block: block }));
    return open;
  };

  return {
    push(chunk) {
      const out: SseEvent[] = [];
      if (ended) return out;
      start(out);
      if (chunk.usage) seenUsage = openaiUsage(chunk.usage) ?? seenUsage;
      const choice = chunk.choices.find((c) => c.index === 0);
      if (!choice) return out;
      const text = choice.delta.content;
      if (text) {
        if (openKind !== 'text') openBlock(out, 'text', { type: 'text', text: '' });
        out.push(ev('content_block_delta', { index: open, delta: { type: 'text_delta', text } }));
      }
      for (const d of choice.delta.tool_calls ?? []) {
        let index = toolBlocks.get(d.index);
        if (index === undefined) {
          const id = d.id ?? `toolu_${opts.id}_${d.index}`;
          index = openBlock(out, 'tool', { type: 'tool_use', id, name: d.function?.name ?? '', input: {} });
          toolBlocks.set(d.index, index);
        }
        const partial = d.function?.arguments;
        if (partial)
          out.push(ev('content_block_delta', { index, delta: { type: 'input_json_delta', partial_json: partial } }));
      }
      if (choice.finish_reason) stopReason = toAnthropicStopReason(choice.finish_reason);
      return out;
    },
    end(usage) {
      const out: SseEvent[] = [];
      if (ended) return out;
      ended = true;
      start(out);
      close(out);
      const u = usage ?? seenUsage;
      out.push(
        ev('message_delta', {
          delta: { stop_reason: stopReason, stop_sequence: null },
          usage: u ? toAnthropicUsage(u) : { output_tokens: 0 },
        }),
      );
      out.push(ev('message_stop', {}));
      return out;
    },
  };
}

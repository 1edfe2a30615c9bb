// OpenAI chat.completion.chunk sequence → the Responses API SSE event sequence, as OpenAI sends it:
// response.created, response.in_progress, then per output item output_item.added → (content_part.added →
// output_text.delta… → output_text.done → content_part.done | function_call_arguments.delta… → .done) →
// output_item.done, and finally response.completed (or response.incomplete) carrying the full response and usage.
// Every event has a `sequence_number`, counted from 0.
import { openaiUsage, type Usage } from '@switchyard/core';
import type { ChatCompletionChunk, FinishReason } from '../openai-chat-types.js';
import type { SseEvent } from '../provider-adapter.js';
import {
  callItemId,
  messageItemId,
  type OutputItem,
  type ResponsesContext,
  responseEnvelope,
  statusFor,
  toResponsesUsage,
} from './to-responses-response.js';

export interface ResponsesStreamEncoder {
  push(chunk: ChatCompletionChunk): SseEvent[];
  /** `usage`: what the gateway measured (else the stream's own usage chunk); `cost` in USD when known. */
  end(usage?: Usage, cost?: number): SseEvent[];
  /** The next sequence number (for an error event after a failure). */
  nextSequence(): number;
  /** The output items so far (for the conversation store). */
  output(): OutputItem[];
}

interface OpenItem {
  outputIndex: number;
  item: OutputItem;
  done: boolean;
}

export function createResponsesStreamEncoder(ctx: ResponsesContext): ResponsesStreamEncoder {
  let seq = 0;
  let started = false;
  let ended = false;
  const items: OpenItem[] = [];
  let text: OpenItem | undefined; // the open message item, if any
  const calls = new Map<number, OpenItem>(); // Chat tool-call index → its item
  let finish: FinishReason | null = null;
  let seenUsage: Usage | undefined;
  let messages = 0;

  const ev = (type: string, payload: object): SseEvent => ({
    event: type,
    data: JSON.stringify({ type, sequence_number: seq++, ...payload }),
  });
  const start = (out: SseEvent[]) => {
    if (started) return;
    started = true;
    const response = responseEnvelope(ctx, 'in_progress');
    out.push(ev('response.created', { response }), ev('response.in_progress', { response }));
  };
  const add = (out: SseEvent[], item: OutputItem): OpenItem => {
    const open: OpenItem = { outputIndex: items.length, item, done: false };
    items.push(open);
    out.push(ev('response.output_item.added', { output_index: open.outputIndex, item }));
    return open;
  };
  const closeText = (out: SseEvent[], status: 'completed' | 'incomplete') => {
    if (!text) return;
    const open = text;
    text = undefined;
    const item = open.item as Extract<OutputItem, { type: 'message' }>;
    const part = item.content[0] as (typeof item.content)[number];
    const at = { item_id: item.id, output_index: open.outputIndex, content_index: 0 };
    out.push(ev('response.output_text.done', { ...at, text: part.text, logprobs: [] }));
    out.push(ev('response.content_part.done', { ...at, part }));
    item.status = status;
    open.done = true;
    out.push(ev('response.output_item.done', { output_index: open.outputIndex, item }));
  };
  const closeCall = (out: SseEvent[], open: OpenItem) => {
    if (open.done) return;
    const item = open.item as Extract<OutputItem, { type: 'function_call' }>;
    out.push(
      ev('response.function_call_arguments.done', {
        item_id: item.id,
        output_index: open.outputIndex,
        name: item.name,
        arguments: item.arguments,
      }),
    );
    item.status = 'completed';
    open.done = true;
    out.push(ev('response.output_item.done', { output_index: open.outputIndex, item }));
  };

  return {
    push(chunk) {
      const out: SseEvent[] = [];
      if (ended) return out;
      start(out);
      if (chunk.usage) seenUsage = openaiUsage(chunk.usage) ?? seenUsage;
      const choice = chunk.choices.find((c) => c.index === 0);
      if (!choice) return out;
      const delta = choice.delta.content ?? choice.delta.refusal;
      if (delta) {
        if (!text) {
          const item: OutputItem = {
            type: 'message',
            id: messageItemId(ctx.id, messages++),
            status: 'in_progress',
            role: 'assistant',
            content: [],
          };
          text = add(out, item);
          const part = { type: 'output_text' as const, text: '', annotations: [] as [], logprobs: [] as [] };
          out.push(
            ev('response.content_part.added', {
              item_id: item.id,
              output_index: text.outputIndex,
              content_index: 0,
              part,
            }),
          );
          item.content.push({ ...part });
        }
        const item = text.item as Extract<OutputItem, { type: 'message' }>;
        (item.content[0] as { text: string }).text += delta;
        out.push(
          ev('response.output_text.delta', {
            item_id: item.id,
            output_index: text.outputIndex,
            content_index: 0,
            delta,
            logprobs: [],
          }),
        );
      }
      for (const d of choice.delta.tool_calls ?? []) {
        let open = calls.get(d.index);
        if (!open) {
          closeText(out, 'completed');
          open = add(out, {
            type: 'function_call',
            id: callItemId(ctx.id, calls.size),
            call_id: d.id ?? `call_${ctx.id.slice(5)}_${d.index}`,
            name: d.function?.name ?? '',
            arguments: '',
            status: 'in_progress',
          });
          calls.set(d.index, open);
        }
        const item = open.item as Extract<OutputItem, { type: 'function_call' }>;
        const piece = d.function?.arguments;
        if (piece) {
          item.arguments += piece;
          out.push(
            ev('response.function_call_arguments.delta', {
              item_id: item.id,
              output_index: open.outputIndex,
              delta: piece,
            }),
          );
        }
      }
      if (choice.finish_reason) finish = choice.finish_reason;
      return out;
    },
    end(usage, cost) {
      const out: SseEvent[] = [];
      if (ended) return out;
      ended = true;
      start(out);
      const { status, incomplete_details } = statusFor(finish);
      closeText(out, status === 'completed' ? 'completed' : 'incomplete');
      for (const open of calls.values()) closeCall(out, open);
      const u = usage ?? seenUsage;
      const responsesUsage = u ? toResponsesUsage(u) : null;
      if (responsesUsage && cost !== undefined) responsesUsage.cost = cost;
      const response = {
        ...responseEnvelope(ctx, status),
        incomplete_details,
        output: items.map((i) => i.item),
        usage: responsesUsage,
      };
      out.push(ev(status === 'completed' ? 'response.completed' : 'response.incomplete', { response }));
      return out;
    },
    nextSequence: () => seq,
    output: () => items.map((i) => i.item),
  };
}

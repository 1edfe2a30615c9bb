// Anthropic Messages: events ⇄ one message. Replay emits the real event sequence — message_start (usage with
// the input tokens, as clients such as LangChain read them there), per content block a start, its deltas and a
// stop, then message_delta (stop reason, full usage) and message_stop.
import type { Usage } from '@switchyard/core';
import { encodeSse, SseParser } from '../../providers/sse.js';
import type { ClientCodec, StreamRecorder } from './codec.js';

type Json = Record<string, unknown>;

function messagesRecorder(): StreamRecorder {
  const parser = new SseParser();
  let message: Json | undefined;
  const blocks: Json[] = [];
  const partialJson = new Map<number, string>();
  let stopped = false;
  let broken = false;
  const take = (event: string | undefined, data: string) => {
    let ev: Json;
    try {
      ev = JSON.parse(data) as Json;
    } catch {
      broken = true;
      return;
    }
    const type = (ev.type as string | undefined) ?? event;
    const index = Number(ev.index ?? 0);
    switch (type) {
      case 'message_start':
        message = { ...(ev.message as Json) };
        break;
      case 'content_block_start':
        blocks[index] = { ...(ev.content_block as Json) };
        break;
      case 'content_block_delta': {
        const block = blocks[index];
        const d = (ev.delta ?? {}) as Json;
        if (!block) {
          broken = true;
          break;
        }
        if (d.type === 'text_delta') block.text = `${block.text ?? ''}${d.text as string}`;
        else if (d.type === 'input_json_delta') partialJson.set(index, (partialJson.get(index) ?? '') + d.partial_json);
        else if (d.type === 'thinking_delta') block.thinking = `${block.thinking ?? ''}${d.thinking as string}`;
        else if (d.type === 'signature_delta') block.signature = d.signature;
        else if (d.type === 'citations_delta')
          block.citations = [...((block.citations as unknown[]) ?? []), d.citation];
        break;
      }
      case 'content_block_stop': {
        const json = partialJson.get(index);
        const block = blocks[index];
        if (json !== undefined && block) {
          try {
            block.input = json === '' ? {} : JSON.parse(json);
          } catch {
            broken = true;
          }
        }
        break;
      }
      case 'message_delta': {
        if (!message) break;
        Object.assign(message, ev.delta as Json);
        message.usage = { ...(message.usage as Json), ...(ev.usage as Json) };
        break;
      }
      case 'message_stop':
        stopped = true;
        break;
      case 'error':
        broken = true;
        break;
    }
  };
  return {
    push(text) {
      for (const ev of parser.push(text)) take(ev.event, ev.data);
    },
    result(_usage: Usage | undefined) {
      for (const ev of parser.end()) take(ev.event, ev.data);
      if (broken || !stopped || !message || blocks.some((b) => b === undefined)) return undefined;
      return { ...message, content: blocks };
    },
  };
}

const event = (type: string, data: Json) => encodeSse({ event: type, data: JSON.stringify({ type, ...data }) });

function replayStream(body: unknown): string[] {
  const m = body as Json & { content: Json[]; usage?: Json };
  const usage = (m.usage ?? {}) as Json;
  const { content, stop_reason, stop_sequence, ...rest } = m;
  const out = [
    event('message_start', {
      message: { ...rest, content: [], stop_reason: null, stop_sequence: null, usage: { ...usage, output_tokens: 1 } },
    }),
  ];
  content.forEach((block, index) => {
    const type = block.type as string;
    if (type === 'text') {
      out.push(event('content_block_start', { index, content_block: { ...block, text: '' } }));
      if (block.text)
        out.push(event('content_block_delta', { index, delta: { type: 'text_delta', text: block.text } }));
    } else if (type === 'tool_use' || type === 'server_tool_use') {
      out.push(event('content_block_start', { index, content_block: { ...block, input: {} } }));
      const json = JSON.stringify(block.input ?? {});
      if (json !== '{}') {
        out.push(event('content_block_delta', { index, delta: { type: 'input_json_delta', partial_json: json } }));
      }
    } else if (type === 'thinking') {
      out.push(event('content_block_start', { index, content_block: { type, thinking: '', signature: '' } }));
      out.push(event('content_block_delta', { index, delta: { type: 'thinking_delta', thinking: block.thinking } }));
      out.push(event('content_block_delta', { index, delta: { type: 'signature_delta', signature: block.signature } }));
    } else {
      // Blocks that arrive whole (redacted_thinking, tool results): the start event carries them.
      out.push(event('content_block_start', { index, content_block: block }));
    }
    out.push(event('content_block_stop', { index }));
  });
  out.push(event('message_delta', { delta: { stop_reason, stop_sequence: stop_sequence ?? null }, usage }));
  out.push(event('message_stop', {}));
  return out;
}

export const messagesCodec: ClientCodec = { recorder: messagesRecorder, json: (body) => body, stream: replayStream };

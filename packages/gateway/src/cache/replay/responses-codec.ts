// OpenAI Responses: events ⇄ one response object. The terminal event (`response.completed`, or
// `response.incomplete` when a limit cut the answer) carries the whole response, so recording keeps that. Replay
// emits the real sequence: response.created / in_progress, per output item its added event, the text / refusal /
// function-argument deltas and done events, output_item.done, then the terminal event — numbered in order.
import type { Usage } from '@switchyard/core';
import { encodeSse, SseParser } from '../../providers/sse.js';
import type { ClientCodec, ReplayOptions, StreamRecorder } from './codec.js';

type Json = Record<string, unknown>;
const TERMINAL = new Set(['response.completed', 'response.incomplete']);

function responsesRecorder(): StreamRecorder {
  const parser = new SseParser();
  let final: Json | undefined;
  let broken = false;
  const take = (data: string) => {
    let ev: Json;
    try {
      ev = JSON.parse(data) as Json;
    } catch {
      broken = true;
      return;
    }
    if (ev.type === 'error' || ev.type === 'response.failed') broken = true;
    else if (TERMINAL.has(ev.type as string) && ev.response && typeof ev.response === 'object') {
      final = ev.response as Json;
    }
  };
  return {
    push(text) {
      for (const ev of parser.push(text)) take(ev.data);
    },
    result(_usage: Usage | undefined) {
      for (const ev of parser.end()) take(ev.data);
      return broken ? undefined : final;
    },
  };
}

function withCost(response: Json, costUsd: number): Json {
  const usage = response.usage;
  return usage && typeof usage === 'object' ? { ...response, usage: { ...(usage as Json), cost: costUsd } } : response;
}

function replayStream(body: unknown, o: ReplayOptions): string[] {
  const response = withCost(body as Json, o.costUsd);
  const out: string[] = [];
  let seq = 0;
  const ev = (type: string, data: Json) =>
    out.push(encodeSse({ event: type, data: JSON.stringify({ type, sequence_number: seq++, ...data }) }));
  const pending = { ...response, status: 'in_progress', output: [], usage: null, incomplete_details: null };
  ev('response.created', { response: pending });
  ev('response.in_progress', { response: pending });
  const items = (response.output as Json[] | undefined) ?? [];
  items.forEach((item, output_index) => {
    const item_id = item.id;
    if (item.type === 'message') {
      ev('response.output_item.added', { output_index, item: { ...item, status: 'in_progress', content: [] } });
      ((item.content as Json[] | undefined) ?? []).forEach((part, content_index) => {
        const at = { item_id, output_index, content_index };
        if (part.type === 'output_text') {
          ev('response.content_part.added', { ...at, part: { ...part, text: '' } });
          ev('response.output_text.delta', { ...at, delta: part.text, logprobs: [] });
          ev('response.output_text.done', { ...at, text: part.text, logprobs: [] });
        } else if (part.type === 'refusal') {
          ev('response.content_part.added', { ...at, part: { ...part, refusal: '' } });
          ev('response.refusal.delta', { ...at, delta: part.refusal });
          ev('response.refusal.done', { ...at, refusal: part.refusal });
        } else {
          ev('response.content_part.added', { ...at, part });
        }
        ev('response.content_part.done', { ...at, part });
      });
    } else if (item.type === 'function_call') {
      ev('response.output_item.added', { output_index, item: { ...item, status: 'in_progress', arguments: '' } });
      ev('response.function_call_arguments.delta', { item_id, output_index, delta: item.arguments });
      ev('response.function_call_arguments.done', { item_id, output_index, arguments: item.arguments });
    } else {
      // Items that arrive whole (reasoning, tool results): added carries them.
      ev('response.output_item.added', { output_index, item });
    }
    ev('response.output_item.done', { output_index, item });
  });
  ev(response.status === 'incomplete' ? 'response.incomplete' : 'response.completed', { response });
  return out;
}

export const responsesCodec: ClientCodec = {
  recorder: responsesRecorder,
  json: (body, o) => withCost(body as Json, o.costUsd),
  stream: replayStream,
};

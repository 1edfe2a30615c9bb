// OpenAI Chat Completions: chunks ⇄ one chat.completion. Replay emits, per choice, a role chunk, the content
// (and refusal, reasoning text, tool calls) and the finish chunk, then the usage chunk when the client asked.
import type { Usage } from '@switchyard/core';
import type { ChatCompletion, ChatUsage } from '../../providers/openai-chat-types.js';
import { encodeSseJson, SseParser } from '../../providers/sse.js';
import type { ClientCodec, ReplayOptions, StreamRecorder } from './codec.js';

type Json = Record<string, unknown>;
interface ToolCall {
  id?: string;
  type: 'function';
  function: { name: string; arguments: string };
}
interface Choice {
  index: number;
  role?: string;
  text: Record<string, string>;
  toolCalls: ToolCall[];
  finish: string | null;
}

/** The usage object of OpenAI's wire format, from the gateway's normalised usage. */
export function openaiUsageOf(u: Usage, costUsd: number | undefined): ChatUsage {
  const usage: ChatUsage = {
    prompt_tokens: u.inputTokens,
    completion_tokens: u.outputTokens,
    total_tokens: u.inputTokens + u.outputTokens,
    prompt_tokens_details: { cached_tokens: u.cacheReadTokens },
    completion_tokens_details: { reasoning_tokens: u.reasoningTokens },
  };
  if (costUsd !== undefined) usage.cost = costUsd;
  return usage;
}

function chatRecorder(): StreamRecorder {
  const parser = new SseParser();
  const choices = new Map<number, Choice>();
  let head: Json | undefined;
  let usage: ChatUsage | undefined;
  let broken = false;
  const take = (data: string) => {
    if (data === '[DONE]' || data === '') return;
    let chunk: Json;
    try {
      chunk = JSON.parse(data) as Json;
    } catch {
      broken = true;
      return;
    }
    if ('error' in chunk) broken = true;
    head ??= chunk;
    if (chunk.usage && typeof chunk.usage === 'object') usage = chunk.usage as ChatUsage;
    for (const c of (chunk.choices as Json[] | undefined) ?? []) {
      const index = Number(c.index ?? 0);
      let choice = choices.get(index);
      if (!choice) {
        choice = { index, text: {}, toolCalls: [], finish: null };
        choices.set(index, choice);
      }
      const delta = (c.delta ?? {}) as Json;
      for (const [k, v] of Object.entries(delta)) {
        if (k === 'role' && typeof v === 'string') choice.role = v;
        else if (k === 'tool_calls' && Array.isArray(v)) {
          for (const d of v as Json[]) {
            const i = Number(d.index ?? 0);
            const fn = (d.function ?? {}) as Json;
            let tc = choice.toolCalls[i];
            if (!tc) {
              tc = { type: 'function', function: { name: '', arguments: '' } };
              choice.toolCalls[i] = tc;
            }
            if (typeof d.id === 'string') tc.id = d.id;
            if (typeof fn.name === 'string') tc.function.name += fn.name;
            if (typeof fn.arguments === 'string') tc.function.arguments += fn.arguments;
          }
        } else if (typeof v === 'string') choice.text[k] = (choice.text[k] ?? '') + v;
      }
      if (typeof c.finish_reason === 'string') choice.finish = c.finish_reason;
    }
  };
  return {
    push(text) {
      for (const ev of parser.push(text)) take(ev.data);
    },
    result(normalised, costUsd) {
      for (const ev of parser.end()) take(ev.data);
      const list = [...choices.values()].sort((a, b) => a.index - b.index);
      if (broken || !head || list.length === 0 || list.some((c) => c.finish === null)) return undefined;
      const completion: Json = {
        id: head.id,
        object: 'chat.completion',
        created: head.created,
        model: head.model,
        choices: list.map((c) => {
          const { content, refusal, ...extra } = c.text;
          const message: Json = { role: c.role ?? 'assistant', content: content ?? null, refusal: refusal ?? null };
          Object.assign(message, extra);
          const calls = c.toolCalls.filter(Boolean);
          if (calls.length) message.tool_calls = calls;
          return { index: c.index, message, finish_reason: c.finish, logprobs: null };
        }),
      };
      if (typeof head.system_fingerprint === 'string') completion.system_fingerprint = head.system_fingerprint;
      const u = usage ?? (normalised ? openaiUsageOf(normalised, costUsd) : undefined);
      if (u) completion.usage = u;
      return completion;
    },
  };
}

const withCost = (usage: ChatUsage | undefined, costUsd: number) => (usage ? { ...usage, cost: costUsd } : usage);

function replayJson(body: unknown, o: ReplayOptions): unknown {
  const c = body as ChatCompletion;
  return c.usage ? { ...c, usage: withCost(c.usage, o.costUsd) } : c;
}

const STANDARD = new Set(['role', 'content', 'refusal', 'tool_calls']);

function replayStream(body: unknown, o: ReplayOptions): string[] {
  const c = body as ChatCompletion & { choices: Array<{ message: Json }> };
  const base: Json = { id: c.id, object: 'chat.completion.chunk', created: c.created, model: c.model };
  if (c.system_fingerprint) base.system_fingerprint = c.system_fingerprint;
  const out: string[] = [];
  const chunk = (index: number, delta: Json, finish: string | null = null) =>
    out.push(encodeSseJson({ ...base, choices: [{ index, delta, logprobs: null, finish_reason: finish }] }));
  for (const choice of c.choices) {
    const m = choice.message;
    // As providers do: `content: ""` opens a text answer, `null` one that is only tool calls or a refusal.
    chunk(choice.index, {
      role: m.role ?? 'assistant',
      content: typeof m.content === 'string' ? '' : null,
      refusal: null,
    });
    // Reasoning text and other provider extras (e.g. `reasoning_content`) before the answer, as providers send it.
    for (const [k, v] of Object.entries(m))
      if (!STANDARD.has(k) && typeof v === 'string') chunk(choice.index, { [k]: v });
    if (typeof m.content === 'string' && m.content) chunk(choice.index, { content: m.content });
    if (typeof m.refusal === 'string' && m.refusal) chunk(choice.index, { refusal: m.refusal });
    const calls = (m.tool_calls as ToolCall[] | undefined) ?? [];
    calls.forEach((tc, index) => {
      chunk(choice.index, { tool_calls: [{ index, id: tc.id, type: 'function', function: tc.function }] });
    });
    chunk(choice.index, {}, choice.finish_reason);
  }
  if (o.includeUsage && c.usage) {
    out.push(encodeSseJson({ ...base, choices: [], usage: withCost(c.usage, o.costUsd) }));
  }
  out.push('data: [DONE]\n\n');
  return out;
}

export const chatCodec: ClientCodec = { recorder: chatRecorder, json: replayJson, stream: replayStream };

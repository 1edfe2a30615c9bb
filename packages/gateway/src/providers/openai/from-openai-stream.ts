// OpenAI(-compatible) SSE → normalized OpenAI chunks. Mostly pass-through: each chunk is parsed once and fixed
// in place (model name, role on the first chunk, vendor quirks), never rebuilt. Quirks handled, all seen in real
// recordings: usage riding on the finish chunk (DeepSeek, Groq) is split into its own `choices: []` chunk; empty
// `id: ""` / `type` on later tool-call deltas (Qwen) are removed; a missing finish_reason (xAI) becomes null.
import { classifyStreamError, type ErrorInfo, openaiUsage, toOpenAIUsage, type Usage } from '@switchyard/core';
import type { ChatCompletionChunk, FinishReason } from '../openai-chat-types.js';
import type { ChatStreamTranslator, ResponseContext, SseEvent } from '../provider-adapter.js';
import { streamInterrupted } from '../translate-common.js';
import { fromOpenAIFinishReason } from './openai-finish-reason.js';
import type { OpenAIWireChunk } from './openai-wire.js';

export function fromOpenAIStream(ctx: ResponseContext & { includeUsage: boolean }): ChatStreamTranslator {
  let usage: Usage | undefined;
  let usageSent = false;
  let lastId: string | undefined;
  let done = false;
  let error: ErrorInfo | undefined;
  const finishes: FinishReason[] = [];
  const roleSent = new Set<number>();

  const usageChunk = (u: Usage): ChatCompletionChunk => ({
    id: lastId ?? ctx.id,
    object: 'chat.completion.chunk',
    created: ctx.created,
    model: ctx.model,
    choices: [],
    usage: toOpenAIUsage(u),
  });

  return {
    push(event: SseEvent): ChatCompletionChunk[] {
      if (error || done) return [];
      if (event.data === '[DONE]') {
        done = true;
        return [];
      }
      let c: OpenAIWireChunk;
      try {
        c = JSON.parse(event.data) as OpenAIWireChunk;
      } catch {
        error = classifyStreamError('openai', event.data);
        return [];
      }
      if (c.error !== undefined) {
        error = classifyStreamError('openai', c);
        return [];
      }
      c.id ||= lastId ?? ctx.id;
      lastId = c.id;
      c.object = 'chat.completion.chunk';
      c.created ??= ctx.created;
      c.model = ctx.model;
      const choices = c.choices ?? [];
      c.choices = choices;
      const u = c.usage != null ? openaiUsage(c.usage) : undefined;
      if (u) usage = u;
      const out: ChatCompletionChunk[] = [];

      if (choices.length === 0) {
        // Usage-only terminal chunk (or an empty keep-alive): shown only to clients that asked for usage.
        if (u && ctx.includeUsage) {
          usageSent = true;
          out.push(c as unknown as ChatCompletionChunk);
        }
        return out;
      }
      if (u || !ctx.includeUsage) delete c.usage;
      for (const ch of choices) {
        const index = ch.index ?? 0;
        ch.index = index;
        ch.delta ??= {};
        const delta = ch.delta;
        if (!roleSent.has(index)) {
          roleSent.add(index);
          delta.role = 'assistant';
        } else if (delta.role !== undefined) delete delta.role;
        for (const tc of delta.tool_calls ?? []) {
          if (tc.id === '') {
            delete tc.id;
            delete tc.type;
          }
          if (tc.function?.name === '') delete tc.function.name;
        }
        const f = fromOpenAIFinishReason(ch.finish_reason);
        ch.finish_reason = f;
        if (f) finishes.push(f);
      }
      out.push(c as unknown as ChatCompletionChunk);
      return out;
    },
    end(): ChatCompletionChunk[] {
      if (error) return [];
      if (!done && finishes.length === 0) {
        error = streamInterrupted('openai');
        return [];
      }
      return ctx.includeUsage && usage && !usageSent ? [usageChunk(usage)] : [];
    },
    usage: () => usage,
    error: () => error,
    finishReasons: () => finishes,
  };
}

// Gemini streamGenerateContent?alt=sse → OpenAI chunks. Each event is a whole GenerateContentResponse with only
// the new parts; function calls arrive whole (one tool-call delta with full arguments), or on Gemini 3 with streamed
// arguments in pieces (gemini-partial-args.ts: one index per call, arguments sent once complete); usage: last one wins;
// the stream has no end marker, so a stream that closes without a finishReason is reported as interrupted.
import { classifyStreamError, type ErrorInfo, geminiUsage, toOpenAIUsage, type Usage } from '@switchyard/core';
import type { ChatCompletionChunk, FinishReason } from '../openai-chat-types.js';
import type { ChatStreamTranslator, ResponseContext, SseEvent } from '../provider-adapter.js';
import { chunkFactory, streamInterrupted } from '../translate-common.js';
import { fromGeminiFinishReason, geminiToolCallId } from './gemini-finish-reason.js';
import { applyPartialArg, type PartialArg } from './gemini-partial-args.js';
import { geminiResponseSchema } from './gemini-wire.js';

interface ChoiceState {
  tools: number;
  finish?: FinishReason;
  /** A call whose arguments are still streaming (Gemini 3 `willContinue` / `partialArgs`). */
  open?: { index: number; args: Record<string, unknown> };
}

export function fromGeminiStream(ctx: ResponseContext & { includeUsage: boolean }): ChatStreamTranslator {
  const chunk = chunkFactory(ctx);
  let id: string | undefined;
  let usage: Usage | undefined;
  let error: ErrorInfo | undefined;
  const choices = new Map<number, ChoiceState>();

  type Call = { name?: string | null; args?: Record<string, unknown> | null; willContinue?: boolean | null } & {
    partialArgs?: PartialArg[] | null;
  };
  const closeCall = (st: ChoiceState, chunkId: string, choice: number): ChatCompletionChunk => {
    const open = st.open as NonNullable<ChoiceState['open']>;
    st.open = undefined;
    const delta = { index: open.index, function: { arguments: JSON.stringify(open.args) } };
    return chunk(chunkId, { tool_calls: [delta] }, null, choice);
  };
  /** One part of a streamed call: opens it (name delta), gathers partialArgs, closes it (arguments delta). */
  const streamedCall = (st: ChoiceState, fc: Call, chunkId: string, choice: number): ChatCompletionChunk[] => {
    const out: ChatCompletionChunk[] = [];
    // A named part while a call is open starts the next call: close the previous one first.
    if (st.open && fc.name) out.push(closeCall(st, chunkId, choice));
    if (!st.open) {
      const n = st.tools++;
      st.open = { index: n, args: { ...(fc.args ?? {}) } };
      const start = {
        index: n,
        id: geminiToolCallId(ctx.id, choice, n),
        type: 'function' as const,
        function: { name: fc.name ?? '', arguments: '' },
      };
      out.push(chunk(chunkId, { tool_calls: [start] }, null, choice));
    }
    for (const a of fc.partialArgs ?? []) applyPartialArg(st.open.args, a);
    if (!fc.willContinue) out.push(closeCall(st, chunkId, choice));
    return out;
  };

  return {
    push(event: SseEvent): ChatCompletionChunk[] {
      if (error) return [];
      let data: unknown;
      try {
        data = JSON.parse(event.data);
      } catch {
        error = classifyStreamError('gemini', event.data);
        return [];
      }
      if (typeof data === 'object' && data !== null && 'error' in data) {
        error = classifyStreamError('gemini', data);
        return [];
      }
      const parsed = geminiResponseSchema.safeParse(data);
      if (!parsed.success) return [];
      const res = parsed.data;
      id ??= res.responseId ?? ctx.id;
      usage = geminiUsage(res.usageMetadata) ?? usage;
      const out: ChatCompletionChunk[] = [];
      for (const [i, c] of (res.candidates ?? []).entries()) {
        const index = c.index ?? i;
        let st = choices.get(index);
        if (!st) {
          st = { tools: 0 };
          choices.set(index, st);
          out.push(chunk(id, { role: 'assistant', content: '' }, null, index));
        }
        for (const p of c.content?.parts ?? []) {
          if (p.thought) continue;
          if (p.text) out.push(chunk(id, { content: p.text }, null, index));
          const fc = p.functionCall;
          if (fc && (st.open || fc.willContinue || fc.partialArgs)) {
            out.push(...streamedCall(st, fc, id, index));
            continue;
          }
          if (fc && (fc.name || fc.args)) {
            const n = st.tools++;
            const call = {
              index: n,
              id: geminiToolCallId(ctx.id, index, n),
              type: 'function' as const,
              function: { name: fc.name ?? '', arguments: JSON.stringify(fc.args ?? {}) },
            };
            out.push(chunk(id, { tool_calls: [call] }, null, index));
          }
        }
        if (c.finishReason && !st.finish) {
          if (st.open) out.push(closeCall(st, id, index));
          st.finish = fromGeminiFinishReason(c.finishReason, st.tools > 0);
          out.push(chunk(id, {}, st.finish, index));
        }
      }
      return out;
    },
    end(): ChatCompletionChunk[] {
      if (error) return [];
      const finished = [...choices.values()].some((s) => s.finish);
      if (!finished) {
        error = streamInterrupted('gemini');
        return [];
      }
      if (!ctx.includeUsage || !usage) return [];
      return [{ ...chunk(id ?? ctx.id, {}), choices: [], usage: toOpenAIUsage(usage) }];
    },
    usage: () => usage,
    error: () => error,
    finishReasons: () => [...choices.values()].flatMap((s) => (s.finish ? [s.finish] : [])),
  };
}

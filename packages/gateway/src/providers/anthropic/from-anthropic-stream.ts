// Anthropic Messages SSE → OpenAI chat.completion.chunk sequence. Thinking deltas are dropped, ping ignored,
// an `event: error` sets error() and ends translation. Tool calls are numbered among tool calls only.
import { anthropicUsage, classifyStreamError, type ErrorInfo, toOpenAIUsage, type Usage } from '@switchyard/core';
import type { ChatCompletionChunk, FinishReason } from '../openai-chat-types.js';
import type { ChatStreamTranslator, ResponseContext, SseEvent } from '../provider-adapter.js';
import { chunkFactory, streamInterrupted } from '../translate-common.js';
import { fromAnthropicStopReason } from './anthropic-finish-reason.js';
import { anthropicStreamEventSchema, JSON_RESPONSE_TOOL } from './anthropic-wire.js';

type BlockKind = { kind: 'text' } | { kind: 'tool'; toolIndex: number } | { kind: 'json' } | { kind: 'skip' };

export function fromAnthropicStream(ctx: ResponseContext & { includeUsage: boolean }): ChatStreamTranslator {
  const chunk = chunkFactory(ctx);
  let id = ctx.id;
  let usage: Usage | undefined;
  let error: ErrorInfo | undefined;
  let finish: FinishReason | undefined;
  let started = false;
  let finished = false;
  let stopped = false;
  let tools = 0;
  let jsonAnswer = false;
  const blocks = new Map<number, BlockKind>();

  const start = (out: ChatCompletionChunk[]) => {
    if (started) return;
    started = true;
    out.push(chunk(id, { role: 'assistant', content: '' }));
  };
  const finishChunks = (out: ChatCompletionChunk[]) => {
    if (finished || finish === undefined) return;
    finished = true;
    start(out);
    out.push(chunk(id, {}, finish));
    if (ctx.includeUsage && usage) out.push({ ...chunk(id, {}), choices: [], usage: toOpenAIUsage(usage) });
  };

  return {
    push(event: SseEvent): ChatCompletionChunk[] {
      if (error || stopped) return [];
      let data: unknown;
      try {
        data = JSON.parse(event.data);
      } catch {
        error = classifyStreamError('anthropic', event.data);
        return [];
      }
      const parsed = anthropicStreamEventSchema.safeParse(data);
      if (!parsed.success) return []; // unknown event types are future additions: skip them
      const e = parsed.data;
      const out: ChatCompletionChunk[] = [];
      switch (e.type) {
        case 'message_start':
          id = e.message.id ?? id;
          usage = anthropicUsage(e.message.usage);
          start(out);
          break;
        case 'content_block_start': {
          start(out);
          const b = e.content_block;
          if (b.type === 'text') {
            blocks.set(e.index, { kind: 'text' });
            if (b.text) out.push(chunk(id, { content: b.text }));
          } else if (b.type === 'tool_use' && b.name === JSON_RESPONSE_TOOL) {
            blocks.set(e.index, { kind: 'json' });
            jsonAnswer = true;
          } else if (b.type === 'tool_use') {
            const toolIndex = tools++;
            blocks.set(e.index, { kind: 'tool', toolIndex });
            out.push(
              chunk(id, {
                tool_calls: [
                  {
                    index: toolIndex,
                    id: b.id ?? '',
                    type: 'function',
                    function: { name: b.name ?? '', arguments: '' },
                  },
                ],
              }),
            );
          } else blocks.set(e.index, { kind: 'skip' }); // thinking, redacted_thinking, server tools
          break;
        }
        case 'content_block_delta': {
          const b = blocks.get(e.index);
          const d = e.delta;
          if (b?.kind === 'text' && d.type === 'text_delta' && d.text) out.push(chunk(id, { content: d.text }));
          else if (b?.kind === 'json' && d.type === 'input_json_delta' && d.partial_json)
            out.push(chunk(id, { content: d.partial_json }));
          else if (b?.kind === 'tool' && d.type === 'input_json_delta' && d.partial_json)
            out.push(chunk(id, { tool_calls: [{ index: b.toolIndex, function: { arguments: d.partial_json } }] }));
          break;
        }
        case 'message_delta':
          usage = anthropicUsage(e.usage, usage);
          if (e.delta?.stop_reason) {
            finish =
              jsonAnswer && e.delta.stop_reason === 'tool_use' ? 'stop' : fromAnthropicStopReason(e.delta.stop_reason);
          }
          break;
        case 'message_stop':
          stopped = true;
          finish ??= 'stop';
          finishChunks(out);
          break;
        case 'error':
          error = classifyStreamError('anthropic', data);
          break;
        default: // ping, content_block_stop
          break;
      }
      return out;
    },
    end(): ChatCompletionChunk[] {
      const out: ChatCompletionChunk[] = [];
      if (error) return out;
      if (!stopped) {
        error = streamInterrupted('anthropic');
        return out;
      }
      finishChunks(out);
      return out;
    },
    usage: () => usage,
    error: () => error,
    finishReasons: () => (finish ? [finish] : []),
  };
}

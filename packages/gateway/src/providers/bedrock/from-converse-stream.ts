// Bedrock ConverseStream events → OpenAI chunks (pure). The transport turns the binary event stream into events
// named by `:event-type` (messageStart, contentBlockStart/Delta/Stop, messageStop, metadata) or `exception`.
// Tool calls are numbered among tool calls only; reasoning deltas are dropped.
import { bedrockUsage, classifyStreamError, type ErrorInfo, toOpenAIUsage, type Usage } from '@switchyard/core';
import type { ChatCompletionChunk, FinishReason } from '../openai-chat-types.js';
import type { ChatStreamTranslator, ResponseContext, SseEvent } from '../provider-adapter.js';
import { chunkFactory, streamInterrupted } from '../translate-common.js';
import { fromConverseStopReason } from './bedrock-usage.js';
import type { ConverseUsage } from './converse-wire.js';

interface StreamEvent {
  contentBlockIndex?: number;
  start?: { toolUse?: { toolUseId?: string; name?: string } };
  delta?: { text?: string; toolUse?: { input?: string } };
  stopReason?: string;
  usage?: ConverseUsage;
}

export function fromConverseStream(ctx: ResponseContext & { includeUsage: boolean }): ChatStreamTranslator {
  const chunk = chunkFactory(ctx);
  let usage: Usage | undefined;
  let error: ErrorInfo | undefined;
  let finish: FinishReason | undefined;
  let started = false;
  const toolIndex = new Map<number, number>();

  const start = (out: ChatCompletionChunk[]) => {
    if (started) return;
    started = true;
    out.push(chunk(ctx.id, { role: 'assistant', content: '' }));
  };

  return {
    push(event: SseEvent): ChatCompletionChunk[] {
      if (error) return [];
      if (event.event === 'exception') {
        error = classifyStreamError('bedrock', event.data);
        return [];
      }
      let e: StreamEvent;
      try {
        e = JSON.parse(event.data) as StreamEvent;
      } catch {
        error = streamInterrupted('bedrock');
        return [];
      }
      const out: ChatCompletionChunk[] = [];
      switch (event.event) {
        case 'messageStart':
          start(out);
          break;
        case 'contentBlockStart': {
          const tool = e.start?.toolUse;
          if (!tool) break;
          start(out);
          const index = toolIndex.size;
          toolIndex.set(e.contentBlockIndex ?? 0, index);
          out.push(
            chunk(ctx.id, {
              tool_calls: [
                {
                  index,
                  id: tool.toolUseId ?? '',
                  type: 'function',
                  function: { name: tool.name ?? '', arguments: '' },
                },
              ],
            }),
          );
          break;
        }
        case 'contentBlockDelta': {
          start(out);
          if (typeof e.delta?.text === 'string' && e.delta.text !== '')
            out.push(chunk(ctx.id, { content: e.delta.text }));
          const input = e.delta?.toolUse?.input;
          const index = toolIndex.get(e.contentBlockIndex ?? 0);
          if (typeof input === 'string' && index !== undefined)
            out.push(chunk(ctx.id, { tool_calls: [{ index, function: { arguments: input } }] }));
          break;
        }
        case 'messageStop':
          start(out);
          finish = fromConverseStopReason(e.stopReason);
          out.push(chunk(ctx.id, {}, finish));
          break;
        case 'metadata':
          usage = bedrockUsage(e.usage) ?? usage;
          break;
      }
      return out;
    },
    end(): ChatCompletionChunk[] {
      if (error) return [];
      if (finish === undefined) {
        error = streamInterrupted('bedrock');
        return [];
      }
      if (!ctx.includeUsage || !usage) return [];
      return [
        {
          id: ctx.id,
          object: 'chat.completion.chunk',
          created: ctx.created,
          model: ctx.model,
          choices: [],
          usage: toOpenAIUsage(usage),
        },
      ];
    },
    usage: () => usage,
    error: () => error,
    finishReasons: () => (finish ? [finish] : []),
  };
}

// Azure OpenAI SSE → OpenAI chunks: the OpenAI stream translator, plus Azure's first chunk (`choices: []` carrying
// only `prompt_filter_results`), whose annotations ride on the next chunk instead of being dropped.

import { fromOpenAIStream } from '../openai/from-openai-stream.js';
import type { ChatCompletionChunk } from '../openai-chat-types.js';
import type { ChatStreamTranslator, ResponseContext } from '../provider-adapter.js';

export function fromAzureStream(ctx: ResponseContext & { includeUsage: boolean }): ChatStreamTranslator {
  const inner = fromOpenAIStream(ctx);
  let pending: unknown;
  return {
    ...inner,
    push(event) {
      if (event.data.includes('"prompt_filter_results"')) {
        try {
          const c = JSON.parse(event.data) as { choices?: unknown[]; usage?: unknown; prompt_filter_results?: unknown };
          if ((c.choices ?? []).length === 0 && c.usage == null) {
            pending = c.prompt_filter_results;
            return [];
          }
        } catch {
          // Not JSON: the OpenAI translator reports it.
        }
      }
      const out = inner.push(event);
      const first = out[0] as (ChatCompletionChunk & { prompt_filter_results?: unknown }) | undefined;
      if (pending !== undefined && first) {
        first.prompt_filter_results = pending;
        pending = undefined;
      }
      return out;
    },
  };
}

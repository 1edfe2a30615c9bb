// The token rule applied to OpenAI Chat Completions requests, and the usage object OpenAI reports.
import type { OutputPlan } from '../plan.js';
import { countInputTokens } from '../tokens.js';
import type { Scenario } from '../types.js';

type Obj = Record<string, unknown>;

function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  let out = '';
  for (const part of content as Obj[]) if (typeof part?.text === 'string') out += part.text;
  return out;
}

/** Text of one message: its content plus any tool calls' names and arguments. */
export function openaiMessageText(message: unknown): string {
  const m = (message ?? {}) as Obj;
  let text = contentText(m.content);
  if (Array.isArray(m.tool_calls)) {
    for (const call of m.tool_calls as Obj[]) {
      const fn = (call?.function ?? {}) as Obj;
      text += String(fn.name ?? '') + String(fn.arguments ?? '');
    }
  }
  return text;
}

/** Input tokens the OpenAI simulator reports for a chat request body (`prompt_tokens`). */
export function openaiInputTokens(body: unknown): number {
  const b = (body ?? {}) as Obj;
  const messages = Array.isArray(b.messages) ? b.messages : [];
  const tools = Array.isArray(b.tools) && b.tools.length > 0 ? JSON.stringify(b.tools) : undefined;
  return countInputTokens(messages.map(openaiMessageText), tools);
}

export function openaiUsage(
  inputTokens: number,
  plan: Pick<OutputPlan, 'visibleTokens' | 'reasoningTokens'>,
  scenario: Scenario,
) {
  const completion = plan.visibleTokens + plan.reasoningTokens;
  return {
    prompt_tokens: inputTokens,
    completion_tokens: completion,
    total_tokens: inputTokens + completion,
    prompt_tokens_details: { cached_tokens: Math.min(scenario.cachedTokens ?? 0, inputTokens), audio_tokens: 0 },
    completion_tokens_details: {
      reasoning_tokens: plan.reasoningTokens,
      audio_tokens: 0,
      accepted_prediction_tokens: 0,
      rejected_prediction_tokens: 0,
    },
  };
}

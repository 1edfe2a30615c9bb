// The token rule applied to Anthropic Messages requests, and Anthropic's disjoint usage split.
import type { OutputPlan } from '../plan.js';
import { countInputTokens } from '../tokens.js';
import type { Scenario } from '../types.js';

type Obj = Record<string, unknown>;

function blockText(block: Obj): string {
  switch (block.type) {
    case 'text':
      return String(block.text ?? '');
    case 'thinking':
      return String(block.thinking ?? '');
    case 'tool_use':
      return String(block.name ?? '') + JSON.stringify(block.input ?? {});
    case 'tool_result':
      return anthropicContentText(block.content);
    default:
      return '';
  }
}

export function anthropicContentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  let out = '';
  for (const block of content as Obj[]) if (block && typeof block === 'object') out += blockText(block);
  return out;
}

/**
 * Total input tokens for a Messages request body: the system prompt (one message, when present) and each
 * message, plus the tools JSON. The simulator reports this total split as input_tokens + cache_read + cache_write.
 */
export function anthropicInputTokens(body: unknown): number {
  const b = (body ?? {}) as Obj;
  const texts: string[] = [];
  if (b.system !== undefined) texts.push(anthropicContentText(b.system));
  if (Array.isArray(b.messages)) for (const m of b.messages as Obj[]) texts.push(anthropicContentText(m?.content));
  const tools = Array.isArray(b.tools) && b.tools.length > 0 ? JSON.stringify(b.tools) : undefined;
  return countInputTokens(texts, tools);
}

export interface AnthropicUsageSplit {
  input_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
}

/** Cache reads and writes come out of the total first (clamped), the rest is input_tokens. */
export function anthropicInputSplit(total: number, scenario: Scenario): AnthropicUsageSplit {
  const read = Math.min(scenario.cachedTokens ?? 0, total);
  const write = Math.min(scenario.cacheWriteTokens ?? 0, total - read);
  return { input_tokens: total - read - write, cache_creation_input_tokens: write, cache_read_input_tokens: read };
}

export function anthropicUsage(split: AnthropicUsageSplit, plan: OutputPlan) {
  return {
    ...split,
    cache_creation: { ephemeral_5m_input_tokens: split.cache_creation_input_tokens, ephemeral_1h_input_tokens: 0 },
    output_tokens: plan.visibleTokens + plan.reasoningTokens,
    service_tier: 'standard',
  };
}

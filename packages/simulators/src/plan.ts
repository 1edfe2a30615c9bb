// What a simulated model "says" for a request: pure, deterministic in (request hash, scenario, limits).

import { seedOf } from './ids.js';
import { argsFromSchema, exampleFromSchema } from './schema-args.js';
import { DEFAULT_OUTPUT_TOKENS, DEFAULT_REASONING_TOKENS, generateWords, toolCallTokens } from './tokens.js';
import type { Scenario } from './types.js';

export interface ToolSpec {
  name: string;
  schema: unknown;
}

export interface PlanInput {
  hash: string;
  scenario: Scenario;
  /** The request's output cap (includes reasoning), if any. */
  maxTokens?: number;
  /** Tools the model may call; empty or undefined = answer with text. */
  tools?: readonly ToolSpec[];
  /** Call exactly this tool. */
  forcedTool?: string;
  /** false = at most one call even if the scenario asks for more. */
  parallelAllowed?: boolean;
  /** The request asked for visible thinking (Anthropic thinking / Gemini includeThoughts). */
  thinking?: boolean;
  /** Structured output: answer with JSON (matching `schema` when one is given) instead of prose. */
  json?: { schema?: unknown };
  /**
   * The conversation ends with tool results and tools are not forced: answer with text, as a model does once it
   * has what it asked for (so multi-step tool loops terminate).
   */
  afterToolResult?: boolean;
}

export interface PlannedCall {
  name: string;
  args: Record<string, unknown>;
  argsJson: string;
}

export interface OutputPlan {
  /** Visible text, one word per token. Empty when the model calls tools. */
  words: string[];
  /** Visible thinking text (only when `thinking` was requested). */
  thinkingWords: string[];
  reasoningTokens: number;
  calls: PlannedCall[];
  /** Output tokens excluding reasoning: words + tool calls. */
  visibleTokens: number;
  /** True when the cap cut the text short (finish reason "length"). */
  truncated: boolean;
}

export function planOutput(input: PlanInput): OutputPlan {
  const { hash, scenario } = input;
  const reasoningTokens = scenario.reasoningTokens ?? (input.thinking ? DEFAULT_REASONING_TOKENS : 0);
  const thinkingWords = input.thinking ? generateWords(seedOf(hash, 7), reasoningTokens) : [];
  const calls = planCalls(input);
  if (calls.length > 0) {
    let visibleTokens = 0;
    for (const c of calls) visibleTokens += toolCallTokens(c.name, c.argsJson);
    return { words: [], thinkingWords, reasoningTokens, calls, visibleTokens, truncated: false };
  }
  if (input.json) {
    // JSON text split at its spaces so it streams in pieces: `words.join(' ')` is the exact JSON.
    const example = exampleFromSchema(input.json.schema ?? { type: 'object', properties: {} }, seedOf(hash, 3));
    const words = JSON.stringify(example).split(' ');
    return { words, thinkingWords, reasoningTokens, calls, visibleTokens: words.length, truncated: false };
  }
  const wanted = Math.max(0, Math.floor(scenario.outputTokens ?? DEFAULT_OUTPUT_TOKENS));
  const cap = input.maxTokens === undefined ? wanted : Math.max(0, input.maxTokens - reasoningTokens);
  const count = Math.min(wanted, cap);
  const words = generateWords(seedOf(hash), count);
  return { words, thinkingWords, reasoningTokens, calls, visibleTokens: count, truncated: count < wanted };
}

function planCalls(input: PlanInput): PlannedCall[] {
  const tools = input.tools ?? [];
  if (tools.length === 0) return [];
  if (input.afterToolResult && input.forcedTool === undefined) return [];
  const forced = input.forcedTool === undefined ? undefined : tools.find((t) => t.name === input.forcedTool);
  const wanted = Math.max(1, Math.floor(input.scenario.parallelToolCalls ?? 1));
  const count = forced || input.parallelAllowed === false ? 1 : wanted;
  const calls: PlannedCall[] = [];
  for (let i = 0; i < count; i++) {
    const tool = forced ?? (tools[i % tools.length] as ToolSpec);
    const args = argsFromSchema(tool.schema, seedOf(input.hash, 1000 + i));
    calls.push({ name: tool.name, args, argsJson: JSON.stringify(args) });
  }
  return calls;
}

// OpenAI chat.completion (what every translated target produces) → an OpenAI Responses API `response` object.
// The request's own settings are echoed as OpenAI does (instructions, tools, text, reasoning, metadata, ...).
import type { Usage } from '@switchyard/core';
import type { ChatCompletion, FinishReason } from '../openai-chat-types.js';
import type { ResponsesRequest } from './responses-wire.js';

export type ResponseStatus = 'completed' | 'incomplete' | 'in_progress';

export interface ResponsesUsage {
  input_tokens: number;
  input_tokens_details: { cached_tokens: number };
  output_tokens: number;
  output_tokens_details: { reasoning_tokens: number };
  total_tokens: number;
  /** Switchyard extra, as in Chat: the call's cost in USD. */
  cost?: number;
}

export type OutputItem =
  | {
      type: 'message';
      id: string;
      status: 'in_progress' | 'completed' | 'incomplete';
      role: 'assistant';
      content: Array<{ type: 'output_text'; text: string; annotations: []; logprobs: [] }>;
    }
  | {
      type: 'function_call';
      id: string;
      call_id: string;
      name: string;
      arguments: string;
      status: 'in_progress' | 'completed' | 'incomplete';
    };

/** Ids and clock values the caller supplies (translators have no clock and no randomness). */
export interface ResponsesContext {
  /** `resp_…`: also the key of the conversation store. */
  id: string;
  /** unix seconds */
  createdAt: number;
  /** The model name to report (the name the client asked for). */
  model: string;
  request: ResponsesRequest;
}

export function toResponsesUsage(u: Usage): ResponsesUsage {
  return {
    input_tokens: u.inputTokens,
    input_tokens_details: { cached_tokens: u.cacheReadTokens },
    output_tokens: u.outputTokens,
    output_tokens_details: { reasoning_tokens: u.reasoningTokens },
    total_tokens: u.inputTokens + u.outputTokens,
  };
}

/** Status and incomplete_details for a Chat finish reason. */
export function statusFor(finish: FinishReason | null | undefined): {
  status: 'completed' | 'incomplete';
  incomplete_details: { reason: string } | null;
} {
  if (finish === 'length') return { status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' } };
  if (finish === 'content_filter') return { status: 'incomplete', incomplete_details: { reason: 'content_filter' } };
  return { status: 'completed', incomplete_details: null };
}

/** Output item ids derive from the response id, so they are unique wherever the response id is. */
export const messageItemId = (responseId: string, n: number) => `msg_${responseId.slice(5)}_${n}`;
export const callItemId = (responseId: string, n: number) => `fc_${responseId.slice(5)}_${n}`;

/** The `response` object with everything but output, usage and status (shared by JSON and every stream event). */
export function responseEnvelope(ctx: ResponsesContext, status: ResponseStatus): Record<string, unknown> {
  const r = ctx.request;
  return {
    id: ctx.id,
    object: 'response',
    created_at: ctx.createdAt,
    status,
    background: false,
    error: null,
    incomplete_details: null,
    instructions: r.instructions ?? null,
    max_output_tokens: r.max_output_tokens ?? null,
    max_tool_calls: null,
    model: ctx.model,
    output: [],
    parallel_tool_calls: r.parallel_tool_calls ?? true,
    previous_response_id: r.previous_response_id ?? null,
    reasoning: { effort: r.reasoning?.effort ?? null, summary: null },
    service_tier: 'default',
    store: r.store ?? true,
    temperature: r.temperature ?? 1,
    text: { format: r.text?.format ?? { type: 'text' }, verbosity: 'medium' },
    tool_choice: r.tool_choice ?? 'auto',
    tools: r.tools ?? [],
    top_logprobs: 0,
    top_p: r.top_p ?? 1,
    truncation: 'disabled',
    usage: null,
    user: r.user ?? null,
    metadata: r.metadata ?? {},
  };
}

export function toResponsesResponse(completion: ChatCompletion, usage: Usage, ctx: ResponsesContext) {
  const choice = completion.choices[0];
  const { status, incomplete_details } = statusFor(choice?.finish_reason);
  const itemStatus = status === 'completed' ? 'completed' : 'incomplete';
  const output: OutputItem[] = [];
  const text = choice?.message.content ?? choice?.message.refusal;
  if (text) {
    output.push({
      type: 'message',
      id: messageItemId(ctx.id, 0),
      status: itemStatus,
      role: 'assistant',
      content: [{ type: 'output_text', text, annotations: [], logprobs: [] }],
    });
  }
  (choice?.message.tool_calls ?? []).forEach((call, i) => {
    output.push({
      type: 'function_call',
      id: callItemId(ctx.id, i),
      call_id: call.id,
      name: call.function.name,
      arguments: call.function.arguments,
      status: 'completed',
    });
  });
  const responsesUsage = toResponsesUsage(usage);
  if (completion.usage?.cost !== undefined) responsesUsage.cost = completion.usage.cost;
  return { ...responseEnvelope(ctx, status), status, incomplete_details, output, usage: responsesUsage };
}

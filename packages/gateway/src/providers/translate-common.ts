// Small pure helpers shared by the provider translators. Nothing here knows a concrete provider.
import type { ErrorInfo } from '@switchyard/core';
import { AttemptError, GatewayError } from '../pipeline/seams.js';
import type {
  ChatCompletion,
  ChatCompletionChunk,
  ChatCompletionRequest,
  ChatContentPart,
  ChatMessage,
  ChatToolCall,
  FinishReason,
} from './openai-chat-types.js';
import type { ResponseContext, UpstreamTarget } from './provider-adapter.js';

/** The client's request with the target's configured parameter overrides merged over it. */
export function withTargetParams(req: ChatCompletionRequest, target: UpstreamTarget): ChatCompletionRequest {
  return target.params ? ({ ...req, ...target.params } as ChatCompletionRequest) : req;
}

/** `https://x/v1/` → `https://x/v1`: the URL conventions append paths with a leading slash. */
export function trimSlash(url: string): string {
  return url.endsWith('/') ? url.slice(0, -1) : url;
}

/** A parameter no target can honour as asked: 400 `invalid_request_error`, `unsupported_parameter`. */
export function rejectParam(param: string, message: string): never {
  throw new GatewayError(400, 'invalid_request_error', 'unsupported_parameter', message, {}, param);
}

/** An upstream 2xx body we cannot read: the attempt failed (retry/fallback may still apply). */
export function invalidResponse(provider: string, detail: string): never {
  const info: ErrorInfo = {
    errorClass: 'invalid_response',
    retryable: false,
    fallbackEligible: true,
    message: `${provider} returned a response the gateway could not read: ${detail}`,
  };
  throw new AttemptError(info);
}

/** A stream that closed before its provider's end marker. */
export function streamInterrupted(provider: string): ErrorInfo {
  return {
    errorClass: 'stream_interrupted',
    retryable: true,
    fallbackEligible: true,
    message: `${provider} stream ended before the response was complete`,
  };
}

export interface DataUrl {
  mediaType: string;
  data: string;
}

/** `data:image/png;base64,AAAA` → { mediaType, data }; anything else (http URLs) → undefined. */
export function parseDataUrl(url: string): DataUrl | undefined {
  if (!url.startsWith('data:')) return undefined;
  const comma = url.indexOf(',');
  const semi = url.lastIndexOf(';base64', comma);
  if (comma === -1 || semi === -1) return undefined;
  return { mediaType: url.slice(5, semi) || 'application/octet-stream', data: url.slice(comma + 1) };
}

/** The text of a message's content: string as is, text parts joined (non-text parts are not text). */
export function contentText(content: ChatMessage['content']): string {
  if (content == null) return '';
  if (typeof content === 'string') return content;
  let out = '';
  for (const p of content) if (p.type === 'text') out += p.text;
  return out;
}

/** Content as a list of parts (a string becomes one text part). */
export function contentParts(content: ChatMessage['content']): ChatContentPart[] {
  if (content == null) return [];
  if (typeof content === 'string') return content === '' ? [] : [{ type: 'text', text: content }];
  return content;
}

/**
 * Tool-call `arguments` (a JSON string) → object for providers that want objects. Empty means `{}`.
 * Invalid JSON or a non-object is kept under `{ value }` with a warning rather than silently emptied.
 */
export function parseToolArguments(args: string, warnings: string[]): Record<string, unknown> {
  if (args.trim() === '') return {};
  try {
    const v: unknown = JSON.parse(args);
    if (typeof v === 'object' && v !== null && !Array.isArray(v)) return v as Record<string, unknown>;
    warnings.push('tool call arguments were not a JSON object; sent as { value }');
    return { value: v };
  } catch {
    warnings.push('tool call arguments were not valid JSON; sent as { value: "<raw string>" }');
    return { value: args };
  }
}

/** `stop` as a list (OpenAI allows a string or up to 4 strings). */
export function stopList(stop: ChatCompletionRequest['stop']): string[] | undefined {
  if (stop == null) return undefined;
  const list = typeof stop === 'string' ? [stop] : stop;
  return list.length > 0 ? list : undefined;
}

/** `max_completion_tokens ?? max_tokens` — the output cap as OpenAI defines it. */
export function maxOutput(req: ChatCompletionRequest): number | undefined {
  return req.max_completion_tokens ?? req.max_tokens ?? undefined;
}

/** OpenAI fields the cross-format translators read; any other field is reported as dropped. */
const READ_FIELDS = new Set([
  'model',
  'messages',
  'temperature',
  'top_p',
  'max_tokens',
  'max_completion_tokens',
  'stop',
  'n',
  'seed',
  'user',
  'stream',
  'stream_options',
  'presence_penalty',
  'frequency_penalty',
  'tools',
  'tool_choice',
  'parallel_tool_calls',
  'response_format',
  'reasoning_effort',
]);

/** One warning naming the client fields a cross-format target does not receive. */
export function warnUnread(req: ChatCompletionRequest, warnings: string[], alsoDropped: string[] = []): void {
  const dropped = [...alsoDropped];
  for (const k of Object.keys(req)) if (!READ_FIELDS.has(k) && req[k] !== undefined) dropped.push(k);
  if (dropped.length > 0) warnings.push(`dropped parameters the target cannot honour: ${dropped.join(', ')}`);
}

/** One non-streamed assistant choice: `content` is null when the answer is only tool calls, as OpenAI sends it. */
export function assistantChoice(
  text: string,
  toolCalls: ChatToolCall[],
  finish: FinishReason,
  index = 0,
): ChatCompletion['choices'][number] {
  return {
    index,
    message: {
      role: 'assistant',
      content: text === '' && toolCalls.length > 0 ? null : text,
      refusal: null,
      ...(toolCalls.length > 0 && { tool_calls: toolCalls }),
    },
    finish_reason: finish,
    logprobs: null,
  };
}

/** A chunk builder bound to one response: same id/created/model on every chunk, as OpenAI sends them. */
export function chunkFactory(ctx: ResponseContext) {
  return (
    id: string,
    delta: ChatCompletionChunk['choices'][number]['delta'],
    finish: FinishReason | null = null,
    index = 0,
  ): ChatCompletionChunk => ({
    id,
    object: 'chat.completion.chunk',
    created: ctx.created,
    model: ctx.model,
    choices: [{ index, delta, finish_reason: finish }],
  });
}

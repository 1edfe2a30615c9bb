// Inbound Anthropic Messages request → the gateway's canonical OpenAI request (for a NON-Anthropic target;
// an Anthropic target gets the body passed through). Invalid input → 400 GatewayError naming the bad path.
import { GatewayError } from '../../pipeline/seams.js';
import type { ChatCompletionRequest, ChatContentPart, ChatMessage, ChatTool } from '../openai-chat-types.js';
import type { Translated } from '../provider-adapter.js';
import {
  type AnthropicInboundRequest,
  anthropicInboundRequestSchema,
  type InboundBlock,
} from './anthropic-inbound-wire.js';

const KNOWN = new Set(Object.keys(anthropicInboundRequestSchema.shape));

/** thinking.budget_tokens → reasoning_effort (the inverse of the outbound budgets: 1024 / 4096 / 16384). */
export function effortForBudget(budget: number): 'low' | 'medium' | 'high' {
  return budget <= 2048 ? 'low' : budget <= 8192 ? 'medium' : 'high';
}

export function fromAnthropicRequest(body: unknown): Translated<ChatCompletionRequest> {
  const parsed = anthropicInboundRequestSchema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue?.path.join('.') ?? '';
    throw new GatewayError(
      400,
      'invalid_request_error',
      null,
      `${path}: ${issue?.message ?? 'invalid request'}`,
      {},
      path,
    );
  }
  const a = parsed.data;
  const warnings: string[] = [];
  const messages: ChatMessage[] = [];
  if (typeof a.system === 'string' && a.system !== '') messages.push({ role: 'system', content: a.system });
  else if (Array.isArray(a.system)) for (const b of a.system) messages.push({ role: 'system', content: b.text });
  for (const m of a.messages) messages.push(...toMessages(m, warnings));

  const out: ChatCompletionRequest = { model: a.model, messages, max_completion_tokens: a.max_tokens };
  if (a.temperature != null) out.temperature = a.temperature;
  if (a.top_p != null) out.top_p = a.top_p;
  if (a.stop_sequences?.length) out.stop = a.stop_sequences;
  if (a.stream) {
    out.stream = true;
    out.stream_options = { include_usage: true }; // Anthropic streams always end with usage
  }
  if (a.metadata?.user_id) out.user = a.metadata.user_id;
  applyTools(a, out, warnings);
  applyOutputFormat(a, out, warnings);
  if (a.thinking?.type === 'enabled' && a.thinking.budget_tokens)
    out.reasoning_effort = effortForBudget(a.thinking.budget_tokens);
  else if (a.thinking?.type === 'adaptive') out.reasoning_effort = 'medium';
  const dropped = Object.keys(a).filter((k) => !KNOWN.has(k));
  if (a.top_k != null) dropped.push('top_k');
  if (dropped.length > 0) warnings.push(`dropped parameters the target cannot honour: ${dropped.join(', ')}`);
  return { value: out, warnings };
}

function toMessages(m: AnthropicInboundRequest['messages'][number], warnings: string[]): ChatMessage[] {
  if (typeof m.content === 'string') return [{ role: m.role, content: m.content }];
  const out: ChatMessage[] = [];
  const parts: ChatContentPart[] = [];
  let text = '';
  const toolCalls: NonNullable<ChatMessage['tool_calls']> = [];
  for (const b of m.content as InboundBlock[]) {
    if (b.type === 'text' && 'text' in b && typeof b.text === 'string') {
      parts.push({ type: 'text', text: b.text });
      text += b.text;
    } else if (b.type === 'image' && 'source' in b) {
      const url = sourceUrl(b.source);
      if (url) parts.push({ type: 'image_url', image_url: { url } });
      else warnings.push('image block with an unsupported source type dropped');
    } else if (b.type === 'document' && 'source' in b) {
      const url = sourceUrl(b.source);
      if (url?.startsWith('data:')) parts.push({ type: 'file', file: { file_data: url, filename: 'document.pdf' } });
      else warnings.push('document block without base64 data dropped');
    } else if (b.type === 'tool_use' && 'id' in b && typeof b.id === 'string' && typeof b.name === 'string') {
      toolCalls.push({
        id: b.id,
        type: 'function',
        function: { name: b.name, arguments: JSON.stringify(b.input ?? {}) },
      });
    } else if (b.type === 'tool_result' && 'tool_use_id' in b && typeof b.tool_use_id === 'string') {
      if (b.is_error) warnings.push('tool_result is_error flag dropped (OpenAI tool messages have none)');
      out.push({ role: 'tool', tool_call_id: b.tool_use_id, content: toolResultText(b.content, warnings) });
    } else if (b.type === 'thinking' || b.type === 'redacted_thinking') {
      warnings.push('thinking block dropped (not portable to other providers)');
    } else warnings.push(`${b.type} block dropped (not supported for non-Anthropic targets)`);
  }
  if (m.role === 'assistant') {
    if (text !== '' || toolCalls.length > 0)
      out.push({
        role: 'assistant',
        content: text === '' ? null : text,
        ...(toolCalls.length > 0 && { tool_calls: toolCalls }),
      });
  } else if (parts.length > 0) {
    out.push({ role: 'user', content: parts });
  }
  return out;
}

function sourceUrl(s: unknown): string | undefined {
  const o = s as { type?: string; media_type?: string; data?: string; url?: string };
  if (o.type === 'base64' && o.media_type && o.data !== undefined) return `data:${o.media_type};base64,${o.data}`;
  if (o.type === 'url' && o.url) return o.url;
  return undefined;
}

function toolResultText(content: unknown, warnings: string[]): string {
  if (content == null) return '';
  if (typeof content === 'string') return content;
  let text = '';
  for (const b of content as Array<{ type: string; text?: string }>) {
    if (b.type === 'text' && typeof b.text === 'string') text += b.text;
    else warnings.push(`${b.type} inside tool_result dropped (OpenAI tool results are text)`);
  }
  return text;
}

/** output_config.format (or the beta's output_format) → response_format json_schema (→ Gemini responseJsonSchema). */
function applyOutputFormat(a: AnthropicInboundRequest, out: ChatCompletionRequest, warnings: string[]): void {
  const format = a.output_config?.format ?? a.output_format;
  const rest = a.output_config ? Object.keys(a.output_config).filter((k) => k !== 'format') : [];
  if (rest.length > 0) warnings.push(`output_config.${rest.join(', output_config.')} dropped (Anthropic-only)`);
  if (!format) return;
  if (format.type !== 'json_schema') {
    warnings.push(`output_config.format type ${format.type} dropped (only json_schema translates)`);
    return;
  }
  out.response_format = {
    type: 'json_schema',
    json_schema: { name: 'output', schema: format.schema ?? { type: 'object' }, strict: true },
  };
}

function applyTools(a: AnthropicInboundRequest, out: ChatCompletionRequest, warnings: string[]): void {
  const tools: ChatTool[] = [];
  for (const t of a.tools ?? []) {
    if (t.type && t.type !== 'custom') {
      warnings.push(`server tool ${t.name} (${t.type}) dropped: only Anthropic runs it`);
      continue;
    }
    tools.push({
      type: 'function',
      function: {
        name: t.name,
        ...(t.description != null && { description: t.description }),
        parameters: t.input_schema ?? { type: 'object', properties: {} },
      },
    });
  }
  if (tools.length > 0) out.tools = tools;
  const tc = a.tool_choice;
  if (!tc || tools.length === 0) return;
  if (tc.type === 'auto') out.tool_choice = 'auto';
  else if (tc.type === 'any') out.tool_choice = 'required';
  else if (tc.type === 'none') out.tool_choice = 'none';
  else if (tc.type === 'tool' && tc.name) out.tool_choice = { type: 'function', function: { name: tc.name } };
  if (tc.disable_parallel_tool_use) out.parallel_tool_calls = false;
}

// OpenAI Chat Completions request → Anthropic Messages request. Pure; rules documented in docs/translation.md.
import type { ChatCompletionRequest, ChatContentPart, ChatMessage } from '../openai-chat-types.js';
import type { Translated } from '../provider-adapter.js';
import {
  contentParts,
  contentText,
  maxOutput,
  parseDataUrl,
  parseToolArguments,
  rejectParam,
  stopList,
  warnUnread,
} from '../translate-common.js';
import {
  type AnthropicContentBlock,
  type AnthropicMessage,
  type AnthropicRequest,
  type AnthropicTool,
  type AnthropicToolChoice,
  JSON_RESPONSE_TOOL,
} from './anthropic-wire.js';

/** Anthropic requires max_tokens; when the client gave none we send this (no current Claude model is lower). */
export const ANTHROPIC_DEFAULT_MAX_TOKENS = 4096;
/** Older models whose max output is below the default (prefix match). */
const LOWER_MAX_OUTPUT: Array<[prefix: string, max: number]> = [
  ['claude-2', 4096],
  ['claude-instant', 4096],
];

export function defaultAnthropicMaxTokens(model: string): number {
  for (const [prefix, max] of LOWER_MAX_OUTPUT) if (model.startsWith(prefix)) return Math.min(max, 4096);
  return ANTHROPIC_DEFAULT_MAX_TOKENS;
}

/** reasoning_effort → thinking budget_tokens (Anthropic minimum is 1024). `minimal`/`none` → no thinking. */
export const ANTHROPIC_THINKING_BUDGET: Record<string, number> = { low: 1024, medium: 4096, high: 16384 };

export function toAnthropicRequest(req: ChatCompletionRequest, model: string): Translated<AnthropicRequest> {
  const warnings: string[] = [];
  if (req.n != null && req.n > 1) rejectParam('n', 'n > 1 is not supported by Anthropic targets (one choice only)');

  const system: Array<{ type: 'text'; text: string }> = [];
  const messages: AnthropicMessage[] = [];
  let seenConversation = false;
  for (const m of req.messages) {
    if (m.role === 'system' || m.role === 'developer') {
      if (seenConversation) warnings.push(`a ${m.role} message after the conversation started was moved to system`);
      const text = contentText(m.content);
      if (text !== '') system.push({ type: 'text', text });
      continue;
    }
    seenConversation = true;
    const turn = toTurn(m, warnings);
    if (turn.content.length === 0) {
      warnings.push(`an empty ${m.role} message was skipped`);
      continue;
    }
    const last = messages.at(-1);
    // Anthropic alternates roles; consecutive tool results (and a user message after them) share one user turn.
    if (last && last.role === turn.role) (last.content as AnthropicContentBlock[]).push(...turn.content);
    else messages.push(turn);
  }

  const out: AnthropicRequest = {
    model,
    max_tokens: maxOutput(req) ?? defaultAnthropicMaxTokens(model),
    messages,
  };
  if (system.length > 0) out.system = system.length === 1 ? system[0]!.text : system;
  if (req.temperature != null) {
    out.temperature = Math.min(1, Math.max(0, req.temperature));
    if (out.temperature !== req.temperature)
      warnings.push(`temperature ${req.temperature} clamped to Anthropic's 0..1`);
  }
  if (req.top_p != null) out.top_p = req.top_p;
  const stop = stopList(req.stop);
  if (stop) out.stop_sequences = stop;
  if (req.stream) out.stream = true;
  if (req.user) out.metadata = { user_id: req.user };
  const dropped: string[] = [];
  if (req.seed != null) dropped.push('seed');
  if (req.presence_penalty != null) dropped.push('presence_penalty');
  if (req.frequency_penalty != null) dropped.push('frequency_penalty');

  applyTools(req, out, warnings);
  applyThinking(req, out, warnings);
  warnUnread(req, warnings, dropped);
  return { value: out, warnings };
}

function toTurn(m: ChatMessage, warnings: string[]): { role: 'user' | 'assistant'; content: AnthropicContentBlock[] } {
  if (m.role === 'tool') {
    return {
      role: 'user',
      content: [{ type: 'tool_result', tool_use_id: m.tool_call_id ?? '', content: contentText(m.content) }],
    };
  }
  if (m.name) warnings.push('message name dropped (Anthropic has no participant names)');
  const blocks: AnthropicContentBlock[] = [];
  for (const p of contentParts(m.content)) {
    const b = toBlock(p, warnings);
    if (b) blocks.push(b);
  }
  if (m.role === 'assistant') {
    if (typeof m.refusal === 'string' && blocks.length === 0) blocks.push({ type: 'text', text: m.refusal });
    for (const tc of m.tool_calls ?? []) {
      const input = parseToolArguments(tc.function.arguments, warnings);
      blocks.push({ type: 'tool_use', id: tc.id, name: tc.function.name, input });
    }
    return { role: 'assistant', content: blocks };
  }
  return { role: 'user', content: blocks };
}

function toBlock(p: ChatContentPart, warnings: string[]): AnthropicContentBlock | undefined {
  switch (p.type) {
    case 'text':
      return p.text === '' ? undefined : { type: 'text', text: p.text };
    case 'image_url': {
      const d = parseDataUrl(p.image_url.url);
      return d
        ? { type: 'image', source: { type: 'base64', media_type: d.mediaType, data: d.data } }
        : { type: 'image', source: { type: 'url', url: p.image_url.url } };
    }
    case 'file': {
      const d = p.file.file_data ? parseDataUrl(p.file.file_data) : undefined;
      if (d) return { type: 'document', source: { type: 'base64', media_type: d.mediaType, data: d.data } };
      warnings.push('file part without inline file_data dropped (file ids are OpenAI-only)');
      return undefined;
    }
    default:
      warnings.push(`${p.type} content part dropped (not supported by Anthropic)`);
      return undefined;
  }
}

function applyTools(req: ChatCompletionRequest, out: AnthropicRequest, warnings: string[]): void {
  const tools: AnthropicTool[] = (req.tools ?? []).map((t) => ({
    name: t.function.name,
    ...(t.function.description !== undefined && { description: t.function.description }),
    input_schema: t.function.parameters ?? { type: 'object', properties: {} },
  }));
  const rf = req.response_format;
  if (rf && rf.type !== 'text') {
    // Documented rule: JSON output uses a forced synthetic tool; with the client's own tools it cannot be forced.
    if (tools.length > 0) rejectParam('response_format', 'response_format with tools is not supported for Anthropic');
    const schema = rf.type === 'json_schema' ? (rf.json_schema.schema ?? { type: 'object' }) : { type: 'object' };
    const description =
      rf.type === 'json_schema' && rf.json_schema.description
        ? rf.json_schema.description
        : 'Reply by calling this tool; its input is your whole answer as JSON.';
    out.tools = [{ name: JSON_RESPONSE_TOOL, description, input_schema: schema }];
    out.tool_choice = { type: 'tool', name: JSON_RESPONSE_TOOL };
    if (req.tool_choice !== undefined) warnings.push('tool_choice ignored: response_format forces the JSON tool');
    return;
  }
  if (tools.length === 0) {
    if (req.tool_choice !== undefined || req.parallel_tool_calls !== undefined)
      warnings.push('tool_choice/parallel_tool_calls dropped: no tools');
    return;
  }
  out.tools = tools;
  const noParallel = req.parallel_tool_calls === false;
  const tc = req.tool_choice;
  let choice: AnthropicToolChoice | undefined;
  if (tc === 'none') choice = { type: 'none' };
  else if (tc === 'required') choice = { type: 'any' };
  else if (typeof tc === 'object') choice = { type: 'tool', name: tc.function.name };
  else if (tc === 'auto' || noParallel) choice = { type: 'auto' };
  if (choice && noParallel && choice.type !== 'none') choice.disable_parallel_tool_use = true;
  if (choice) out.tool_choice = choice;
}

function applyThinking(req: ChatCompletionRequest, out: AnthropicRequest, warnings: string[]): void {
  const effort = req.reasoning_effort;
  if (effort === undefined) return;
  const budget = ANTHROPIC_THINKING_BUDGET[effort];
  if (budget === undefined) return; // none / minimal: no extended thinking
  const forced = out.tool_choice?.type === 'any' || out.tool_choice?.type === 'tool';
  if (forced) {
    warnings.push('reasoning_effort dropped: Anthropic thinking cannot be combined with a forced tool');
    return;
  }
  // With thinking on, Anthropic wants the assistant turn of an ongoing tool loop to start with its own signed
  // thinking block, which an OpenAI-format history cannot carry: continuing such a loop must go without thinking.
  const lastAssistant = out.messages.findLast((m) => m.role === 'assistant');
  const inToolLoop = Array.isArray(lastAssistant?.content) && lastAssistant.content.some((b) => b.type === 'tool_use');
  if (inToolLoop) {
    warnings.push('reasoning_effort dropped: Anthropic thinking cannot continue a tool loop from an OpenAI history');
    return;
  }
  // Thinking counts inside max_tokens and must leave room for the answer.
  const fitted = Math.min(budget, Math.floor(out.max_tokens / 2));
  if (fitted < 1024) {
    warnings.push(
      `reasoning_effort dropped: max_tokens ${out.max_tokens} leaves no room for a 1024-token thinking budget`,
    );
    return;
  }
  out.thinking = { type: 'enabled', budget_tokens: fitted };
  if (out.temperature !== undefined) {
    delete out.temperature;
    warnings.push('temperature dropped: Anthropic thinking requires the default temperature');
  }
}

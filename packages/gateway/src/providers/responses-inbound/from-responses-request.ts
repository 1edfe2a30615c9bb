// Inbound Responses API request → the gateway's canonical OpenAI Chat request (for a NON-OpenAI target; OpenAI
// targets get the body passed through). `previous_response_id` and `item_reference` items must already be
// resolved by the caller (the conversation store): this function only reads the request it is given.
// Anything that cannot be expressed for another provider is a 400 naming the field, never a silent change of
// meaning; parameters with no effect elsewhere are dropped with a warning.
import { badRequest } from '../../pipeline/client-errors.js';
import type {
  ChatCompletionRequest,
  ChatContentPart,
  ChatMessage,
  ChatTool,
  ChatToolCall,
  ChatToolChoice,
} from '../openai-chat-types.js';
import type { Translated } from '../provider-adapter.js';
import type { ResponsesInputItem, ResponsesRequest } from './responses-wire.js';

/** Fields that are read below, or that only the gateway acts on (store, streaming, echo in the response). */
const HANDLED = new Set([
  'model',
  'input',
  'instructions',
  'tools',
  'tool_choice',
  'parallel_tool_calls',
  'text',
  'reasoning',
  'max_output_tokens',
  'temperature',
  'top_p',
  'metadata',
  'user',
  'safety_identifier',
  'stream',
  'store',
  'previous_response_id',
  'include',
  'stream_options',
  'truncation',
  'service_tier',
  'prompt_cache_key',
  'background',
]);

type Part = { type: string; [k: string]: unknown };

export function fromResponsesRequest(r: ResponsesRequest): Translated<ChatCompletionRequest> {
  const warnings: string[] = [];
  // State that lives in OpenAI's account: without it the request would silently mean something else.
  for (const param of ['conversation', 'prompt'] as const) {
    if ((r as Record<string, unknown>)[param] != null)
      throw badRequest(`'${param}' refers to state stored at OpenAI: it is only available on OpenAI targets`, param);
  }
  const messages: ChatMessage[] = [];
  if (r.instructions) messages.push({ role: 'system', content: r.instructions });
  if (typeof r.input === 'string') messages.push({ role: 'user', content: r.input });
  else
    (r.input ?? []).forEach((item, i) => {
      addItem(messages, item, `input[${i}]`, warnings);
    });
  if (!messages.some((m) => m.role !== 'system')) throw badRequest("'input' must contain at least one item", 'input');

  const out: ChatCompletionRequest = { model: r.model, messages };
  if (r.max_output_tokens != null) out.max_completion_tokens = r.max_output_tokens;
  if (r.temperature != null) out.temperature = r.temperature;
  if (r.top_p != null) out.top_p = r.top_p;
  if (r.parallel_tool_calls != null) out.parallel_tool_calls = r.parallel_tool_calls;
  const user = r.user ?? r.safety_identifier;
  if (user) out.user = user;
  const effort = r.reasoning?.effort;
  if (effort && effort !== 'none') out.reasoning_effort = effort === 'minimal' ? 'low' : effort;
  applyFormat(r, out);
  applyTools(r, out, warnings);
  if (r.stream) {
    out.stream = true;
    out.stream_options = { include_usage: true };
  }
  const dropped = Object.keys(r).filter((k) => !HANDLED.has(k) && (r as Record<string, unknown>)[k] != null);
  if (dropped.length > 0) warnings.push(`dropped parameters the target cannot honour: ${dropped.join(', ')}`);
  return { value: out, warnings };
}

function addItem(messages: ChatMessage[], item: ResponsesInputItem, path: string, warnings: string[]): void {
  const type = item.type ?? (item.role ? 'message' : undefined);
  switch (type) {
    case 'message':
      addMessage(messages, item, path, warnings);
      return;
    case 'function_call': {
      if (!item.call_id || !item.name) throw badRequest(`${path}: a function_call needs call_id and name`, path);
      const call: ChatToolCall = {
        id: item.call_id,
        type: 'function',
        function: { name: item.name, arguments: item.arguments ?? '{}' },
      };
      // Consecutive calls (and the text before them) are one assistant turn in Chat.
      const last = messages[messages.length - 1];
      if (last?.role === 'assistant') last.tool_calls = [...(last.tool_calls ?? []), call];
      else messages.push({ role: 'assistant', content: null, tool_calls: [call] });
      return;
    }
    case 'function_call_output': {
      if (!item.call_id) throw badRequest(`${path}: a function_call_output needs call_id`, path);
      messages.push({ role: 'tool', tool_call_id: item.call_id, content: outputText(item.output, path, warnings) });
      return;
    }
    case 'reasoning':
      warnings.push('reasoning items dropped (not portable to other providers)');
      return;
    case 'item_reference':
      throw badRequest(`${path}: item_reference '${item.id ?? ''}' was not found`, path);
    default:
      throw badRequest(
        `${path}: input items of type '${type ?? 'unknown'}' are only supported on OpenAI targets`,
        path,
      );
  }
}

function addMessage(messages: ChatMessage[], item: ResponsesInputItem, path: string, warnings: string[]): void {
  const role = item.role;
  if (role !== 'user' && role !== 'assistant' && role !== 'system' && role !== 'developer') {
    throw badRequest(`${path}.role: must be user, assistant, system or developer`, `${path}.role`);
  }
  const content = item.content ?? '';
  if (role === 'assistant') {
    const text = typeof content === 'string' ? content : partsText(content as Part[], `${path}.content`, warnings);
    messages.push({ role: 'assistant', content: text });
    return;
  }
  if (typeof content === 'string') {
    messages.push({ role, content });
    return;
  }
  if (role === 'system' || role === 'developer') {
    messages.push({ role, content: partsText(content as Part[], `${path}.content`, warnings) });
    return;
  }
  const parts: ChatContentPart[] = [];
  (content as Part[]).forEach((p, j) => {
    const part = toChatPart(p, `${path}.content[${j}]`);
    if (part) parts.push(part);
  });
  messages.push({ role: 'user', content: parts });
}

function toChatPart(p: Part, path: string): ChatContentPart | undefined {
  if ((p.type === 'input_text' || p.type === 'output_text' || p.type === 'text') && typeof p.text === 'string')
    return { type: 'text', text: p.text };
  if (p.type === 'input_image') {
    if (typeof p.image_url !== 'string' || p.image_url === '')
      throw badRequest(`${path}: only input_image with image_url is supported for non-OpenAI targets`, path);
    const detail = p.detail === 'low' || p.detail === 'high' || p.detail === 'auto' ? p.detail : undefined;
    return { type: 'image_url', image_url: { url: p.image_url, ...(detail && { detail }) } };
  }
  if (p.type === 'input_file') {
    if (typeof p.file_data !== 'string')
      throw badRequest(`${path}: only input_file with file_data is supported for non-OpenAI targets`, path);
    return {
      type: 'file',
      file: { file_data: p.file_data, ...(typeof p.filename === 'string' && { filename: p.filename }) },
    };
  }
  throw badRequest(`${path}: content of type '${p.type}' is not supported for non-OpenAI targets`, path);
}

/** Text of parts where Chat only takes text (assistant turns, system turns). */
function partsText(parts: Part[], path: string, warnings: string[]): string {
  let text = '';
  for (const p of parts) {
    if (typeof p.text === 'string') text += p.text;
    else if (p.type === 'refusal' && typeof p.refusal === 'string') text += p.refusal;
    else warnings.push(`${path}: ${p.type} part dropped (only text is kept here)`);
  }
  return text;
}

function outputText(output: ResponsesInputItem['output'], path: string, warnings: string[]): string {
  if (output === undefined) return '';
  if (typeof output === 'string') return output;
  return partsText(output as Part[], `${path}.output`, warnings);
}

function applyFormat(r: ResponsesRequest, out: ChatCompletionRequest): void {
  const f = r.text?.format;
  if (!f || f.type === 'text') return;
  if (f.type === 'json_object') {
    out.response_format = { type: 'json_object' };
    return;
  }
  if (!f.schema) throw badRequest("'text.format.schema' is required for json_schema", 'text.format.schema');
  out.response_format = {
    type: 'json_schema',
    json_schema: {
      name: f.name ?? 'response',
      schema: f.schema,
      ...(f.description !== undefined && { description: f.description }),
      ...(f.strict != null && { strict: f.strict }),
    },
  };
}

function applyTools(r: ResponsesRequest, out: ChatCompletionRequest, warnings: string[]): void {
  const tools: ChatTool[] = [];
  (r.tools ?? []).forEach((t, i) => {
    if (t.type !== 'function') {
      throw badRequest(`tools[${i}]: built-in tool '${t.type}' only runs on OpenAI targets`, `tools[${i}].type`);
    }
    if (!t.name) throw badRequest(`tools[${i}].name: required`, `tools[${i}].name`);
    tools.push({
      type: 'function',
      function: {
        name: t.name,
        ...(t.description != null && { description: t.description }),
        parameters: t.parameters ?? { type: 'object', properties: {} },
        ...(t.strict != null && { strict: t.strict }),
      },
    });
  });
  if (tools.length > 0) out.tools = tools;
  const tc = r.tool_choice;
  if (tc === undefined || tools.length === 0) return;
  let choice: ChatToolChoice | undefined;
  if (typeof tc === 'string') choice = tc;
  else if (tc.type === 'function' && tc.name) choice = { type: 'function', function: { name: tc.name } };
  else if (tc.type === 'allowed_tools') {
    choice = (tc as { mode?: string }).mode === 'required' ? 'required' : 'auto';
    warnings.push('tool_choice allowed_tools: the list is not enforced, every tool stays available');
  } else throw badRequest(`tool_choice of type '${tc.type}' is only supported on OpenAI targets`, 'tool_choice');
  out.tool_choice = choice;
}

// OpenAI Chat request → Bedrock Converse request (pure). Converse is one shape for every Bedrock model (Claude,
// Llama, Mistral, Nova, …); what it cannot express is rejected (400) or dropped with a warning.
import type { ChatCompletionRequest, ChatMessage } from '../openai-chat-types.js';
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
import type { ConverseContentBlock, ConverseMessage, ConverseRequest } from './converse-wire.js';

const IMAGE_FORMATS: Record<string, string> = {
  'image/png': 'png',
  'image/jpeg': 'jpeg',
  'image/jpg': 'jpeg',
  'image/gif': 'gif',
  'image/webp': 'webp',
};

function userBlocks(m: ChatMessage): ConverseContentBlock[] {
  const out: ConverseContentBlock[] = [];
  for (const p of contentParts(m.content)) {
    if (p.type === 'text') {
      if (p.text !== '') out.push({ text: p.text });
    } else if (p.type === 'image_url') {
      const data = parseDataUrl(p.image_url.url);
      if (!data) rejectParam('messages', 'Bedrock Converse takes images as bytes: send them as data URLs');
      const format = IMAGE_FORMATS[data.mediaType];
      if (!format) rejectParam('messages', `image type ${data.mediaType} is not supported by Bedrock Converse`);
      out.push({ image: { format, source: { bytes: data.data } } });
    } else rejectParam('messages', `content part type ${p.type} is not supported by Bedrock targets`);
  }
  return out;
}

function assistantBlocks(m: ChatMessage, warnings: string[]): ConverseContentBlock[] {
  const out: ConverseContentBlock[] = [];
  const text = contentText(m.content);
  if (text.trim() !== '') out.push({ text }); // Converse rejects blank text blocks
  for (const call of m.tool_calls ?? []) {
    const input = parseToolArguments(call.function.arguments, warnings);
    out.push({ toolUse: { toolUseId: call.id, name: call.function.name, input } });
  }
  return out;
}

/** Converse wants alternating turns: adjacent same-role messages (e.g. several tool results) become one. */
function pushMerged(messages: ConverseMessage[], role: ConverseMessage['role'], content: ConverseContentBlock[]) {
  if (content.length === 0) return;
  const last = messages.at(-1);
  if (last?.role === role) last.content.push(...content);
  else messages.push({ role, content });
}

function toolConfig(
  req: ChatCompletionRequest,
  warnings: string[],
  historyHasTools: boolean,
): ConverseRequest['toolConfig'] {
  if (!req.tools || req.tools.length === 0) return undefined;
  // No "none" in Converse: leave the tools out, unless the history has tool blocks (then Converse needs them).
  if (req.tool_choice === 'none' && !historyHasTools) return undefined;
  const tools = req.tools.map((t) => ({
    toolSpec: {
      name: t.function.name,
      ...(t.function.description !== undefined && { description: t.function.description }),
      inputSchema: { json: t.function.parameters ?? { type: 'object', properties: {} } },
    },
  }));
  const choice = req.tool_choice;
  if (choice === 'none')
    warnings.push('tool_choice "none" cannot be expressed with tool history on Bedrock; sent as auto');
  if (req.parallel_tool_calls === false)
    warnings.push('dropped parameters the target cannot honour: parallel_tool_calls');
  if (choice === 'required') return { tools, toolChoice: { any: {} } };
  if (typeof choice === 'object') return { tools, toolChoice: { tool: { name: choice.function.name } } };
  return { tools, toolChoice: { auto: {} } };
}

export function toConverseRequest(req: ChatCompletionRequest): Translated<ConverseRequest> {
  const warnings: string[] = [];
  if (req.n != null && req.n > 1) rejectParam('n', 'n > 1 is not supported by Bedrock targets (one choice only)');
  const system: Array<{ text: string }> = [];
  const messages: ConverseMessage[] = [];
  for (const m of req.messages) {
    if (m.role === 'system' || m.role === 'developer') {
      const text = contentText(m.content);
      if (text !== '') system.push({ text });
    } else if (m.role === 'user') pushMerged(messages, 'user', userBlocks(m));
    else if (m.role === 'assistant') pushMerged(messages, 'assistant', assistantBlocks(m, warnings));
    else if (m.role === 'tool') {
      const toolUseId = m.tool_call_id ?? '';
      pushMerged(messages, 'user', [{ toolResult: { toolUseId, content: [{ text: contentText(m.content) }] } }]);
    }
  }
  const inference: NonNullable<ConverseRequest['inferenceConfig']> = {};
  const max = maxOutput(req);
  if (max != null) inference.maxTokens = max;
  if (req.temperature != null) inference.temperature = req.temperature;
  if (req.top_p != null) inference.topP = req.top_p;
  const stop = stopList(req.stop);
  if (stop) inference.stopSequences = stop;
  const dropped: string[] = [];
  for (const k of ['seed', 'user', 'presence_penalty', 'frequency_penalty', 'response_format', 'reasoning_effort'])
    if (req[k] != null) dropped.push(k);
  warnUnread(
    Object.fromEntries(Object.entries(req).filter(([k]) => !dropped.includes(k))) as ChatCompletionRequest,
    warnings,
    dropped,
  );
  const historyHasTools = messages.some((m) => m.content.some((b) => 'toolUse' in b || 'toolResult' in b));
  const tc = toolConfig(req, warnings, historyHasTools);
  const value: ConverseRequest = {
    messages,
    ...(system.length > 0 && { system }),
    ...(Object.keys(inference).length > 0 && { inferenceConfig: inference }),
    ...(tc && { toolConfig: tc }),
  };
  return { value, warnings };
}

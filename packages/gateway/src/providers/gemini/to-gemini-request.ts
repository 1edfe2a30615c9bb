// OpenAI Chat Completions request → Gemini generateContent body. Pure: remote image URLs are never fetched.
import type { ChatCompletionRequest, ChatContentPart, ChatMessage } from '../openai-chat-types.js';
import type { Translated } from '../provider-adapter.js';
import {
  contentParts,
  contentText,
  maxOutput,
  parseDataUrl,
  parseToolArguments,
  stopList,
  warnUnread,
} from '../translate-common.js';
import type { GeminiContent, GeminiGenerationConfig, GeminiPart, GeminiRequest } from './gemini-wire.js';

/**
 * Google documents this value for function-call parts whose thought signature is unknown (a conversation that
 * came from another model or through a gateway); Gemini 3 rejects such parts without one.
 */
export const GEMINI_SKIP_SIGNATURE = 'skip_thought_signature_validator';

/** reasoning_effort → thinkingBudget (Gemini 2.x) — Gemini 3 takes a level instead, see thinkingFor(). */
export const GEMINI_THINKING_BUDGET: Record<string, number> = {
  none: 0,
  minimal: 0,
  low: 1024,
  medium: 8192,
  high: 24576,
};

export function toGeminiRequest(req: ChatCompletionRequest, model: string): Translated<GeminiRequest> {
  const warnings: string[] = [];
  const system: Array<{ text: string }> = [];
  const contents: GeminiContent[] = [];
  const toolNames = new Map<string, string>(); // tool_call id → function name, for functionResponse

  for (const m of req.messages) {
    if (m.role === 'system' || m.role === 'developer') {
      const text = contentText(m.content);
      if (text !== '') system.push({ text });
      continue;
    }
    const turn = toContent(m, toolNames, warnings);
    if (turn.parts.length === 0) {
      warnings.push(`an empty ${m.role} message was skipped`);
      continue;
    }
    const last = contents.at(-1);
    if (last && last.role === turn.role) last.parts.push(...turn.parts);
    else contents.push(turn);
  }

  const out: GeminiRequest = { contents };
  if (system.length > 0) out.systemInstruction = { parts: system };
  const dropped: string[] = [];
  if (req.user) dropped.push('user');
  const gen = generationConfig(req, model, warnings);
  if (Object.keys(gen).length > 0) out.generationConfig = gen;

  const tools = req.tools ?? [];
  if (tools.length > 0) {
    out.tools = [
      {
        functionDeclarations: tools.map((t) => ({
          name: t.function.name,
          ...(t.function.description !== undefined && { description: t.function.description }),
          // Full JSON Schema (parametersJsonSchema), not the OpenAPI subset `parameters` that rejects $ref etc.
          ...(t.function.parameters !== undefined && { parametersJsonSchema: t.function.parameters }),
        })),
      },
    ];
    const tc = req.tool_choice;
    if (tc === 'none') out.toolConfig = { functionCallingConfig: { mode: 'NONE' } };
    else if (tc === 'required') out.toolConfig = { functionCallingConfig: { mode: 'ANY' } };
    else if (typeof tc === 'object')
      out.toolConfig = { functionCallingConfig: { mode: 'ANY', allowedFunctionNames: [tc.function.name] } };
    else if (tc === 'auto') out.toolConfig = { functionCallingConfig: { mode: 'AUTO' } };
    if (req.parallel_tool_calls === false) dropped.push('parallel_tool_calls');
  }
  warnUnread(req, warnings, dropped);
  return { value: out, warnings };
}

function toContent(m: ChatMessage, toolNames: Map<string, string>, warnings: string[]): GeminiContent {
  if (m.role === 'tool') {
    const id = m.tool_call_id ?? '';
    let name = toolNames.get(id);
    if (name === undefined) {
      warnings.push(`tool result ${id} has no earlier tool call; its id is used as the function name`);
      name = id;
    }
    return { role: 'user', parts: [{ functionResponse: { name, response: toolResponse(contentText(m.content)) } }] };
  }
  if (m.name) warnings.push('message name dropped (Gemini has no participant names)');
  const parts: GeminiPart[] = [];
  for (const p of contentParts(m.content)) {
    const g = toPart(p, warnings);
    if (g) parts.push(g);
  }
  if (m.role === 'assistant') {
    if (typeof m.refusal === 'string' && parts.length === 0) parts.push({ text: m.refusal });
    for (const tc of m.tool_calls ?? []) {
      toolNames.set(tc.id, tc.function.name);
      const args = parseToolArguments(tc.function.arguments, warnings);
      parts.push({ functionCall: { name: tc.function.name, args }, thoughtSignature: GEMINI_SKIP_SIGNATURE });
    }
    return { role: 'model', parts };
  }
  return { role: 'user', parts };
}

/** A functionResponse must be an object: JSON objects go as they are, anything else as `{ result }`. */
function toolResponse(text: string): Record<string, unknown> {
  try {
    const v: unknown = JSON.parse(text);
    if (typeof v === 'object' && v !== null && !Array.isArray(v)) return v as Record<string, unknown>;
    return { result: v };
  } catch {
    return { result: text };
  }
}

const EXT_MIME: Record<string, string> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  heic: 'image/heic',
  pdf: 'application/pdf',
};

function mimeFromUrl(url: string): string {
  const path = url.split(/[?#]/, 1)[0] ?? '';
  const ext = path.slice(path.lastIndexOf('.') + 1).toLowerCase();
  return EXT_MIME[ext] ?? 'image/jpeg';
}

function toPart(p: ChatContentPart, warnings: string[]): GeminiPart | undefined {
  switch (p.type) {
    case 'text':
      return p.text === '' ? undefined : { text: p.text };
    case 'image_url': {
      const d = parseDataUrl(p.image_url.url);
      if (d) return { inlineData: { mimeType: d.mediaType, data: d.data } };
      warnings.push('remote image URL sent as Gemini fileData (not fetched); Gemini may not accept non-Google URLs');
      return { fileData: { mimeType: mimeFromUrl(p.image_url.url), fileUri: p.image_url.url } };
    }
    case 'input_audio':
      return { inlineData: { mimeType: `audio/${p.input_audio.format}`, data: p.input_audio.data } };
    case 'file': {
      const d = p.file.file_data ? parseDataUrl(p.file.file_data) : undefined;
      if (d) return { inlineData: { mimeType: d.mediaType, data: d.data } };
      warnings.push('file part without inline file_data dropped (file ids are OpenAI-only)');
      return undefined;
    }
    default:
      return undefined;
  }
}

function generationConfig(req: ChatCompletionRequest, model: string, warnings: string[]): GeminiGenerationConfig {
  const g: GeminiGenerationConfig = {};
  if (req.temperature != null) g.temperature = req.temperature;
  if (req.top_p != null) g.topP = req.top_p;
  const max = maxOutput(req);
  if (max !== undefined) g.maxOutputTokens = max;
  const stop = stopList(req.stop);
  if (stop) {
    g.stopSequences = stop.slice(0, 5);
    if (stop.length > 5) warnings.push('stop: Gemini takes at most 5 sequences; the rest were dropped');
  }
  if (req.n != null && req.n !== 1) g.candidateCount = req.n;
  if (req.seed != null) g.seed = req.seed;
  if (req.presence_penalty != null) g.presencePenalty = req.presence_penalty;
  if (req.frequency_penalty != null) g.frequencyPenalty = req.frequency_penalty;
  const rf = req.response_format;
  if (rf?.type === 'json_object') g.responseMimeType = 'application/json';
  if (rf?.type === 'json_schema') {
    g.responseMimeType = 'application/json';
    if (rf.json_schema.schema) g.responseJsonSchema = rf.json_schema.schema;
  }
  if (req.reasoning_effort !== undefined) {
    const t = thinkingFor(req.reasoning_effort, model);
    if (t) g.thinkingConfig = t;
    else warnings.push(`reasoning_effort ${req.reasoning_effort} not understood; dropped`);
  }
  return g;
}

/** Gemini 3 takes thinkingLevel low|high; Gemini 2.x a token budget (2.5 Pro cannot go below 128). */
function thinkingFor(effort: string, model: string): GeminiGenerationConfig['thinkingConfig'] | undefined {
  if (model.includes('gemini-3')) {
    if (effort === 'none' || effort === 'minimal' || effort === 'low') return { thinkingLevel: 'low' };
    if (effort === 'medium' || effort === 'high') return { thinkingLevel: 'high' };
    return undefined;
  }
  const budget = GEMINI_THINKING_BUDGET[effort];
  if (budget === undefined) return undefined;
  return { thinkingBudget: budget === 0 && model.includes('pro') ? 128 : budget };
}

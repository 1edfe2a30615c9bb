// POST /v1/responses (OpenAI Responses API): the `response` object and the SSE event sequence
// (response.created … response.completed, each with a sequence_number) as OpenAI sends them.
// `text.format` json_schema / json_object answers with JSON (valid against the schema), so structured output
// works against the simulator. `previous_response_id` is accepted and not resolved (the simulator keeps no state).
import { base62Id, seedOf } from '../ids.js';
import { planOutput, type ToolSpec } from '../plan.js';
import { JSON_HEADERS, namedEvent, type RequestContext, SSE_HEADERS } from '../provider.js';
import { argsFromSchema } from '../schema-args.js';
import { countInputTokens, splitString, splitWords, textTokens } from '../tokens.js';
import type { Reply } from '../types.js';
import { openaiError, rateLimitHeaders } from './openai-errors.js';

type Obj = Record<string, unknown>;

function partsText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  let out = '';
  for (const p of content as Obj[]) if (typeof p?.text === 'string') out += p.text;
  return out;
}

/** Input tokens for a Responses body: instructions and each input item count as one message. */
export function openaiResponsesInputTokens(body: Obj): number {
  const texts: string[] = [];
  if (typeof body.instructions === 'string') texts.push(body.instructions);
  if (typeof body.input === 'string') texts.push(body.input);
  else if (Array.isArray(body.input)) {
    for (const item of body.input as Obj[]) {
      if (item?.type === 'function_call') texts.push(String(item.name ?? '') + String(item.arguments ?? ''));
      else if (item?.type === 'function_call_output') texts.push(partsText(item.output));
      else texts.push(partsText(item?.content));
    }
  }
  const tools = Array.isArray(body.tools) && body.tools.length > 0 ? JSON.stringify(body.tools) : undefined;
  return countInputTokens(texts, tools);
}

function toolsOf(body: Obj): { tools: ToolSpec[]; forced?: string } {
  if (!Array.isArray(body.tools) || body.tool_choice === 'none') return { tools: [] };
  const tools: ToolSpec[] = [];
  for (const t of body.tools as Obj[]) {
    if (t?.type === 'function' && typeof t.name === 'string') tools.push({ name: t.name, schema: t.parameters });
  }
  const choice = body.tool_choice as Obj | string | undefined;
  const forced =
    typeof choice === 'object' && choice?.type === 'function' ? (choice.name as string | undefined) : undefined;
  return { tools, forced: forced ?? (choice === 'required' ? tools[0]?.name : undefined) };
}

/** The answer text: JSON for structured output, else the generated words. */
function answerText(body: Obj, words: string[], hash: string): string | undefined {
  const format = ((body.text as Obj | undefined)?.format ?? {}) as Obj;
  if (format.type === 'json_schema') return JSON.stringify(argsFromSchema(format.schema, seedOf(hash, 77)));
  if (format.type === 'json_object') return JSON.stringify({ answer: words.join(' ') });
  return undefined;
}

export function openaiResponses(ctx: RequestContext): Reply {
  const body = ctx.body as Obj | undefined;
  const headers = {
    'x-request-id': `req_${ctx.requestId}`,
    'openai-processing-ms': String(ctx.scenario.latencyMs ?? 0),
    'openai-organization': 'switchyard-sim',
    'openai-version': '2020-10-01',
  };
  if (!body || typeof body.model !== 'string') {
    return openaiError(
      400,
      "Missing required parameter: 'model'.",
      'invalid_request_error',
      'missing_required_parameter',
      'model',
      headers,
    );
  }
  if (body.input === undefined && typeof body.previous_response_id !== 'string') {
    return openaiError(
      400,
      "Missing required parameter: 'input'.",
      'invalid_request_error',
      'missing_required_parameter',
      'input',
      headers,
    );
  }
  const { tools, forced } = toolsOf(body);
  const cap = typeof body.max_output_tokens === 'number' ? body.max_output_tokens : undefined;
  const plan = planOutput({
    hash: ctx.hash,
    scenario: ctx.scenario,
    maxTokens: cap,
    tools,
    forcedTool: forced,
    parallelAllowed: body.parallel_tool_calls !== false,
  });
  const json = plan.calls.length === 0 ? answerText(body, plan.words, ctx.hash) : undefined;
  const text = json ?? plan.words.join(' ');
  const visible = json === undefined ? plan.visibleTokens : textTokens(json);
  const truncated = json === undefined && plan.truncated;
  const inputTokens = openaiResponsesInputTokens(body);
  const cached = Math.min(ctx.scenario.cachedTokens ?? 0, inputTokens);
  const outputTokens = visible + plan.reasoningTokens;
  const usage = {
    input_tokens: inputTokens,
    input_tokens_details: { cached_tokens: cached },
    output_tokens: outputTokens,
    output_tokens_details: { reasoning_tokens: plan.reasoningTokens },
    total_tokens: inputTokens + outputTokens,
  };
  const id = `resp_${base62Id(ctx.hash, 48)}`;
  const status = truncated ? 'incomplete' : 'completed';
  const output: Obj[] = [];
  if (plan.reasoningTokens > 0) output.push({ id: `rs_${base62Id(ctx.hash, 48, 3)}`, type: 'reasoning', summary: [] });
  if (plan.calls.length === 0) {
    output.push({
      id: `msg_${base62Id(ctx.hash, 48, 1)}`,
      type: 'message',
      status,
      content: [{ type: 'output_text', annotations: [], logprobs: [], text }],
      role: 'assistant',
    });
  }
  plan.calls.forEach((c, i) => {
    output.push({
      id: `fc_${base62Id(ctx.hash, 48, 200 + i)}`,
      type: 'function_call',
      status: 'completed',
      arguments: c.argsJson,
      call_id: `call_${base62Id(ctx.hash, 24, 100 + i)}`,
      name: c.name,
    });
  });
  const envelope = (s: string, u: unknown, out: Obj[]) => ({
    id,
    object: 'response',
    created_at: Math.floor(Date.now() / 1000),
    status: s,
    background: false,
    error: null,
    incomplete_details: s === 'incomplete' ? { reason: 'max_output_tokens' } : null,
    instructions: body.instructions ?? null,
    max_output_tokens: body.max_output_tokens ?? null,
    max_tool_calls: null,
    model: body.model,
    output: out,
    parallel_tool_calls: body.parallel_tool_calls ?? true,
    previous_response_id: body.previous_response_id ?? null,
    prompt_cache_key: null,
    reasoning: { effort: (body.reasoning as Obj | undefined)?.effort ?? null, summary: null },
    safety_identifier: null,
    service_tier: 'default',
    store: body.store ?? true,
    temperature: body.temperature ?? 1,
    text: { format: (body.text as Obj | undefined)?.format ?? { type: 'text' }, verbosity: 'medium' },
    tool_choice: body.tool_choice ?? 'auto',
    tools: body.tools ?? [],
    top_logprobs: 0,
    top_p: body.top_p ?? 1,
    truncation: 'disabled',
    usage: u,
    user: body.user ?? null,
    metadata: body.metadata ?? {},
  });
  const allHeaders = { ...headers, ...rateLimitHeaders(9999, inputTokens) };
  if (body.stream !== true) {
    return {
      kind: 'json',
      status: 200,
      headers: { ...JSON_HEADERS, ...allHeaders },
      body: JSON.stringify(envelope(status, usage, output)),
    };
  }
  const events = streamEvents(output, (s, u, out) => envelope(s, u, out), status, usage, ctx.scenario.chunks);
  return { kind: 'sse', headers: { ...SSE_HEADERS, ...allHeaders }, events };
}

function streamEvents(
  output: Obj[],
  envelope: (status: string, usage: unknown, output: Obj[]) => Obj,
  status: string,
  usage: unknown,
  pieces: number | undefined,
): string[] {
  let seq = 0;
  const events: string[] = [];
  const ev = (type: string, payload: Obj) =>
    events.push(namedEvent(type, { type, sequence_number: seq++, ...payload }));
  ev('response.created', { response: envelope('in_progress', null, []) });
  ev('response.in_progress', { response: envelope('in_progress', null, []) });
  output.forEach((item, outputIndex) => {
    if (item.type === 'message') {
      const part = (item.content as Obj[])[0] as Obj;
      const text = String(part.text);
      ev('response.output_item.added', {
        output_index: outputIndex,
        item: { ...item, status: 'in_progress', content: [] },
      });
      const at = { item_id: item.id, output_index: outputIndex, content_index: 0 };
      ev('response.content_part.added', { ...at, part: { ...part, text: '' } });
      const words = text.split(' ');
      const chunks = text.startsWith('{') ? splitString(text, pieces ?? 4) : splitWords(words, pieces ?? words.length);
      for (const delta of chunks) ev('response.output_text.delta', { ...at, delta, logprobs: [] });
      ev('response.output_text.done', { ...at, text, logprobs: [] });
      ev('response.content_part.done', { ...at, part });
    } else if (item.type === 'function_call') {
      ev('response.output_item.added', {
        output_index: outputIndex,
        item: { ...item, status: 'in_progress', arguments: '' },
      });
      const args = String(item.arguments);
      for (const delta of splitString(args, pieces ?? 4))
        ev('response.function_call_arguments.delta', { item_id: item.id, output_index: outputIndex, delta });
      ev('response.function_call_arguments.done', { item_id: item.id, output_index: outputIndex, arguments: args });
    } else {
      ev('response.output_item.added', { output_index: outputIndex, item });
    }
    ev('response.output_item.done', { output_index: outputIndex, item });
  });
  ev(status === 'completed' ? 'response.completed' : 'response.incomplete', {
    response: envelope(status, usage, output),
  });
  return events;
}

/** The in-stream error event of the Responses API (after HTTP 200). */
export function openaiResponsesStreamError(): string {
  return namedEvent('error', {
    type: 'error',
    code: 'server_error',
    message: 'The server had an error while processing your request. Sorry about that!',
    param: null,
    sequence_number: 0,
  });
}

// POST /v1/chat/completions: JSON body and SSE chunks in the exact field order of recorded responses.
import { base62Id } from '../ids.js';
import { type OutputPlan, planOutput, type ToolSpec } from '../plan.js';
import { dataEvent, JSON_HEADERS, type RequestContext, SSE_HEADERS } from '../provider.js';
import { splitString, splitWords } from '../tokens.js';
import type { Reply } from '../types.js';
import { openaiError, rateLimitHeaders } from './openai-errors.js';
import { openaiInputTokens, openaiUsage } from './openai-usage.js';

type Obj = Record<string, unknown>;
const FINGERPRINT = 'fp_5im0la7ed';

function toolsOf(body: Obj): { tools: ToolSpec[]; forced?: string } {
  if (!Array.isArray(body.tools) || body.tool_choice === 'none') return { tools: [] };
  const tools: ToolSpec[] = [];
  for (const t of body.tools as Obj[]) {
    const fn = (t?.function ?? {}) as Obj;
    if (typeof fn.name === 'string') tools.push({ name: fn.name, schema: fn.parameters });
  }
  const choice = body.tool_choice as Obj | undefined;
  const forced =
    typeof choice === 'object' && choice
      ? ((choice.function as Obj | undefined)?.name as string | undefined)
      : undefined;
  return { tools, forced };
}

export function openaiChat(ctx: RequestContext): Reply {
  const body = ctx.body as Obj | undefined;
  if (!body || typeof body.model !== 'string' || !Array.isArray(body.messages)) {
    return openaiError(
      400,
      "Missing required parameter: 'model' or 'messages'.",
      'invalid_request_error',
      'missing_required_parameter',
      'messages',
    );
  }
  const { tools, forced } = toolsOf(body);
  const cap = body.max_completion_tokens ?? body.max_tokens;
  const plan = planOutput({
    hash: ctx.hash,
    scenario: ctx.scenario,
    maxTokens: typeof cap === 'number' ? cap : undefined,
    tools,
    forcedTool: forced,
    parallelAllowed: body.parallel_tool_calls !== false,
  });
  const inputTokens = openaiInputTokens(body);
  const usage = openaiUsage(inputTokens, plan, ctx.scenario);
  const id = `chatcmpl-${base62Id(ctx.hash, 29)}`;
  const created = Math.floor(Date.now() / 1000);
  const finish = plan.calls.length > 0 ? 'tool_calls' : plan.truncated ? 'length' : 'stop';
  const calls = plan.calls.map((c, i) => ({
    id: `call_${base62Id(ctx.hash, 24, 100 + i)}`,
    type: 'function',
    function: { name: c.name, arguments: c.argsJson },
  }));
  const headers = {
    'x-request-id': `req_${ctx.requestId}`,
    'openai-processing-ms': String(ctx.scenario.latencyMs ?? 0),
    'openai-organization': 'switchyard-sim',
    'openai-version': '2020-10-01',
    ...rateLimitHeaders(9999, inputTokens),
  };
  if (body.stream === true) {
    const includeUsage = (body.stream_options as Obj | undefined)?.include_usage === true;
    const events = chunks({
      id,
      created,
      model: body.model,
      plan,
      calls,
      finish,
      usage,
      includeUsage,
      pieces: ctx.scenario.chunks,
    });
    return { kind: 'sse', headers: { ...SSE_HEADERS, ...headers }, events };
  }
  const text = plan.words.join(' ');
  const message: Obj = { role: 'assistant', content: calls.length > 0 ? null : text, refusal: null, annotations: [] };
  if (calls.length > 0) message.tool_calls = calls;
  const response = {
    id,
    object: 'chat.completion',
    created,
    model: body.model,
    choices: [{ index: 0, message, logprobs: null, finish_reason: finish }],
    usage,
    service_tier: 'default',
    system_fingerprint: FINGERPRINT,
  };
  return { kind: 'json', status: 200, headers: { ...JSON_HEADERS, ...headers }, body: JSON.stringify(response) };
}

interface ChunkInput {
  id: string;
  created: number;
  model: string;
  plan: OutputPlan;
  calls: { id: string; type: string; function: { name: string; arguments: string } }[];
  finish: string;
  usage: ReturnType<typeof openaiUsage>;
  includeUsage: boolean;
  pieces: number | undefined;
}

function chunks(c: ChunkInput): string[] {
  const head = `{"id":${JSON.stringify(c.id)},"object":"chat.completion.chunk","created":${c.created},"model":${JSON.stringify(c.model)},"service_tier":"default","system_fingerprint":"${FINGERPRINT}","choices":`;
  const tail = c.includeUsage ? ',"usage":null}\n\n' : '}\n\n';
  const chunk = (delta: unknown, finish: string | null = null) =>
    `data: ${head}[{"index":0,"delta":${JSON.stringify(delta)},"logprobs":null,"finish_reason":${finish ? `"${finish}"` : 'null'}}]${tail}`;
  const events: string[] = [];
  if (c.calls.length > 0) {
    events.push(chunk({ role: 'assistant', content: null, refusal: null }));
    c.calls.forEach((call, index) => {
      events.push(
        chunk({
          tool_calls: [{ index, id: call.id, type: 'function', function: { name: call.function.name, arguments: '' } }],
        }),
      );
      for (const piece of splitString(call.function.arguments, c.pieces ?? 4)) {
        events.push(chunk({ tool_calls: [{ index, function: { arguments: piece } }] }));
      }
    });
  } else {
    events.push(chunk({ role: 'assistant', content: '', refusal: null }));
    for (const piece of splitWords(c.plan.words, c.pieces ?? c.plan.words.length))
      events.push(chunk({ content: piece }));
  }
  events.push(chunk({}, c.finish));
  if (c.includeUsage) events.push(dataEvent({ ...JSON.parse(head + '[]}'), usage: c.usage }));
  events.push('data: [DONE]\n\n');
  return events;
}

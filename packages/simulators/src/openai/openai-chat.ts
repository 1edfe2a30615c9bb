// POST /v1/chat/completions: JSON body and SSE chunks in the exact field order of recorded responses.
import { base62Id } from '../ids.js';
import { type OutputPlan, planOutput, type ToolSpec } from '../plan.js';
import { dataEvent, JSON_HEADERS, type RequestContext, SSE_HEADERS } from '../provider.js';
import { answerCount, answerHash, schemaInPrompt } from '../structured.js';
import { splitString, splitWords } from '../tokens.js';
import type { Reply } from '../types.js';
import { openaiError, rateLimitHeaders } from './openai-errors.js';
import { openaiInputTokens, openaiMessageText, openaiUsage } from './openai-usage.js';

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

/** `response_format` → what the simulated model answers with (json_object: the schema the prompt names). */
function jsonOf(body: Obj): { schema?: unknown } | undefined {
  const rf = body.response_format as Obj | undefined;
  if (rf?.type === 'json_schema') return { schema: (rf.json_schema as Obj | undefined)?.schema };
  if (rf?.type === 'json_object')
    return { schema: schemaInPrompt((body.messages as unknown[]).map(openaiMessageText)) };
  return undefined;
}

type Call = { id: string; type: string; function: { name: string; arguments: string } };
interface Answer {
  index: number;
  plan: OutputPlan;
  calls: Call[];
  finish: string;
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
  const last = (body.messages as Obj[]).at(-1);
  const json = jsonOf(body);
  const answers: Answer[] = Array.from({ length: answerCount(body.n) }, (_, index) => {
    const hash = answerHash(ctx.hash, index);
    const plan = planOutput({
      hash,
      scenario: ctx.scenario,
      maxTokens: typeof cap === 'number' ? cap : undefined,
      tools,
      forcedTool: forced,
      parallelAllowed: body.parallel_tool_calls !== false,
      afterToolResult: last?.role === 'tool' && body.tool_choice !== 'required',
      ...(json && { json }),
    });
    const calls = plan.calls.map((c, i) => ({
      id: `call_${base62Id(hash, 24, 100 + i)}`,
      type: 'function',
      function: { name: c.name, arguments: c.argsJson },
    }));
    const finish = calls.length > 0 ? 'tool_calls' : plan.truncated ? 'length' : 'stop';
    return { index, plan, calls, finish };
  });
  const inputTokens = openaiInputTokens(body);
  const usage = openaiUsage(inputTokens, totalOf(answers), ctx.scenario);
  const id = `chatcmpl-${base62Id(ctx.hash, 29)}`;
  const created = Math.floor(Date.now() / 1000);
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
      answers,
      usage,
      includeUsage,
      pieces: ctx.scenario.chunks,
    });
    return { kind: 'sse', headers: { ...SSE_HEADERS, ...headers }, events };
  }
  const choices = answers.map(({ index, plan, calls, finish }) => {
    const message: Obj = {
      role: 'assistant',
      content: calls.length > 0 ? null : plan.words.join(' '),
      refusal: null,
      annotations: [],
    };
    if (calls.length > 0) message.tool_calls = calls;
    return { index, message, logprobs: null, finish_reason: finish };
  });
  const response = {
    id,
    object: 'chat.completion',
    created,
    model: body.model,
    choices,
    usage,
    service_tier: 'default',
    system_fingerprint: FINGERPRINT,
  };
  return { kind: 'json', status: 200, headers: { ...JSON_HEADERS, ...headers }, body: JSON.stringify(response) };
}

/** Output tokens of every answer together (usage covers all `n` choices). */
function totalOf(answers: Answer[]): Pick<OutputPlan, 'visibleTokens' | 'reasoningTokens'> {
  let visibleTokens = 0;
  let reasoningTokens = 0;
  for (const a of answers) {
    visibleTokens += a.plan.visibleTokens;
    reasoningTokens += a.plan.reasoningTokens;
  }
  return { visibleTokens, reasoningTokens };
}

interface ChunkInput {
  id: string;
  created: number;
  model: string;
  answers: Answer[];
  usage: ReturnType<typeof openaiUsage>;
  includeUsage: boolean;
  pieces: number | undefined;
}

function chunks(c: ChunkInput): string[] {
  const head = `{"id":${JSON.stringify(c.id)},"object":"chat.completion.chunk","created":${c.created},"model":${JSON.stringify(c.model)},"service_tier":"default","system_fingerprint":"${FINGERPRINT}","choices":`;
  const tail = c.includeUsage ? ',"usage":null}\n\n' : '}\n\n';
  const events: string[] = [];
  for (const { index: choice, plan, calls, finish } of c.answers) {
    const chunk = (delta: unknown, reason: string | null = null) =>
      `data: ${head}[{"index":${choice},"delta":${JSON.stringify(delta)},"logprobs":null,"finish_reason":${reason ? `"${reason}"` : 'null'}}]${tail}`;
    if (calls.length > 0) {
      events.push(chunk({ role: 'assistant', content: null, refusal: null }));
      calls.forEach((call, index) => {
        events.push(
          chunk({
            tool_calls: [
              { index, id: call.id, type: 'function', function: { name: call.function.name, arguments: '' } },
            ],
          }),
        );
        for (const piece of splitString(call.function.arguments, c.pieces ?? 4)) {
          events.push(chunk({ tool_calls: [{ index, function: { arguments: piece } }] }));
        }
      });
    } else {
      events.push(chunk({ role: 'assistant', content: '', refusal: null }));
      for (const piece of splitWords(plan.words, c.pieces ?? plan.words.length)) events.push(chunk({ content: piece }));
    }
    events.push(chunk({}, finish));
  }
  if (c.includeUsage) events.push(dataEvent({ ...JSON.parse(head + '[]}'), usage: c.usage }));
  events.push('data: [DONE]\n\n');
  return events;
}

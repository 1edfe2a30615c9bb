// POST /v1/messages: JSON body and the full named-event SSE sequence.
import { base62Id } from '../ids.js';
import { type OutputPlan, planOutput, type ToolSpec } from '../plan.js';
import { JSON_HEADERS, namedEvent, type RequestContext, SSE_HEADERS } from '../provider.js';
import { schemaInPrompt } from '../structured.js';
import { splitString, splitWords } from '../tokens.js';
import type { Reply } from '../types.js';
import { anthropicError, requestIdOf } from './anthropic-errors.js';
import { anthropicInputSplit, anthropicInputTokens, anthropicUsage } from './anthropic-usage.js';

type Obj = Record<string, unknown>;

function toolsOf(body: Obj): { tools: ToolSpec[]; forced?: string; parallelAllowed: boolean } {
  const choice = (body.tool_choice ?? {}) as Obj;
  const parallelAllowed = choice.disable_parallel_tool_use !== true;
  if (!Array.isArray(body.tools) || choice.type === 'none') return { tools: [], parallelAllowed };
  const tools: ToolSpec[] = [];
  // A tool that takes any object (`{type: 'object'}`, e.g. a gateway's JSON-mode tool) gets what the prompt asks for.
  let promptSchema: unknown;
  const open = (s: unknown) => !(s as Obj | undefined)?.properties;
  for (const t of body.tools as Obj[]) {
    if (typeof t?.name !== 'string') continue;
    if (open(t.input_schema)) promptSchema ??= schemaInPrompt(promptTexts(body));
    tools.push({ name: t.name, schema: open(t.input_schema) ? (promptSchema ?? t.input_schema) : t.input_schema });
  }
  return { tools, forced: choice.type === 'tool' ? String(choice.name) : undefined, parallelAllowed };
}

/** The system prompt's and every message's text, for a schema the prompt spells out. */
function promptTexts(body: Obj): string[] {
  const textOf = (c: unknown): string =>
    typeof c === 'string' ? c : Array.isArray(c) ? c.map((b) => String((b as Obj)?.text ?? '')).join('\n') : '';
  return [textOf(body.system), ...(body.messages as Obj[]).map((m) => textOf(m?.content))];
}

/** `output_config.format` (or the older beta `output_format`) → answer with JSON matching its schema. */
function jsonOf(body: Obj): { schema?: unknown } | undefined {
  const format = ((body.output_config as Obj | undefined)?.format ?? body.output_format) as Obj | undefined;
  if (format?.type !== 'json_schema') return undefined;
  return { schema: format.schema ?? schemaInPrompt(promptTexts(body)) };
}

/** The last turn hands back tool results. */
function endsWithToolResult(body: Obj): boolean {
  const last = (body.messages as Obj[]).at(-1);
  return Array.isArray(last?.content) && (last.content as Obj[]).some((b) => b?.type === 'tool_result');
}

function signatureOf(hash: string): string {
  return Buffer.from(base62Id(hash, 96, 9)).toString('base64');
}

function contentBlocks(plan: OutputPlan, hash: string): Obj[] {
  const blocks: Obj[] = [];
  if (plan.thinkingWords.length > 0)
    blocks.push({ type: 'thinking', thinking: plan.thinkingWords.join(' '), signature: signatureOf(hash) });
  if (plan.words.length > 0 || plan.calls.length === 0) blocks.push({ type: 'text', text: plan.words.join(' ') });
  plan.calls.forEach((c, i) => {
    blocks.push({ type: 'tool_use', id: `toolu_01${base62Id(hash, 22, 100 + i)}`, name: c.name, input: c.args });
  });
  return blocks;
}

export function anthropicMessages(ctx: RequestContext): Reply {
  const body = ctx.body as Obj | undefined;
  if (!body) return anthropicError(400, 'There was an issue with the format of your request: invalid JSON body', ctx);
  if (typeof body.max_tokens !== 'number') return anthropicError(400, 'max_tokens: Field required', ctx);
  if (typeof body.model !== 'string') return anthropicError(400, 'model: Field required', ctx);
  if (!Array.isArray(body.messages)) return anthropicError(400, 'messages: Field required', ctx);
  const { tools, forced, parallelAllowed } = toolsOf(body);
  const thinkingType = (body.thinking as Obj | undefined)?.type;
  const choiceType = (body.tool_choice as Obj | undefined)?.type;
  const json = jsonOf(body);
  const plan = planOutput({
    hash: ctx.hash,
    scenario: ctx.scenario,
    maxTokens: body.max_tokens,
    tools,
    forcedTool: forced,
    parallelAllowed,
    thinking: thinkingType === 'enabled' || thinkingType === 'adaptive',
    afterToolResult: endsWithToolResult(body) && choiceType !== 'any' && choiceType !== 'tool',
    ...(json && { json }),
  });
  const split = anthropicInputSplit(anthropicInputTokens(body), ctx.scenario);
  const usage = anthropicUsage(split, plan);
  const stopReason = plan.calls.length > 0 ? 'tool_use' : plan.truncated ? 'max_tokens' : 'end_turn';
  const id = `msg_01${base62Id(ctx.hash, 22)}`;
  const blocks = contentBlocks(plan, ctx.hash);
  const headers = { 'request-id': requestIdOf(ctx), 'anthropic-organization-id': 'switchyard-sim' };
  if (body.stream === true) {
    const events = streamEvents({
      id,
      model: body.model,
      blocks,
      usage,
      stopReason,
      pieces: ctx.scenario.chunks,
      plan,
    });
    return { kind: 'sse', headers: { ...SSE_HEADERS, ...headers }, events };
  }
  const message = {
    model: body.model,
    id,
    type: 'message',
    role: 'assistant',
    content: blocks,
    stop_reason: stopReason,
    stop_sequence: null,
    usage,
  };
  return { kind: 'json', status: 200, headers: { ...JSON_HEADERS, ...headers }, body: JSON.stringify(message) };
}

interface StreamInput {
  id: string;
  model: string;
  blocks: Obj[];
  usage: ReturnType<typeof anthropicUsage>;
  stopReason: string;
  pieces: number | undefined;
  plan: OutputPlan;
}

function streamEvents(s: StreamInput): string[] {
  const { output_tokens, cache_creation, service_tier, ...input } = s.usage;
  const startUsage = { ...input, cache_creation, output_tokens: 1, service_tier };
  const events = [
    namedEvent('message_start', {
      type: 'message_start',
      message: {
        model: s.model,
        id: s.id,
        type: 'message',
        role: 'assistant',
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: startUsage,
      },
    }),
  ];
  s.blocks.forEach((block, index) => {
    const delta = (d: Obj) =>
      events.push(namedEvent('content_block_delta', { type: 'content_block_delta', index, delta: d }));
    if (block.type === 'thinking') {
      events.push(
        namedEvent('content_block_start', {
          type: 'content_block_start',
          index,
          content_block: { type: 'thinking', thinking: '', signature: '' },
        }),
      );
      for (const p of splitWords(s.plan.thinkingWords, s.pieces ?? s.plan.thinkingWords.length))
        delta({ type: 'thinking_delta', thinking: p });
      delta({ type: 'signature_delta', signature: block.signature });
    } else if (block.type === 'text') {
      events.push(
        namedEvent('content_block_start', {
          type: 'content_block_start',
          index,
          content_block: { type: 'text', text: '' },
        }),
      );
      for (const p of splitWords(s.plan.words, s.pieces ?? s.plan.words.length)) delta({ type: 'text_delta', text: p });
    } else {
      const { input, ...rest } = block;
      events.push(
        namedEvent('content_block_start', {
          type: 'content_block_start',
          index,
          content_block: { ...rest, input: {} },
        }),
      );
      delta({ type: 'input_json_delta', partial_json: '' });
      for (const p of splitString(JSON.stringify(input), s.pieces ?? 4))
        delta({ type: 'input_json_delta', partial_json: p });
    }
    if (index === 0) events.push(namedEvent('ping', { type: 'ping' }));
    events.push(namedEvent('content_block_stop', { type: 'content_block_stop', index }));
  });
  events.push(
    namedEvent('message_delta', {
      type: 'message_delta',
      delta: { stop_reason: s.stopReason, stop_sequence: null },
      usage: { ...input, output_tokens },
    }),
    namedEvent('message_stop', { type: 'message_stop' }),
  );
  return events;
}

// POST /model/{modelId}/converse and /converse-stream: Converse JSON, or ConverseStream event-stream frames
// (messageStart, contentBlockStart/Delta/Stop, messageStop, metadata), for any model id.
import { base62Id } from '../ids.js';
import { type OutputPlan, planOutput, type ToolSpec } from '../plan.js';
import { JSON_HEADERS, type RequestContext } from '../provider.js';
import { countInputTokens, splitWords } from '../tokens.js';
import type { Reply } from '../types.js';
import { bedrockError } from './bedrock-errors.js';
import { eventFrame } from './event-stream-frames.js';

type Obj = Record<string, unknown>;

function blockText(content: unknown): string {
  if (!Array.isArray(content)) return '';
  let out = '';
  for (const b of content as Obj[]) {
    if (typeof b?.text === 'string') out += b.text;
    const result = b?.toolResult as Obj | undefined;
    if (result) out += blockText(result.content);
    const use = b?.toolUse as Obj | undefined;
    if (use) out += JSON.stringify(use.input ?? {});
  }
  return out;
}

function toolsOf(body: Obj): { tools: ToolSpec[]; forced?: string } {
  const config = body.toolConfig as Obj | undefined;
  if (!config || !Array.isArray(config.tools)) return { tools: [] };
  const tools: ToolSpec[] = [];
  for (const t of config.tools as Obj[]) {
    const spec = t?.toolSpec as Obj | undefined;
    if (typeof spec?.name === 'string') tools.push({ name: spec.name, schema: (spec.inputSchema as Obj)?.json });
  }
  const forced = ((config.toolChoice as Obj | undefined)?.tool as Obj | undefined)?.name;
  return { tools, ...(typeof forced === 'string' && { forced }) };
}

function usageOf(inputTotal: number, plan: OutputPlan, ctx: RequestContext): Obj {
  const cacheRead = Math.min(ctx.scenario.cachedTokens ?? 0, inputTotal);
  const cacheWrite = Math.min(ctx.scenario.cacheWriteTokens ?? 0, inputTotal - cacheRead);
  const inputTokens = inputTotal - cacheRead - cacheWrite;
  const outputTokens = plan.visibleTokens + plan.reasoningTokens;
  return {
    inputTokens,
    outputTokens,
    totalTokens: inputTokens + outputTokens + cacheRead + cacheWrite,
    ...(cacheRead > 0 && { cacheReadInputTokens: cacheRead }),
    ...(cacheWrite > 0 && { cacheWriteInputTokens: cacheWrite }),
  };
}

export function bedrockConverse(ctx: RequestContext, stream: boolean): Reply {
  const body = ctx.body as Obj | undefined;
  if (!body || !Array.isArray(body.messages) || body.messages.length === 0)
    return bedrockError(
      400,
      'ValidationException',
      'The model returned the following errors: messages: Field required',
      ctx,
    );
  const inference = (body.inferenceConfig ?? {}) as Obj;
  const { tools, forced } = toolsOf(body);
  const plan = planOutput({
    hash: ctx.hash,
    scenario: ctx.scenario,
    ...(typeof inference.maxTokens === 'number' && { maxTokens: inference.maxTokens }),
    tools,
    ...(forced !== undefined && { forcedTool: forced }),
  });
  const texts = [blockText(body.system), ...(body.messages as Obj[]).map((m) => blockText(m?.content))];
  const usage = usageOf(countInputTokens(texts, tools.length ? JSON.stringify(body.toolConfig) : undefined), plan, ctx);
  const stopReason = plan.calls.length > 0 ? 'tool_use' : plan.truncated ? 'max_tokens' : 'end_turn';
  const toolUseId = (i: number) => `tooluse_${base62Id(ctx.hash, 22, 500 + i)}`;
  const headers = { 'x-amzn-requestid': ctx.requestId };
  if (!stream) {
    const content: Obj[] = plan.calls.length
      ? plan.calls.map((c, i) => ({ toolUse: { toolUseId: toolUseId(i), name: c.name, input: c.args } }))
      : [{ text: plan.words.join(' ') }];
    const out = {
      output: { message: { role: 'assistant', content } },
      stopReason,
      usage,
      metrics: { latencyMs: 120 + plan.visibleTokens * 10 },
    };
    return { kind: 'json', status: 200, headers: { ...JSON_HEADERS, ...headers }, body: JSON.stringify(out) };
  }
  const frames: Uint8Array[] = [eventFrame('messageStart', { role: 'assistant' })];
  if (plan.calls.length > 0) {
    plan.calls.forEach((c, i) => {
      frames.push(
        eventFrame('contentBlockStart', {
          contentBlockIndex: i,
          start: { toolUse: { toolUseId: toolUseId(i), name: c.name } },
        }),
      );
      const half = Math.ceil(c.argsJson.length / 2);
      for (const piece of [c.argsJson.slice(0, half), c.argsJson.slice(half)])
        if (piece)
          frames.push(eventFrame('contentBlockDelta', { contentBlockIndex: i, delta: { toolUse: { input: piece } } }));
      frames.push(eventFrame('contentBlockStop', { contentBlockIndex: i }));
    });
  } else {
    for (const text of splitWords(plan.words, ctx.scenario.chunks ?? plan.words.length))
      frames.push(eventFrame('contentBlockDelta', { contentBlockIndex: 0, delta: { text } }));
    frames.push(eventFrame('contentBlockStop', { contentBlockIndex: 0 }));
  }
  frames.push(eventFrame('messageStop', { stopReason }));
  frames.push(eventFrame('metadata', { usage, metrics: { latencyMs: 120 + plan.visibleTokens * 10 } }));
  return {
    kind: 'sse',
    headers: { 'content-type': 'application/vnd.amazon.eventstream', ...headers },
    events: frames,
  };
}

// :generateContent and :streamGenerateContent?alt=sse (data-only events, no [DONE]; the body just ends).
import { base62Id } from '../ids.js';
import { type OutputPlan, planOutput, type ToolSpec } from '../plan.js';
import { dataEvent, type RequestContext, SSE_HEADERS } from '../provider.js';
import { answerCount, answerHash, schemaInPrompt } from '../structured.js';
import { splitWords } from '../tokens.js';
import type { Reply } from '../types.js';
import { GEMINI_HEADERS, geminiError } from './gemini-errors.js';
import { streamedCallParts } from './gemini-stream-args.js';
import { geminiInputTokens, geminiPartsText, geminiUsage } from './gemini-usage.js';

type Obj = Record<string, unknown>;

function toolsOf(body: Obj): { tools: ToolSpec[]; forced?: string } {
  const config = ((body.toolConfig as Obj | undefined)?.functionCallingConfig ?? {}) as Obj;
  if (!Array.isArray(body.tools) || config.mode === 'NONE') return { tools: [] };
  const tools: ToolSpec[] = [];
  for (const t of body.tools as Obj[]) {
    const decls = t?.functionDeclarations;
    if (!Array.isArray(decls)) continue;
    for (const d of decls as Obj[]) {
      if (typeof d?.name === 'string') tools.push({ name: d.name, schema: d.parameters ?? d.parametersJsonSchema });
    }
  }
  const allowed = config.allowedFunctionNames;
  const forced =
    config.mode === 'ANY' && Array.isArray(allowed) && typeof allowed[0] === 'string' ? allowed[0] : undefined;
  return { tools, forced };
}

/** responseMimeType application/json → JSON matching responseJsonSchema / responseSchema (else the prompt's). */
function jsonOf(body: Obj, gen: Obj): { schema?: unknown } | undefined {
  if (gen.responseMimeType !== 'application/json') return undefined;
  const schema = gen.responseJsonSchema ?? gen.responseSchema;
  if (schema !== undefined) return { schema };
  const texts = [geminiPartsText(body.systemInstruction), ...(body.contents as unknown[]).map(geminiPartsText)];
  return { schema: schemaInPrompt(texts) };
}

function endsWithFunctionResponse(body: Obj): boolean {
  const parts = ((body.contents as Obj[]).at(-1)?.parts ?? []) as Obj[];
  return Array.isArray(parts) && parts.some((p) => p?.functionResponse !== undefined);
}

export function geminiGenerate(ctx: RequestContext, model: string, stream: boolean): Reply {
  const body = ctx.body as Obj | undefined;
  if (!body || !Array.isArray(body.contents)) {
    return geminiError(400, '* GenerateContentRequest.contents: contents is not specified\n');
  }
  const gen = (body.generationConfig ?? {}) as Obj;
  const thinkingConfig = (gen.thinkingConfig ?? {}) as Obj;
  const { tools, forced } = toolsOf(body);
  const mode = ((body.toolConfig as Obj | undefined)?.functionCallingConfig as Obj | undefined)?.mode;
  const json = jsonOf(body, gen);
  const plans = Array.from({ length: answerCount(gen.candidateCount) }, (_, i) =>
    planOutput({
      hash: answerHash(ctx.hash, i),
      scenario: ctx.scenario,
      maxTokens: typeof gen.maxOutputTokens === 'number' ? gen.maxOutputTokens : undefined,
      tools,
      forcedTool: forced,
      thinking: thinkingConfig.includeThoughts === true,
      afterToolResult: endsWithFunctionResponse(body) && mode !== 'ANY',
      ...(json && { json }),
    }),
  );
  const plan = plans[0] as OutputPlan;
  const prompt = geminiInputTokens(body);
  const finishOf = (p: OutputPlan) => (p.truncated ? 'MAX_TOKENS' : 'STOP');
  const finishReason = finishOf(plan);
  const responseId = base62Id(ctx.hash, 23);
  const callPartsOf = (p: OutputPlan) => p.calls.map((c) => ({ functionCall: { name: c.name, args: c.args } }));
  const callParts = callPartsOf(plan);
  const response = (parts: Obj[], visible: number, finish: boolean): Obj => {
    const candidate: Obj = { content: { parts, role: 'model' } };
    if (finish) candidate.finishReason = finishReason;
    candidate.index = 0;
    return {
      candidates: [candidate],
      usageMetadata: geminiUsage(prompt, visible, plan, ctx.scenario),
      modelVersion: model,
      responseId,
    };
  };
  if (!stream) {
    let visible = 0;
    const candidates = plans.map((p, index) => {
      visible += p.visibleTokens;
      const parts: Obj[] = [];
      if (p.thinkingWords.length > 0) parts.push({ text: p.thinkingWords.join(' '), thought: true });
      const calls = callPartsOf(p);
      if (calls.length > 0) parts.push(...calls);
      else parts.push({ text: p.words.join(' ') });
      return { content: { parts, role: 'model' }, finishReason: finishOf(p), index };
    });
    const reasoningTokens = plans.reduce((n, p) => n + p.reasoningTokens, 0);
    return {
      kind: 'json',
      status: 200,
      headers: GEMINI_HEADERS,
      body: JSON.stringify({
        candidates,
        usageMetadata: geminiUsage(prompt, visible, { ...plan, reasoningTokens }, ctx.scenario),
        modelVersion: model,
        responseId,
      }),
    };
  }
  const fcc = (body.toolConfig as Obj | undefined)?.functionCallingConfig as Obj | undefined;
  const streamArgs = ctx.scenario.streamFunctionCallArguments === true || fcc?.streamFunctionCallArguments === true;
  const chunks = streamChunks(plan, callParts, ctx.scenario.chunks, response, streamArgs);
  if (ctx.query.get('alt') !== 'sse') {
    // Without alt=sse the API answers one JSON array of the same chunks.
    return { kind: 'json', status: 200, headers: GEMINI_HEADERS, body: JSON.stringify(chunks) };
  }
  return { kind: 'sse', headers: { ...SSE_HEADERS, server: GEMINI_HEADERS.server }, events: chunks.map(dataEvent) };
}

function streamChunks(
  plan: OutputPlan,
  callParts: Obj[],
  pieces: number | undefined,
  response: (parts: Obj[], visible: number, finish: boolean) => Obj,
  streamArgs = false,
): Obj[] {
  const events: Obj[] = [];
  for (const p of splitWords(plan.thinkingWords, pieces ?? plan.thinkingWords.length)) {
    events.push(response([{ text: p, thought: true }], 0, false));
  }
  if (callParts.length > 0 && streamArgs) {
    for (const parts of streamedCallParts(plan.calls)) events.push(response(parts, plan.visibleTokens, false));
    events.push(response([{ text: '' }], plan.visibleTokens, true));
    return events;
  }
  if (callParts.length > 0) {
    // Gemini sends whole functionCall parts in one chunk, then a closing chunk with finishReason.
    events.push(response(callParts, plan.visibleTokens, false));
    events.push(response([{ text: '' }], plan.visibleTokens, true));
    return events;
  }
  const texts = splitWords(plan.words, pieces ?? plan.words.length);
  if (texts.length === 0) texts.push('');
  let seen = 0;
  texts.forEach((text, i) => {
    seen += text.trim().length === 0 ? 0 : text.trim().split(' ').length;
    events.push(response([{ text }], seen, i === texts.length - 1));
  });
  return events;
}

// The token rule applied to Gemini generateContent requests, and Gemini's usageMetadata.
import type { OutputPlan } from '../plan.js';
import { countInputTokens } from '../tokens.js';
import type { Scenario } from '../types.js';

type Obj = Record<string, unknown>;

export function geminiPartsText(content: unknown): string {
  const parts = (content as Obj | undefined)?.parts;
  if (!Array.isArray(parts)) return '';
  let out = '';
  for (const p of parts as Obj[]) {
    if (!p || typeof p !== 'object') continue;
    if (typeof p.text === 'string') out += p.text;
    const call = p.functionCall as Obj | undefined;
    if (call) out += String(call.name ?? '') + JSON.stringify(call.args ?? {});
    const response = p.functionResponse as Obj | undefined;
    if (response) out += String(response.name ?? '') + JSON.stringify(response.response ?? {});
  }
  return out;
}

/** promptTokenCount for a generateContent body: systemInstruction (one message) + each content + tools JSON. */
export function geminiInputTokens(body: unknown): number {
  const b = (body ?? {}) as Obj;
  const texts: string[] = [];
  if (b.systemInstruction !== undefined) texts.push(geminiPartsText(b.systemInstruction));
  if (Array.isArray(b.contents)) for (const c of b.contents) texts.push(geminiPartsText(c));
  const tools = Array.isArray(b.tools) && b.tools.length > 0 ? JSON.stringify(b.tools) : undefined;
  return countInputTokens(texts, tools);
}

/** usageMetadata after `visible` candidate tokens (streams report it cumulatively on every chunk). */
export function geminiUsage(prompt: number, visible: number, plan: OutputPlan, scenario: Scenario): Obj {
  const cached = Math.min(scenario.cachedTokens ?? 0, prompt);
  const usage: Obj = {
    promptTokenCount: prompt,
    candidatesTokenCount: visible,
    totalTokenCount: prompt + visible + plan.reasoningTokens,
  };
  if (cached > 0) usage.cachedContentTokenCount = cached;
  usage.promptTokensDetails = [{ modality: 'TEXT', tokenCount: prompt }];
  if (cached > 0) usage.cacheTokensDetails = [{ modality: 'TEXT', tokenCount: cached }];
  if (plan.reasoningTokens > 0) usage.thoughtsTokenCount = plan.reasoningTokens;
  return usage;
}

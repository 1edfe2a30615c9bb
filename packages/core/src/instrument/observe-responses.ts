// What each provider's response objects tell a CallTracker. Tolerant of missing fields; never throws.
import { anthropicUsage } from '../usage/anthropic-usage.js';
import { geminiUsage } from '../usage/gemini-usage.js';
import { openaiUsage } from '../usage/openai-usage.js';
import { asObject, type Json } from '../usage/read-fields.js';
import type { CallTracker } from './call-tracker.js';

const str = (x: unknown): string | undefined => (typeof x === 'string' && x !== '' ? x : undefined);
const list = (x: unknown): unknown[] => (Array.isArray(x) ? x : []);

/** Model and id repeat on every stream chunk: read them once. */
function identity(o: Json, t: CallTracker, modelKey = 'model', idKey = 'id'): void {
  t.responseModel ??= str(o[modelKey]);
  t.responseId ??= str(o[idKey]);
  t.requestId ??= str(o._request_id);
}

/** OpenAI chat completion, embeddings list, or Responses API object. */
export function observeOpenAIBody(body: unknown, t: CallTracker): void {
  const o = asObject(body);
  if (!o) return;
  identity(o, t);
  t.usage = openaiUsage(o.usage) ?? t.usage;
  const choices = list(o.choices).map(asObject);
  if (choices.length) {
    t.setFinish(choices.map((c) => str(c?.finish_reason)));
    for (const c of choices) t.addOutputText(asObject(c?.message)?.content);
  } else if (typeof o.status === 'string' && o.object === 'response') {
    t.setFinish([o.status]);
    t.addOutputText(o.output_text);
  }
}

/**
 * One OpenAI stream chunk (chat) or event (Responses API). Returns true when the chunk is the usage-only
 * chunk we asked for ourselves (`hideUsageChunk`), which the caller must not see.
 */
export function observeOpenAIChunk(chunk: unknown, t: CallTracker, hideUsageChunk: boolean): boolean {
  const o = asObject(chunk);
  if (!o) return false;
  t.chunk();
  if (typeof o.type === 'string' && o.type.startsWith('response.')) {
    if (o.type === 'response.output_text.delta') t.addOutputText(o.delta);
    const r = asObject(o.response);
    if (r) {
      identity(r, t);
      t.usage = openaiUsage(r.usage) ?? t.usage;
      if (o.type !== 'response.created' && o.type !== 'response.in_progress') t.setFinish([str(r.status)]);
    }
    return false;
  }
  identity(o, t);
  const usage = o.usage ? openaiUsage(o.usage) : undefined;
  if (usage) t.usage = usage;
  const choices = list(o.choices);
  for (const choice of choices) {
    const c = choice as Json | null;
    t.addOutputText((c?.delta as Json | undefined)?.content);
    const reason = c?.finish_reason;
    if (typeof reason === 'string' && reason !== '') t.setFinish([reason]);
  }
  return hideUsageChunk && usage !== undefined && choices.length === 0;
}

/** Anthropic Message object. */
export function observeAnthropicBody(body: unknown, t: CallTracker): void {
  const o = asObject(body);
  if (!o) return;
  identity(o, t);
  t.usage = anthropicUsage(o.usage) ?? t.usage;
  t.setFinish([str(o.stop_reason)]);
  for (const block of list(o.content)) t.addOutputText(asObject(block)?.text);
}

/** One Anthropic stream event: message_start + message_delta carry usage; deltas carry text. */
export function observeAnthropicEvent(event: unknown, t: CallTracker): void {
  const o = asObject(event);
  if (!o) return;
  switch (o.type) {
    case 'message_start': {
      const m = asObject(o.message);
      if (m) identity(m, t);
      t.usage = anthropicUsage(m?.usage, t.usage);
      return;
    }
    case 'message_delta':
      t.usage = anthropicUsage(o.usage, t.usage);
      t.setFinish([str(asObject(o.delta)?.stop_reason)]);
      return;
    case 'content_block_delta': {
      t.chunk();
      const d = asObject(o.delta);
      t.addOutputText(d?.text ?? d?.thinking ?? d?.partial_json);
      return;
    }
    default:
      return;
  }
}

/** A Gemini GenerateContentResponse (whole, or one stream chunk: usage of the last chunk wins). */
export function observeGeminiResponse(resp: unknown, t: CallTracker): void {
  const o = asObject(resp);
  if (!o) return;
  identity(o, t, 'modelVersion', 'responseId');
  t.usage = geminiUsage(o.usageMetadata) ?? t.usage;
  const candidates = list(o.candidates).map(asObject);
  const reasons = candidates.map((c) => str(c?.finishReason));
  if (reasons.some(Boolean)) t.setFinish(reasons);
  for (const c of candidates) {
    for (const p of list(asObject(c?.content)?.parts)) {
      const part = asObject(p);
      if (part && part.thought !== true) t.addOutputText(part.text);
    }
  }
}

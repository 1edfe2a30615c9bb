import type { ErrorClass, ErrorInfo, ProviderKind } from '../types.js';
import { asObject } from '../usage/read-fields.js';
import { ANTHROPIC_ERRORS } from './anthropic-errors.js';
import { AZURE_OPENAI_ERRORS, BEDROCK_ERRORS, VERTEX_ERRORS } from './cloud-errors.js';
import { classFromStatus, ERROR_CLASS_INFO } from './error-class-info.js';
import { GEMINI_ERRORS } from './gemini-errors.js';
import { OPENAI_ERRORS } from './openai-errors.js';
import type { ProviderErrorFacts, ProviderErrorTable } from './provider-error-table.js';
import { type HeaderBag, retryAfterFromHeaders } from './retry-after.js';

const TABLES: Record<ProviderKind, ProviderErrorTable> = {
  openai: OPENAI_ERRORS,
  'openai-compatible': OPENAI_ERRORS,
  anthropic: ANTHROPIC_ERRORS,
  gemini: GEMINI_ERRORS,
  'azure-openai': AZURE_OPENAI_ERRORS,
  bedrock: BEDROCK_ERRORS,
  vertex: VERTEX_ERRORS,
};

/** Best guess of which provider produced an error body, for callers that do not know. */
export function guessProvider(body: unknown): ProviderKind {
  const o = asObject(body);
  if (o?.type === 'error') return 'anthropic';
  const e = asObject(o?.error);
  if (typeof e?.status === 'string' || Array.isArray(e?.details)) return 'gemini';
  return 'openai';
}

function lookup(table: ProviderErrorTable, facts: ProviderErrorFacts): { errorClass?: ErrorClass; code?: string } {
  for (const code of facts.codes) {
    const errorClass = table.codes[code];
    if (errorClass) return { errorClass, code };
  }
  if (facts.message) {
    for (const [pattern, errorClass] of table.messages ?? []) if (pattern.test(facts.message)) return { errorClass };
  }
  return {};
}

export function buildErrorInfo(
  errorClass: ErrorClass,
  message: string,
  extra: { status?: number; providerCode?: string; retryAfterMs?: number } = {},
): ErrorInfo {
  const info = ERROR_CLASS_INFO[errorClass];
  return {
    errorClass,
    retryable: info.retryable,
    fallbackEligible: info.fallbackEligible,
    message,
    ...(extra.status !== undefined && { status: extra.status }),
    ...(extra.providerCode !== undefined && { providerCode: extra.providerCode }),
    ...(extra.retryAfterMs !== undefined && { retryAfterMs: extra.retryAfterMs }),
  };
}

/** Parse a text body as JSON when it is JSON; keep it otherwise. */
function parseMaybeJson(body: unknown): unknown {
  if (typeof body !== 'string') return body;
  try {
    return JSON.parse(body);
  } catch {
    return body;
  }
}

/** Classify an HTTP error response from a provider: its status, its error body and its headers. */
export function classifyHttpError(
  provider: ProviderKind,
  status: number,
  body: unknown,
  headers?: HeaderBag,
): ErrorInfo {
  const parsed = parseMaybeJson(body);
  const table = TABLES[provider] ?? OPENAI_ERRORS;
  const facts = table.read(parsed, headers);
  const hit = lookup(table, facts);
  const errorClass = hit.errorClass ?? classFromStatus(status);
  const retryAfterMs = retryAfterFromHeaders(headers) ?? facts.retryAfterMs;
  const message =
    facts.message ?? (typeof parsed === 'string' && parsed !== '' ? parsed.slice(0, 500) : `HTTP ${status}`);
  return buildErrorInfo(errorClass, message, {
    status,
    providerCode: hit.code ?? facts.codes[0],
    ...(retryAfterMs !== undefined && { retryAfterMs }),
  });
}

/**
 * An error event inside a 200 stream (Anthropic `event: error`, OpenAI/Gemini `data: {"error": …}`).
 * Nothing recognisable → stream_interrupted.
 */
export function classifyStreamError(provider: ProviderKind, eventData: unknown): ErrorInfo {
  const parsed = parseMaybeJson(eventData);
  const table = TABLES[provider] ?? OPENAI_ERRORS;
  const facts = table.read(parsed);
  const hit = lookup(table, facts);
  const errorClass =
    hit.errorClass ??
    (facts.status !== undefined && facts.status >= 400 ? classFromStatus(facts.status) : 'stream_interrupted');
  return buildErrorInfo(errorClass, facts.message ?? 'error event in stream', {
    ...(facts.status !== undefined && { status: facts.status }),
    providerCode: hit.code ?? facts.codes[0],
    ...(facts.retryAfterMs !== undefined && { retryAfterMs: facts.retryAfterMs }),
  });
}

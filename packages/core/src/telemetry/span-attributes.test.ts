// spanAttributes spells the attribute names out (for V8's fast object shape): every ATTR name a record can carry must
// still come out, with its value, and extra attributes must not override the record's own.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { CallRecord } from '../types.js';
import { ATTR } from './semconv.js';
import { spanAttributes } from './tracing-sink.js';

const full: CallRecord = {
  provider: 'openai',
  providerId: 'primary',
  operation: 'chat',
  requestModel: 'gpt-4o',
  responseModel: 'gpt-4o-2024-08-06',
  startTime: 1_700_000_000_000,
  durationMs: 50,
  timeToFirstTokenMs: 120,
  streaming: true,
  usage: {
    inputTokens: 10,
    outputTokens: 5,
    cacheReadTokens: 2,
    cacheWriteTokens: 1,
    reasoningTokens: 3,
    source: 'provider',
  },
  cost: { inputNanos: 100n, outputNanos: 200n, totalNanos: 300n, priceSource: 'genai-prices@1' },
  unknownPrice: true,
  outcome: 'error',
  error: {
    errorClass: 'rate_limited',
    retryable: true,
    fallbackEligible: true,
    providerCode: 'rate_limit_exceeded',
    message: 'slow down',
  },
  finishReasons: ['stop'],
  responseId: 'chatcmpl-1',
  requestId: 'req-1',
  serverAddress: 'api.openai.com',
  serverPort: 443,
  attributes: { [ATTR.REQUEST_MODEL]: 'not-this', 'switchyard.attempt.kind': 'primary' },
  content: { inputMessages: '[]', outputMessages: '[{}]' },
} as CallRecord;

describe('spanAttributes', () => {
  it('names every attribute as ATTR does, with the record’s values', () => {
    expect(spanAttributes(full)).toEqual({
      [ATTR.OPERATION_NAME]: 'chat',
      [ATTR.PROVIDER_NAME]: 'openai',
      [ATTR.REQUEST_MODEL]: 'gpt-4o',
      [ATTR.PROVIDER_ID]: 'primary',
      [ATTR.SERVER_ADDRESS]: 'api.openai.com',
      [ATTR.SERVER_PORT]: 443,
      [ATTR.REQUEST_STREAM]: true,
      [ATTR.RESPONSE_MODEL]: 'gpt-4o-2024-08-06',
      [ATTR.RESPONSE_ID]: 'chatcmpl-1',
      [ATTR.UPSTREAM_REQUEST_ID]: 'req-1',
      [ATTR.RESPONSE_FINISH_REASONS]: ['stop'],
      [ATTR.RESPONSE_TIME_TO_FIRST_CHUNK]: 0.12,
      [ATTR.USAGE_INPUT_TOKENS]: 10,
      [ATTR.USAGE_OUTPUT_TOKENS]: 5,
      [ATTR.USAGE_CACHE_READ_INPUT_TOKENS]: 2,
      [ATTR.USAGE_CACHE_CREATION_INPUT_TOKENS]: 1,
      [ATTR.USAGE_REASONING_OUTPUT_TOKENS]: 3,
      [ATTR.USAGE_SOURCE]: 'provider',
      [ATTR.USAGE_COST]: 0.0000003,
      [ATTR.COST_NANOS]: '300',
      [ATTR.PRICE_SOURCE]: 'genai-prices@1',
      [ATTR.PRICE_UNKNOWN]: true,
      [ATTR.ERROR_TYPE]: 'rate_limited',
      [ATTR.RETRYABLE]: true,
      [ATTR.PROVIDER_ERROR_CODE]: 'rate_limit_exceeded',
      [ATTR.INPUT_MESSAGES]: '[]',
      [ATTR.OUTPUT_MESSAGES]: '[{}]',
      'switchyard.attempt.kind': 'primary',
    });
  });

  it('carries only what a minimal record has', () => {
    const minimal = {
      provider: 'anthropic',
      operation: 'chat',
      requestModel: 'm',
      startTime: 0,
      durationMs: 1,
      streaming: false,
      outcome: 'ok',
    } as CallRecord;
    expect(Object.keys(spanAttributes(minimal)).sort()).toEqual(
      [ATTR.OPERATION_NAME, ATTR.PROVIDER_NAME, ATTR.REQUEST_MODEL].sort(),
    );
  });

  it('keeps an object of attributes an own-property name like toString', () => {
    const r = { ...full, attributes: { toString: 'kept', constructor: 'too' } } as CallRecord;
    const a = spanAttributes(r);
    expect(Object.hasOwn(a, 'toString') && a.toString).toBe('kept');
    expect(Object.hasOwn(a, 'constructor') && a.constructor).toBe('too');
  });

  // Not a timing: V8 reports whether the object kept its fast shape (a hash table costs the span 2-3 µs to build and
  // walk). Needs --allow-natives-syntax, so it runs in a child process.
  it('builds an object V8 keeps in fast mode, extra attributes included', () => {
    const module = fileURLToPath(new URL('./tracing-sink.ts', import.meta.url));
    const script = `
      const { spanAttributes } = await import(${JSON.stringify(module)});
      const record = JSON.parse(process.argv[1]);
      for (const k of ['inputNanos', 'outputNanos', 'totalNanos']) record.cost[k] = BigInt(record.cost[k]);
      const a = spanAttributes(record);
      console.log(Object.keys(a).length, %HasFastProperties(a));`;
    // As the gateway's attempt records carry them: route, key, attempt kind, team.
    const extra = {
      route: 'smart',
      keyId: 'key_1',
      'switchyard.key': 'key_1',
      team: 'ml',
      'switchyard.attempt.kind': 'primary',
    };
    const r = { ...full, attributes: { ...full.attributes, ...extra } };
    const record = JSON.stringify(r, (_k, v) => (typeof v === 'bigint' ? v.toString() : v));
    const out = execFileSync(
      process.execPath,
      ['--allow-natives-syntax', '--import', 'tsx', '--input-type=module', '-e', script, record],
      { encoding: 'utf8' },
    );
    expect(out.trim()).toBe('32 true');
  });
});

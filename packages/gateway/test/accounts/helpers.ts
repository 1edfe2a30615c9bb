// Shared fixtures for the accounts suites: a price table, plans, requests and outcomes.
import { createStaticPriceSource, type Usage } from '@switchyard/core';
import { expect } from 'vitest';
import { generateKey, hashKey, keyHint, newKeyId } from '../../src/accounts/keys.js';
import type { AccountStore, CallEntry, KeyRecord } from '../../src/accounts/types.js';
import type { CallOutcome, GatewayRequest, RoutePlan, RouteTarget } from '../../src/pipeline/seams.js';

/** $1 / $2 per Mtok → 1,000 / 2,000 nano-USD per token. */
export const prices = createStaticPriceSource({
  'openai/gpt-test': { input: 1, output: 2, maxOutputTokens: 1000 },
  'anthropic/claude-test': { input: 3, output: 15 },
});

export function target(id: string): RouteTarget {
  const [providerId = '', model = ''] = id.split('/');
  return {
    id,
    providerId,
    kind: providerId === 'anthropic' ? 'anthropic' : 'openai',
    baseURL: 'http://127.0.0.1:1',
    model,
  };
}

export function plan(...ids: string[]): RoutePlan {
  const targets = (ids.length ? ids : ['openai/gpt-test']).map(target);
  return {
    name: ids.length > 1 ? 'alias' : (targets[0]?.id ?? ''),
    strategy: ids.length > 1 ? 'fallback' : 'single',
    targets,
    retry: { maxAttempts: 1, baseDelayMs: 0, maxDelayMs: 0 },
    fallbackOn: [],
    timeouts: { connectMs: 1000, firstByteMs: 1000, totalMs: 1000 },
  };
}

let seq = 0;
export function request(clientKey: string | undefined, over: Partial<GatewayRequest> = {}): GatewayRequest {
  seq++;
  const id = `req_${process.pid}_${Date.now()}_${seq}`;
  return {
    requestId: id,
    callId: id,
    endpoint: 'chat',
    model: 'openai/gpt-test',
    stream: false,
    estimatedInputTokens: 1000,
    maxOutputTokens: 500,
    signal: new AbortController().signal,
    receivedAt: Date.now(),
    ...(clientKey !== undefined ? { clientKey } : {}),
    ...over,
  };
}

export function usage(inputTokens: number, outputTokens: number): Usage {
  return { inputTokens, outputTokens, cacheReadTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0, source: 'provider' };
}

/** Cost of openai/gpt-test in nano-USD. */
export const gptCost = (inp: number, out: number) => BigInt(inp * 1000 + out * 2000);

export function okOutcome(inp: number, out: number, withCost = true): CallOutcome {
  return {
    ok: true,
    providerId: 'openai',
    model: 'gpt-test',
    usage: usage(inp, out),
    ...(withCost
      ? { cost: { inputNanos: 0n, outputNanos: 0n, totalNanos: gptCost(inp, out), priceSource: 'test' } }
      : {}),
    records: [],
  };
}

export function keyRecord(over: Partial<KeyRecord> = {}): { key: KeyRecord; secret: string } {
  const secret = generateKey();
  return {
    secret,
    key: {
      id: newKeyId(),
      hash: hashKey(secret),
      hint: keyHint(secret),
      name: 'test',
      credits: false,
      budgets: {},
      models: [],
      tags: [],
      enabled: true,
      createdAt: Date.now(),
      ...over,
    },
  };
}

export function callEntry(keyId: string, requestId: string, cost: bigint, debit = cost): CallEntry {
  const now = Date.now();
  return {
    requestId,
    keyId,
    providerId: 'openai',
    model: 'gpt-test',
    usage: usage(100, 50),
    costNanos: cost,
    debitNanos: debit,
    unknownPrice: false,
    outcome: 'ok',
    startedAt: now,
    settledAt: now,
  };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** After an upgrade to migration 7: a new call stores its attempts, the old row reads back with attempts unknown. */
export async function expectAttemptsAfterUpgrade(store: AccountStore): Promise<void> {
  const { key } = keyRecord();
  await store.insertKey(key);
  await store.settle(
    { id: 'gw-v7', keyId: key.id, amountNanos: 0n, tokens: 0 },
    { ...callEntry(key.id, 'gw-v7', 7n, 0n), attempts: 2 },
  );
  const rows = (await store.listLedger({ kind: 'call', limit: 10 })).rows;
  expect(rows.map((r) => [r.requestId, r.costNanos, r.attempts])).toEqual([
    ['gw-v7', 7n, 2],
    ['gw-v6', 42n, undefined],
  ]);
}

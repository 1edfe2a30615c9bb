import { describe, expect, it } from 'vitest';
import type { ResponsesRequest } from '../providers/responses-inbound/responses-wire.js';
import { bodyForTarget, resolveConversation } from './responses-context.js';
import {
  createMemoryResponsesStore,
  MAX_ENTRY_BYTES,
  MAX_TENANT_BYTES,
  type StoredResponse,
  TTL_MS,
  tenantOf,
} from './responses-store.js';
import type { RouteTarget } from './seams.js';

const entry = (text: string, providerId = 'anthropic', passthrough = false): StoredResponse => ({
  items: [
    { role: 'user', content: text },
    { type: 'message', role: 'assistant', id: `msg_${text}`, content: [{ type: 'output_text', text: `re ${text}` }] },
  ],
  providerId,
  passthrough,
  complete: true,
});
const target = (kind: RouteTarget['kind'], providerId: string = kind): RouteTarget => ({
  id: `${providerId}/m`,
  providerId,
  kind,
  baseURL: 'http://x',
  model: 'm',
});

describe('memory responses store', () => {
  it('isolates tenants: another key never sees a response or its items, even by id', () => {
    const store = createMemoryResponsesStore();
    const a = tenantOf('sk-a');
    const b = tenantOf('sk-b');
    expect(a).not.toBe(b);
    expect(a).not.toContain('sk-a');
    store.put(a, 'resp_1', entry('one'));
    expect(store.get(a, 'resp_1')?.items).toHaveLength(2);
    expect(store.get(b, 'resp_1')).toBeUndefined();
    expect(store.get('', 'resp_1')).toBeUndefined();
    expect(store.item(a, 'msg_one')).toMatchObject({ role: 'assistant' });
    expect(store.item(b, 'msg_one')).toBeUndefined();
  });

  it('expires entries after the TTL and refuses entries over the size cap', () => {
    let now = 1_000;
    const store = createMemoryResponsesStore(() => now);
    store.put('t', 'resp_1', entry('one'));
    now += TTL_MS - 1;
    expect(store.get('t', 'resp_1')).toBeDefined();
    now += 1;
    expect(store.get('t', 'resp_1')).toBeUndefined();
    expect(store.item('t', 'msg_one')).toBeUndefined();
    store.put('t', 'resp_big', { ...entry('x'), items: [{ role: 'user', content: 'y'.repeat(MAX_ENTRY_BYTES) }] });
    expect(store.get('t', 'resp_big')).toBeUndefined();
  });

  it('one key over its share evicts its own oldest entries, never those of another key', () => {
    const store = createMemoryResponsesStore();
    store.put('other', 'resp_keep', entry('keep'));
    const big = (i: number): StoredResponse => ({
      ...entry(String(i)),
      items: [{ role: 'user', content: 'z'.repeat(MAX_ENTRY_BYTES - 100) }],
    });
    const n = Math.ceil(MAX_TENANT_BYTES / MAX_ENTRY_BYTES) + 2;
    for (let i = 0; i < n; i++) store.put('busy', `resp_${i}`, big(i));
    expect(store.get('busy', 'resp_0')).toBeUndefined();
    expect(store.get('busy', `resp_${n - 1}`)).toBeDefined();
    expect(store.get('other', 'resp_keep')).toBeDefined();
  });
});

describe('conversation resolution', () => {
  const store = createMemoryResponsesStore();
  store.put('t', 'resp_ant', entry('ant'));
  store.put('t', 'resp_oai', entry('oai', 'openai', true));
  const body = (over: Partial<ResponsesRequest>): ResponsesRequest => ({ model: 'm', input: 'next', ...over });

  it('inlines a stored conversation for translated targets and for another OpenAI provider', () => {
    const original = body({ previous_response_id: 'resp_ant' });
    const ctx = resolveConversation(original, store, 't');
    const sent = bodyForTarget(original, ctx, target('gemini'));
    expect(sent.previous_response_id).toBeUndefined();
    expect(sent.input).toEqual([...entry('ant').items, { role: 'user', content: 'next' }]);
    expect(ctx.extraBytes).toBeGreaterThan(0);
    expect(bodyForTarget(original, ctx, target('openai')).input).toEqual(sent.input);
  });

  it('leaves the body untouched for the OpenAI provider that holds the response itself', () => {
    const original = body({ previous_response_id: 'resp_oai' });
    const ctx = resolveConversation(original, store, 't');
    expect(bodyForTarget(original, ctx, target('openai'))).toBe(original);
    expect(bodyForTarget(original, ctx, target('anthropic')).input).toHaveLength(3);
  });

  it('resolves item_reference items; an unknown reference is a 400 for translated targets only', () => {
    const refs = body({
      input: [
        { type: 'item_reference', id: 'msg_ant' },
        { role: 'user', content: 'more' },
      ],
    });
    const ctx = resolveConversation(refs, store, 't');
    expect(bodyForTarget(refs, ctx, target('anthropic')).input?.[0]).toMatchObject({ role: 'assistant' });
    const unknown = body({ previous_response_id: 'resp_nope' });
    const ctx2 = resolveConversation(unknown, store, 't');
    expect(bodyForTarget(unknown, ctx2, target('openai'))).toBe(unknown);
    expect(() => bodyForTarget(unknown, ctx2, target('anthropic'))).toThrow(/resp_nope/);
    const otherTenant = resolveConversation(body({ previous_response_id: 'resp_ant' }), store, 'u');
    expect(otherTenant.unresolved).toBe('resp_ant');
  });
});

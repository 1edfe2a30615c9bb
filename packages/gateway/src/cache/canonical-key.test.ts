import { describe, expect, it } from 'vitest';
import type { RoutePlan } from '../pipeline/seams.js';
import { cacheControlsOf } from './cache-controls.js';
import { decodeEntry, encodeEntry } from './cache-entry.js';
import { cacheKey, canonicalJson, isDeterministic, namespaceOf } from './canonical-key.js';

const plan = (name: string, targets: Array<{ id: string; params?: Record<string, unknown> }>): RoutePlan =>
  ({
    name,
    targets: targets.map((t) => ({ ...t, providerId: 'p', kind: 'openai', baseURL: '', model: 'm' })),
  }) as never;
const P = plan('openai/gpt-4o-mini', [{ id: 'openai/gpt-4o-mini' }]);
const body = { model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }], max_tokens: 5 };

describe('canonical key', () => {
  it('object key order does not matter at any depth; array order does', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, 2], c: null } })).toBe('{"a":{"c":null,"d":[1,2]},"b":1}');
    const reordered = { max_tokens: 5, messages: [{ content: 'hi', role: 'user' }], model: 'openai/gpt-4o-mini' };
    expect(cacheKey('ns', 'chat', P, reordered)).toBe(cacheKey('ns', 'chat', P, body));
    const swapped = {
      ...body,
      messages: [
        { role: 'user', content: 'a' },
        { role: 'user', content: 'b' },
      ],
    };
    const back = {
      ...body,
      messages: [
        { role: 'user', content: 'b' },
        { role: 'user', content: 'a' },
      ],
    };
    expect(cacheKey('ns', 'chat', P, swapped)).not.toBe(cacheKey('ns', 'chat', P, back));
  });

  it('transport and label fields are ignored per endpoint; meaning-bearing fields are not', () => {
    const k = cacheKey('ns', 'chat', P, body);
    const labelled = {
      ...body,
      stream: true,
      stream_options: { include_usage: true },
      user: 'u',
      metadata: { a: '1' },
    };
    expect(cacheKey('ns', 'chat', P, labelled)).toBe(k);
    expect(cacheKey('ns', 'chat', P, { ...body, temperature: 0 })).not.toBe(k);
    expect(cacheKey('ns', 'chat', P, { ...body, undefinedField: undefined })).toBe(k);
    // Ignored only at the top level: a nested `user` is content.
    const nested = { ...body, messages: [{ role: 'user', content: 'hi', user: 'x' }] };
    expect(cacheKey('ns', 'chat', P, nested)).not.toBe(k);
  });

  it('namespace, endpoint and the resolved route (targets and params) all split keys', () => {
    const k = cacheKey('key:a', 'chat', P, body);
    expect(cacheKey('key:b', 'chat', P, body)).not.toBe(k);
    expect(cacheKey('key:a', 'messages', P, body)).not.toBe(k);
    expect(cacheKey('key:a', 'chat', plan('smart', [{ id: 'openai/gpt-4o-mini' }]), body)).not.toBe(k);
    const a = plan('smart', [{ id: 'openai/gpt-4o-mini' }]);
    const b = plan('smart', [{ id: 'openai/gpt-4o-mini', params: { temperature: 0 } }]);
    expect(cacheKey('key:a', 'chat', a, body)).not.toBe(cacheKey('key:a', 'chat', b, body));
  });

  it('namespace: shared override, else team, else key, else one anonymous space', () => {
    expect(namespaceOf({ keyId: 'k', teamId: 't' })).toBe('team:t');
    expect(namespaceOf({ keyId: 'k' })).toBe('key:k');
    expect(namespaceOf({})).toBe('anonymous');
    expect(namespaceOf({ keyId: 'k' }, 'everyone')).toBe('shared:everyone');
    // A key id can never collide with a team id of the same text.
    expect(namespaceOf({ keyId: 'x' })).not.toBe(namespaceOf({ teamId: 'x' }));
  });

  it('deterministic: embeddings always; temperature 0; a seed on chat', () => {
    expect(isDeterministic('embeddings', {})).toBe(true);
    expect(isDeterministic('chat', { temperature: 0 })).toBe(true);
    expect(isDeterministic('chat', { seed: 3 })).toBe(true);
    expect(isDeterministic('chat', { temperature: 0.7 })).toBe(false);
    expect(isDeterministic('chat', {})).toBe(false);
    expect(isDeterministic('messages', { temperature: 0 })).toBe(true);
    expect(isDeterministic('messages', {})).toBe(false);
  });
});

describe('request controls', () => {
  it.each([
    [{}, { read: true, write: true }],
    [{ 'cache-control': 'no-cache' }, { read: false, write: true }],
    [{ 'cache-control': 'no-store' }, { read: true, write: false }],
    [{ 'cache-control': 'No-Cache, no-store' }, { read: false, write: false }],
    [{ 'cache-control': 'max-age=0' }, { read: true, write: true }],
    [{ 'x-switchyard-cache': 'refresh' }, { read: false, write: true }],
    [{ 'x-switchyard-cache': 'BYPASS' }, { read: false, write: false }],
    [{ 'x-switchyard-cache': 'something' }, { read: true, write: true }],
  ])('%j → %j', (headers, expected) => {
    expect(cacheControlsOf(headers)).toEqual(expected);
  });
});

describe('entry encoding', () => {
  it('round-trips, money as an exact bigint', () => {
    const e = { createdAt: 5, providerId: 'openai', model: 'gpt', costNanos: 123456789012345678n, body: { a: 1 } };
    expect(decodeEntry(encodeEntry(e))).toEqual(e);
  });
  it.each([
    '',
    'not json',
    '{"v":2}',
    '{"v":1,"t":1,"p":"x","m":"y","b":null}',
    '{"v":1,"t":1,"p":"x","m":"y","b":{},"c":"-5"}',
  ])('rejects %j as a miss', (text) => {
    expect(decodeEntry(text)).toBeUndefined();
  });
});

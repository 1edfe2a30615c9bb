import { describe, expect, it } from 'vitest';
import type { CallRecord } from '../types.js';
import { createMetricAttributeCache } from './metric-attribute-cache.js';

const rec = (over: Partial<CallRecord> = {}): CallRecord => ({
  provider: 'openai',
  operation: 'chat',
  requestModel: 'gpt-4o-mini',
  startTime: 0,
  durationMs: 1,
  streaming: false,
  outcome: 'ok',
  serverAddress: '127.0.0.1',
  serverPort: 8080,
  ...over,
});

describe('metric attribute cache', () => {
  it('builds the semconv sets once per tuple and reuses them', () => {
    const c = createMetricAttributeCache([]);
    const a = c.setsFor(rec({ responseModel: 'gpt-4o-mini-2024-07-18' }));
    expect(a.base).toEqual({
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'gpt-4o-mini',
      'gen_ai.response.model': 'gpt-4o-mini-2024-07-18',
      'server.address': '127.0.0.1',
      'server.port': 8080,
    });
    expect(a.input).toEqual({ ...a.base, 'gen_ai.token.type': 'input' });
    expect(a.output).toEqual({ ...a.base, 'gen_ai.token.type': 'output' });
    expect(Object.isFrozen(a.base)).toBe(true);
    expect(c.setsFor(rec({ responseModel: 'gpt-4o-mini-2024-07-18' }))).toBe(a);
  });

  it('never serves the previous tuple for a different one (model, server, operation, extras by type)', () => {
    const c = createMetricAttributeCache(['tenant']);
    const a = c.setsFor(rec({ attributes: { tenant: 1 } }));
    const b = c.setsFor(rec({ attributes: { tenant: '1' } }));
    expect(b).not.toBe(a);
    expect(b.base.tenant).toBe('1');
    expect(c.setsFor(rec({ requestModel: 'gpt-4o' })).base['gen_ai.request.model']).toBe('gpt-4o');
    expect(c.setsFor(rec({ serverPort: 9 })).base['server.port']).toBe(9);
    expect(c.setsFor(rec({ operation: 'embeddings' })).base['gen_ai.operation.name']).toBe('embeddings');
    expect(c.setsFor(rec({ attributes: { tenant: 1 } }))).toBe(a); // back from the map, not rebuilt
  });

  it('adds error.type per error class on the duration only', () => {
    const c = createMetricAttributeCache([]);
    const r = rec({
      outcome: 'error',
      error: { errorClass: 'rate_limited', retryable: true, fallbackEligible: true, message: 'slow down' },
    });
    const sets = c.setsFor(r);
    const d = c.durationAttributes(r, sets);
    expect(d).toEqual({ ...sets.base, 'error.type': 'rate_limited' });
    expect(c.durationAttributes(r, sets)).toBe(d);
    expect(c.durationAttributes(rec(), sets)).toBe(sets.base);
  });

  it('stays bounded when model names are unique', () => {
    const c = createMetricAttributeCache([]);
    for (let i = 0; i < 3000; i++) c.setsFor(rec({ requestModel: `m-${i}` }));
    expect(c.size()).toBeLessThanOrEqual(1024);
  });
});

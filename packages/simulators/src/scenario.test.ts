import { describe, expect, it } from 'vitest';
import { activeFault, mergeScenario, parseScenarioHeader, SCENARIO_PRESETS, ScenarioError } from './scenario.js';
import { argsFromSchema } from './schema-args.js';

describe('scenario parsing', () => {
  it('preset names, JSON, preset + overrides, and the { status } shorthand', () => {
    expect(parseScenarioHeader('rate_limited')).toEqual(SCENARIO_PRESETS.rate_limited);
    expect(parseScenarioHeader('{"latencyMs":5}')).toEqual({ latencyMs: 5, fault: undefined });
    expect(parseScenarioHeader('{"preset":"slow","outputTokens":3}')).toMatchObject({
      latencyMs: 200,
      outputTokens: 3,
    });
    expect(parseScenarioHeader('{"fault":{"status":429}}').fault).toEqual({ kind: 'status', status: 429 });
    expect(parseScenarioHeader('{"fault":"hang"}').fault).toEqual({ kind: 'hang' });
  });

  it('rejects unknown presets, unknown fault kinds and bad JSON with ScenarioError', () => {
    expect(() => parseScenarioHeader('nope')).toThrow(ScenarioError);
    expect(() => parseScenarioHeader('{"fault":{"kind":"explode"}}')).toThrow(ScenarioError);
    expect(() => parseScenarioHeader('{"fault":{"kind":"fail_first_n"}}')).toThrow(ScenarioError);
    expect(() => parseScenarioHeader('{oops')).toThrow(ScenarioError);
  });

  it('request scenario wins field by field', () => {
    expect(mergeScenario({ latencyMs: 5, outputTokens: 2 }, { outputTokens: 9 })).toEqual({
      latencyMs: 5,
      outputTokens: 9,
    });
    expect(mergeScenario(undefined, undefined)).toEqual({});
  });

  it('fail_first_n counts per key and defaults to an overloaded status fault', () => {
    const counters = new Map<string, number>();
    const s = { scenarioKey: 'k', fault: { kind: 'fail_first_n' as const, n: 1 } };
    expect(activeFault(s, counters)).toEqual({ kind: 'status', code: 'overloaded' });
    expect(activeFault(s, counters)).toBeUndefined();
    expect(activeFault({ ...s, scenarioKey: 'other' }, counters)).toBeDefined();
    expect(counters.get('k')).toBe(1);
  });
});

describe('tool arguments from JSON Schema', () => {
  it('honours enum, const, bounds, arrays, nesting; deterministic in the seed', () => {
    const schema = {
      type: 'object',
      properties: {
        unit: { enum: ['c', 'f'] },
        fixed: { const: 7 },
        days: { type: 'integer', minimum: 3, maximum: 5 },
        tags: { type: 'array', items: { type: 'string' }, minItems: 2 },
        where: { type: 'object', properties: { lat: { type: 'number' }, ok: { type: 'boolean' } } },
        maybe: { anyOf: [{ type: 'null' }, { type: 'string' }] },
      },
    };
    const a = argsFromSchema(schema, 11);
    expect(a).toEqual(argsFromSchema(schema, 11));
    expect(['c', 'f']).toContain(a.unit);
    expect(a.fixed).toBe(7);
    expect(a.days).toBeGreaterThanOrEqual(3);
    expect(a.days).toBeLessThanOrEqual(5);
    expect(a.tags).toHaveLength(2);
    expect(a.where).toMatchObject({ lat: expect.any(Number), ok: expect.any(Boolean) });
    expect(typeof a.maybe).toBe('string'); // nullable unions answer with the non-null branch
  });

  it('terminates on self-similar deep schemas and tolerates missing schemas', () => {
    let deep: Record<string, unknown> = { type: 'string' };
    for (let i = 0; i < 20; i++) deep = { type: 'object', properties: { next: deep } };
    expect(() => JSON.stringify(argsFromSchema(deep, 1))).not.toThrow();
    expect(argsFromSchema(undefined, 1)).toEqual({});
  });
});

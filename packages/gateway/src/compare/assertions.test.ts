import { describe, expect, it } from 'vitest';
import { checkAssertion, extractJson, jsonEqual } from './assertions.js';

describe('assertions', () => {
  it('contains: every needle, optionally case-insensitive, and names what is missing', () => {
    expect(checkAssertion({ contains: 'Paris' }, 'It is Paris.').pass).toBe(true);
    expect(checkAssertion({ contains: 'paris' }, 'It is Paris.').pass).toBe(false);
    expect(checkAssertion({ contains: 'paris', ignoreCase: true }, 'It is Paris.').pass).toBe(true);
    const r = checkAssertion({ contains: ['a', 'zz', 'yy'] }, 'abc');
    expect(r).toMatchObject({ type: 'contains', pass: false });
    expect(r.detail).toBe('missing "zz", "yy"');
  });

  it('regex with flags', () => {
    expect(checkAssertion({ regex: '^\\s*391\\s*$' }, ' 391\n').pass).toBe(true);
    expect(checkAssertion({ regex: '^yes$' }, 'YES').pass).toBe(false);
    expect(checkAssertion({ regex: '^yes$', flags: 'i' }, 'YES').pass).toBe(true);
  });

  it('json_schema validates with ajv (fenced JSON accepted) and reports the failing path', () => {
    const schema = {
      type: 'object',
      properties: { total: { type: 'number' }, currency: { enum: ['EUR', 'USD'] } },
      required: ['total', 'currency'],
    };
    expect(checkAssertion({ json_schema: schema }, '{"total": 12.5, "currency": "EUR"}').pass).toBe(true);
    expect(checkAssertion({ json_schema: schema }, '```json\n{"total": 1, "currency": "USD"}\n```').pass).toBe(true);
    const bad = checkAssertion({ json_schema: schema }, '{"total": "12", "currency": "EUR"}');
    expect(bad.pass).toBe(false);
    expect(bad.detail).toContain('/total');
    expect(checkAssertion({ json_schema: schema }, 'not json').detail).toBe('answer is not JSON');
    expect(checkAssertion({ json_schema: { type: 'nonsense' } }, '{}').detail).toMatch(/^invalid schema/);
  });

  it('equals: trimmed strings, or deep JSON equality for non-string values', () => {
    expect(checkAssertion({ equals: 'Paris' }, '  Paris\n').pass).toBe(true);
    expect(checkAssertion({ equals: 'Paris' }, 'paris').pass).toBe(false);
    expect(checkAssertion({ equals: 'Paris', ignoreCase: true }, 'paris').pass).toBe(true);
    expect(checkAssertion({ equals: { a: [1, 2], b: null } }, '{"b": null, "a": [1, 2]}').pass).toBe(true);
    expect(checkAssertion({ equals: { a: [1, 2] } }, '{"a": [2, 1]}').pass).toBe(false);
    expect(checkAssertion({ equals: 42 }, '42').pass).toBe(true);
  });

  it('jsonEqual and extractJson edge cases', () => {
    expect(jsonEqual({ a: 1 }, { a: 1, b: undefined })).toBe(false);
    expect(jsonEqual([1], { 0: 1 })).toBe(false);
    expect(() => extractJson('nope')).toThrow();
  });
});

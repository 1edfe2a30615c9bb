// Assertions of a prompt case, checked against a model's answer. Pure apart from ajv's compiled-validator cache.
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { Assertion } from './prompt-set.js';

export interface AssertionResult {
  type: 'contains' | 'regex' | 'json_schema' | 'equals';
  pass: boolean;
  /** Why it failed (or what it checked), short. */
  detail: string;
}

const ajv = new Ajv2020({ strict: false, allErrors: false });
const compiled = new WeakMap<object, ReturnType<typeof ajv.compile>>();

function validatorFor(schema: Record<string, unknown>) {
  let v = compiled.get(schema);
  if (!v) {
    v = ajv.compile(schema);
    compiled.set(schema, v);
  }
  return v;
}

/** Models often wrap JSON in a ```json fence: take the fenced body, else the text itself. */
export function extractJson(text: string): unknown {
  const fence = /```(?:json)?\s*\n?([\s\S]*?)```/i.exec(text);
  const body = (fence?.[1] ?? text).trim();
  return JSON.parse(body);
}

const short = (s: string, n = 80) => (s.length > n ? `${s.slice(0, n)}…` : s);

export function checkAssertion(a: Assertion, answer: string): AssertionResult {
  if ('contains' in a) {
    const needles = Array.isArray(a.contains) ? a.contains : [a.contains];
    const hay = a.ignoreCase ? answer.toLowerCase() : answer;
    const missing = needles.filter((n) => !hay.includes(a.ignoreCase ? n.toLowerCase() : n));
    return {
      type: 'contains',
      pass: missing.length === 0,
      detail: missing.length
        ? `missing ${missing.map((m) => JSON.stringify(m)).join(', ')}`
        : `contains ${needles.length}`,
    };
  }
  if ('regex' in a) {
    const pass = new RegExp(a.regex, a.flags).test(answer);
    return {
      type: 'regex',
      pass,
      detail: `${pass ? 'matches' : 'does not match'} /${short(a.regex)}/${a.flags ?? ''}`,
    };
  }
  if ('json_schema' in a) {
    let value: unknown;
    try {
      value = extractJson(answer);
    } catch {
      return { type: 'json_schema', pass: false, detail: 'answer is not JSON' };
    }
    let validate: ReturnType<typeof ajv.compile>;
    try {
      validate = validatorFor(a.json_schema);
    } catch (err) {
      return { type: 'json_schema', pass: false, detail: `invalid schema: ${short((err as Error).message)}` };
    }
    const pass = validate(value) === true;
    const first = validate.errors?.[0];
    return {
      type: 'json_schema',
      pass,
      detail: pass ? 'valid' : `${first?.instancePath || '/'} ${first?.message ?? 'invalid'}`,
    };
  }
  return checkEquals(a.equals, answer, a.ignoreCase === true);
}

function checkEquals(expected: unknown, answer: string, ignoreCase: boolean): AssertionResult {
  if (typeof expected === 'string') {
    const norm = (s: string) => (ignoreCase ? s.trim().toLowerCase() : s.trim());
    const pass = norm(answer) === norm(expected);
    return { type: 'equals', pass, detail: pass ? 'equal' : `expected ${JSON.stringify(short(expected))}` };
  }
  // A non-string `equals` compares as JSON: the answer must parse to a deep-equal value.
  let value: unknown;
  try {
    value = extractJson(answer);
  } catch {
    return { type: 'equals', pass: false, detail: 'answer is not JSON' };
  }
  const pass = jsonEqual(value, expected);
  return { type: 'equals', pass, detail: pass ? 'JSON-equal' : 'JSON differs' };
}

/** Structural equality of JSON values (object key order ignored). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => jsonEqual(v, b[i]));
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  return ka.every(
    (k) => Object.hasOwn(b, k) && jsonEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]),
  );
}

export function checkAll(list: readonly Assertion[], answer: string): AssertionResult[] {
  return list.map((a) => checkAssertion(a, answer));
}

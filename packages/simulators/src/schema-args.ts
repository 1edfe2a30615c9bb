// Deterministic JSON generated from a JSON Schema: tool-call arguments and structured-output answers. Covers the
// subset clients send in practice (zod / pydantic output, OpenAPI-style Gemini schemas): objects with properties,
// arrays (minItems/maxItems), enums/const, string (formats, length bounds), number/integer (bounds), boolean,
// null, type lists and `nullable`, anyOf/oneOf/allOf (first non-null branch; allOf merged), local $ref.
import { generateWords, prng } from './tokens.js';

type Schema = Record<string, unknown>;

const isObject = (v: unknown): v is Schema => typeof v === 'object' && v !== null && !Array.isArray(v);
const MAX_DEPTH = 8;

/** Arguments for a tool whose parameters are `schema`; depth-bounded so recursive schemas terminate. */
export function argsFromSchema(schema: unknown, seed: number): Record<string, unknown> {
  const value = exampleFromSchema(schema, seed);
  return isObject(value) ? value : {};
}

/** A value that validates against `schema` (deterministic in `seed`). */
export function exampleFromSchema(schema: unknown, seed: number): unknown {
  return valueFor(schema, seed, 0, isObject(schema) ? schema : {});
}

function resolveRef(ref: string, root: Schema): unknown {
  if (ref === '#') return root;
  if (!ref.startsWith('#/')) return undefined;
  let node: unknown = root;
  for (const raw of ref.slice(2).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    node = isObject(node) ? node[key] : undefined;
  }
  return node;
}

/**
 * Some clients move constraints a provider does not enforce into the description (`{enum: ["a","b"]}`, as the
 * Anthropic SDK's schema transform does); a model reads and follows them, so the simulator does too.
 */
function enumInDescription(description: unknown): unknown[] | undefined {
  if (typeof description !== 'string') return undefined;
  const m = /enum:\s*(\[[^\]]*\])/.exec(description);
  if (!m?.[1]) return undefined;
  try {
    const list = JSON.parse(m[1]) as unknown;
    return Array.isArray(list) ? list : undefined;
  } catch {
    return undefined;
  }
}

function typeOf(schema: Schema): string {
  const raw = schema.type;
  if (Array.isArray(raw)) {
    const nonNull = raw.find((t) => String(t).toLowerCase() !== 'null');
    return String(nonNull ?? 'null').toLowerCase();
  }
  if (raw !== undefined) return String(raw).toLowerCase();
  if (isObject(schema.properties)) return 'object';
  if (schema.items !== undefined) return 'array';
  return 'string';
}

function stringFor(schema: Schema, seed: number): string {
  switch (schema.format) {
    case 'date-time':
      return new Date(Date.UTC(2025, seed % 12, 1 + (seed % 28), seed % 24)).toISOString();
    case 'date':
      return new Date(Date.UTC(2025, seed % 12, 1 + (seed % 28))).toISOString().slice(0, 10);
    case 'time':
      return '12:00:00';
    case 'email':
      return `${generateWords(seed, 1)[0]}@example.com`;
    case 'uri':
    case 'url':
      return `https://example.com/${generateWords(seed, 1)[0]}`;
    case 'uuid':
      return '123e4567-e89b-42d3-a456-426614174000';
  }
  let s = generateWords(seed, 2).join(' ');
  const min = typeof schema.minLength === 'number' ? schema.minLength : 0;
  const max = typeof schema.maxLength === 'number' ? schema.maxLength : Number.POSITIVE_INFINITY;
  while (s.length < min) s += ` ${generateWords(seed + s.length, 1)[0]}`;
  return s.length > max ? s.slice(0, max) : s;
}

function numberFor(schema: Schema, seed: number): number {
  const excl = (v: unknown, d: number) => (typeof v === 'number' ? v + d : undefined);
  const min = typeof schema.minimum === 'number' ? schema.minimum : (excl(schema.exclusiveMinimum, 1) ?? 0);
  const maxRaw = typeof schema.maximum === 'number' ? schema.maximum : (excl(schema.exclusiveMaximum, -1) ?? min + 100);
  const lo = Math.ceil(min);
  const hi = Math.max(lo, Math.floor(maxRaw));
  return lo + (prng(seed)() % (hi - lo + 1));
}

function valueFor(input: unknown, seed: number, depth: number, root: Schema): unknown {
  if (!isObject(input) || depth > MAX_DEPTH) return null;
  let schema = input;
  if (typeof schema.$ref === 'string') {
    const target = resolveRef(schema.$ref, root);
    return valueFor(target, seed, depth + 1, root);
  }
  if (schema.const !== undefined) return schema.const;
  const choices = Array.isArray(schema.enum) ? schema.enum : enumInDescription(schema.description);
  if (choices && choices.length > 0) return choices[seed % choices.length];
  if (Array.isArray(schema.allOf) && schema.allOf.length > 0) {
    // Merge the branches' properties: the common zod/pydantic shape is allOf of object schemas.
    const merged: Schema = { type: 'object', properties: {}, required: [] };
    for (const part of schema.allOf) {
      const p = isObject(part) && typeof part.$ref === 'string' ? resolveRef(part.$ref, root) : part;
      if (!isObject(p)) continue;
      if (p.type !== undefined && typeOf(p) !== 'object') return valueFor(p, seed, depth + 1, root);
      Object.assign(merged.properties as Schema, isObject(p.properties) ? p.properties : {});
    }
    schema = merged;
  }
  for (const key of ['anyOf', 'oneOf'] as const) {
    const list = schema[key];
    if (Array.isArray(list) && list.length > 0) {
      const branch = list.find((b) => !(isObject(b) && typeOf(b) === 'null')) ?? list[0];
      return valueFor(branch, seed, depth + 1, root);
    }
  }
  switch (typeOf(schema)) {
    case 'object': {
      const out: Record<string, unknown> = {};
      const props = isObject(schema.properties) ? schema.properties : {};
      let i = 0;
      for (const [name, sub] of Object.entries(props)) out[name] = valueFor(sub, seed + 7919 * ++i, depth + 1, root);
      return out;
    }
    case 'array': {
      const min = typeof schema.minItems === 'number' ? schema.minItems : 1;
      const max = typeof schema.maxItems === 'number' ? schema.maxItems : 3;
      const n = Math.max(0, Math.min(Math.max(min, Math.min(2, max)), max, 10));
      return Array.from({ length: n }, (_, i) => valueFor(schema.items, seed + i + 1, depth + 1, root));
    }
    case 'integer':
    case 'number':
      return numberFor(schema, seed);
    case 'boolean':
      return prng(seed)() % 2 === 0;
    case 'null':
      return null;
    default:
      return stringFor(schema, seed);
  }
}

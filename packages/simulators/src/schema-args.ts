// Deterministic tool-call arguments generated from a JSON Schema (the subset tools use in practice).
import { generateWords, prng } from './tokens.js';

type Schema = Record<string, unknown>;

const isObject = (v: unknown): v is Schema => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Arguments for a tool whose parameters are `schema`; depth-bounded so recursive schemas terminate. */
export function argsFromSchema(schema: unknown, seed: number): Record<string, unknown> {
  const value = valueFor(schema, seed, 0);
  return isObject(value) ? value : {};
}

function valueFor(schema: unknown, seed: number, depth: number): unknown {
  if (!isObject(schema) || depth > 6) return null;
  if (schema.const !== undefined) return schema.const;
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return schema.enum[seed % schema.enum.length];
  for (const key of ['anyOf', 'oneOf', 'allOf'] as const) {
    const list = schema[key];
    if (Array.isArray(list) && list.length > 0) return valueFor(list[0], seed, depth + 1);
  }
  const rawType = schema.type;
  const type = String(
    Array.isArray(rawType) ? rawType[0] : (rawType ?? (isObject(schema.properties) ? 'object' : 'string')),
  );
  switch (type.toLowerCase()) {
    case 'object': {
      const out: Record<string, unknown> = {};
      const props = isObject(schema.properties) ? schema.properties : {};
      let i = 0;
      for (const [name, sub] of Object.entries(props)) out[name] = valueFor(sub, seed + 7919 * ++i, depth + 1);
      return out;
    }
    case 'array': {
      const min = typeof schema.minItems === 'number' ? schema.minItems : 1;
      return Array.from({ length: Math.max(1, Math.min(min, 3)) }, (_, i) =>
        valueFor(schema.items, seed + i + 1, depth + 1),
      );
    }
    case 'integer':
    case 'number': {
      const min = typeof schema.minimum === 'number' ? schema.minimum : 0;
      const max = typeof schema.maximum === 'number' ? schema.maximum : min + 100;
      return Math.floor(min + (prng(seed)() % (Math.floor(max - min) + 1)));
    }
    case 'boolean':
      return prng(seed)() % 2 === 0;
    case 'null':
      return null;
    default:
      return generateWords(seed, 2).join(' ');
  }
}

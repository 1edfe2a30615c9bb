// Just enough validation of client bodies to route and price them safely; everything else passes through to the
// provider (or its translator), which owns the finer rules. Extra fields are kept (`loose`).
import { z } from 'zod';
import { formatPath } from '../config/load-config.js';
import { responsesRequestSchema } from '../providers/responses-inbound/responses-wire.js';
import { badRequest } from './client-errors.js';

/** Model names end up in URLs (Gemini) and response headers: no control characters (a CRLF made writeHead throw). */
const modelName = z
  .string()
  .min(1)
  .max(256)
  // biome-ignore lint/suspicious/noControlCharactersInRegex: rejecting control characters is the point
  .regex(/^[^\x00-\x1f\x7f]+$/, 'must not contain control characters');

const role = z.enum(['system', 'developer', 'user', 'assistant', 'tool', 'function']);

export const chatRequestSchema = z.looseObject({
  model: modelName,
  messages: z
    .array(
      z.looseObject({
        role,
        content: z.union([z.string(), z.array(z.looseObject({ type: z.string() }))]).nullish(),
      }),
    )
    .min(1),
  stream: z.boolean().nullish(),
  stream_options: z.looseObject({ include_usage: z.boolean().optional() }).nullish(),
  max_tokens: z.number().int().min(1).nullish(),
  max_completion_tokens: z.number().int().min(1).nullish(),
  n: z.number().int().min(1).max(128).nullish(),
  temperature: z.number().min(0).max(2).nullish(),
  tools: z.array(z.looseObject({ type: z.string() })).optional(),
});

export const embeddingsRequestSchema = z.looseObject({
  model: modelName,
  input: z.union([
    z.string(),
    z.array(z.string()).min(1),
    z.array(z.number()).min(1),
    z.array(z.array(z.number())).min(1),
  ]),
  encoding_format: z.enum(['float', 'base64']).optional(),
  // No model has more than a few thousand; an absurd value must be our 400, not an upstream 5xx.
  dimensions: z.number().int().min(1).max(65_536).optional(),
});

export const messagesRequestSchema = z.looseObject({
  model: modelName,
  max_tokens: z.number().int().min(1),
  messages: z.array(z.looseObject({ role: z.enum(['user', 'assistant']) })).min(1),
  stream: z.boolean().optional(),
  system: z.union([z.string(), z.array(z.looseObject({ type: z.string() }))]).optional(),
});

/** /v1/responses: the Responses fields the gateway reads (see responses-wire.ts), with the same model rule. */
export const responsesBodySchema = responsesRequestSchema.extend({ model: modelName });

/**
 * Deepest nesting accepted in a body: far beyond any real request (tool schemas included), far below what
 * JSON.stringify and the translators recurse through (a 5,000-deep array overflowed the stack → 500).
 */
export const MAX_BODY_DEPTH = 100;

/** Iterative, so the check itself cannot overflow; stops at the first node past `max`. */
export function deeperThan(value: unknown, max: number): boolean {
  // Two parallel stacks (node, its depth): no object allocated per node on every request body.
  const nodes: object[] = [];
  const depths: number[] = [];
  if (value !== null && typeof value === 'object') {
    nodes.push(value);
    depths.push(1);
  }
  while (nodes.length > 0) {
    const v = nodes.pop() as object;
    const d = depths.pop() as number;
    if (d > max) return true;
    for (const c of Array.isArray(v) ? v : Object.values(v)) {
      if (c !== null && typeof c === 'object') {
        nodes.push(c);
        depths.push(d + 1);
      }
    }
  }
  return false;
}

/**
 * Parses or throws a 400 GatewayError naming the first bad field (OpenAI's `param`). `accepts`: a precompiled
 * check that is true only for bodies `schema` accepts (chat-body-check.ts); such a body is returned as is, without
 * zod's walk and copy.
 */
export function parseBody<S extends z.ZodType>(
  schema: S,
  body: unknown,
  accepts?: (body: Record<string, unknown>) => boolean,
): z.output<S> {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw badRequest('Request body must be a JSON object', null, 'invalid_body');
  }
  if (deeperThan(body, MAX_BODY_DEPTH)) {
    throw badRequest(`Request body is nested deeper than ${MAX_BODY_DEPTH} levels`, null, 'invalid_body');
  }
  if (accepts?.(body as Record<string, unknown>)) return body as z.output<S>;
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const param = issue ? formatPath(issue.path) : null;
  const message = issue ? `Invalid value for '${param}': ${issue.message}` : 'Invalid request body';
  if (issue?.code === 'invalid_type') {
    // zod does not keep the input on its issues: read what the client sent at that path.
    const got = valueAt(body, issue.path);
    if (got === undefined)
      throw badRequest(`Missing required parameter: '${param}'.`, param, 'missing_required_parameter');
    const expected = EXPECTED[issue.expected] ?? issue.expected;
    throw badRequest(`Invalid type for '${param}': expected ${expected}, got ${describe(got)}.`, param, 'invalid_type');
  }
  throw badRequest(message, param, 'invalid_value');
}

const EXPECTED: Record<string, string> = {
  int: 'an integer',
  number: 'a number',
  string: 'a string',
  boolean: 'a boolean',
  array: 'an array',
  object: 'an object',
};

/** The client's value at a zod issue path (own properties only), or undefined when absent. */
function valueAt(body: unknown, path: readonly PropertyKey[]): unknown {
  let v: unknown = body;
  for (const k of path) {
    if (v === null || typeof v !== 'object' || !Object.hasOwn(v, k)) return undefined;
    v = (v as Record<PropertyKey, unknown>)[k];
  }
  return v;
}

/** A short, safe description of a wrong value: its JSON type, and the value itself only when tiny. */
function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return 'an object';
  if (typeof v === 'string') return v.length <= 20 ? `the string ${JSON.stringify(v)}` : 'a string';
  if (typeof v === 'number') return Number.isInteger(v) ? `the integer ${v}` : `the number ${v}`;
  return `the ${typeof v} ${String(v)}`;
}

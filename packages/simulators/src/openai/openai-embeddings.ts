// POST /v1/embeddings (float and base64) and GET /v1/models.
import { embeddingVector, vectorToBase64 } from '../ids.js';
import { jsonReply, type RequestContext } from '../provider.js';
import { countEmbeddingTokens } from '../tokens.js';
import type { JsonReply } from '../types.js';
import { openaiError } from './openai-errors.js';

type Obj = Record<string, unknown>;

const DEFAULT_DIMS: Record<string, number> = {
  'text-embedding-3-large': 3072,
  'text-embedding-3-small': 1536,
  'text-embedding-ada-002': 1536,
};

/** Inputs as strings: token arrays are rendered as space-joined numbers so they hash and count deterministically. */
export function embeddingInputs(input: unknown): string[] {
  if (typeof input === 'string') return [input];
  if (!Array.isArray(input)) return [];
  if (input.every((x) => typeof x === 'number')) return [input.join(' ')];
  return input.map((x) => (typeof x === 'string' ? x : Array.isArray(x) ? x.join(' ') : String(x)));
}

export function openaiEmbeddings(ctx: RequestContext): JsonReply {
  const body = (ctx.body ?? {}) as Obj;
  const inputs = embeddingInputs(body.input);
  if (typeof body.model !== 'string' || inputs.length === 0) {
    return openaiError(400, "'input' and 'model' are required.", 'invalid_request_error', null, 'input');
  }
  const dims = typeof body.dimensions === 'number' ? body.dimensions : (DEFAULT_DIMS[body.model] ?? 1536);
  const base64 = body.encoding_format === 'base64';
  const data = inputs.map((text, index) => {
    const v = embeddingVector(text, dims);
    return { object: 'embedding', index, embedding: base64 ? vectorToBase64(v) : Array.from(v) };
  });
  const tokens = countEmbeddingTokens(inputs);
  return jsonReply(
    200,
    { object: 'list', data, model: body.model, usage: { prompt_tokens: tokens, total_tokens: tokens } },
    {
      'x-request-id': `req_${ctx.requestId}`,
      'openai-processing-ms': '1',
      'openai-organization': 'switchyard-sim',
      'openai-version': '2020-10-01',
    },
  );
}

export const OPENAI_MODELS = [
  'gpt-4o',
  'gpt-4o-mini',
  'gpt-4.1',
  'gpt-4.1-mini',
  'gpt-4.1-nano',
  'o3-mini',
  'o4-mini',
  'text-embedding-3-small',
  'text-embedding-3-large',
] as const;

const model = (id: string) => ({ id, object: 'model', created: 1715367049, owned_by: 'system' });

export function openaiModels(ctx: RequestContext): JsonReply {
  const h = { 'x-request-id': `req_${ctx.requestId}` };
  const one = /^\/v1\/models\/(.+)$/.exec(ctx.pathname)?.[1];
  if (one === undefined) return jsonReply(200, { object: 'list', data: OPENAI_MODELS.map(model) }, h);
  const id = decodeURIComponent(one);
  if (!(OPENAI_MODELS as readonly string[]).includes(id)) {
    return openaiError(404, `The model '${id}' does not exist`, 'invalid_request_error', 'model_not_found', 'model', h);
  }
  return jsonReply(200, model(id), h);
}

// :embedContent, :batchEmbedContents (what @google/genai's embedContent calls) and GET /v1beta/models.
import { embeddingVector } from '../ids.js';
import { jsonReply, type RequestContext } from '../provider.js';
import type { JsonReply } from '../types.js';
import { GEMINI_HEADERS, geminiError } from './gemini-errors.js';
import { geminiPartsText } from './gemini-usage.js';

type Obj = Record<string, unknown>;

function embedding(request: Obj, model: string): { values: number[] } {
  const dims =
    typeof request.outputDimensionality === 'number'
      ? request.outputDimensionality
      : model.includes('gemini-embedding')
        ? 3072
        : 768;
  return { values: Array.from(embeddingVector(geminiPartsText(request.content), dims)) };
}

export function geminiEmbed(ctx: RequestContext, model: string, batch: boolean): JsonReply {
  const body = ctx.body as Obj | undefined;
  if (!body) return geminiError(400, 'Invalid JSON payload received.');
  if (!batch) {
    if (!body.content) return geminiError(400, '* EmbedContentRequest.content: contents is not specified\n');
    return jsonReply(200, { embedding: embedding(body, model) }, GEMINI_HEADERS);
  }
  if (!Array.isArray(body.requests))
    return geminiError(400, '* BatchEmbedContentsRequest.requests: requests is not specified\n');
  return jsonReply(200, { embeddings: (body.requests as Obj[]).map((r) => embedding(r ?? {}, model)) }, GEMINI_HEADERS);
}

export const GEMINI_MODELS = [
  'gemini-2.5-flash',
  'gemini-2.5-pro',
  'gemini-2.5-flash-lite',
  'gemini-3-pro-preview',
  'gemini-embedding-001',
  'text-embedding-004',
] as const;

function modelInfo(id: string): Obj {
  const embed = id.includes('embedding');
  return {
    name: `models/${id}`,
    version: '001',
    displayName: id,
    description: `Simulated ${id}`,
    inputTokenLimit: embed ? 2048 : 1048576,
    outputTokenLimit: embed ? 1 : 65536,
    supportedGenerationMethods: embed
      ? ['embedContent', 'countTextTokens']
      : ['generateContent', 'countTokens', 'createCachedContent', 'batchGenerateContent'],
  };
}

export function geminiModels(ctx: RequestContext): JsonReply {
  const one = /^\/v1(?:beta)?\/models\/([^:]+)$/.exec(ctx.pathname)?.[1];
  if (one === undefined) return jsonReply(200, { models: GEMINI_MODELS.map(modelInfo) }, GEMINI_HEADERS);
  if (!(GEMINI_MODELS as readonly string[]).includes(one))
    return geminiError(404, `models/${one} is not found for API version v1beta.`);
  return jsonReply(200, modelInfo(one), GEMINI_HEADERS);
}

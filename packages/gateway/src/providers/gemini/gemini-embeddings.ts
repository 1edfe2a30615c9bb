// OpenAI embeddings ⇄ Gemini embedContent / batchEmbedContents. Gemini reports no token usage for embeddings:
// the body says 0 and `usage` is left undefined so the gateway estimates it (never a silent $0).
import type { EmbeddingsRequest, EmbeddingsResponse } from '../openai-chat-types.js';
import type { ResponseContext, Translated } from '../provider-adapter.js';
import { invalidResponse, rejectParam, warnUnread } from '../translate-common.js';
import { geminiEmbedResponseSchema } from './gemini-wire.js';

export interface GeminiEmbedCall {
  /** `embedContent` for one string, `batchEmbedContents` for a list. */
  method: 'embedContent' | 'batchEmbedContents';
  body: Record<string, unknown>;
}

export function toGeminiEmbeddings(req: EmbeddingsRequest, model: string): Translated<GeminiEmbedCall> {
  const warnings: string[] = [];
  const dims = req.dimensions !== undefined ? { outputDimensionality: req.dimensions } : {};
  const content = (text: string) => ({ parts: [{ text }] });
  if (req.user !== undefined) warnings.push('dropped parameters the target cannot honour: user');
  const extra = Object.keys(req).filter(
    (k) => !['model', 'input', 'encoding_format', 'dimensions', 'user'].includes(k),
  );
  if (extra.length > 0) warnUnread({ model, messages: [] }, warnings, extra);
  if (typeof req.input === 'string')
    return { value: { method: 'embedContent', body: { content: content(req.input), ...dims } }, warnings };
  if (!req.input.every((x): x is string => typeof x === 'string'))
    rejectParam('input', 'token-array embeddings input is not supported by Gemini targets; send text');
  const requests = req.input.map((text) => ({
    model: model.startsWith('models/') ? model : `models/${model}`,
    content: content(text),
    ...dims,
  }));
  return { value: { method: 'batchEmbedContents', body: { requests } }, warnings };
}

/** Little-endian float32, base64 — what the OpenAI API returns for `encoding_format: base64`. */
export function floatsToBase64(values: number[]): string {
  return Buffer.from(new Float32Array(values).buffer).toString('base64');
}

export function fromGeminiEmbeddings(
  body: unknown,
  ctx: ResponseContext & { encodingFormat?: 'float' | 'base64' },
): Translated<EmbeddingsResponse> {
  const parsed = geminiEmbedResponseSchema.safeParse(body);
  if (!parsed.success) invalidResponse('gemini', 'bad embeddings body');
  const vectors = parsed.data.embeddings ?? (parsed.data.embedding ? [parsed.data.embedding] : undefined);
  if (!vectors) invalidResponse('gemini', 'no embeddings in body');
  const base64 = ctx.encodingFormat === 'base64';
  return {
    value: {
      object: 'list',
      model: ctx.model,
      data: vectors.map((v, index) => ({
        object: 'embedding',
        index,
        embedding: base64 ? floatsToBase64(v.values) : v.values,
      })),
      usage: { prompt_tokens: 0, total_tokens: 0 },
    },
    warnings: [],
  };
}

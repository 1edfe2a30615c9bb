// Vertex AI errors: Google RPC bodies for the platform (auth, quota, routing); Claude's own errors keep
// Anthropic's shape, as rawPredict passes them through.
import { anthropicStatusError, anthropicStreamError } from '../anthropic/anthropic-errors.js';
import { geminiError, geminiStatusError, geminiStreamError } from '../gemini/gemini-errors.js';
import type { RequestContext, StatusFault } from '../provider.js';
import type { JsonReply } from '../types.js';

export const vertexRpcError = (code: number, message: string): JsonReply => geminiError(code, message);

export const isClaudePath = (pathname: string) => pathname.includes('/publishers/anthropic/');

export function vertexStatusError(fault: StatusFault, ctx: RequestContext): JsonReply {
  const code = fault.code ?? (fault.status === 429 ? 'rate_limit' : undefined);
  if (code === 'rate_limit') {
    return vertexRpcError(
      429,
      'Quota exceeded for aiplatform.googleapis.com/generate_content_requests_per_minute_per_project_per_base_model with base model: simulated. Please submit a quota increase request. https://cloud.google.com/vertex-ai/docs/generative-ai/quotas-genai.',
    );
  }
  return isClaudePath(ctx.pathname) ? anthropicStatusError(fault, ctx) : geminiStatusError(fault, ctx);
}

export function vertexStreamError(ctx: RequestContext): string {
  return isClaudePath(ctx.pathname) ? anthropicStreamError(ctx) : geminiStreamError();
}

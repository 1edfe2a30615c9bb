// The Vertex AI simulator: /v1/projects/{p}/locations/{l}/publishers/google/models/{m}:generateContent |
// :streamGenerateContent (Gemini bodies) and …/publishers/anthropic/models/{m}:rawPredict | :streamRawPredict
// (Anthropic Messages bodies with `anthropic_version: vertex-2023-10-16`, the model in the URL). v1beta1 too.
import { anthropicError } from '../anthropic/anthropic-errors.js';
import { anthropicMessages } from '../anthropic/anthropic-messages.js';
import { geminiGenerate } from '../gemini/gemini-generate.js';
import type { ProviderImpl, RequestContext } from '../provider.js';
import type { Reply } from '../types.js';
import { vertexAuth } from './vertex-auth.js';
import { vertexRpcError, vertexStatusError, vertexStreamError } from './vertex-errors.js';

const ROUTE =
  /^\/v1(?:beta1)?\/projects\/([^/]+)\/locations\/([^/]+)\/publishers\/(google|anthropic)\/models\/([^/:]+):([A-Za-z]+)$/;

/** `vertex-2023-10-16`, or a dated version as newer Anthropic SDKs send it; the field itself is required. */
const ANTHROPIC_VERSION = /^(vertex-)?\d{4}-\d{2}-\d{2}$/;

function claude(ctx: RequestContext, model: string, stream: boolean): Reply {
  const body = ctx.body as Record<string, unknown> | undefined;
  if (body && !ANTHROPIC_VERSION.test(String(body.anthropic_version ?? ''))) {
    return anthropicError(400, 'anthropic_version: Field required', ctx);
  }
  return anthropicMessages({ ...ctx, ...(body && { body: { ...body, model, stream } }) });
}

export const vertexProvider: ProviderImpl = {
  checkAuth: (headers, _query, apiKey) => vertexAuth(headers, apiKey),
  handle(ctx) {
    const m = ROUTE.exec(ctx.pathname);
    if (ctx.method === 'POST' && m) {
      const [, , , publisher, rawModel, action] = m as unknown as string[];
      const model = decodeURIComponent(rawModel as string);
      if (publisher === 'google' && (action === 'generateContent' || action === 'streamGenerateContent'))
        return geminiGenerate(ctx, model, action === 'streamGenerateContent');
      if (publisher === 'anthropic' && (action === 'rawPredict' || action === 'streamRawPredict'))
        return claude(ctx, model, action === 'streamRawPredict');
    }
    return vertexRpcError(404, `The requested URL ${ctx.pathname} was not found on this server.`);
  },
  statusError: vertexStatusError,
  badRequest: (message) => vertexRpcError(400, message),
  requestIdHeaders: () => ({}),
  streamErrorEvent: vertexStreamError,
};

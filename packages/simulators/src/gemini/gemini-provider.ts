// The Gemini simulator: /v1beta/models/{model}:{action}, x-goog-api-key or ?key=, RPC-style errors.
import type { ProviderImpl } from '../provider.js';
import { geminiEmbed, geminiModels } from './gemini-embed.js';
import { geminiAuth, geminiError, geminiStatusError, geminiStreamError } from './gemini-errors.js';
import { geminiGenerate } from './gemini-generate.js';

const ACTION = /^\/v1(?:beta)?\/models\/([^:/]+):([A-Za-z]+)$/;

export const geminiProvider: ProviderImpl = {
  checkAuth: (headers, query, apiKey) => geminiAuth(headers, query, apiKey),
  handle(ctx) {
    const m = ACTION.exec(ctx.pathname);
    if (ctx.method === 'POST' && m) {
      const model = decodeURIComponent(m[1] as string);
      switch (m[2]) {
        case 'generateContent':
          return geminiGenerate(ctx, model, false);
        case 'streamGenerateContent':
          return geminiGenerate(ctx, model, true);
        case 'embedContent':
          return geminiEmbed(ctx, model, false);
        case 'batchEmbedContents':
          return geminiEmbed(ctx, model, true);
      }
    }
    if (ctx.method === 'GET' && /^\/v1(beta)?\/models/.test(ctx.pathname)) return geminiModels(ctx);
    return geminiError(404, `Method not found: ${ctx.method} ${ctx.pathname}`);
  },
  statusError: geminiStatusError,
  badRequest: (message) => geminiError(400, message),
  requestIdHeaders: () => ({}),
  streamErrorEvent: geminiStreamError,
};

// OpenAI embeddings: JSON only; the replayed `usage.cost` is what the hit costs.
import type { ClientCodec } from './codec.js';

export const embeddingsCodec: ClientCodec = {
  json(body, o) {
    const b = body as { usage?: Record<string, unknown> };
    return b.usage ? { ...b, usage: { ...b.usage, cost: o.costUsd } } : b;
  },
};

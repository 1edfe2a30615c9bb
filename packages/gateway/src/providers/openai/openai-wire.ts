// OpenAI(-compatible) response shapes we READ from upstream: only what the gateway needs, everything else is
// kept untouched (looseObject) so same-format clients receive vendor extras (reasoning_content, x_groq, …).
import { z } from 'zod';

export const openaiCompletionWire = z.looseObject({
  id: z.string().nullish(),
  created: z.number().nullish(),
  choices: z.array(
    z.looseObject({
      index: z.number().nullish(),
      message: z.looseObject({ content: z.string().nullish(), refusal: z.string().nullish() }).nullish(),
      finish_reason: z.string().nullish(),
    }),
  ),
  usage: z.unknown().optional(),
});

export const openaiEmbeddingsWire = z.looseObject({
  data: z.array(z.looseObject({ embedding: z.union([z.array(z.number()), z.string()]) })),
  usage: z.unknown().optional(),
});

/** A stream chunk, mutable: the stream translator normalizes it in place (no re-building on the hot path). */
export interface OpenAIWireChunk {
  id?: string;
  object?: string;
  created?: number;
  model?: string;
  choices?: Array<{
    index?: number;
    delta?: {
      role?: string;
      tool_calls?: Array<{ id?: string; type?: string; function?: { name?: string; arguments?: string } }>;
      [k: string]: unknown;
    };
    finish_reason?: string | null;
    [k: string]: unknown;
  }>;
  usage?: unknown;
  error?: unknown;
  [k: string]: unknown;
}

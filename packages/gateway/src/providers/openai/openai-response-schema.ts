// zod schemas of the OpenAI shapes the gateway EMITS (responses, stream chunks, embeddings, errors), per the
// OpenAI OpenAPI spec's required fields. Extra fields are allowed (vendors add some; strict clients ignore them).
// The translators' tests and the gateway's e2e tests validate every emitted object with these.
import { z } from 'zod';

const finishReason = z.enum(['stop', 'length', 'tool_calls', 'content_filter', 'function_call']);

export const chatUsageSchema = z.looseObject({
  prompt_tokens: z.number().int().nonnegative(),
  completion_tokens: z.number().int().nonnegative(),
  total_tokens: z.number().int().nonnegative(),
  prompt_tokens_details: z.looseObject({ cached_tokens: z.number().int().nonnegative().optional() }).optional(),
  completion_tokens_details: z.looseObject({ reasoning_tokens: z.number().int().nonnegative().optional() }).optional(),
  cost: z.number().nonnegative().optional(),
});

const toolCallSchema = z.looseObject({
  id: z.string().min(1),
  type: z.literal('function'),
  function: z.looseObject({ name: z.string().min(1), arguments: z.string() }),
});

export const chatCompletionSchema = z.looseObject({
  id: z.string().min(1),
  object: z.literal('chat.completion'),
  created: z.number().int(),
  model: z.string().min(1),
  choices: z.array(
    z.looseObject({
      index: z.number().int().nonnegative(),
      message: z.looseObject({
        role: z.literal('assistant'),
        content: z.string().nullable(),
        refusal: z.string().nullable(),
        tool_calls: z.array(toolCallSchema).optional(),
      }),
      finish_reason: finishReason.nullable(),
      logprobs: z.unknown().nullable(),
    }),
  ),
  usage: chatUsageSchema.optional(),
});

const toolCallDeltaSchema = z.looseObject({
  index: z.number().int().nonnegative(),
  id: z.string().min(1).optional(),
  type: z.literal('function').optional(),
  function: z.looseObject({ name: z.string().optional(), arguments: z.string().optional() }).optional(),
});

export const chatCompletionChunkSchema = z.looseObject({
  id: z.string().min(1),
  object: z.literal('chat.completion.chunk'),
  created: z.number().int(),
  model: z.string().min(1),
  choices: z.array(
    z.looseObject({
      index: z.number().int().nonnegative(),
      delta: z.looseObject({
        role: z.literal('assistant').optional(),
        content: z.string().nullable().optional(),
        refusal: z.string().nullable().optional(),
        tool_calls: z.array(toolCallDeltaSchema).optional(),
      }),
      finish_reason: finishReason.nullable(),
      logprobs: z.unknown().nullable().optional(),
    }),
  ),
  usage: chatUsageSchema.nullable().optional(),
});

export const embeddingsResponseSchema = z.looseObject({
  object: z.literal('list'),
  model: z.string().min(1),
  data: z.array(
    z.looseObject({
      object: z.literal('embedding'),
      index: z.number().int().nonnegative(),
      embedding: z.union([z.array(z.number()), z.string()]),
    }),
  ),
  usage: z.looseObject({ prompt_tokens: z.number().int().nonnegative(), total_tokens: z.number().int().nonnegative() }),
});

/** `{ error: { message, type, param, code } }` — all four keys required by the spec. */
export const openAIErrorSchema = z.object({
  error: z.looseObject({
    message: z.string(),
    type: z.string(),
    param: z.string().nullable(),
    code: z.string().nullable(),
  }),
});

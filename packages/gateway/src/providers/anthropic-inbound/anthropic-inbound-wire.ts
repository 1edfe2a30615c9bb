// zod schema of an inbound Anthropic Messages request (`POST /v1/messages` from the Anthropic SDK), limited to
// the fields we translate; unknown fields are tolerated and reported as dropped.
import { z } from 'zod';

const source = z.union([
  z.object({ type: z.literal('base64'), media_type: z.string(), data: z.string() }),
  z.object({ type: z.literal('url'), url: z.string() }),
  z.looseObject({ type: z.string() }),
]);

const textBlock = z.looseObject({ type: z.literal('text'), text: z.string() });
const imageBlock = z.looseObject({ type: z.literal('image'), source });
const documentBlock = z.looseObject({ type: z.literal('document'), source, title: z.string().nullish() });
const toolUseBlock = z.looseObject({
  type: z.literal('tool_use'),
  id: z.string(),
  name: z.string(),
  input: z.unknown().optional(),
});
const toolResultBlock = z.looseObject({
  type: z.literal('tool_result'),
  tool_use_id: z.string(),
  content: z
    .union([z.string(), z.array(z.union([textBlock, imageBlock, z.looseObject({ type: z.string() })]))])
    .nullish(),
  is_error: z.boolean().nullish(),
});
const otherBlock = z.looseObject({ type: z.string() });

export const inboundBlock = z.union([textBlock, imageBlock, documentBlock, toolUseBlock, toolResultBlock, otherBlock]);
export type InboundBlock = z.infer<typeof inboundBlock>;

export const anthropicInboundRequestSchema = z.looseObject({
  model: z.string().min(1),
  max_tokens: z.number().int().positive(),
  messages: z.array(
    z.object({ role: z.enum(['user', 'assistant']), content: z.union([z.string(), z.array(inboundBlock)]) }),
  ),
  system: z.union([z.string(), z.array(textBlock)]).nullish(),
  temperature: z.number().nullish(),
  top_p: z.number().nullish(),
  top_k: z.number().nullish(),
  stop_sequences: z.array(z.string()).nullish(),
  stream: z.boolean().nullish(),
  metadata: z.looseObject({ user_id: z.string().nullish() }).nullish(),
  tools: z
    .array(
      z.looseObject({
        name: z.string(),
        type: z.string().nullish(),
        description: z.string().nullish(),
        input_schema: z.record(z.string(), z.unknown()).nullish(),
      }),
    )
    .nullish(),
  tool_choice: z
    .looseObject({
      type: z.enum(['auto', 'any', 'tool', 'none']),
      name: z.string().nullish(),
      disable_parallel_tool_use: z.boolean().nullish(),
    })
    .nullish(),
  thinking: z.looseObject({ type: z.string(), budget_tokens: z.number().nullish() }).nullish(),
  /** Structured output: `format: { type: 'json_schema', schema }` (GA); `effort` is Anthropic-only. */
  output_config: z
    .looseObject({
      format: z.looseObject({ type: z.string(), schema: z.record(z.string(), z.unknown()).nullish() }).nullish(),
    })
    .nullish(),
  /** The structured-outputs beta's name for the same `format`. */
  output_format: z.looseObject({ type: z.string(), schema: z.record(z.string(), z.unknown()).nullish() }).nullish(),
});
export type AnthropicInboundRequest = z.infer<typeof anthropicInboundRequestSchema>;

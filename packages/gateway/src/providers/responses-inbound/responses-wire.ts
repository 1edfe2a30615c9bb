// The OpenAI Responses API request fields the gateway reads to translate or route; `.loose()` keeps the rest so
// same-format (OpenAI) targets receive them untouched.
import { z } from 'zod';

const contentPart = z.looseObject({ type: z.string() });

/** One `input` item: a message (with or without `type: "message"`), a function call or its output, or another kind. */
export const responsesInputItemSchema = z.looseObject({
  type: z.string().optional(),
  role: z.string().optional(),
  content: z.union([z.string(), z.array(contentPart)]).optional(),
  id: z.string().nullish(),
  call_id: z.string().optional(),
  name: z.string().optional(),
  arguments: z.string().optional(),
  output: z.union([z.string(), z.array(contentPart)]).optional(),
});
export type ResponsesInputItem = z.output<typeof responsesInputItemSchema>;

export const responsesToolSchema = z.looseObject({
  type: z.string(),
  name: z.string().optional(),
  description: z.string().nullish(),
  parameters: z.record(z.string(), z.unknown()).nullish(),
  strict: z.boolean().nullish(),
});

export const responsesRequestSchema = z.looseObject({
  model: z.string(),
  input: z.union([z.string(), z.array(responsesInputItemSchema)]).optional(),
  instructions: z.string().nullish(),
  tools: z.array(responsesToolSchema).optional(),
  tool_choice: z
    .union([z.enum(['none', 'auto', 'required']), z.looseObject({ type: z.string(), name: z.string().optional() })])
    .optional(),
  parallel_tool_calls: z.boolean().nullish(),
  text: z
    .looseObject({
      format: z
        .looseObject({
          type: z.enum(['text', 'json_object', 'json_schema']),
          name: z.string().optional(),
          schema: z.record(z.string(), z.unknown()).optional(),
          description: z.string().optional(),
          strict: z.boolean().nullish(),
        })
        .optional(),
    })
    .nullish(),
  reasoning: z.looseObject({ effort: z.string().nullish() }).nullish(),
  max_output_tokens: z.number().int().min(1).nullish(),
  temperature: z.number().min(0).max(2).nullish(),
  top_p: z.number().min(0).max(1).nullish(),
  metadata: z.record(z.string(), z.string()).nullish(),
  user: z.string().optional(),
  safety_identifier: z.string().optional(),
  stream: z.boolean().nullish(),
  store: z.boolean().nullish(),
  previous_response_id: z.string().nullish(),
  background: z.boolean().nullish(),
});
export type ResponsesRequest = z.output<typeof responsesRequestSchema>;

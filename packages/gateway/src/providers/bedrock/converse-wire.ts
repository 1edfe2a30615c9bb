// Amazon Bedrock Converse wire shapes (the JSON the REST API takes and returns; blobs are base64 strings).
import { z } from 'zod';

export type ConverseContentBlock =
  | { text: string }
  | { image: { format: string; source: { bytes: string } } }
  | { toolUse: { toolUseId: string; name: string; input: unknown } }
  | { toolResult: { toolUseId: string; content: Array<{ text: string }>; status?: 'success' | 'error' } };

export interface ConverseMessage {
  role: 'user' | 'assistant';
  content: ConverseContentBlock[];
}

export interface ConverseRequest {
  messages: ConverseMessage[];
  system?: Array<{ text: string }>;
  inferenceConfig?: { maxTokens?: number; temperature?: number; topP?: number; stopSequences?: string[] };
  toolConfig?: {
    tools: Array<{ toolSpec: { name: string; description?: string; inputSchema: { json: unknown } } }>;
    toolChoice?: { auto: object } | { any: object } | { tool: { name: string } };
  };
}

export const converseUsageSchema = z
  .object({
    inputTokens: z.number().optional(),
    outputTokens: z.number().optional(),
    totalTokens: z.number().optional(),
    cacheReadInputTokens: z.number().optional(),
    cacheWriteInputTokens: z.number().optional(),
  })
  .loose();

const contentBlock = z
  .object({
    text: z.string().optional(),
    toolUse: z.object({ toolUseId: z.string(), name: z.string(), input: z.unknown() }).loose().optional(),
  })
  .loose();

export const converseResponseSchema = z
  .object({
    output: z.object({
      message: z.object({ role: z.string().optional(), content: z.array(contentBlock) }).loose(),
    }),
    stopReason: z.string(),
    usage: converseUsageSchema.optional(),
  })
  .loose();

export type ConverseUsage = z.infer<typeof converseUsageSchema>;

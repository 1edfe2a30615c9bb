// Gemini generateContent wire shapes: request types we build, zod schemas of only the response fields we read.
import { z } from 'zod';

// ---- request (we build these) ----
export type GeminiPart =
  | { text: string }
  | { inlineData: { mimeType: string; data: string } }
  | { fileData: { mimeType: string; fileUri: string } }
  | { functionCall: { name: string; args: Record<string, unknown> }; thoughtSignature?: string }
  | { functionResponse: { name: string; response: Record<string, unknown> } };

export interface GeminiContent {
  role: 'user' | 'model';
  parts: GeminiPart[];
}

export interface GeminiGenerationConfig {
  temperature?: number;
  topP?: number;
  maxOutputTokens?: number;
  stopSequences?: string[];
  candidateCount?: number;
  seed?: number;
  presencePenalty?: number;
  frequencyPenalty?: number;
  responseMimeType?: string;
  responseJsonSchema?: Record<string, unknown>;
  thinkingConfig?: { thinkingBudget?: number; thinkingLevel?: 'low' | 'high' };
}

export interface GeminiRequest {
  contents: GeminiContent[];
  systemInstruction?: { parts: Array<{ text: string }> };
  tools?: Array<{
    functionDeclarations: Array<{ name: string; description?: string; parametersJsonSchema?: Record<string, unknown> }>;
  }>;
  toolConfig?: { functionCallingConfig: { mode: 'AUTO' | 'ANY' | 'NONE'; allowedFunctionNames?: string[] } };
  generationConfig?: GeminiGenerationConfig;
}

// ---- response (we read these) ----
const part = z.looseObject({
  text: z.string().nullish(),
  thought: z.boolean().nullish(),
  functionCall: z
    .object({
      name: z.string().nullish(),
      args: z.record(z.string(), z.unknown()).nullish(),
      // Gemini 3 streamed arguments (see gemini-partial-args.ts)
      willContinue: z.boolean().nullish(),
      partialArgs: z.array(z.looseObject({ jsonPath: z.string().nullish() })).nullish(),
    })
    .nullish(),
});

export const geminiCandidateSchema = z.object({
  index: z.number().nullish(),
  content: z.object({ parts: z.array(part).nullish() }).nullish(),
  finishReason: z.string().nullish(),
});

export const geminiResponseSchema = z.object({
  candidates: z.array(geminiCandidateSchema).nullish(),
  promptFeedback: z.object({ blockReason: z.string().nullish() }).nullish(),
  usageMetadata: z.unknown().optional(),
  responseId: z.string().nullish(),
  modelVersion: z.string().nullish(),
});
export type GeminiResponse = z.infer<typeof geminiResponseSchema>;
export type GeminiCandidate = z.infer<typeof geminiCandidateSchema>;

export const geminiEmbedResponseSchema = z.object({
  embedding: z.object({ values: z.array(z.number()) }).nullish(),
  embeddings: z.array(z.object({ values: z.array(z.number()) })).nullish(),
});

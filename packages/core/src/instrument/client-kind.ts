// Which provider a wrapped client speaks to. The cloud modes of the SDKs core wraps are subclasses or options of
// the same clients (AzureOpenAI extends OpenAI; AnthropicVertex is an Anthropic client; GoogleGenAI has a Vertex
// mode), told apart by shape and constructor name — never by importing the SDKs.
import type { ProviderKind } from '../types.js';

type Obj = Record<string | symbol, unknown>;

const ctorName = (c: Obj): string => {
  const name = (c.constructor as { name?: unknown } | undefined)?.name;
  return typeof name === 'string' ? name : '';
};

/** `openai`'s AzureOpenAI: it keeps `apiVersion` and `deploymentName` as own fields. */
export function openaiProviderOf(c: Obj): ProviderKind {
  return ctorName(c) === 'AzureOpenAI' || (typeof c.apiVersion === 'string' && 'deploymentName' in c)
    ? 'azure-openai'
    : 'openai';
}

/** `@anthropic-ai/vertex-sdk`'s AnthropicVertex (`region` + `projectId`) or `@anthropic-ai/bedrock-sdk`'s AnthropicBedrock (`awsRegion`). */
export function anthropicProviderOf(c: Obj): ProviderKind {
  const name = ctorName(c);
  if (name === 'AnthropicVertex' || ('projectId' in c && 'region' in c)) return 'vertex';
  if (name === 'AnthropicBedrock' || 'awsRegion' in c) return 'bedrock';
  return 'anthropic';
}

/** `@google/genai` in Vertex mode (`new GoogleGenAI({ vertexai: true, project, location })`). */
export function geminiProviderOf(c: Obj): ProviderKind {
  let vertex: unknown = c.vertexai;
  try {
    vertex = (c.apiClient as { isVertexAI?: () => unknown } | undefined)?.isVertexAI?.() ?? vertex;
  } catch {}
  return vertex === true ? 'vertex' : 'gemini';
}

/** `@aws-sdk/client-bedrock-runtime`'s BedrockRuntimeClient (or the aggregated BedrockRuntime): a Smithy client. */
export function isBedrockRuntimeClient(c: Obj): boolean {
  if (typeof c.send !== 'function') return false;
  const serviceId = (c.config as Obj | undefined)?.serviceId;
  return serviceId === 'Bedrock Runtime' || /^BedrockRuntime(Client)?$/.test(ctorName(c));
}

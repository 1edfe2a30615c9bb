// ProviderKind → its adapter. The only place that knows every concrete provider.
import type { ProviderKind } from '@switchyard/core';
import { anthropicAdapter } from './anthropic/anthropic-adapter.js';
import { azureOpenAIAdapter } from './azure-openai/azure-openai-adapter.js';
import { bedrockAdapter } from './bedrock/bedrock-adapter.js';
import { geminiAdapter } from './gemini/gemini-adapter.js';
import { openaiAdapter, openaiCompatibleAdapter } from './openai/openai-adapter.js';
import type { ProviderAdapter } from './provider-adapter.js';
import { vertexAdapter } from './vertex/vertex-adapter.js';

const ADAPTERS: Record<ProviderKind, ProviderAdapter> = {
  openai: openaiAdapter,
  'openai-compatible': openaiCompatibleAdapter,
  anthropic: anthropicAdapter,
  gemini: geminiAdapter,
  'azure-openai': azureOpenAIAdapter,
  bedrock: bedrockAdapter,
  vertex: vertexAdapter,
};

export function adapterFor(kind: ProviderKind): ProviderAdapter {
  const adapter = ADAPTERS[kind];
  if (!adapter) throw new Error(`no provider adapter for kind ${String(kind)}`);
  return adapter;
}

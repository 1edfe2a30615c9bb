import { describe, expect, it } from 'vitest';
import { validateConfig } from './load-config.js';
import { checksModels, createModelDirectory, modelType } from './model-directory.js';
import { priceSourceFor } from './price-source-for.js';

const config = validateConfig(
  {
    providers: {
      openai: { kind: 'openai', apiKey: 'k' },
      gemini: { kind: 'gemini', apiKey: 'k' },
      vllm: { kind: 'openai', apiKey: 'k', baseURL: 'http://10.0.0.5:8000/v1' },
      groq: { kind: 'openai-compatible', apiKey: 'k', baseURL: 'https://example.test/v1', models: ['llama-3.3-70b'] },
      any: { kind: 'openai-compatible', apiKey: 'k', baseURL: 'https://example.test/v1' },
    },
    routes: { r: { targets: ['groq/routed-model'] } },
    prices: { 'groq/priced': { input: 1, output: 1 } },
  },
  'test',
);
const dir = createModelDirectory(config, priceSourceFor(config));

describe('model directory', () => {
  it('official catalog providers know catalog models, dated ids and catalog gaps such as text-embedding-004', () => {
    expect(dir.accepts('openai', 'gpt-4o-2024-08-06')).toBe(true);
    expect(dir.accepts('openai', 'gpt-4o-mna')).toBe(false);
    expect(dir.accepts('gemini', 'text-embedding-004')).toBe(true);
    expect(dir.accepts('gemini', 'gemini-2.5-flsh')).toBe(false);
  });

  it('a list, a price or a route target makes a model known; without a list a non-official server forwards all', () => {
    expect(dir.accepts('groq', 'llama-3.3-70b')).toBe(true);
    expect(dir.accepts('groq', 'priced')).toBe(true);
    expect(dir.accepts('groq', 'routed-model')).toBe(true);
    expect(dir.accepts('groq', 'llama-3.3-7b')).toBe(false);
    expect(dir.accepts('any', 'whatever')).toBe(true);
    expect(dir.accepts('vllm', 'my-finetune')).toBe(true);
    expect(dir.accepts('nope', 'gpt-4o')).toBe(false);
    expect(checksModels(config.providers.vllm as never)).toBe(false);
  });

  it('suggests close names and reads the type from the name', () => {
    expect(dir.suggest('groq/llama-3.3-7b')).toContain('groq/llama-3.3-70b');
    expect(dir.suggest('gemini/text-embeding-004')[0]).toBe('gemini/text-embedding-004');
    expect(modelType('text-embedding-3-small')).toBe('embedding');
    expect(modelType('gemini-embedding-001')).toBe('embedding');
    expect(modelType('gpt-4o-mini')).toBe('chat');
  });
});

import { describe, expect, it } from 'vitest';
import { fixtureJson as json, fixtureLines as lines } from '../test-support/fixtures.js';
import { usageOf as u } from '../test-support/usage.js';
import type { Usage } from '../types.js';
import { anthropicUsage } from './anthropic-usage.js';
import { geminiUsage } from './gemini-usage.js';
import { openaiUsage } from './openai-usage.js';
import { embeddingsUsage, estimateUsage, toAnthropicUsage, toOpenAIUsage } from './usage-shapes.js';

/** The stream paths the instrumentation uses: last usage wins (OpenAI, Gemini), merge (Anthropic). */
function streamUsage(provider: 'openai' | 'anthropic' | 'gemini', events: unknown[]): Usage | undefined {
  let usage: Usage | undefined;
  for (const ev of events as Array<Record<string, unknown>>) {
    if (provider === 'openai') usage = openaiUsage(ev.usage) ?? usage;
    else if (provider === 'gemini') usage = geminiUsage(ev.usageMetadata) ?? usage;
    else if (ev.type === 'message_start')
      usage = anthropicUsage((ev.message as { usage?: unknown } | undefined)?.usage, usage);
    else if (ev.type === 'message_delta') usage = anthropicUsage(ev.usage, usage);
  }
  return usage;
}

describe('golden usage from recorded provider responses', () => {
  it.each([
    ['openai/openai-text.json', u(16, 363)],
    ['deepseek/deepseek-reasoning.json', u(18, 345, 0, 0, 315)],
    ['deepseek/deepseek-tool-call.json', u(339, 92, 320, 0, 48)],
    ['xai/xai-text.json', u(12, 229, 2, 0, 228)], // xAI leaves reasoning out of completion_tokens
    ['xai/xai-tool-call.json', u(291, 215, 244, 0, 189)],
    ['groq/groq-tool-call.json', u(218, 15)],
    ['alibaba/alibaba-tool-call.json', u(295, 22)],
  ])('openai-shaped %s', (file, expected) => {
    expect(openaiUsage(json(file).usage)).toEqual(expected);
  });

  it.each([
    ['openai/openai-text.chunks.txt', u(16, 300)],
    ['deepseek/deepseek-reasoning.chunks.txt', u(18, 219, 0, 0, 205)],
    ['xai/xai-text.chunks.txt', u(12, 291, 11, 0, 290)],
    ['groq/groq-tool-call.chunks.txt', u(210, 15)],
  ])('openai-shaped stream %s', (file, expected) => {
    expect(streamUsage('openai', lines(file))).toEqual(expected);
  });

  it.each([
    ['anthropic/anthropic-text.json', u(12, 29)],
    ['anthropic/anthropic-json-tool.1.json', u(1151, 87)],
    ['anthropic/anthropic-clear-thinking.1.json', u(69, 33)],
  ])('anthropic %s', (file, expected) => {
    expect(anthropicUsage(json(file).usage)).toEqual(expected);
  });

  it.each([
    ['anthropic/anthropic-text.chunks.txt', u(12, 30)],
    ['anthropic/anthropic-message-delta-input-tokens.chunks.txt', u(61, 2)], // delta repeats a newer input count
    ['anthropic/anthropic-tool-no-args.chunks.txt', u(565, 48)],
  ])('anthropic stream %s', (file, expected) => {
    expect(streamUsage('anthropic', lines(file))).toEqual(expected);
  });

  it.each([
    ['google/google-text.json', u(9, 272, 0, 0, 244)],
    ['google/google-reasoning.json', u(9, 311, 0, 0, 282)],
    ['google/google-tool-call.json', u(29, 908, 0, 0, 893)],
  ])('gemini %s', (file, expected) => {
    expect(geminiUsage(json(file).usageMetadata)).toEqual(expected);
  });

  it.each([
    ['google/google-text.chunks.txt', u(9, 208, 0, 0, 185)],
    ['google/google-reasoning.chunks.txt', u(9, 285, 0, 0, 256)],
    ['google/google-tool-call.chunks.txt', u(29, 60, 0, 0, 45)],
  ])('gemini stream %s', (file, expected) => {
    expect(streamUsage('gemini', lines(file))).toEqual(expected);
  });
});

describe('cache and reasoning rules', () => {
  it('anthropic adds cache reads and writes to input', () => {
    const usage = {
      input_tokens: 100,
      cache_read_input_tokens: 3000,
      cache_creation_input_tokens: 2000,
      output_tokens: 400,
    };
    expect(anthropicUsage(usage)).toEqual(u(5100, 400, 3000, 2000));
  });
  it('anthropic stream: delta with only output keeps message_start input and cache counts', () => {
    const start = anthropicUsage({
      input_tokens: 10,
      cache_read_input_tokens: 50,
      cache_creation_input_tokens: 7,
      output_tokens: 1,
    });
    expect(anthropicUsage({ output_tokens: 42 }, start)).toEqual(u(67, 42, 50, 7));
    expect(anthropicUsage({ output_tokens: 42, cache_read_input_tokens: null }, start)).toEqual(u(67, 42, 50, 7));
    expect(anthropicUsage(null, start)).toBe(start);
  });
  it('gemini counts tool-use prompt tokens as input and cached content as cache reads', () => {
    const meta = {
      promptTokenCount: 1200,
      toolUsePromptTokenCount: 30,
      cachedContentTokenCount: 1000,
      candidatesTokenCount: 300,
      thoughtsTokenCount: 700,
    };
    expect(geminiUsage(meta)).toEqual(u(1230, 1000, 1000, 0, 700));
  });
  it('openai Responses API and embeddings usage', () => {
    expect(
      openaiUsage({
        input_tokens: 50,
        output_tokens: 20,
        input_tokens_details: { cached_tokens: 10 },
        output_tokens_details: { reasoning_tokens: 5 },
      }),
    ).toEqual(u(50, 20, 10, 0, 5));
    expect(openaiUsage({ prompt_tokens: 8, total_tokens: 8 })).toEqual(u(8, 0));
  });
  it('garbage gives undefined, never zeros', () => {
    for (const bad of [undefined, null, 'x', 3, [], {}, { foo: 1 }]) {
      expect(openaiUsage(bad)).toBeUndefined();
      expect(geminiUsage(bad)).toBeUndefined();
      expect(anthropicUsage(bad)).toBeUndefined();
    }
  });
});

describe('usage shapes', () => {
  it('round-trips through the OpenAI and Anthropic shapes', () => {
    const x = u(5100, 400, 3000, 2000);
    expect(toOpenAIUsage(u(1230, 1000, 1000, 0, 700))).toEqual({
      prompt_tokens: 1230,
      completion_tokens: 1000,
      total_tokens: 2230,
      prompt_tokens_details: { cached_tokens: 1000 },
      completion_tokens_details: { reasoning_tokens: 700 },
    });
    expect(toAnthropicUsage(x)).toEqual({
      input_tokens: 100,
      output_tokens: 400,
      cache_read_input_tokens: 3000,
      cache_creation_input_tokens: 2000,
    });
    expect(anthropicUsage(toAnthropicUsage(x))).toEqual(x);
    const o = u(16, 300, 4, 0, 20);
    expect(openaiUsage(toOpenAIUsage(o))).toEqual(o);
  });
  it('estimates ~4 chars per token and says so', () => {
    expect(estimateUsage(10, 4)).toEqual({ ...u(3, 1), source: 'estimated' });
  });
});

describe('usage parts priced apart (#13)', () => {
  it('anthropic: 1-hour cache writes and web searches, kept across stream deltas', () => {
    const start = anthropicUsage({
      input_tokens: 10,
      cache_creation_input_tokens: 3000,
      cache_read_input_tokens: 0,
      cache_creation: { ephemeral_5m_input_tokens: 1000, ephemeral_1h_input_tokens: 2000 },
      output_tokens: 1,
    });
    expect(start).toEqual({ ...u(3010, 1, 0, 3000), cacheWrite1hTokens: 2000 });
    const end = anthropicUsage({ output_tokens: 50, server_tool_use: { web_search_requests: 2 } }, start);
    expect(end).toEqual({ ...u(3010, 50, 0, 3000), cacheWrite1hTokens: 2000, webSearchRequests: 2 });
  });
  it('openai: audio tokens in prompt and completion details', () => {
    expect(
      openaiUsage({
        prompt_tokens: 100,
        completion_tokens: 60,
        total_tokens: 160,
        prompt_tokens_details: { cached_tokens: 0, audio_tokens: 40 },
        completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 50 },
      }),
    ).toEqual({ ...u(100, 60), inputAudioTokens: 40, outputAudioTokens: 50 });
  });
  it('gemini: audio and image tokens by modality (prompt, cache, candidates)', () => {
    expect(
      geminiUsage({
        promptTokenCount: 1000,
        cachedContentTokenCount: 300,
        candidatesTokenCount: 200,
        promptTokensDetails: [
          { modality: 'TEXT', tokenCount: 200 },
          { modality: 'AUDIO', tokenCount: 700 },
          { modality: 'IMAGE', tokenCount: 100 },
        ],
        cacheTokensDetails: [{ modality: 'AUDIO', tokenCount: 300 }],
        candidatesTokensDetails: [{ modality: 'IMAGE', tokenCount: 150 }],
      }),
    ).toEqual({
      ...u(1000, 200, 300),
      inputAudioTokens: 700,
      inputImageTokens: 100,
      cacheAudioReadTokens: 300,
      outputImageTokens: 150,
    });
  });
});

describe('embeddings usage', () => {
  it('prompt_tokens: 0 with input (Gemini) → estimated from the input and flagged', () => {
    expect(embeddingsUsage(openaiUsage({ prompt_tokens: 0, total_tokens: 0 }), () => 400)).toEqual({
      ...u(100, 0),
      source: 'estimated',
    });
    expect(embeddingsUsage(undefined, () => 8)).toEqual({ ...u(2, 0), source: 'estimated' });
  });
  it('a reported count is kept', () => {
    const reported = openaiUsage({ prompt_tokens: 7, total_tokens: 7 });
    expect(embeddingsUsage(reported, () => 400)).toBe(reported);
  });
});

import { describe, expect, it } from 'vitest';
import type { ChatCompletionRequest } from '../openai-chat-types.js';
import { geminiAdapter } from './gemini-adapter.js';
import { GEMINI_SKIP_SIGNATURE, toGeminiRequest } from './to-gemini-request.js';

const base = (over: Partial<ChatCompletionRequest> = {}): ChatCompletionRequest => ({
  model: 'fast',
  messages: [{ role: 'user', content: 'hi' }],
  ...over,
});
const target = {
  providerId: 'gemini',
  kind: 'gemini' as const,
  baseURL: 'http://127.0.0.1:9',
  apiKey: 'g-key',
  model: 'gemini-2.5-flash',
};

describe('toGeminiRequest', () => {
  it('system/developer → systemInstruction; assistant → model role; multi-turn', () => {
    const { value, warnings } = toGeminiRequest(
      base({
        messages: [
          { role: 'system', content: 'Be brief.' },
          { role: 'developer', content: 'Use French.' },
          { role: 'user', content: 'hi' },
          { role: 'assistant', content: 'salut' },
          { role: 'user', content: 'again' },
        ],
      }),
      'gemini-2.5-flash',
    );
    expect(value).toEqual({
      systemInstruction: { parts: [{ text: 'Be brief.' }, { text: 'Use French.' }] },
      contents: [
        { role: 'user', parts: [{ text: 'hi' }] },
        { role: 'model', parts: [{ text: 'salut' }] },
        { role: 'user', parts: [{ text: 'again' }] },
      ],
    });
    expect(warnings).toEqual([]);
  });

  it('data URL images → inlineData; remote URL → fileData with a warning, never fetched', () => {
    const { value, warnings } = toGeminiRequest(
      base({
        messages: [
          {
            role: 'user',
            content: [
              { type: 'image_url', image_url: { url: 'data:image/webp;base64,UklGR' } },
              { type: 'image_url', image_url: { url: 'https://example.com/a.png?x=1' } },
            ],
          },
        ],
      }),
      'm',
    );
    expect(value.contents[0]!.parts).toEqual([
      { inlineData: { mimeType: 'image/webp', data: 'UklGR' } },
      { fileData: { mimeType: 'image/png', fileUri: 'https://example.com/a.png?x=1' } },
    ]);
    expect(warnings.join()).toMatch(/fileData \(not fetched\)/);
  });

  it('tool calls → functionCall; tool results → functionResponse named from the earlier call, merged', () => {
    const { value } = toGeminiRequest(
      base({
        messages: [
          { role: 'user', content: 'weather?' },
          {
            role: 'assistant',
            content: null,
            tool_calls: [
              { id: 'c1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
              { id: 'c2', type: 'function', function: { name: 'get_time', arguments: '{}' } },
            ],
          },
          { role: 'tool', tool_call_id: 'c1', content: '{"temp":18}' },
          { role: 'tool', tool_call_id: 'c2', content: 'noon' },
        ],
      }),
      'm',
    );
    expect(value.contents.slice(1)).toEqual([
      {
        role: 'model',
        parts: [
          { functionCall: { name: 'get_weather', args: { city: 'Paris' } }, thoughtSignature: GEMINI_SKIP_SIGNATURE },
          { functionCall: { name: 'get_time', args: {} }, thoughtSignature: GEMINI_SKIP_SIGNATURE },
        ],
      },
      {
        role: 'user',
        parts: [
          { functionResponse: { name: 'get_weather', response: { temp: 18 } } },
          { functionResponse: { name: 'get_time', response: { result: 'noon' } } },
        ],
      },
    ]);
  });

  it.each([
    ['auto', { mode: 'AUTO' }],
    ['none', { mode: 'NONE' }],
    ['required', { mode: 'ANY' }],
    [
      { type: 'function', function: { name: 'f' } },
      { mode: 'ANY', allowedFunctionNames: ['f'] },
    ],
  ] as const)('tool_choice %j', (choice, expected) => {
    const { value } = toGeminiRequest(
      base({
        tools: [{ type: 'function', function: { name: 'f', parameters: { type: 'object' } } }],
        tool_choice: choice,
      }),
      'm',
    );
    expect(value.tools).toEqual([{ functionDeclarations: [{ name: 'f', parametersJsonSchema: { type: 'object' } }] }]);
    expect(value.toolConfig).toEqual({ functionCallingConfig: expected });
  });

  it('generation params: temperature, top_p, max tokens, stop, n, seed, penalties, JSON modes; user dropped', () => {
    const schema = { type: 'object', properties: { a: { type: 'string' } } };
    const { value, warnings } = toGeminiRequest(
      base({
        temperature: 1.5,
        top_p: 0.5,
        max_completion_tokens: 99,
        stop: ['a', 'b'],
        n: 2,
        seed: 7,
        presence_penalty: 0.1,
        user: 'u',
        response_format: { type: 'json_schema', json_schema: { name: 'x', schema } },
      }),
      'm',
    );
    expect(value.generationConfig).toEqual({
      temperature: 1.5,
      topP: 0.5,
      maxOutputTokens: 99,
      stopSequences: ['a', 'b'],
      candidateCount: 2,
      seed: 7,
      presencePenalty: 0.1,
      responseMimeType: 'application/json',
      responseJsonSchema: schema,
    });
    expect(warnings.join()).toMatch(/dropped parameters.*user/);
    expect(toGeminiRequest(base({ response_format: { type: 'json_object' } }), 'm').value.generationConfig).toEqual({
      responseMimeType: 'application/json',
    });
  });

  it('reasoning_effort: budget for 2.x, level for 3.x', () => {
    expect(toGeminiRequest(base({ reasoning_effort: 'medium' }), 'gemini-2.5-flash').value.generationConfig).toEqual({
      thinkingConfig: { thinkingBudget: 8192 },
    });
    expect(toGeminiRequest(base({ reasoning_effort: 'minimal' }), 'gemini-2.5-pro').value.generationConfig).toEqual({
      thinkingConfig: { thinkingBudget: 128 },
    });
    expect(toGeminiRequest(base({ reasoning_effort: 'high' }), 'gemini-3-pro-preview').value.generationConfig).toEqual({
      thinkingConfig: { thinkingLevel: 'high' },
    });
  });

  it('adapter: URLs for generate / stream / embed, x-goog-api-key header', () => {
    const plain = geminiAdapter.chatRequest(base(), { ...target, baseURL: 'http://127.0.0.1:9/' }).value;
    expect(plain.url).toBe('http://127.0.0.1:9/v1beta/models/gemini-2.5-flash:generateContent');
    expect(plain.headers['x-goog-api-key']).toBe('g-key');
    expect(plain.headers.authorization).toBeUndefined();
    const stream = geminiAdapter.chatRequest(base({ stream: true }), target).value;
    expect(stream.url).toBe('http://127.0.0.1:9/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse');
    const one = geminiAdapter.embeddingsRequest!(
      { model: 'e', input: 'a', dimensions: 8 },
      { ...target, model: 'text-embedding-004' },
    ).value;
    expect(one.url).toBe('http://127.0.0.1:9/v1beta/models/text-embedding-004:embedContent');
    expect(JSON.parse(one.body!)).toEqual({ content: { parts: [{ text: 'a' }] }, outputDimensionality: 8 });
    const many = geminiAdapter.embeddingsRequest!(
      { model: 'e', input: ['a', 'b'] },
      { ...target, model: 'text-embedding-004' },
    ).value;
    expect(many.url).toMatch(/:batchEmbedContents$/);
    expect(JSON.parse(many.body!).requests).toHaveLength(2);
    expect(() => geminiAdapter.embeddingsRequest!({ model: 'e', input: [1, 2] }, target)).toThrow(/token-array/);
  });

  it('embeddings response honours encoding_format base64 (little-endian float32)', () => {
    const r = geminiAdapter.embeddingsResponse!(
      { embeddings: [{ values: [1, -2.5] }] },
      { model: 'e', id: 'x', created: 1, encodingFormat: 'base64' },
    ).value;
    const b = Buffer.from(r.data[0]!.embedding as string, 'base64');
    expect([b.readFloatLE(0), b.readFloatLE(4)]).toEqual([1, -2.5]);
    const f = geminiAdapter.embeddingsResponse!(
      { embedding: { values: [0.5] } },
      { model: 'e', id: 'x', created: 1 },
    ).value;
    expect(f.data).toEqual([{ object: 'embedding', index: 0, embedding: [0.5] }]);
  });
});

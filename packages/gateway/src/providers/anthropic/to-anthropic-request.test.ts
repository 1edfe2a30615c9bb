import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../pipeline/seams.js';
import type { ChatCompletionRequest } from '../openai-chat-types.js';
import { anthropicAdapter } from './anthropic-adapter.js';
import { JSON_RESPONSE_TOOL } from './anthropic-wire.js';
import { toAnthropicRequest } from './to-anthropic-request.js';

const base = (over: Partial<ChatCompletionRequest> = {}): ChatCompletionRequest => ({
  model: 'smart',
  messages: [{ role: 'user', content: 'hi' }],
  ...over,
});

describe('toAnthropicRequest', () => {
  it('joins system and developer messages, defaults max_tokens to 4096, keeps multi-turn order', () => {
    const { value, warnings } = toAnthropicRequest(
      base({
        messages: [
          { role: 'system', content: 'Be brief.' },
          { role: 'developer', content: [{ type: 'text', text: 'Use French.' }] },
          { role: 'user', content: 'hi' },
          { role: 'assistant', content: 'salut' },
          { role: 'user', content: 'again' },
        ],
      }),
      'claude-sonnet-4-5',
    );
    expect(value).toEqual({
      model: 'claude-sonnet-4-5',
      max_tokens: 4096,
      system: [
        { type: 'text', text: 'Be brief.' },
        { type: 'text', text: 'Use French.' },
      ],
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'hi' }] },
        { role: 'assistant', content: [{ type: 'text', text: 'salut' }] },
        { role: 'user', content: [{ type: 'text', text: 'again' }] },
      ],
    });
    expect(warnings).toEqual([]);
  });

  it('maps image parts: data URL → base64 source, http URL → url source', () => {
    const { value } = toAnthropicRequest(
      base({
        messages: [
          {
            role: 'user',
            content: [
              { type: 'text', text: 'what?' },
              { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0K' } },
              { type: 'image_url', image_url: { url: 'https://example.com/cat.jpg' } },
            ],
          },
        ],
      }),
      'm',
    );
    expect(value.messages[0]!.content).toEqual([
      { type: 'text', text: 'what?' },
      { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0K' } },
      { type: 'image', source: { type: 'url', url: 'https://example.com/cat.jpg' } },
    ]);
  });

  it('maps assistant tool_calls to tool_use and merges consecutive tool results into one user turn', () => {
    const { value } = toAnthropicRequest(
      base({
        messages: [
          { role: 'user', content: 'weather in Paris and Rome?' },
          {
            role: 'assistant',
            content: null,
            tool_calls: [
              { id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
              { id: 'call_2', type: 'function', function: { name: 'get_weather', arguments: '' } },
            ],
          },
          { role: 'tool', tool_call_id: 'call_1', content: '18C' },
          { role: 'tool', tool_call_id: 'call_2', content: [{ type: 'text', text: '21C' }] },
          { role: 'user', content: 'thanks' },
        ],
      }),
      'm',
    );
    expect(value.messages).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'weather in Paris and Rome?' }] },
      {
        role: 'assistant',
        content: [
          { type: 'tool_use', id: 'call_1', name: 'get_weather', input: { city: 'Paris' } },
          { type: 'tool_use', id: 'call_2', name: 'get_weather', input: {} },
        ],
      },
      {
        role: 'user',
        content: [
          { type: 'tool_result', tool_use_id: 'call_1', content: '18C' },
          { type: 'tool_result', tool_use_id: 'call_2', content: '21C' },
          { type: 'text', text: 'thanks' },
        ],
      },
    ]);
  });

  it.each([
    ['auto', true, { type: 'auto' }],
    ['required', undefined, { type: 'any' }],
    ['none', undefined, { type: 'none' }],
    [
      { type: 'function', function: { name: 'f' } },
      false,
      { type: 'tool', name: 'f', disable_parallel_tool_use: true },
    ],
    [undefined, false, { type: 'auto', disable_parallel_tool_use: true }],
  ] as const)('tool_choice %j with parallel_tool_calls %j', (choice, parallel, expected) => {
    const { value } = toAnthropicRequest(
      base({
        tools: [{ type: 'function', function: { name: 'f', description: 'd', parameters: { type: 'object' } } }],
        ...(choice !== undefined && { tool_choice: choice }),
        ...(parallel !== undefined && { parallel_tool_calls: parallel }),
      }),
      'm',
    );
    expect(value.tools).toEqual([{ name: 'f', description: 'd', input_schema: { type: 'object' } }]);
    expect(value.tool_choice).toEqual(expected);
  });

  it('clamps temperature with a warning, maps stop, user, max_completion_tokens; drops seed with a warning', () => {
    const { value, warnings } = toAnthropicRequest(
      base({
        temperature: 1.7,
        top_p: 0.9,
        stop: 'END',
        user: 'u1',
        max_tokens: 10,
        max_completion_tokens: 20,
        seed: 3,
      }),
      'm',
    );
    expect(value).toMatchObject({
      temperature: 1,
      top_p: 0.9,
      stop_sequences: ['END'],
      metadata: { user_id: 'u1' },
      max_tokens: 20,
    });
    expect(warnings.join('\n')).toMatch(/temperature 1.7 clamped/);
    expect(warnings.join('\n')).toMatch(/dropped parameters.*seed/);
  });

  it('rejects n > 1 with a 400 GatewayError', () => {
    expect(() => toAnthropicRequest(base({ n: 2 }), 'm')).toThrow(GatewayError);
    try {
      toAnthropicRequest(base({ n: 2 }), 'm');
    } catch (e) {
      expect((e as GatewayError).status).toBe(400);
      expect((e as GatewayError).param).toBe('n');
    }
  });

  it('response_format json_schema → forced synthetic tool; with other tools → 400', () => {
    const schema = { type: 'object', properties: { a: { type: 'number' } } };
    const { value } = toAnthropicRequest(
      base({ response_format: { type: 'json_schema', json_schema: { name: 'x', schema } } }),
      'm',
    );
    expect(value.tools).toEqual([expect.objectContaining({ name: JSON_RESPONSE_TOOL, input_schema: schema })]);
    expect(value.tool_choice).toEqual({ type: 'tool', name: JSON_RESPONSE_TOOL });
    expect(() =>
      toAnthropicRequest(
        base({ response_format: { type: 'json_object' }, tools: [{ type: 'function', function: { name: 'f' } }] }),
        'm',
      ),
    ).toThrow(/response_format with tools/);
  });

  it('reasoning_effort → thinking budget, capped to half of max_tokens; temperature then dropped', () => {
    const hi = toAnthropicRequest(base({ reasoning_effort: 'high', temperature: 0.5, max_tokens: 8000 }), 'm');
    expect(hi.value.thinking).toEqual({ type: 'enabled', budget_tokens: 4000 });
    expect(hi.value.temperature).toBeUndefined();
    const low = toAnthropicRequest(base({ reasoning_effort: 'low' }), 'm');
    expect(low.value.thinking).toEqual({ type: 'enabled', budget_tokens: 1024 });
    const tiny = toAnthropicRequest(base({ reasoning_effort: 'medium', max_tokens: 500 }), 'm');
    expect(tiny.value.thinking).toBeUndefined();
    expect(tiny.warnings.join()).toMatch(/reasoning_effort dropped/);
    expect(toAnthropicRequest(base({ reasoning_effort: 'minimal' }), 'm').value.thinking).toBeUndefined();
  });

  it('reasoning_effort is dropped when continuing a tool loop (no signed thinking block to send back)', () => {
    const { value, warnings } = toAnthropicRequest(
      base({
        reasoning_effort: 'low',
        messages: [
          { role: 'user', content: 'weather?' },
          {
            role: 'assistant',
            content: null,
            tool_calls: [{ id: 'c', type: 'function', function: { name: 'f', arguments: '{}' } }],
          },
          { role: 'tool', tool_call_id: 'c', content: 'sunny' },
        ],
        tools: [{ type: 'function', function: { name: 'f' } }],
      }),
      'm',
    );
    expect(value.thinking).toBeUndefined();
    expect(warnings.join()).toMatch(/cannot continue a tool loop/);
  });

  it('adapter: URL, auth headers, stream flag and target params', () => {
    const { value } = anthropicAdapter.chatRequest(base({ stream: true, temperature: 0.2 }), {
      providerId: 'anthropic',
      kind: 'anthropic',
      baseURL: 'http://127.0.0.1:9/',
      apiKey: 'sk-ant-test',
      model: 'claude-haiku-4-5',
      params: { temperature: 0 },
    });
    expect(value.url).toBe('http://127.0.0.1:9/v1/messages');
    expect(value.headers).toMatchObject({ 'x-api-key': 'sk-ant-test', 'anthropic-version': '2023-06-01' });
    expect(value.headers.authorization).toBeUndefined();
    expect(JSON.parse(value.body!)).toMatchObject({ model: 'claude-haiku-4-5', stream: true, temperature: 0 });
  });
});

import Anthropic from '@anthropic-ai/sdk';
import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../pipeline/seams.js';
import { fromGeminiStream } from '../gemini/from-gemini-stream.js';
import { openaiAdapter } from '../openai/openai-adapter.js';
import { encodeSse } from '../sse.js';
import { fixtureEvents, fixtureJson } from '../testing/fixtures.js';
import { collectStream } from '../testing/stream-helpers.js';
import { anthropicErrorEvent, toAnthropicError } from './anthropic-error.js';
import { createAnthropicStreamEncoder } from './anthropic-stream-encoder.js';
import { fromAnthropicRequest } from './from-anthropic-request.js';
import { toAnthropicResponse } from './to-anthropic-response.js';

const ctx = { model: 'claude-via-gw', id: 'chatcmpl-in', created: 1700000000 };

/** Run the official Anthropic SDK's stream accumulator over our encoded events (no network: a fetch stub). */
async function sdkFinalMessage(sse: string) {
  const client = new Anthropic({
    apiKey: 'test',
    maxRetries: 0,
    fetch: async () => new Response(sse, { headers: { 'content-type': 'text/event-stream' } }),
  });
  return client.messages
    .stream({ model: 'm', max_tokens: 10, messages: [{ role: 'user', content: 'x' }] })
    .finalMessage();
}

describe('fromAnthropicRequest', () => {
  it('system, multi-turn, images, tool_use/tool_result, tools, tool_choice, params', () => {
    const { value, warnings } = fromAnthropicRequest({
      model: 'gpt-4.1',
      max_tokens: 256,
      system: [{ type: 'text', text: 'Be brief.' }],
      temperature: 0.2,
      stop_sequences: ['END'],
      metadata: { user_id: 'u1' },
      stream: true,
      tools: [{ name: 'get_weather', description: 'w', input_schema: { type: 'object' } }],
      tool_choice: { type: 'any', disable_parallel_tool_use: true },
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Weather?' },
            { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'AAA' } },
          ],
        },
        {
          role: 'assistant',
          content: [
            { type: 'thinking', thinking: 'hmm', signature: 's' },
            { type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { city: 'Paris' } },
          ],
        },
        {
          role: 'user',
          content: [
            { type: 'tool_result', tool_use_id: 'toolu_1', content: [{ type: 'text', text: '18C' }] },
            { type: 'text', text: 'and tomorrow?' },
          ],
        },
      ],
    });
    expect(value).toEqual({
      model: 'gpt-4.1',
      max_completion_tokens: 256,
      temperature: 0.2,
      stop: ['END'],
      user: 'u1',
      stream: true,
      stream_options: { include_usage: true },
      tools: [
        { type: 'function', function: { name: 'get_weather', description: 'w', parameters: { type: 'object' } } },
      ],
      tool_choice: 'required',
      parallel_tool_calls: false,
      messages: [
        { role: 'system', content: 'Be brief.' },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Weather?' },
            { type: 'image_url', image_url: { url: 'data:image/png;base64,AAA' } },
          ],
        },
        {
          role: 'assistant',
          content: null,
          tool_calls: [
            { id: 'toolu_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
          ],
        },
        { role: 'tool', tool_call_id: 'toolu_1', content: '18C' },
        { role: 'user', content: [{ type: 'text', text: 'and tomorrow?' }] },
      ],
    });
    expect(warnings.join()).toMatch(/thinking block dropped/);
  });

  it('thinking budget → reasoning_effort; top_k and unknown fields reported as dropped', () => {
    const { value, warnings } = fromAnthropicRequest({
      model: 'm',
      max_tokens: 9000,
      top_k: 5,
      service_tier: 'auto',
      thinking: { type: 'enabled', budget_tokens: 4096 },
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(value.reasoning_effort).toBe('medium');
    expect(warnings.join()).toMatch(/service_tier, top_k/);
  });

  it('invalid input → 400 GatewayError naming the path', () => {
    expect(() => fromAnthropicRequest({ model: 'm', messages: [] })).toThrow(GatewayError);
    try {
      fromAnthropicRequest({ model: 'm', max_tokens: 5, messages: [{ role: 'system', content: 'x' }] });
    } catch (e) {
      expect((e as GatewayError).status).toBe(400);
      expect((e as GatewayError).message).toMatch(/^messages\.0\.role/);
    }
  });
});

describe('toAnthropicResponse', () => {
  it('text + tool calls, stop reason and usage (input excludes cache reads)', () => {
    const completion = openaiAdapter.chatResponse(fixtureJson('deepseek/deepseek-tool-call.json'), ctx);
    const msg = toAnthropicResponse(completion.value, completion.usage!);
    expect(msg).toEqual({
      id: 'msg_7a630f5b-b7e6-4878-82f8-d77db164d42b',
      type: 'message',
      role: 'assistant',
      model: 'claude-via-gw',
      content: [
        {
          type: 'tool_use',
          id: 'call_00_9V0vrf86Pc9aelHCJMZqnJBo',
          name: 'weather',
          input: { location: 'San Francisco' },
        },
      ],
      stop_reason: 'tool_use',
      stop_sequence: null,
      usage: { input_tokens: 19, cache_read_input_tokens: 320, cache_creation_input_tokens: 0, output_tokens: 92 },
    });
  });
});

describe('createAnthropicStreamEncoder', () => {
  it('OpenAI text stream → event sequence the Anthropic SDK accumulates to the same message', async () => {
    const t = openaiAdapter.chatStream({ ...ctx, includeUsage: true });
    const chunks = collectStream(t, fixtureEvents('openai/openai-text.chunks.txt'));
    const enc = createAnthropicStreamEncoder({ id: 'chatcmpl-in', model: 'claude-via-gw', inputTokens: 3 });
    const events = [...chunks.flatMap((c) => enc.push(c)), ...enc.end(t.usage())];
    expect(events[0]!.event).toBe('message_start');
    expect(events.map((e) => e.event).slice(-3)).toEqual(['content_block_stop', 'message_delta', 'message_stop']);
    const msg = await sdkFinalMessage(events.map(encodeSse).join(''));
    const text = chunks.map((c) => c.choices[0]?.delta.content ?? '').join('');
    expect(msg.content).toEqual([expect.objectContaining({ type: 'text', text })]);
    expect(msg.stop_reason).toBe('end_turn');
    expect(msg.usage.output_tokens).toBe(t.usage()!.outputTokens);
    expect(msg.usage.input_tokens).toBe(t.usage()!.inputTokens);
  });

  it('Gemini tool-call stream → tool_use block with input_json_delta; SDK parses the input', async () => {
    const t = fromGeminiStream({ ...ctx, includeUsage: true });
    const chunks = collectStream(t, fixtureEvents('google/google-tool-call.chunks.txt'));
    const enc = createAnthropicStreamEncoder({ id: 'x', model: 'm' });
    const events = [...chunks.flatMap((c) => enc.push(c)), ...enc.end()];
    const msg = await sdkFinalMessage(events.map(encodeSse).join(''));
    expect(msg.content).toEqual([
      expect.objectContaining({
        type: 'tool_use',
        id: 'call_chatcmpl-in_0',
        name: 'weather',
        input: { location: 'San Francisco' },
      }),
    ]);
    expect(msg.stop_reason).toBe('tool_use');
    expect(msg.usage.output_tokens).toBe(15 + 45);
  });

  it('OpenAI tool call split over chunks (Qwen) → one tool_use block', async () => {
    const t = openaiAdapter.chatStream({ ...ctx, includeUsage: true });
    const chunks = collectStream(t, fixtureEvents('alibaba/alibaba-tool-call.chunks.txt'));
    const enc = createAnthropicStreamEncoder({ id: 'x', model: 'm' });
    const events = [...chunks.flatMap((c) => enc.push(c)), ...enc.end()];
    const deltas = events.filter((e) => e.data.includes('input_json_delta'));
    expect(deltas.length).toBeGreaterThan(1);
    const msg = await sdkFinalMessage(events.map(encodeSse).join(''));
    expect(msg.content).toEqual([expect.objectContaining({ type: 'tool_use', input: { location: 'San Francisco' } })]);
  });
});

describe('toAnthropicError', () => {
  it('maps status to Anthropic error types', () => {
    expect(toAnthropicError(429, 'slow down')).toEqual({
      type: 'error',
      error: { type: 'rate_limit_error', message: 'slow down' },
    });
    expect(toAnthropicError(529, 'x').error.type).toBe('overloaded_error');
    expect(toAnthropicError(502, 'x').error.type).toBe('api_error');
    expect(toAnthropicError(422, 'x').error.type).toBe('invalid_request_error');
    expect(anthropicErrorEvent(500, 'boom')).toEqual({
      event: 'error',
      data: '{"type":"error","error":{"type":"api_error","message":"boom"}}',
    });
  });
});

import { describe, expect, it } from 'vitest';
import type { ChatCompletionRequest } from '../openai-chat-types.js';
import type { UpstreamTarget } from '../provider-adapter.js';
import { fixtureEvents, fixtureJson } from '../testing/fixtures.js';
import { assemble, collectStream } from '../testing/stream-helpers.js';
import { openaiAdapter, openaiCompatibleAdapter } from './openai-adapter.js';
import { chatCompletionChunkSchema, chatCompletionSchema } from './openai-response-schema.js';

const ctx = { model: 'my-alias', id: 'chatcmpl-local', created: 1700000000 };
const target = (over: Partial<UpstreamTarget> = {}): UpstreamTarget => ({
  providerId: 'openai',
  kind: 'openai',
  baseURL: 'http://127.0.0.1:9/v1',
  apiKey: 'sk-up',
  model: 'gpt-4.1-nano',
  ...over,
});
const req = (over: Partial<ChatCompletionRequest> = {}): ChatCompletionRequest => ({
  model: 'my-alias',
  messages: [{ role: 'user', content: 'hi' }],
  ...over,
});

describe('OpenAI adapter: request', () => {
  it('forwards the body untouched except model; unknown fields pass through; target params merged', () => {
    const { value, warnings } = openaiAdapter.chatRequest(
      req({ temperature: 0.3, logit_bias: { '1': 2 }, some_future_field: { x: 1 } }),
      target({ params: { temperature: 0 }, headers: { 'x-extra': '1' } }),
    );
    expect(value.url).toBe('http://127.0.0.1:9/v1/chat/completions');
    expect(value.headers).toMatchObject({ authorization: 'Bearer sk-up', 'x-extra': '1' });
    expect(JSON.parse(value.body!)).toEqual({
      model: 'gpt-4.1-nano',
      messages: [{ role: 'user', content: 'hi' }],
      temperature: 0,
      logit_bias: { '1': 2 },
      some_future_field: { x: 1 },
    });
    expect(warnings).toEqual([]);
  });

  it('streams always ask for include_usage upstream', () => {
    const { value } = openaiAdapter.chatRequest(req({ stream: true }), target());
    expect(JSON.parse(value.body!).stream_options).toEqual({ include_usage: true });
  });

  it('compatible vendors: table of differences (deepseek max_tokens, groq n and logprobs)', () => {
    const ds = openaiCompatibleAdapter.chatRequest(
      req({ max_completion_tokens: 50 }),
      target({ kind: 'openai-compatible', providerId: 'ds', baseURL: 'https://api.deepseek.com/v1' }),
    );
    expect(JSON.parse(ds.value.body!)).toMatchObject({ max_tokens: 50 });
    expect(JSON.parse(ds.value.body!).max_completion_tokens).toBeUndefined();
    const groq = target({ kind: 'openai-compatible', providerId: 'groq', baseURL: 'http://127.0.0.1:9/openai/v1' });
    const g = openaiCompatibleAdapter.chatRequest(req({ logprobs: true, max_completion_tokens: 5 }), groq);
    expect(JSON.parse(g.value.body!)).toMatchObject({ max_completion_tokens: 5 });
    expect(JSON.parse(g.value.body!).logprobs).toBeUndefined();
    expect(g.warnings.join()).toMatch(/groq does not support: logprobs/);
    expect(() => openaiCompatibleAdapter.chatRequest(req({ n: 3 }), groq)).toThrow(/n > 1/);
  });

  it('developer messages become system for servers that only know system (OpenAI keeps developer)', () => {
    const r = req({
      messages: [
        { role: 'developer', content: 'rules' },
        { role: 'user', content: 'hi' },
      ],
    });
    const local = openaiCompatibleAdapter.chatRequest(r, target({ kind: 'openai-compatible', providerId: 'vllm' }));
    expect(JSON.parse(local.value.body!).messages[0].role).toBe('system');
    expect(JSON.parse(openaiAdapter.chatRequest(r, target()).value.body!).messages[0].role).toBe('developer');
  });

  it('embeddings: body passes with model replaced; response model renamed, usage parsed', () => {
    const { value } = openaiAdapter.embeddingsRequest!(
      { model: 'e', input: ['a'], encoding_format: 'base64' },
      target(),
    );
    expect(value.url).toBe('http://127.0.0.1:9/v1/embeddings');
    expect(JSON.parse(value.body!)).toEqual({ model: 'gpt-4.1-nano', input: ['a'], encoding_format: 'base64' });
    const r = openaiAdapter.embeddingsResponse!(
      {
        object: 'list',
        model: 'x',
        data: [{ object: 'embedding', index: 0, embedding: 'AAAA' }],
        usage: { prompt_tokens: 2, total_tokens: 2 },
      },
      ctx,
    );
    expect(r.value.model).toBe('my-alias');
    expect(r.usage?.inputTokens).toBe(2);
  });
});

describe('OpenAI adapter: responses (recorded fixtures)', () => {
  it.each([
    'openai/openai-text.json',
    'groq/groq-tool-call.json',
    'alibaba/alibaba-tool-call.json',
    'deepseek/deepseek-tool-call.json',
    'xai/xai-text.json',
    'xai/xai-tool-call.json',
  ])('%s validates after normalization and keeps vendor extras', (file) => {
    const body = fixtureJson(file) as Record<string, unknown>;
    const r = openaiAdapter.chatResponse(body, ctx);
    chatCompletionSchema.parse(r.value);
    expect(r.value.model).toBe('my-alias');
    expect(r.value.id).toBe(body.id);
    expect(r.usage?.source).toBe('provider');
  });

  it('xAI reasoning left out of completion_tokens is counted by core', () => {
    const r = openaiAdapter.chatResponse(fixtureJson('xai/xai-text.json'), ctx);
    expect(r.usage).toMatchObject({ inputTokens: 12, outputTokens: 229, reasoningTokens: 228, cacheReadTokens: 2 });
  });

  it('groq tool-call message without content gets content null and refusal null', () => {
    const m = openaiAdapter.chatResponse(fixtureJson('groq/groq-tool-call.json'), ctx).value.choices[0]!.message;
    expect(m).toMatchObject({ content: null, refusal: null, tool_calls: [{ id: 'ax9fskhev' }] });
  });
});

describe('OpenAI adapter: streams (recorded fixtures)', () => {
  const run = (file: string, includeUsage: boolean) => {
    const t = openaiAdapter.chatStream({ ...ctx, includeUsage });
    const chunks = collectStream(t, [...fixtureEvents(file), { data: '[DONE]' }]);
    for (const c of chunks) chatCompletionChunkSchema.parse(c);
    return { t, chunks };
  };

  it('openai text with include_usage: usage chunk last; without: hidden but still measured', () => {
    const on = run('openai/openai-text.chunks.txt', true);
    expect(on.chunks.at(-1)).toMatchObject({ choices: [], usage: { prompt_tokens: expect.any(Number) } });
    expect(on.chunks.every((c) => c.model === 'my-alias')).toBe(true);
    const off = run('openai/openai-text.chunks.txt', false);
    expect(off.chunks.some((c) => c.choices.length === 0 || 'usage' in c)).toBe(false);
    expect(off.t.usage()).toEqual(on.t.usage());
    expect(assemble(off.chunks).text).toBe(assemble(on.chunks).text);
    expect(off.t.finishReasons()).toEqual(['stop']);
  });

  it('qwen tool call split across chunks: empty ids removed, arguments concatenate', () => {
    const { chunks, t } = run('alibaba/alibaba-tool-call.chunks.txt', true);
    expect(assemble(chunks).toolCalls).toEqual([
      {
        id: 'call_eee11723464a4b9eb8cee71d',
        type: 'function',
        function: { name: 'weather', arguments: '{"location": "San Francisco"}' },
      },
    ]);
    expect(t.usage()?.inputTokens).toBe(295);
  });

  it('groq/deepseek usage on the finish chunk is split into a separate usage chunk', () => {
    for (const file of ['groq/groq-tool-call.chunks.txt', 'deepseek/deepseek-reasoning.chunks.txt']) {
      const { chunks, t } = run(file, true);
      const fin = chunks.find((c) => c.choices[0]?.finish_reason);
      expect(fin && 'usage' in fin).toBe(false);
      expect(chunks.at(-1)).toMatchObject({ choices: [], usage: { total_tokens: expect.any(Number) } });
      expect(t.usage()?.source).toBe('provider');
    }
  });

  it('xAI chunks without finish_reason until the end get null, a role on the first chunk', () => {
    const { chunks } = run('xai/xai-text.chunks.txt', true);
    expect(chunks[0]!.choices[0]!.delta.role).toBe('assistant');
    expect(chunks.filter((c) => c.choices[0]?.delta.role).length).toBe(1);
  });

  it('a data error event sets error(); a cut stream is interrupted', () => {
    const t = openaiAdapter.chatStream({ ...ctx, includeUsage: false });
    const out = collectStream(t, [{ data: '{"error":{"message":"boom","type":"server_error","code":null}}' }]);
    expect(out).toEqual([]);
    expect(t.error()).toBeDefined();
    const cut = openaiAdapter.chatStream({ ...ctx, includeUsage: false });
    collectStream(cut, fixtureEvents('openai/openai-text.chunks.txt').slice(0, 3));
    expect(cut.error()?.errorClass).toBe('stream_interrupted');
  });
});

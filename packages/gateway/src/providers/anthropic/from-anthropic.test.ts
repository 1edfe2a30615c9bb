import { describe, expect, it } from 'vitest';
import { chatCompletionChunkSchema, chatCompletionSchema } from '../openai/openai-response-schema.js';
import type { ChatCompletionChunk } from '../openai-chat-types.js';
import { fixtureEvents, fixtureJson } from '../testing/fixtures.js';
import { collectStream } from '../testing/stream-helpers.js';
import { fromAnthropicResponse } from './from-anthropic-response.js';
import { fromAnthropicStream } from './from-anthropic-stream.js';

const ctx = { model: 'smart', id: 'chatcmpl-x', created: 1700000000 };

describe('fromAnthropicResponse (recorded fixtures)', () => {
  it('text', () => {
    const r = fromAnthropicResponse(fixtureJson('anthropic/anthropic-text.json'), ctx);
    chatCompletionSchema.parse(r.value);
    expect(r.value.id).toBe('msg_01VdEjxAP5ahtHKrrRdNBteQ');
    expect(r.value.model).toBe('smart');
    expect(r.value.choices[0]!.message.content).toMatch(/^Hello! I'm doing well/);
    expect(r.value.choices[0]!.finish_reason).toBe('stop');
    expect(r.value.usage).toMatchObject({ prompt_tokens: 12, completion_tokens: 29, total_tokens: 41 });
    expect(r.usage).toMatchObject({ inputTokens: 12, outputTokens: 29, source: 'provider' });
  });

  it('text + tool_use with empty input → tool_calls, finish tool_calls', () => {
    const r = fromAnthropicResponse(fixtureJson('anthropic/anthropic-tool-no-args.json'), ctx);
    chatCompletionSchema.parse(r.value);
    const m = r.value.choices[0]!.message;
    expect(m.content).toMatch(/Okay, I will update/);
    expect(m.tool_calls).toEqual([
      {
        id: 'toolu_01LRmxn9vGM1d2DZSDBowdZ1',
        type: 'function',
        function: { name: 'updateIssueList', arguments: '{}' },
      },
    ]);
    expect(r.value.choices[0]!.finish_reason).toBe('tool_calls');
  });

  it('thinking block is dropped, text kept', () => {
    const r = fromAnthropicResponse(fixtureJson('anthropic/anthropic-clear-thinking.1.json'), ctx);
    expect(r.value.choices[0]!.message.content).toBe('925 ÷ 5 = 185');
    expect(r.usage?.outputTokens).toBe(33);
  });

  it('tool_use with nested input; only tool → content null', () => {
    const r = fromAnthropicResponse(fixtureJson('anthropic/anthropic-json-tool.1.json'), ctx);
    const m = r.value.choices[0]!.message;
    expect(m.content).toBeNull();
    expect(JSON.parse(m.tool_calls![0]!.function.arguments).elements).toHaveLength(4);
  });

  it('cache tokens count into prompt_tokens and cached_tokens', () => {
    const body = {
      id: 'msg_1',
      content: [{ type: 'text', text: 'ok' }],
      stop_reason: 'max_tokens',
      usage: {
        input_tokens: 100,
        cache_creation_input_tokens: 2000,
        cache_read_input_tokens: 3000,
        output_tokens: 400,
      },
    };
    const r = fromAnthropicResponse(body, ctx);
    expect(r.value.usage).toMatchObject({
      prompt_tokens: 5100,
      completion_tokens: 400,
      total_tokens: 5500,
      prompt_tokens_details: { cached_tokens: 3000 },
    });
    expect(r.value.choices[0]!.finish_reason).toBe('length');
  });

  it('an unreadable body is an invalid_response attempt error', () => {
    expect(() => fromAnthropicResponse({ nope: true }, ctx)).toThrow(/could not read/);
  });
});

describe('fromAnthropicStream (recorded fixtures)', () => {
  const run = (file: string, includeUsage = true) => {
    const t = fromAnthropicStream({ ...ctx, includeUsage });
    const chunks = collectStream(t, fixtureEvents(file, true));
    for (const c of chunks) chatCompletionChunkSchema.parse(c);
    return { t, chunks };
  };

  it('text: role chunk first, text deltas, finish chunk, then usage chunk with choices []', () => {
    const { t, chunks } = run('anthropic/anthropic-text.chunks.txt');
    expect(chunks[0]!.choices[0]!.delta).toEqual({ role: 'assistant', content: '' });
    const text = chunks.map((c) => c.choices[0]?.delta.content ?? '').join('');
    expect(text).toBe(
      "Hello! I'm doing well, thank you for asking. How are you doing today? Is there anything I can help you with?",
    );
    const fin = chunks.at(-2)!;
    expect(fin.choices[0]).toMatchObject({ delta: {}, finish_reason: 'stop' });
    expect(chunks.at(-1)).toMatchObject({ choices: [], usage: { prompt_tokens: 12, completion_tokens: 30 } });
    expect(chunks.every((c) => c.id === 'msg_01QC4g3HwBThD4BaNtBckFDJ' && c.model === 'smart')).toBe(true);
    expect(t.usage()).toMatchObject({ inputTokens: 12, outputTokens: 30 });
    expect(t.finishReasons()).toEqual(['stop']);
    expect(t.error()).toBeUndefined();
  });

  it('no usage chunk unless asked', () => {
    const { chunks, t } = run('anthropic/anthropic-text.chunks.txt', false);
    expect(chunks.some((c) => c.choices.length === 0)).toBe(false);
    expect(t.usage()?.outputTokens).toBe(30);
  });

  it('tool call after a text block gets tool index 0; empty partial_json gives arguments ""', () => {
    const { chunks } = run('anthropic/anthropic-tool-no-args.chunks.txt');
    const deltas = chunks.flatMap((c) => c.choices[0]?.delta.tool_calls ?? []);
    expect(deltas).toEqual([
      {
        index: 0,
        id: 'toolu_01QE1WLsSVp5hy5Q3GmGTmjP',
        type: 'function',
        function: { name: 'updateIssueList', arguments: '' },
      },
    ]);
    expect(chunks.at(-2)!.choices[0]!.finish_reason).toBe('tool_calls');
  });

  it('tool arguments split across input_json_delta fragments (with ping between) concatenate to the JSON', () => {
    const { chunks } = run('anthropic/anthropic-json-tool.1.chunks.txt');
    const args = chunks.flatMap((c) => c.choices[0]?.delta.tool_calls ?? []).map((d) => d.function?.arguments ?? '');
    expect(JSON.parse(args.join(''))).toEqual({
      elements: [{ location: 'San Francisco', temperature: 58, condition: 'sunny' }],
    });
  });

  it('message_delta input_tokens replaces message_start input_tokens', () => {
    const { t } = run('anthropic/anthropic-message-delta-input-tokens.chunks.txt');
    expect(t.usage()).toMatchObject({ inputTokens: 61, outputTokens: 2 });
  });

  it('thinking deltas are dropped', () => {
    const ev = (o: object) => ({ event: (o as { type: string }).type, data: JSON.stringify(o) });
    const t = fromAnthropicStream({ ...ctx, includeUsage: false });
    const chunks = collectStream(t, [
      ev({ type: 'message_start', message: { id: 'msg_t', usage: { input_tokens: 5, output_tokens: 1 } } }),
      ev({ type: 'content_block_start', index: 0, content_block: { type: 'thinking', thinking: '' } }),
      ev({ type: 'content_block_delta', index: 0, delta: { type: 'thinking_delta', thinking: 'hmm' } }),
      ev({ type: 'content_block_delta', index: 0, delta: { type: 'signature_delta', signature: 'sig' } }),
      ev({ type: 'content_block_stop', index: 0 }),
      ev({ type: 'content_block_start', index: 1, content_block: { type: 'text', text: '' } }),
      ev({ type: 'content_block_delta', index: 1, delta: { type: 'text_delta', text: '42' } }),
      ev({ type: 'message_delta', delta: { stop_reason: 'end_turn' }, usage: { output_tokens: 9 } }),
      ev({ type: 'message_stop' }),
    ]);
    expect(chunks.map((c: ChatCompletionChunk) => c.choices[0]?.delta.content ?? '').join('')).toBe('42');
  });

  it('in-stream error event sets error() and stops translation', () => {
    const t = fromAnthropicStream({ ...ctx, includeUsage: true });
    const evs = fixtureEvents('anthropic/anthropic-text.chunks.txt', true);
    const out = collectStream(t, [
      ...evs.slice(0, 4),
      { event: 'error', data: '{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}' },
      ...evs.slice(4),
    ]);
    expect(t.error()).toMatchObject({ errorClass: 'overloaded', retryable: true });
    expect(out.map((c) => c.choices[0]?.delta.content ?? '').join('')).toBe('Hello');
    expect(out.some((c) => c.choices[0]?.finish_reason)).toBe(false);
  });

  it('a stream cut before message_stop is stream_interrupted', () => {
    const t = fromAnthropicStream({ ...ctx, includeUsage: true });
    collectStream(t, fixtureEvents('anthropic/anthropic-text.chunks.txt', true).slice(0, 5));
    expect(t.error()?.errorClass).toBe('stream_interrupted');
  });
});

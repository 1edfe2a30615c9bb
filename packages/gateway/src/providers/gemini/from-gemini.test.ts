import { describe, expect, it } from 'vitest';
import { chatCompletionChunkSchema, chatCompletionSchema } from '../openai/openai-response-schema.js';
import { fixtureEvents, fixtureJson } from '../testing/fixtures.js';
import { assemble, collectStream } from '../testing/stream-helpers.js';
import { fromGeminiResponse } from './from-gemini-response.js';
import { fromGeminiStream } from './from-gemini-stream.js';

const ctx = { model: 'fast', id: 'chatcmpl-g', created: 1700000000 };

describe('fromGeminiResponse (recorded fixtures)', () => {
  it('text with thinking usage: completion_tokens = candidates + thoughts', () => {
    const r = fromGeminiResponse(fixtureJson('google/google-text.json'), ctx);
    chatCompletionSchema.parse(r.value);
    expect(r.value.id).toBe('Un6LacrVMcjUxs0PmJfWoQc');
    expect(r.value.choices[0]!.message.content).toMatch(/^There are \*\*3\*\* r's/);
    expect(r.value.choices[0]!.finish_reason).toBe('stop');
    expect(r.value.usage).toMatchObject({
      prompt_tokens: 9,
      completion_tokens: 28 + 244,
      total_tokens: 281,
      completion_tokens_details: { reasoning_tokens: 244 },
    });
  });

  it('functionCall → tool_calls with a stable synthesized id; STOP becomes tool_calls', () => {
    const a = fromGeminiResponse(fixtureJson('google/google-tool-call.json'), ctx);
    const b = fromGeminiResponse(fixtureJson('google/google-tool-call.json'), ctx);
    chatCompletionSchema.parse(a.value);
    expect(a.value.choices[0]!.message).toMatchObject({
      content: null,
      tool_calls: [
        {
          id: 'call_chatcmpl-g_0',
          type: 'function',
          function: { name: 'weather', arguments: '{"location":"San Francisco"}' },
        },
      ],
    });
    expect(a.value.choices[0]!.finish_reason).toBe('tool_calls');
    expect(b.value).toEqual(a.value);
  });

  it('several candidates → several choices; safety and max tokens reasons', () => {
    const r = fromGeminiResponse(
      {
        candidates: [
          { index: 0, content: { parts: [{ text: 'a' }] }, finishReason: 'MAX_TOKENS' },
          { index: 1, content: { parts: [{ text: 'b' }, { text: 'secret', thought: true }] }, finishReason: 'SAFETY' },
        ],
      },
      ctx,
    );
    expect(r.value.choices.map((c) => [c.index, c.message.content, c.finish_reason])).toEqual([
      [0, 'a', 'length'],
      [1, 'b', 'content_filter'],
    ]);
    expect(r.usage).toBeUndefined();
  });

  it('blocked prompt (no candidates) → one empty content_filter choice', () => {
    const r = fromGeminiResponse({ promptFeedback: { blockReason: 'SAFETY' } }, ctx);
    chatCompletionSchema.parse(r.value);
    expect(r.value.choices[0]).toMatchObject({ message: { content: null }, finish_reason: 'content_filter' });
  });
});

describe('fromGeminiStream (recorded fixtures)', () => {
  const run = (file: string, includeUsage = true) => {
    const t = fromGeminiStream({ ...ctx, includeUsage });
    const chunks = collectStream(t, fixtureEvents(file));
    for (const c of chunks) chatCompletionChunkSchema.parse(c);
    return { t, chunks };
  };

  it('text: role first, deltas, finish, usage chunk (last usage wins)', () => {
    const { t, chunks } = run('google/google-text.chunks.txt');
    expect(chunks[0]!.choices[0]!.delta).toEqual({ role: 'assistant', content: '' });
    expect(assemble(chunks)).toEqual({
      text: 'There are **3** "r"s in strawberry.\n\nst**r**awbe**rr**y',
      toolCalls: [],
      finish: 'stop',
    });
    expect(chunks.at(-1)).toMatchObject({ choices: [], usage: { prompt_tokens: 9, completion_tokens: 23 + 185 } });
    expect(t.usage()).toMatchObject({ outputTokens: 208, reasoningTokens: 185 });
    expect(t.finishReasons()).toEqual(['stop']);
  });

  it('whole functionCall in one chunk → one tool-call delta with full arguments; finish tool_calls', () => {
    const { chunks } = run('google/google-tool-call.chunks.txt', false);
    const deltas = chunks.flatMap((c) => c.choices[0]?.delta.tool_calls ?? []);
    expect(deltas).toEqual([
      {
        index: 0,
        id: 'call_chatcmpl-g_0',
        type: 'function',
        function: { name: 'weather', arguments: '{"location":"San Francisco"}' },
      },
    ]);
    expect(assemble(chunks).finish).toBe('tool_calls');
    expect(chunks.some((c) => c.choices.length === 0)).toBe(false);
  });

  it('reasoning stream without thought parts', () => {
    const { chunks, t } = run('google/google-reasoning.chunks.txt');
    expect(assemble(chunks).text.length).toBeGreaterThan(0);
    expect(t.usage()?.reasoningTokens).toBeGreaterThan(0);
  });

  it('an error event sets error() and stops; a stream without finishReason is interrupted', () => {
    const t = fromGeminiStream({ ...ctx, includeUsage: true });
    const evs = fixtureEvents('google/google-text.chunks.txt');
    collectStream(t, [
      evs[0]!,
      { data: '{"error":{"code":503,"message":"The model is overloaded.","status":"UNAVAILABLE"}}' },
      evs[1]!,
    ]);
    expect(t.error()).toMatchObject({ errorClass: 'overloaded' });
    const cut = fromGeminiStream({ ...ctx, includeUsage: true });
    collectStream(cut, evs.slice(0, 2));
    expect(cut.error()?.errorClass).toBe('stream_interrupted');
  });
});

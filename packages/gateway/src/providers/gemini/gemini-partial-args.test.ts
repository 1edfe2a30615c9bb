// Gemini 3 streamed function-call arguments → OpenAI tool-call deltas: the recorded Vertex stream, and synthetic
// nested / array / number / bool / null paths.
import { describe, expect, it } from 'vitest';
import { chatCompletionChunkSchema } from '../openai/openai-response-schema.js';
import type { ChatCompletionChunk } from '../openai-chat-types.js';
import { fixtureEvents } from '../testing/fixtures.js';
import { collectStream } from '../testing/stream-helpers.js';
import { fromGeminiStream } from './from-gemini-stream.js';
import { applyPartialArg, parseJsonPath } from './gemini-partial-args.js';

const ctx = { model: 'gemini/gemini-3.1-pro-preview', id: 'chatcmpl-x', created: 1 };

/** Tool calls per index as the OpenAI SDK accumulates them (name from the first delta, arguments concatenated). */
function calls(chunks: ChatCompletionChunk[]) {
  const out = new Map<number, { id?: string; name: string; arguments: string }>();
  for (const c of chunks) {
    for (const tc of c.choices[0]?.delta.tool_calls ?? []) {
      const cur = out.get(tc.index) ?? { name: '', arguments: '' };
      if (tc.id) cur.id = tc.id;
      cur.name += tc.function?.name ?? '';
      cur.arguments += tc.function?.arguments ?? '';
      out.set(tc.index, cur);
    }
  }
  return [...out.entries()];
}

const event = (parts: unknown[], finishReason?: string) => ({
  data: JSON.stringify({ candidates: [{ content: { role: 'model', parts }, ...(finishReason && { finishReason }) }] }),
});

describe('Gemini streamed function-call arguments', () => {
  it('the recorded Vertex stream: two calls on indexes 0 and 1, complete JSON arguments, tool_calls finish', () => {
    const t = fromGeminiStream({ ...ctx, includeUsage: true });
    const chunks = collectStream(t, fixtureEvents('google/google-stream-tool-call-arguments.chunks.txt'));
    for (const c of chunks) chatCompletionChunkSchema.parse(c);
    expect(t.error()).toBeUndefined();
    const got = calls(chunks);
    expect(got.map(([i, c]) => [i, c.name, JSON.parse(c.arguments)])).toEqual([
      [0, 'getWeather', { location: 'Boston' }],
      [1, 'getWeather', { location: 'San Francisco' }],
    ]);
    expect(new Set(got.map(([, c]) => c.id)).size).toBe(2);
    expect(t.finishReasons()).toEqual(['tool_calls']);
  });

  it('nested objects, arrays, numbers, booleans and nulls; strings in pieces', () => {
    const t = fromGeminiStream({ ...ctx, includeUsage: false });
    const chunks = collectStream(t, [
      event([{ functionCall: { name: 'plan', willContinue: true } }]),
      event([
        {
          functionCall: {
            willContinue: true,
            partialArgs: [
              { jsonPath: '$.trip.city', stringValue: 'Ly', willContinue: true },
              { jsonPath: '$.trip.city', stringValue: 'on' },
              { jsonPath: '$.stops[0].name', stringValue: 'Louvre' },
              { jsonPath: '$.stops[0].hours', numberValue: 2.5 },
              { jsonPath: '$.stops[1].name', stringValue: 'Orsay' },
              { jsonPath: "$['free text']", boolValue: true },
              { jsonPath: '$.note', nullValue: 'NULL_VALUE' },
            ],
          },
        },
      ]),
      event([{ functionCall: {} }], 'STOP'),
    ]);
    const [[index, call]] = calls(chunks) as [[number, { name: string; arguments: string }]];
    expect(index).toBe(0);
    expect(call.name).toBe('plan');
    expect(JSON.parse(call.arguments)).toEqual({
      trip: { city: 'Lyon' },
      stops: [{ name: 'Louvre', hours: 2.5 }, { name: 'Orsay' }],
      'free text': true,
      note: null,
    });
  });

  it('a stream that ends while a call is open still closes it before the finish', () => {
    const t = fromGeminiStream({ ...ctx, includeUsage: false });
    const chunks = collectStream(t, [
      event([{ functionCall: { name: 'f', willContinue: true } }]),
      event([{ functionCall: { willContinue: true, partialArgs: [{ jsonPath: '$.a', numberValue: 1 }] } }], 'STOP'),
    ]);
    expect(JSON.parse(calls(chunks)[0]?.[1].arguments ?? '')).toEqual({ a: 1 });
  });

  it('paths: parsed or refused, never a prototype write or a huge array', () => {
    expect(parseJsonPath('$.a[2]["b c"]')).toEqual(['a', 2, 'b c']);
    expect(parseJsonPath('a.b')).toBeUndefined();
    expect(parseJsonPath('$.a[')).toBeUndefined();
    const root: Record<string, unknown> = {};
    expect(applyPartialArg(root, { jsonPath: '$.x[99999999]', numberValue: 1 })).toBe(false);
    applyPartialArg(root, { jsonPath: '$.__proto__.polluted', boolValue: true });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

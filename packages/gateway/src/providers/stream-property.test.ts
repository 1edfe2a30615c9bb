// Closed-loop stream property: any OpenAI chunk sequence (text split anywhere, tool-call arguments split across
// many chunks, usage last) → Anthropic SSE (inbound encoder) → bytes cut at random → SseParser →
// fromAnthropicStream → the same text, tool calls, finish reason and usage, every chunk valid OpenAI.
import { toOpenAIUsage } from '@switchyard/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromAnthropicStream } from './anthropic/from-anthropic-stream.js';
import { createAnthropicStreamEncoder } from './anthropic-inbound/anthropic-stream-encoder.js';
import { chatCompletionChunkSchema } from './openai/openai-response-schema.js';
import type { ChatCompletionChunk } from './openai-chat-types.js';
import { encodeSse, SseParser } from './sse.js';
import { assemble } from './testing/stream-helpers.js';

const base = { id: 'chatcmpl-p', object: 'chat.completion.chunk' as const, created: 1, model: 'm' };
const piecesOf = (s: string, cuts: number[]) => {
  const out: string[] = [];
  let pos = 0;
  for (const c of cuts) {
    const next = Math.min(s.length, pos + (c % 9) + 1);
    out.push(s.slice(pos, next));
    pos = next;
  }
  if (pos < s.length) out.push(s.slice(pos));
  return out;
};

const streamArb = fc.record({
  text: fc.string({ maxLength: 60 }),
  textCuts: fc.array(fc.nat(), { maxLength: 12 }),
  calls: fc.array(
    fc.record({
      name: fc.stringMatching(/^[a-z][a-z_]{0,8}$/),
      args: fc.dictionary(fc.stringMatching(/^[a-z]{1,5}$/), fc.oneof(fc.string({ maxLength: 10 }), fc.integer())),
      cuts: fc.array(fc.nat(), { maxLength: 10 }),
    }),
    { maxLength: 3 },
  ),
  usage: fc.record({ prompt: fc.nat(10_000), completion: fc.nat(10_000) }),
  byteCuts: fc.array(fc.nat(), { maxLength: 40 }),
});

describe('stream translation property', () => {
  it('OpenAI chunks → Anthropic SSE → OpenAI chunks preserves text, tool calls, finish and usage', () => {
    fc.assert(
      fc.property(streamArb, (g) => {
        const chunks: ChatCompletionChunk[] = [
          { ...base, choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }] },
        ];
        for (const p of piecesOf(g.text, g.textCuts))
          chunks.push({ ...base, choices: [{ index: 0, delta: { content: p }, finish_reason: null }] });
        for (const [i, c] of g.calls.entries()) {
          chunks.push({
            ...base,
            choices: [
              {
                index: 0,
                delta: {
                  tool_calls: [
                    { index: i, id: `call_${i}`, type: 'function', function: { name: c.name, arguments: '' } },
                  ],
                },
                finish_reason: null,
              },
            ],
          });
          for (const a of piecesOf(JSON.stringify(c.args), c.cuts))
            chunks.push({
              ...base,
              choices: [
                { index: 0, delta: { tool_calls: [{ index: i, function: { arguments: a } }] }, finish_reason: null },
              ],
            });
        }
        const finish = g.calls.length > 0 ? 'tool_calls' : 'stop';
        chunks.push({ ...base, choices: [{ index: 0, delta: {}, finish_reason: finish }] });
        const usage = {
          prompt_tokens: g.usage.prompt,
          completion_tokens: g.usage.completion,
          total_tokens: g.usage.prompt + g.usage.completion,
        };
        chunks.push({ ...base, choices: [], usage });

        const enc = createAnthropicStreamEncoder({ id: 'p', model: 'm' });
        const wire = [...chunks.flatMap((c) => enc.push(c)), ...enc.end()].map(encodeSse).join('');
        const parser = new SseParser();
        const t = fromAnthropicStream({ model: 'client', id: 'chatcmpl-back', created: 2, includeUsage: true });
        const out: ChatCompletionChunk[] = [];
        for (const piece of piecesOf(wire, g.byteCuts)) for (const e of parser.push(piece)) out.push(...t.push(e));
        for (const e of parser.end()) out.push(...t.push(e));
        out.push(...t.end());

        for (const c of out) chatCompletionChunkSchema.parse(c);
        expect(t.error()).toBeUndefined();
        const a = assemble(out);
        expect(a.text).toBe(g.text);
        expect(a.toolCalls.map((c) => [c.id, c.function.name, JSON.parse(c.function.arguments)])).toEqual(
          g.calls.map((c, i) => [`call_${i}`, c.name, c.args]),
        );
        expect(a.finish).toBe(finish);
        expect(out.at(-1)?.usage).toMatchObject(usage);
        expect(toOpenAIUsage(t.usage()!)).toMatchObject(usage);
      }),
      { numRuns: 150 },
    );
  });
});

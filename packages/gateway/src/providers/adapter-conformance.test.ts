// ONE conformance suite every ProviderAdapter passes (hono's runTest({ skip }) style): each adapter runs the same
// cases over its own real recorded bodies; a case an adapter cannot support is skipped WITH a reason.
import { toOpenAIUsage } from '@switchyard/core';
import { describe, expect, it } from 'vitest';
import {
  chatCompletionChunkSchema,
  chatCompletionSchema,
  embeddingsResponseSchema,
} from './openai/openai-response-schema.js';
import type { ChatCompletionRequest } from './openai-chat-types.js';
import { adapterFor } from './registry.js';
import { CLOUD_HARNESSES } from './testing/cloud-harnesses.js';
import { HARNESSES, type Harness } from './testing/conformance-harnesses.js';
import { assemble, collectStream } from './testing/stream-helpers.js';

type CaseName =
  | 'text'
  | 'system'
  | 'tools round-trip'
  | 'stream text'
  | 'stream tools'
  | 'usage'
  | 'finish reasons'
  | 'errors'
  | 'embeddings';

interface Skip {
  reason: string;
  tests: CaseName[];
}

const ctx = { model: 'client-model', id: 'chatcmpl-conf', created: 1700000000 };
const TOOLS: ChatCompletionRequest['tools'] = [
  { type: 'function', function: { name: 'get_weather', description: 'w', parameters: { type: 'object' } } },
];

function runConformance(h: Harness, opts: { skip?: Skip[] } = {}) {
  const adapter = adapterFor(h.kind);
  const skipped = new Map<CaseName, string>();
  for (const s of opts.skip ?? []) for (const t of s.tests) skipped.set(t, s.reason);
  const test = (name: CaseName, fn: () => void | Promise<void>) =>
    skipped.has(name) ? it.skip(`${name} — skipped: ${skipped.get(name)}`, fn) : it(name, fn);

  describe(`adapter conformance: ${h.kind}`, () => {
    test('text', () => {
      const { value } = adapter.chatRequest({ model: 'x', messages: [{ role: 'user', content: 'hi' }] }, h.target);
      expect(value.method).toBe('POST');
      expect(value.url.startsWith(h.target.baseURL.replace(/\/$/, ''))).toBe(true);
      expect(JSON.stringify(value.headers)).toContain(h.target.apiKey);
      expect(h.read(value).userText).toBe('hi');
      const r = adapter.chatResponse(h.textBody, ctx);
      chatCompletionSchema.parse(r.value);
      expect(r.value.model).toBe('client-model');
      expect(r.value.choices[0]!.message.content).toMatch(h.expectText);
    });

    test('system', () => {
      const req: ChatCompletionRequest = {
        model: 'x',
        messages: [
          { role: 'system', content: 'Be brief.' },
          { role: 'user', content: 'hi' },
        ],
      };
      const facts = h.read(adapter.chatRequest(req, h.target).value);
      expect(facts.system).toBe('Be brief.');
      expect(facts.userText).toBe('hi');
    });

    test('tools round-trip', () => {
      const first = adapter.chatRequest(
        { model: 'x', messages: [{ role: 'user', content: 'weather?' }], tools: TOOLS },
        h.target,
      );
      expect(h.read(first.value).toolNames).toEqual(['get_weather']);
      const r = adapter.chatResponse(h.toolBody, ctx);
      chatCompletionSchema.parse(r.value);
      const calls = r.value.choices[0]!.message.tool_calls!;
      expect(calls[0]!.function.name).toBe(h.expectTool.name);
      expect(JSON.parse(calls[0]!.function.arguments)).toEqual(h.expectTool.args);
      expect(r.value.choices[0]!.finish_reason).toBe('tool_calls');
      // Send the call and its result back: the provider request carries the result.
      const second = adapter.chatRequest(
        {
          model: 'x',
          tools: TOOLS,
          messages: [
            { role: 'user', content: 'weather?' },
            r.value.choices[0]!.message,
            { role: 'tool', tool_call_id: calls[0]!.id, content: '18C' },
          ],
        },
        h.target,
      );
      expect(h.read(second.value).toolResults.join()).toContain('18C');
    });

    test('stream text', () => {
      const t = adapter.chatStream({ ...ctx, includeUsage: false });
      const chunks = collectStream(t, h.streamText);
      for (const c of chunks) chatCompletionChunkSchema.parse(c);
      expect(chunks[0]!.choices[0]!.delta.role).toBe('assistant');
      const a = assemble(chunks);
      expect(a.text).toMatch(h.expectStreamText);
      expect(a.finish).toBe('stop');
      expect(t.error()).toBeUndefined();
      expect(chunks.every((c) => c.choices.length > 0)).toBe(true);
    });

    test('stream tools', () => {
      const t = adapter.chatStream({ ...ctx, includeUsage: false });
      const chunks = collectStream(t, h.streamTools);
      for (const c of chunks) chatCompletionChunkSchema.parse(c);
      const a = assemble(chunks);
      expect(a.toolCalls).toHaveLength(1);
      expect(a.toolCalls[0]!.id).not.toBe('');
      expect(a.toolCalls[0]!.function.name).toBe(h.expectStreamTool.name);
      expect(JSON.parse(a.toolCalls[0]!.function.arguments)).toEqual(h.expectStreamTool.args);
      expect(a.finish).toBe('tool_calls');
      expect(t.finishReasons()).toEqual(['tool_calls']);
    });

    test('usage', () => {
      const r = adapter.chatResponse(h.textBody, ctx);
      expect(r.usage?.source).toBe('provider');
      expect(r.usage!.inputTokens).toBeGreaterThan(0);
      const t = adapter.chatStream({ ...ctx, includeUsage: true });
      const chunks = collectStream(t, h.streamText);
      const last = chunks.at(-1)!;
      expect(last.choices).toEqual([]);
      // Same-format streams pass the provider's usage object through (with its extras); the counts must agree.
      const { prompt_tokens, completion_tokens, total_tokens } = toOpenAIUsage(t.usage()!);
      expect(last.usage).toMatchObject({ prompt_tokens, completion_tokens, total_tokens });
      expect(chunks.filter((c) => c.choices.length === 0)).toHaveLength(1);
    });

    test('finish reasons', () => {
      for (const [body, expected] of h.finishes) {
        expect(adapter.chatResponse(body, ctx).value.choices[0]!.finish_reason).toBe(expected);
      }
    });

    test('errors', () => {
      for (const [status, body, expected] of h.errors) {
        const info = adapter.classifyHttpError(status, body, {});
        expect({ status, errorClass: info.errorClass }).toEqual({ status, errorClass: expected });
        expect(info.message).not.toContain(h.target.apiKey!);
      }
      const limited = adapter.classifyHttpError(429, h.errors[0]![1], { 'retry-after': '2' });
      expect(limited.retryable).toBe(true);
      expect(limited.retryAfterMs).toBe(2000);
      expect(adapter.classifyHttpError(400, h.errors.find(([s]) => s === 400)![1], {}).fallbackEligible).toBe(false);
    });

    test('embeddings', () => {
      const { value } = adapter.embeddingsRequest!({ model: 'e', input: ['a', 'b'] }, h.target);
      expect(value.url.startsWith(h.target.baseURL.replace(/\/$/, ''))).toBe(true);
    });
  });
}

const NO_EMBEDDINGS: Partial<Record<string, string>> = {
  anthropic: 'Anthropic has no embeddings API',
  bedrock: 'Bedrock embeddings are InvokeModel-only (not Converse); not translated yet',
  vertex: 'Vertex embeddings use :predict; not translated yet',
};

for (const h of [...HARNESSES, ...CLOUD_HARNESSES]) {
  const reason = NO_EMBEDDINGS[h.kind];
  runConformance(h, { skip: reason ? [{ reason, tests: ['embeddings'] }] : [] });
}

describe('adapter conformance: embeddings responses', () => {
  it('openai and gemini embeddings responses validate against the OpenAI schema', () => {
    const o = adapterFor('openai').embeddingsResponse!(
      {
        object: 'list',
        model: 'm',
        data: [{ object: 'embedding', index: 0, embedding: [0.1] }],
        usage: { prompt_tokens: 1, total_tokens: 1 },
      },
      ctx,
    );
    embeddingsResponseSchema.parse(o.value);
    const g = adapterFor('gemini').embeddingsResponse!({ embeddings: [{ values: [0.1] }, { values: [0.2] }] }, ctx);
    embeddingsResponseSchema.parse(g.value);
    expect(g.value.data.map((d) => d.index)).toEqual([0, 1]);
  });
});

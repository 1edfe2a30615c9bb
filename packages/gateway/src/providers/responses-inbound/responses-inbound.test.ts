import fc from 'fast-check';
import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../pipeline/seams.js';
import { anthropicAdapter } from '../anthropic/anthropic-adapter.js';
import { geminiAdapter } from '../gemini/gemini-adapter.js';
import type { ChatCompletion, ChatCompletionChunk } from '../openai-chat-types.js';
import type { SseEvent } from '../provider-adapter.js';
import { encodeSse } from '../sse.js';
import { fixtureEvents, fixtureJson } from '../testing/fixtures.js';
import { assemble, collectStream } from '../testing/stream-helpers.js';
import { fromResponsesRequest } from './from-responses-request.js';
import { createResponsesStreamEncoder } from './responses-stream-encoder.js';
import { responsesRequestSchema } from './responses-wire.js';
import { type ResponsesContext, toResponsesResponse } from './to-responses-response.js';

const parse = (body: unknown) => responsesRequestSchema.parse(body);
const rctx = (request: object = { model: 'm' }): ResponsesContext => ({
  id: 'resp_abc123',
  createdAt: 1700000000,
  model: 'anthropic/claude',
  request: parse({ model: 'm', ...request }),
});
const USAGE = {
  inputTokens: 20,
  outputTokens: 9,
  cacheReadTokens: 4,
  cacheWriteTokens: 0,
  reasoningTokens: 2,
  source: 'provider' as const,
};

/** The official openai SDK's Responses stream accumulator over our events (no network: a fetch stub). */
async function sdkFinalResponse(sse: string) {
  const client = new OpenAI({
    apiKey: 'test',
    maxRetries: 0,
    fetch: async () => new Response(sse, { headers: { 'content-type': 'text/event-stream' } }),
  });
  return client.responses.stream({ model: 'm', input: 'x' }).finalResponse();
}

function encode(chunks: ChatCompletionChunk[], ctx = rctx()): { events: SseEvent[]; sse: string } {
  const enc = createResponsesStreamEncoder(ctx);
  const events = [...chunks.flatMap((c) => enc.push(c)), ...enc.end(USAGE, 0.5)];
  return { events, sse: events.map(encodeSse).join('') };
}

describe('fromResponsesRequest', () => {
  it('instructions, string and item input, images, files, function calls and outputs, tools, format, params', () => {
    const { value, warnings } = fromResponsesRequest(
      parse({
        model: 'x',
        instructions: 'Be brief.',
        input: [
          {
            role: 'user',
            content: [
              { type: 'input_text', text: 'Weather?' },
              { type: 'input_image', image_url: 'data:image/png;base64,AAA', detail: 'low' },
              { type: 'input_file', file_data: 'data:application/pdf;base64,BBB', filename: 'a.pdf' },
            ],
          },
          { type: 'reasoning', id: 'rs_1', summary: [] },
          {
            type: 'message',
            role: 'assistant',
            id: 'msg_1',
            content: [{ type: 'output_text', text: 'Let me check.', annotations: [] }],
          },
          { type: 'function_call', id: 'fc_1', call_id: 'call_1', name: 'get_weather', arguments: '{"city":"Paris"}' },
          { type: 'function_call', call_id: 'call_2', name: 'get_weather', arguments: '{"city":"Rome"}' },
          { type: 'function_call_output', call_id: 'call_1', output: '18C' },
          { type: 'function_call_output', call_id: 'call_2', output: [{ type: 'input_text', text: '20C' }] },
          { role: 'developer', content: 'Answer in French.' },
        ],
        tools: [
          { type: 'function', name: 'get_weather', description: 'w', parameters: { type: 'object' }, strict: true },
        ],
        tool_choice: { type: 'function', name: 'get_weather' },
        parallel_tool_calls: false,
        text: { format: { type: 'json_schema', name: 'out', schema: { type: 'object' }, strict: true } },
        reasoning: { effort: 'minimal' },
        max_output_tokens: 100,
        temperature: 0.3,
        top_p: 0.9,
        metadata: { team: 'a' },
        user: 'u1',
        stream: true,
        store: true,
        top_logprobs: 2,
      }),
    );
    expect(value.messages).toEqual([
      { role: 'system', content: 'Be brief.' },
      {
        role: 'user',
        content: [
          { type: 'text', text: 'Weather?' },
          { type: 'image_url', image_url: { url: 'data:image/png;base64,AAA', detail: 'low' } },
          { type: 'file', file: { file_data: 'data:application/pdf;base64,BBB', filename: 'a.pdf' } },
        ],
      },
      {
        role: 'assistant',
        content: 'Let me check.',
        tool_calls: [
          { id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
          { id: 'call_2', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Rome"}' } },
        ],
      },
      { role: 'tool', tool_call_id: 'call_1', content: '18C' },
      { role: 'tool', tool_call_id: 'call_2', content: '20C' },
      { role: 'developer', content: 'Answer in French.' },
    ]);
    expect(value).toMatchObject({
      max_completion_tokens: 100,
      temperature: 0.3,
      top_p: 0.9,
      parallel_tool_calls: false,
      user: 'u1',
      reasoning_effort: 'low',
      stream: true,
      stream_options: { include_usage: true },
      tool_choice: { type: 'function', function: { name: 'get_weather' } },
      response_format: { type: 'json_schema', json_schema: { name: 'out', schema: { type: 'object' }, strict: true } },
      tools: [
        {
          type: 'function',
          function: { name: 'get_weather', description: 'w', parameters: { type: 'object' }, strict: true },
        },
      ],
    });
    expect(warnings.join(' ')).toContain('reasoning items dropped');
    expect(warnings.join(' ')).toContain('top_logprobs');
  });

  it('a string input is one user message; json_object maps; tool_choice strings pass', () => {
    const { value } = fromResponsesRequest(
      parse({
        model: 'x',
        input: 'hi',
        text: { format: { type: 'json_object' } },
        tools: [{ type: 'function', name: 'f' }],
        tool_choice: 'required',
      }),
    );
    expect(value.messages).toEqual([{ role: 'user', content: 'hi' }]);
    expect(value.response_format).toEqual({ type: 'json_object' });
    expect(value.tool_choice).toBe('required');
    expect(value.tools?.[0]?.function.parameters).toEqual({ type: 'object', properties: {} });
  });

  it.each([
    [{ input: 'x', tools: [{ type: 'web_search' }] }, 'tools[0].type'],
    [{ input: [{ type: 'item_reference', id: 'msg_9' }] }, 'input[0]'],
    [{ input: [{ type: 'computer_call', id: 'c' }] }, 'input[0]'],
    [{ input: [{ role: 'user', content: [{ type: 'input_image', file_id: 'file_1' }] }] }, 'input[0].content[0]'],
    [{ input: [{ type: 'function_call_output', output: 'x' }] }, 'input[0]'],
    [{ input: [] }, 'input'],
    [{ input: 'x', conversation: 'conv_1' }, 'conversation'],
    [{ input: 'x', prompt: { id: 'pmpt_1' } }, 'prompt'],
    [{ input: 'x', text: { format: { type: 'json_schema', name: 'n' } } }, 'text.format.schema'],
  ])('refuses what another provider cannot express with a 400 naming the field (%#)', (body, param) => {
    try {
      fromResponsesRequest(parse({ model: 'x', ...body }));
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(GatewayError);
      expect((err as GatewayError).status).toBe(400);
      expect((err as GatewayError).param).toBe(param);
    }
  });
});

describe('toResponsesResponse', () => {
  const completion = (message: ChatCompletion['choices'][0]['message'], finish: 'stop' | 'length' | 'tool_calls') =>
    ({
      id: 'c',
      object: 'chat.completion',
      created: 1,
      model: 'm',
      choices: [{ index: 0, message, finish_reason: finish, logprobs: null }],
      usage: { prompt_tokens: 20, completion_tokens: 9, total_tokens: 29, cost: 0.25 },
    }) as ChatCompletion;

  it('text + tool calls → message and function_call items; usage details and cost; request echoed', () => {
    const res = toResponsesResponse(
      completion(
        {
          role: 'assistant',
          content: 'Checking.',
          refusal: null,
          tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'f', arguments: '{}' } }],
        },
        'tool_calls',
      ),
      USAGE,
      rctx({ instructions: 'Be brief.', metadata: { a: 'b' }, max_output_tokens: 50 }),
    );
    expect(res).toMatchObject({
      id: 'resp_abc123',
      object: 'response',
      status: 'completed',
      model: 'anthropic/claude',
      instructions: 'Be brief.',
      metadata: { a: 'b' },
      max_output_tokens: 50,
      output: [
        {
          type: 'message',
          id: 'msg_abc123_0',
          role: 'assistant',
          content: [{ type: 'output_text', text: 'Checking.' }],
        },
        { type: 'function_call', id: 'fc_abc123_0', call_id: 'call_1', name: 'f', arguments: '{}' },
      ],
      usage: {
        input_tokens: 20,
        input_tokens_details: { cached_tokens: 4 },
        output_tokens: 9,
        output_tokens_details: { reasoning_tokens: 2 },
        total_tokens: 29,
        cost: 0.25,
      },
    });
  });

  it('finish length → status incomplete, reason max_output_tokens', () => {
    const res = toResponsesResponse(
      completion({ role: 'assistant', content: 'cut', refusal: null }, 'length'),
      USAGE,
      rctx(),
    );
    expect(res.status).toBe('incomplete');
    expect(res.incomplete_details).toEqual({ reason: 'max_output_tokens' });
  });
});

describe('responses stream encoder', () => {
  it.each([
    ['anthropic text', anthropicAdapter, 'anthropic/anthropic-text.chunks.txt', 'anthropic/anthropic-text.json', true],
    ['gemini text', geminiAdapter, 'google/google-text.chunks.txt', 'google/google-text.json', false],
    ['gemini tool call', geminiAdapter, 'google/google-tool-call.chunks.txt', 'google/google-tool-call.json', false],
  ] as const)(
    '%s: recorded stream → events the openai SDK accumulates to the JSON translation',
    async (_, adapter, chunks, json, named) => {
      const ctx = { model: 'm', id: 'chatcmpl-x', created: 1 };
      const chatChunks = collectStream(
        adapter.chatStream({ ...ctx, includeUsage: true }),
        fixtureEvents(chunks, named),
      );
      const { events, sse } = encode(chatChunks);
      const final = await sdkFinalResponse(sse);
      // What the same stream says once assembled, through the JSON translator.
      const asm = assemble(chatChunks);
      const message = {
        role: 'assistant' as const,
        content: asm.text || null,
        refusal: null,
        ...(asm.toolCalls.length > 0 && { tool_calls: asm.toolCalls }),
      };
      const completion: ChatCompletion = {
        id: 'c',
        object: 'chat.completion',
        created: 1,
        model: 'm',
        choices: [{ index: 0, message, finish_reason: 'stop', logprobs: null }],
      };
      const expected = toResponsesResponse(completion, USAGE, rctx());
      const strip = (o: object) => {
        // The SDK's parse helpers add `parsed` / `parsed_arguments`: not ours to compare.
        const { parsed_arguments: _a, ...rest } = o as Record<string, unknown>;
        if (Array.isArray(rest.content))
          rest.content = rest.content.map(({ parsed: _p, ...part }: Record<string, unknown>) => part);
        return rest;
      };
      expect(final.output.map(strip)).toEqual(expected.output);
      // The recording's own JSON twin has the same kinds of items.
      const twin = toResponsesResponse(adapter.chatResponse(fixtureJson(json), ctx).value, USAGE, rctx());
      expect(final.output.map((o) => o.type)).toEqual(twin.output.map((o) => o.type));
      const types = events.map((e) => e.event);
      expect(types.slice(0, 2)).toEqual(['response.created', 'response.in_progress']);
      expect(types.at(-1)).toBe('response.completed');
      const seqs = events.map((e) => (JSON.parse(e.data) as { sequence_number: number }).sequence_number);
      expect(seqs).toEqual(seqs.map((_, i) => i));
      expect(final.usage?.total_tokens).toBe(29);
    },
  );

  it('property: any text/tool-call chunk sequence streams to the same output as the assembled completion', async () => {
    const piece = fc.string({ minLength: 1, maxLength: 8 });
    const step = fc.oneof(
      piece.map((text) => ({ kind: 'text' as const, text })),
      fc.record({ kind: fc.constant('tool' as const), index: fc.integer({ min: 0, max: 2 }), args: piece }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 25 }), async (steps) => {
        // Chat streams send all text before the first tool call; tool deltas may interleave by index.
        const ordered = [...steps.filter((s) => s.kind === 'text'), ...steps.filter((s) => s.kind === 'tool')];
        const seen = new Set<number>();
        const chunks: ChatCompletionChunk[] = ordered.map((s) => {
          const delta =
            s.kind === 'text'
              ? { content: s.text }
              : {
                  tool_calls: [
                    {
                      index: s.index,
                      ...(!seen.has(s.index) && { id: `call_${s.index}`, type: 'function' as const }),
                      function: { ...(!seen.has(s.index) && { name: `f${s.index}` }), arguments: s.args },
                    },
                  ],
                };
          if (s.kind === 'tool') seen.add(s.index);
          return {
            id: 'c',
            object: 'chat.completion.chunk',
            created: 1,
            model: 'm',
            choices: [{ index: 0, delta, finish_reason: null }],
          };
        });
        const { sse } = encode(chunks);
        const final = await sdkFinalResponse(sse);
        const a = assemble(chunks);
        const calls = a.toolCalls.filter(Boolean);
        expect(final.output_text).toBe(a.text);
        const byId = (x: string[], y: string[]) => String(x[0]).localeCompare(String(y[0]));
        const got = final.output.flatMap((o) => (o.type === 'function_call' ? [[o.call_id, o.name, o.arguments]] : []));
        const want = calls.map((c) => [c.id, c.function.name, c.function.arguments]);
        expect(got.sort(byId)).toEqual(want.sort(byId));
      }),
      { numRuns: 60 },
    );
  });
});

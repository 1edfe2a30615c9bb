// The simulators do not serve the Responses API: an in-process fetch plays the provider here.
import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { harness, waitFor } from '../test-support/harness.js';
import { instrument } from './instrument.js';

const RESPONSE = {
  id: 'resp_1',
  object: 'response',
  created_at: 1,
  model: 'gpt-4o-mini-2024-07-18',
  status: 'completed',
  output: [
    {
      type: 'message',
      id: 'msg_1',
      role: 'assistant',
      status: 'completed',
      content: [{ type: 'output_text', text: 'Hi!', annotations: [] }],
    },
  ],
  usage: {
    input_tokens: 40,
    output_tokens: 12,
    total_tokens: 52,
    input_tokens_details: { cached_tokens: 8 },
    output_tokens_details: { reasoning_tokens: 5 },
  },
};

function sse(events: object[]): string {
  return events.map((e) => `event: ${(e as { type: string }).type}\ndata: ${JSON.stringify(e)}\n\n`).join('');
}

const fakeFetch = async (_url: unknown, init?: RequestInit) => {
  const streaming = String(init?.body).includes('"stream":true');
  const body = streaming
    ? sse([
        { type: 'response.created', sequence_number: 0, response: { ...RESPONSE, status: 'in_progress', usage: null } },
        {
          type: 'response.output_text.delta',
          sequence_number: 1,
          item_id: 'msg_1',
          output_index: 0,
          content_index: 0,
          delta: 'Hi!',
        },
        { type: 'response.completed', sequence_number: 2, response: RESPONSE },
      ])
    : JSON.stringify(RESPONSE);
  return new Response(body, {
    status: 200,
    headers: { 'content-type': streaming ? 'text/event-stream' : 'application/json', 'x-request-id': 'req_r' },
  });
};

describe('instrument(openai).responses.create', () => {
  it('non-stream and stream give the same usage and cost; output_text helper still added', async () => {
    const { options, records } = harness();
    const client = instrument(
      new OpenAI({ apiKey: 'sk', baseURL: 'http://127.0.0.1:1/v1', maxRetries: 0, fetch: fakeFetch as typeof fetch }),
      options,
    );
    const res = await client.responses.create({ model: 'gpt-4o-mini', input: 'hello' });
    expect(res.output_text).toBe('Hi!');
    const types: string[] = [];
    for await (const ev of await client.responses.create({ model: 'gpt-4o-mini', input: 'hello', stream: true }))
      types.push(ev.type);
    expect(types).toEqual(['response.created', 'response.output_text.delta', 'response.completed']);
    await waitFor(records, 2);
    expect(records[0]).toMatchObject({
      operation: 'responses',
      responseId: 'resp_1',
      requestId: 'req_r',
      finishReasons: ['completed'],
      usage: { inputTokens: 40, outputTokens: 12, cacheReadTokens: 8, reasoningTokens: 5, source: 'provider' },
    });
    expect(records[1]?.streaming).toBe(true);
    expect(records[1]?.usage).toEqual(records[0]?.usage);
    expect(records[1]?.cost).toEqual(records[0]?.cost);
    expect(records[0]?.cost?.totalNanos).toBe(32n * 150n + 8n * 75n + 12n * 600n); // $0.15 / $0.075 / $0.6 per Mtok
  });
});

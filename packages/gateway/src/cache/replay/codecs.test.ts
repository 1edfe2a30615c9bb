// Replay and record are inverses: a stored answer replayed as a stream and recorded again is the same answer,
// for shapes the e2e suites do not reach through the simulators (several choices, reasoning text, refusals,
// thinking and redacted thinking blocks, server tool blocks).
import { describe, expect, it } from 'vitest';
import { chatCodec } from './chat-codec.js';
import { messagesCodec } from './messages-codec.js';

const o = { costUsd: 0, includeUsage: true };
const roundTrip = (codec: typeof chatCodec, body: object) => {
  const rec = codec.recorder?.();
  const chunks = codec.stream?.(body, o) ?? [];
  // Split at arbitrary byte positions: the recorder must not depend on write boundaries.
  const text = chunks.join('');
  for (let i = 0; i < text.length; i += 7) rec?.push(text.slice(i, i + 7));
  return rec?.result(undefined, undefined);
};

describe('chat codec', () => {
  const completion = {
    id: 'chatcmpl-1',
    object: 'chat.completion',
    created: 1700000000,
    model: 'gpt-4o-mini',
    system_fingerprint: 'fp_1',
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content: 'Hello “world” \n ok', refusal: null, reasoning_content: 'think' },
        finish_reason: 'stop',
        logprobs: null,
      },
      {
        index: 1,
        message: {
          role: 'assistant',
          content: null,
          refusal: null,
          tool_calls: [
            { id: 'call_a', type: 'function', function: { name: 'f', arguments: '{"x":1}' } },
            { id: 'call_b', type: 'function', function: { name: 'g', arguments: '{}' } },
          ],
        },
        finish_reason: 'tool_calls',
        logprobs: null,
      },
      { index: 2, message: { role: 'assistant', content: null, refusal: 'no' }, finish_reason: 'stop', logprobs: null },
    ],
    usage: { prompt_tokens: 5, completion_tokens: 7, total_tokens: 12, cost: 0 },
  };

  it('replay → record gives back the completion', () => {
    expect(roundTrip(chatCodec, completion)).toEqual(completion);
  });

  it('without include_usage there is no usage chunk; the recorder then uses the priced usage', () => {
    const chunks = chatCodec.stream?.(completion, { costUsd: 0, includeUsage: false }) ?? [];
    expect(chunks.some((c) => c.includes('"usage"'))).toBe(false);
    const rec = chatCodec.recorder?.();
    for (const c of chunks) rec?.push(c);
    const usage = { inputTokens: 5, outputTokens: 7, cacheReadTokens: 1, cacheWriteTokens: 0, reasoningTokens: 2 };
    const out = rec?.result({ ...usage, source: 'provider' }, 0.25) as { usage: Record<string, unknown> };
    expect(out.usage).toMatchObject({ prompt_tokens: 5, completion_tokens: 7, total_tokens: 12, cost: 0.25 });
  });

  it('an unfinished or errored stream records nothing', () => {
    const chunks = chatCodec.stream?.(completion, o) ?? [];
    const cut = chatCodec.recorder?.();
    cut?.push(chunks[0] ?? '');
    expect(cut?.result(undefined, undefined)).toBeUndefined();
    const errored = chatCodec.recorder?.();
    for (const c of chunks.slice(0, -1)) errored?.push(c);
    errored?.push('data: {"error":{"message":"boom"}}\n\n');
    expect(errored?.result(undefined, undefined)).toBeUndefined();
  });

  it('JSON replay sets usage.cost to what the hit costs', () => {
    expect((chatCodec.json(completion, { costUsd: 0.5, includeUsage: false }) as typeof completion).usage.cost).toBe(
      0.5,
    );
  });
});

describe('messages codec', () => {
  const message = {
    id: 'msg_1',
    type: 'message',
    role: 'assistant',
    model: 'claude-sonnet-4-5',
    content: [
      { type: 'thinking', thinking: 'let me see', signature: 'sig==' },
      { type: 'redacted_thinking', data: 'opaque' },
      { type: 'text', text: 'Answer: 42' },
      { type: 'server_tool_use', id: 'srv_1', name: 'web_search', input: { query: 'q' } },
      { type: 'web_search_tool_result', tool_use_id: 'srv_1', content: [] },
      { type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { city: 'Paris', days: [1, 2] } },
      { type: 'tool_use', id: 'toolu_2', name: 'noop', input: {} },
    ],
    stop_reason: 'tool_use',
    stop_sequence: null,
    usage: { input_tokens: 10, output_tokens: 20, cache_read_input_tokens: 3, cache_creation_input_tokens: 0 },
  };

  it('replay → record gives back the message', () => {
    expect(roundTrip(messagesCodec, message)).toEqual(message);
  });

  it('the replay is the real event sequence', () => {
    const types = (messagesCodec.stream?.(message, o) ?? []).map((e) => /^event: (\w+)/.exec(e)?.[1]);
    expect(types[0]).toBe('message_start');
    expect(types.slice(-2)).toEqual(['message_delta', 'message_stop']);
    expect(types.filter((t) => t === 'content_block_start')).toHaveLength(message.content.length);
    expect(types.filter((t) => t === 'content_block_stop')).toHaveLength(message.content.length);
  });

  it('a stream without message_stop records nothing', () => {
    const events = messagesCodec.stream?.(message, o) ?? [];
    const rec = messagesCodec.recorder?.();
    for (const e of events.slice(0, -1)) rec?.push(e);
    expect(rec?.result(undefined, undefined)).toBeUndefined();
  });
});

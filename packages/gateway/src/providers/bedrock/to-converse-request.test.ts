import { describe, expect, it } from 'vitest';
import { toConverseRequest } from './to-converse-request.js';

describe('toConverseRequest', () => {
  it('tool results of one turn merge into one user message; assistant tool calls become toolUse', () => {
    const { value } = toConverseRequest({
      model: 'm',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'weather in Paris and Rome?' },
        {
          role: 'assistant',
          content: null,
          tool_calls: [
            { id: 'a', type: 'function', function: { name: 'w', arguments: '{"city":"Paris"}' } },
            { id: 'b', type: 'function', function: { name: 'w', arguments: '{"city":"Rome"}' } },
          ],
        },
        { role: 'tool', tool_call_id: 'a', content: '18C' },
        { role: 'tool', tool_call_id: 'b', content: '21C' },
      ],
      tools: [{ type: 'function', function: { name: 'w', parameters: { type: 'object' } } }],
      max_tokens: 100,
      temperature: 0.2,
      stop: 'END',
    });
    expect(value.system).toEqual([{ text: 'Be brief.' }]);
    expect(value.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'user']);
    expect(value.messages[1]!.content).toEqual([
      { toolUse: { toolUseId: 'a', name: 'w', input: { city: 'Paris' } } },
      { toolUse: { toolUseId: 'b', name: 'w', input: { city: 'Rome' } } },
    ]);
    expect(value.messages[2]!.content).toHaveLength(2);
    expect(value.inferenceConfig).toEqual({ maxTokens: 100, temperature: 0.2, stopSequences: ['END'] });
    expect(value.toolConfig?.toolChoice).toEqual({ auto: {} });
  });

  it('images: data URLs become bytes; http URLs are a 400', () => {
    const { value } = toConverseRequest({
      model: 'm',
      messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA' } }] }],
    });
    expect(value.messages[0]!.content[0]).toEqual({ image: { format: 'png', source: { bytes: 'AAAA' } } });
    expect(() =>
      toConverseRequest({
        model: 'm',
        messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'https://x/y.png' } }] }],
      }),
    ).toThrow(/data URLs/);
  });

  it('tool_choice none leaves the tools out; required → any; n > 1 is rejected; dropped fields are named', () => {
    const tools = [{ type: 'function' as const, function: { name: 'w' } }];
    const messages = [{ role: 'user' as const, content: 'hi' }];
    expect(toConverseRequest({ model: 'm', messages, tools, tool_choice: 'none' }).value.toolConfig).toBeUndefined();
    expect(
      toConverseRequest({ model: 'm', messages, tools, tool_choice: 'required' }).value.toolConfig?.toolChoice,
    ).toEqual({
      any: {},
    });
    expect(() => toConverseRequest({ model: 'm', messages, n: 2 })).toThrow(/n > 1/);
    const { warnings } = toConverseRequest({ model: 'm', messages, seed: 1, response_format: { type: 'json_object' } });
    expect(warnings.join()).toMatch(/seed.*response_format|response_format.*seed/);
  });
});

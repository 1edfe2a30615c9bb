// Properties over generated OpenAI requests: every adapter translates any valid request without throwing, and
// OpenAI → Anthropic (outbound) → OpenAI (Anthropic-inbound) preserves the meaning of every supported field.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toAnthropicRequest } from './anthropic/to-anthropic-request.js';
import { fromAnthropicRequest } from './anthropic-inbound/from-anthropic-request.js';
import type { ChatCompletionRequest, ChatMessage, ChatTool } from './openai-chat-types.js';
import { adapterFor } from './registry.js';
import { contentText, maxOutput, stopList } from './translate-common.js';

const text = fc.string({ minLength: 1, maxLength: 20 }).filter((s) => s.trim() !== '');
const name = fc.stringMatching(/^[a-z][a-z0-9_]{0,11}$/);
const jsonObject = fc.dictionary(name, fc.oneof(fc.string({ maxLength: 8 }), fc.integer(), fc.boolean()), {
  maxKeys: 3,
});

/** One conversation step: a user turn, an assistant reply, or assistant tool calls followed by their results. */
const step = (toolNames: string[]) =>
  fc.oneof(
    fc.record({ kind: fc.constant('user' as const), text, asParts: fc.boolean() }),
    fc.record({ kind: fc.constant('assistant' as const), text }),
    ...(toolNames.length > 0
      ? [
          fc.record({
            kind: fc.constant('tools' as const),
            calls: fc.array(fc.record({ name: fc.constantFrom(...toolNames), args: jsonObject, result: text }), {
              minLength: 1,
              maxLength: 3,
            }),
          }),
        ]
      : []),
  );

const requestArb = fc
  .uniqueArray(name, { maxLength: 3 })
  .chain((toolNames) =>
    fc.record({
      toolNames: fc.constant(toolNames),
      system: fc.option(text, { nil: undefined }),
      steps: fc.array(step(toolNames), { minLength: 1, maxLength: 6 }),
      temperature: fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: undefined }),
      top_p: fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: undefined }),
      max_tokens: fc.option(fc.integer({ min: 1, max: 100_000 }), { nil: undefined }),
      stop: fc.option(fc.array(text, { minLength: 1, maxLength: 4 }), { nil: undefined }),
      user: fc.option(name, { nil: undefined }),
      stream: fc.boolean(),
      toolChoice: fc.constantFrom('auto', 'none', 'required', 'named', undefined),
      parallel: fc.constantFrom(false, undefined),
    }),
  )
  .map((g): ChatCompletionRequest => {
    const messages: ChatMessage[] = [{ role: 'user', content: 'start' }];
    if (g.system) messages.unshift({ role: 'system', content: g.system });
    let n = 0;
    for (const s of g.steps) {
      if (s.kind === 'user')
        messages.push({ role: 'user', content: s.asParts ? [{ type: 'text', text: s.text }] : s.text });
      else if (s.kind === 'assistant') messages.push({ role: 'assistant', content: s.text });
      else {
        const calls = s.calls.map((c) => ({
          id: `call_${n++}`,
          type: 'function' as const,
          function: { name: c.name, arguments: JSON.stringify(c.args) },
        }));
        messages.push({ role: 'assistant', content: null, tool_calls: calls });
        for (const [i, c] of s.calls.entries())
          messages.push({ role: 'tool', tool_call_id: calls[i]!.id, content: c.result });
      }
    }
    const tools: ChatTool[] = g.toolNames.map((t) => ({
      type: 'function',
      function: { name: t, description: `does ${t}`, parameters: { type: 'object', properties: {} } },
    }));
    const req: ChatCompletionRequest = { model: 'any', messages, stream: g.stream };
    if (g.temperature !== undefined) req.temperature = g.temperature;
    if (g.top_p !== undefined) req.top_p = g.top_p;
    if (g.max_tokens !== undefined) req.max_tokens = g.max_tokens;
    if (g.stop) req.stop = g.stop;
    if (g.user) req.user = g.user;
    if (tools.length > 0) {
      req.tools = tools;
      if (g.toolChoice === 'named') req.tool_choice = { type: 'function', function: { name: g.toolNames[0]! } };
      else if (g.toolChoice) req.tool_choice = g.toolChoice;
      if (g.parallel === false) req.parallel_tool_calls = false;
    }
    return req;
  });

interface Turn {
  role: string;
  text: string;
  calls: unknown[];
  id?: string;
}

/**
 * Meaning of the conversation: roles, texts, tool calls (parsed args) and results. Consecutive user or assistant
 * turns are merged, as Anthropic itself merges them.
 */
function conversation(req: ChatCompletionRequest): Turn[] {
  const out: Turn[] = [];
  for (const m of req.messages) {
    if (m.role === 'system' || m.role === 'developer') continue;
    const calls = (m.tool_calls ?? []).map((c) => [c.id, c.function.name, JSON.parse(c.function.arguments)]);
    const last = out.at(-1);
    if (m.role === 'tool') out.push({ role: 'tool', id: m.tool_call_id, text: contentText(m.content), calls });
    else if (last?.role === m.role) {
      last.text += contentText(m.content);
      last.calls.push(...calls);
    } else out.push({ role: m.role, text: contentText(m.content), calls });
  }
  return out;
}

const system = (req: ChatCompletionRequest) =>
  req.messages.filter((m) => m.role === 'system').map((m) => contentText(m.content));

const targets = {
  openai: { providerId: 'openai', kind: 'openai', baseURL: 'http://127.0.0.1:1/v1', model: 'gpt-4.1' },
  'openai-compatible': { providerId: 'x', kind: 'openai-compatible', baseURL: 'http://127.0.0.1:1/v1', model: 'm' },
  anthropic: { providerId: 'anthropic', kind: 'anthropic', baseURL: 'http://127.0.0.1:1', model: 'claude-sonnet-4-5' },
  gemini: { providerId: 'gemini', kind: 'gemini', baseURL: 'http://127.0.0.1:1', model: 'gemini-2.5-flash' },
} as const;

describe('translation properties', () => {
  it('any valid request translates to every provider without throwing, into a JSON body', () => {
    fc.assert(
      fc.property(requestArb, (req) => {
        for (const [kind, target] of Object.entries(targets)) {
          const { value } = adapterFor(kind as keyof typeof targets).chatRequest(req, target);
          expect(typeof JSON.parse(value.body!)).toBe('object');
        }
      }),
      { numRuns: 200 },
    );
  });

  it('OpenAI → Anthropic → OpenAI (Anthropic-inbound) preserves the meaning of supported fields', () => {
    fc.assert(
      fc.property(requestArb, (req) => {
        const back = fromAnthropicRequest(toAnthropicRequest(req, 'claude').value).value;
        expect(system(back).join('')).toBe(system(req).join(''));
        expect(conversation(back)).toEqual(conversation(req));
        expect(back.temperature).toBe(req.temperature);
        expect(back.top_p).toBe(req.top_p);
        expect(maxOutput(back)).toBe(maxOutput(req) ?? 4096);
        expect(stopList(back.stop)).toEqual(stopList(req.stop));
        expect(back.user).toBe(req.user);
        expect(back.stream ?? false).toBe(req.stream ?? false);
        expect(back.tools).toEqual(req.tools);
        // With tools, an absent tool_choice means `auto` (OpenAI's default).
        const choice = (r: ChatCompletionRequest) => (r.tools ? (r.tool_choice ?? 'auto') : undefined);
        expect(choice(back)).toEqual(choice(req));
        const parallelOff = req.parallel_tool_calls === false && req.tool_choice !== 'none' && !!req.tools;
        expect(back.parallel_tool_calls === false).toBe(parallelOff);
      }),
      { numRuns: 300 },
    );
  });
});

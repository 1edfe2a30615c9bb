import { describe, expect, it } from 'vitest';
import { isValidChatBody } from './chat-body-check.js';
import { chatRequestSchema, parseBody } from './request-schemas.js';

const base = () => ({
  model: 'gpt-4o-mini',
  messages: [{ role: 'user', content: 'hi' }] as unknown[],
});

const VALID: Record<string, unknown>[] = [
  base(),
  { ...base(), max_tokens: 64, stream: false, n: 2, temperature: 0.5, extra: { kept: true } },
  { ...base(), stream: true, stream_options: { include_usage: true }, max_completion_tokens: 10 },
  { ...base(), stream: null, stream_options: null, max_tokens: null, n: null, temperature: null },
  { ...base(), tools: [{ type: 'function', function: { name: 'f' } }] },
  {
    model: 'm',
    messages: [
      { role: 'system', content: null },
      { role: 'developer' },
      { role: 'user', content: [{ type: 'text', text: 'x' }, { type: 'image_url' }] },
      { role: 'assistant', content: '', tool_calls: [] },
      { role: 'tool', content: 'r', tool_call_id: 'c' },
      { role: 'function', content: 'r', name: 'f' },
    ],
  },
  { ...base(), model: 'x'.repeat(256), temperature: 2, n: 128 },
];

// Each breaks one rule of the schema: zod must reject it, so the check must not accept it.
const INVALID: Record<string, unknown>[] = [
  { messages: base().messages },
  { ...base(), model: '' },
  { ...base(), model: 'x'.repeat(257) },
  { ...base(), model: 'a\r\nb' },
  { ...base(), model: 5 },
  { ...base(), messages: [] },
  { ...base(), messages: {} },
  { ...base(), messages: [null] },
  { ...base(), messages: [[]] },
  { ...base(), messages: [{ role: 'robot', content: 'x' }] },
  { ...base(), messages: [{ content: 'x' }] },
  { ...base(), messages: [{ role: 'user', content: 5 }] },
  { ...base(), messages: [{ role: 'user', content: [{ text: 'no type' }] }] },
  { ...base(), messages: [{ role: 'user', content: ['x'] }] },
  { ...base(), stream: 'yes' },
  { ...base(), stream_options: { include_usage: 'yes' } },
  { ...base(), stream_options: [] },
  { ...base(), stream_options: 1 },
  { ...base(), max_tokens: 0 },
  { ...base(), max_tokens: 1.5 },
  { ...base(), max_tokens: '64' },
  { ...base(), max_completion_tokens: -1 },
  { ...base(), n: 129 },
  { ...base(), n: 0 },
  { ...base(), temperature: 2.01 },
  { ...base(), temperature: -0.1 },
  { ...base(), temperature: Number.NaN },
  { ...base(), tools: null },
  { ...base(), tools: [{}] },
  { ...base(), tools: {} },
];

describe('isValidChatBody', () => {
  it('accepts the common valid bodies, each of which zod accepts too', () => {
    for (const body of VALID) {
      expect(chatRequestSchema.safeParse(body).success, JSON.stringify(body)).toBe(true);
      expect(isValidChatBody(body), JSON.stringify(body)).toBe(true);
    }
  });

  it('accepts nothing zod rejects', () => {
    for (const body of INVALID) {
      expect(chatRequestSchema.safeParse(body).success, JSON.stringify(body)).toBe(false);
      expect(isValidChatBody(body), JSON.stringify(body)).toBe(false);
    }
  });

  it('never accepts a body zod rejects, over generated mixes of good and bad fields', () => {
    // Deterministic mixes: every field of a valid body swapped for a value of each INVALID body, pairwise.
    const fields = [...new Set(INVALID.flatMap((b) => Object.keys(b)))];
    let checked = 0;
    for (const good of VALID) {
      for (const bad of INVALID) {
        for (const f of fields) {
          const body = { ...good, ...(f in bad ? { [f]: bad[f] } : {}) };
          const zodAccepts = chatRequestSchema.safeParse(body).success;
          if (isValidChatBody(body)) expect(zodAccepts, JSON.stringify(body)).toBe(true);
          checked++;
        }
      }
    }
    expect(checked).toBe(VALID.length * INVALID.length * fields.length);
  });
});

describe('parseBody with a precompiled check', () => {
  it('returns an accepted body itself (no copy) and the same value zod returns', () => {
    const body = { ...base(), max_tokens: 64, extra: 1 };
    const fast = parseBody(chatRequestSchema, body, isValidChatBody);
    expect(fast).toBe(body);
    expect(fast).toEqual(parseBody(chatRequestSchema, body));
  });

  it('answers a rejected body with zod’s 400, naming the field', () => {
    const body = { ...base(), max_tokens: '64' };
    const run = (accepts?: typeof isValidChatBody) => {
      try {
        parseBody(chatRequestSchema, body, accepts);
        return undefined;
      } catch (err) {
        return err;
      }
    };
    const withCheck = run(isValidChatBody);
    expect(withCheck).toMatchObject({ status: 400 });
    expect(withCheck).toEqual(run());
    expect(String((withCheck as Error).message)).toContain('max_tokens');
  });
});

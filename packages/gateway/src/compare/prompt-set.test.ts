import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EXAMPLE_PROMPTS } from './compare-command.js';
import { parsePromptSet, promptText } from './prompt-set.js';

describe('prompt set (JSONL)', () => {
  it('accepts prompt or messages, assertions, params; skips blank lines; numbers ids', () => {
    const set = parsePromptSet(
      [
        '{"prompt":"Hi","system":"Be brief","assert":[{"contains":"hello","ignoreCase":true}]}',
        '',
        '{"id":"m","messages":[{"role":"user","content":"Q"}],"expected":"A","params":{"max_tokens":5}}',
      ].join('\n'),
    );
    expect(set.map((c) => c.id)).toEqual(['p1', 'm']);
    expect(set[0]?.messages).toEqual([
      { role: 'system', content: 'Be brief' },
      { role: 'user', content: 'Hi' },
    ]);
    expect(set[1]).toMatchObject({ expected: 'A', params: { max_tokens: 5 } });
    expect(promptText(set[0] as never)).toBe('Hi');
  });

  it('names the line of every mistake', () => {
    expect(() => parsePromptSet('{"prompt":"a"}\n{oops')).toThrow(/prompts:2: not valid JSON/);
    expect(() => parsePromptSet('{"prompt":"a","messages":[{"role":"user","content":"b"}]}')).toThrow(
      /prompts:1: give exactly one of "messages" or "prompt"/,
    );
    expect(() => parsePromptSet('{"prompt":"a","assert":[{"containz":"x"}]}')).toThrow(/prompts:1: assert/);
    expect(() => parsePromptSet('{"prompt":"a","assert":[{"regex":"("}]}')).toThrow(/prompts:1: assert regex/);
    expect(() => parsePromptSet('{"id":"x","prompt":"a"}\n{"id":"x","prompt":"b"}')).toThrow(/duplicate id "x"/);
    expect(() => parsePromptSet('\n\n')).toThrow(/no prompts/);
  });

  it('the shipped example set parses and uses every assertion type', () => {
    const set = parsePromptSet(readFileSync(EXAMPLE_PROMPTS, 'utf8'), EXAMPLE_PROMPTS);
    const types = new Set(
      set.flatMap((c) => c.assert.map((a) => Object.keys(a).find((k) => k !== 'ignoreCase' && k !== 'flags'))),
    );
    expect([...types].sort()).toEqual(['contains', 'equals', 'json_schema', 'regex']);
  });
});

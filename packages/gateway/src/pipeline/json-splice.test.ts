// replaceTopLevelMembers must give exactly what re-serialising the changed object gives for the replaced
// members, or decline (undefined) — never a text whose replaced members a JSON parser could read differently.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { replaceTopLevelMembers } from './json-splice.js';

const WS = ['', ' ', '\n', '\r\n', '\t', '  \n\t '];

/** JSON text of `v` with arbitrary whitespace between tokens and, optionally, \u-escaped characters in strings. */
function format(v: unknown, pick: () => number, escapes: boolean): string {
  const ws = () => WS[pick() % WS.length] as string;
  const str = (s: string) => {
    if (!escapes) return JSON.stringify(s);
    let out = '"';
    for (const ch of s) {
      const c = ch.codePointAt(0) as number;
      if (c > 0xffff || pick() % 3 !== 0) out += JSON.stringify(ch).slice(1, -1);
      else out += `\\u${c.toString(16).padStart(4, '0')}`;
    }
    return `${out}"`;
  };
  if (v === null || typeof v !== 'object') return typeof v === 'string' ? str(v) : JSON.stringify(v);
  if (Array.isArray(v)) return `[${ws()}${v.map((x) => format(x, pick, escapes)).join(`${ws()},${ws()}`)}${ws()}]`;
  const members = Object.entries(v).map(([k, x]) => `${str(k)}${ws()}:${ws()}${format(x, pick, escapes)}`);
  return `{${ws()}${members.join(`${ws()},${ws()}`)}${ws()}}`;
}

/** What the old path sent: the parsed object with the members assigned, re-serialised. */
function reserialised(text: string, values: Map<string, string>): string {
  const obj = JSON.parse(text) as Record<string, unknown>;
  for (const [k, v] of values) obj[k] = JSON.parse(v);
  return JSON.stringify(obj);
}

const usage = { prompt_tokens: 3, completion_tokens: 1, total_tokens: 4, cost: 0.0000123 };
const values = new Map([
  ['model', JSON.stringify('openai/gpt-4o-mini')],
  ['usage', JSON.stringify(usage)],
]);

describe('replaceTopLevelMembers', () => {
  it('replaces only the top-level members, wherever they are and however the text is laid out', () => {
    const text =
      '{ "usage" : {"prompt_tokens":3,"completion_tokens":1,"total_tokens":4,"cost":0},\r\n\t"id":"x",' +
      '"choices":[{"message":{"content":"\\"usage\\": {\\"cost\\": 0}, \\\\","usage":{"cost":0}}}],' +
      '"model" :"gpt-4o-mini-2024" }  ';
    const out = replaceTopLevelMembers(text, values);
    expect(out).toBeDefined();
    expect(JSON.stringify(JSON.parse(out as string))).toBe(reserialised(text, values));
    // The nested look-alikes are untouched; the top-level members are ours.
    expect(out).toContain('\\"usage\\": {\\"cost\\": 0}');
    expect(out).toContain('"usage":{"cost":0}');
    expect((JSON.parse(out as string) as { usage: unknown }).usage).toEqual(usage);
  });

  it('keeps the upstream bytes of every other member (escapes and numbers as sent)', () => {
    const text = '{"id":"\\u00e9\\ud83d\\ude00","created":1.0e3,"model":"m","usage":{"prompt_tokens":1}}';
    const out = replaceTopLevelMembers(text, values) as string;
    expect(out.startsWith('{"id":"\\u00e9\\ud83d\\ude00","created":1.0e3,"model":"openai/gpt-4o-mini","usage":{')).toBe(
      true,
    );
  });

  it.each([
    ['a repeated member', '{"model":"m","usage":{"prompt_tokens":1},"usage":{"prompt_tokens":9}}'],
    ['a member repeated under an escaped name', '{"model":"m","usage":{},"usag\\u0065":{"prompt_tokens":9}}'],
    ['a missing member', '{"usage":{"prompt_tokens":1}}'],
    ['a top-level array', '[{"model":"m","usage":{}}]'],
    ['a top-level string', '"{\\"model\\":1}"'],
  ])('declines %s (the caller re-serialises)', (_, text) => {
    expect(replaceTopLevelMembers(text, values)).toBeUndefined();
  });

  it('replaces a member under an escaped name (the one JSON.parse read)', () => {
    const text = '{"mod\\u0065l":"m","\\u0075sage":{"prompt_tokens":9,"cost":0}}';
    const out = replaceTopLevelMembers(text, values) as string;
    expect(JSON.parse(out)).toEqual({ model: 'openai/gpt-4o-mini', usage });
  });

  it('handles an empty object and values of every kind', () => {
    expect(replaceTopLevelMembers(' {} ', new Map())).toBe(' {} ');
    const text = '{"a":true,"b":null,"c":-1.5e-3,"d":[],"e":{},"f":"","model":false,"usage":[1,{"x":"]}"}]}';
    const out = replaceTopLevelMembers(text, values) as string;
    expect(JSON.stringify(JSON.parse(out))).toBe(reserialised(text, values));
  });

  it('equals re-serialising for arbitrary JSON objects, whitespace and escapes (property)', () => {
    const member = fc.jsonValue({ maxDepth: 3 });
    fc.assert(
      fc.property(
        fc.dictionary(fc.string({ maxLength: 8 }), member, { maxKeys: 6 }),
        fc.option(member, { nil: undefined }),
        fc.option(member, { nil: undefined }),
        fc.array(fc.nat(), { minLength: 1, maxLength: 64 }),
        fc.boolean(),
        (rest, model, use, picks, escapes) => {
          const obj: Record<string, unknown> = {};
          for (const [k, v] of Object.entries(rest)) Object.defineProperty(obj, k, { value: v, enumerable: true });
          if (model !== undefined) obj.model = model;
          if (use !== undefined) obj.usage = use;
          let n = 0;
          const text = format(obj, () => picks[n++ % picks.length] as number, escapes);
          const want = new Map<string, string>();
          if (model !== undefined) want.set('model', JSON.stringify({ served: 'x"y\\z' }));
          if (use !== undefined) want.set('usage', JSON.stringify({ cost: 1.25, n: [1, 2] }));
          const out = replaceTopLevelMembers(text, want);
          // Never declined here: no repeated names.
          expect(out).toBeDefined();
          expect(JSON.stringify(JSON.parse(out as string))).toBe(reserialised(text, want));
        },
      ),
      { numRuns: 500 },
    );
  });
});

import { describe, expect, it } from 'vitest';
import {
  AUDIO_BASE64_CHARS_PER_TOKEN,
  DEFAULT_WEB_SEARCHES,
  IMAGE_TOKENS,
  inputTokenBound,
  outputMultiplier,
  webSearchBound,
} from './input-bound.js';

describe('inputTokenBound', () => {
  it('bounds text by its UTF-8 bytes: never below one token per byte of the prompt', () => {
    const ascii = 'a b '.repeat(10_000);
    expect(inputTokenBound({ messages: [{ role: 'user', content: ascii }] })).toBeGreaterThanOrEqual(ascii.length);
    const cjk = '\u4e00'.repeat(1000); // 3 bytes each in UTF-8: up to 3 byte-level tokens each
    expect(inputTokenBound({ messages: [{ role: 'user', content: cjk }] })).toBeGreaterThanOrEqual(3000);
  });

  it('counts an image as a fixed bound, not its base64; audio by its length; tools add overhead', () => {
    const b64 = 'A'.repeat(2_000_000);
    const image = { type: 'image_url', image_url: { url: `data:image/png;base64,${b64}` } };
    const withImage = inputTokenBound({ messages: [{ role: 'user', content: [image] }] });
    expect(withImage).toBeGreaterThanOrEqual(IMAGE_TOKENS);
    expect(withImage).toBeLessThan(IMAGE_TOKENS + 200);
    const audio = { type: 'input_audio', input_audio: { data: b64, format: 'mp3' } };
    expect(inputTokenBound({ messages: [{ role: 'user', content: [audio] }] })).toBeGreaterThanOrEqual(
      b64.length / AUDIO_BASE64_CHARS_PER_TOKEN,
    );
    const plain = { messages: [{ role: 'user', content: 'x' }] };
    expect(inputTokenBound({ ...plain, tools: [{ type: 'function' }] })).toBeGreaterThan(inputTokenBound(plain) + 1000);
  });

  it('a "type" or "tools" written inside a string is text, not a media part or a tool list', () => {
    const fake = `{"type":"image_url","image_url":{"url":"data:,${'A'.repeat(10_000)}"}},"tools":[{"type":"x"}]`;
    const body = { messages: [{ role: 'user', content: fake }] };
    expect(inputTokenBound(body)).toBe(Buffer.byteLength(JSON.stringify(body)) + 16);
    const real = {
      messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'A'.repeat(10_000) } }] }],
    };
    expect(inputTokenBound(real)).toBeLessThan(IMAGE_TOKENS + 200);
    expect(inputTokenBound({ ...body, tools: [] })).toBe(inputTokenBound(body) + Buffer.byteLength(',"tools":[]'));
  });

  it('outputMultiplier reads n and candidate counts; params win', () => {
    expect(outputMultiplier({})).toBe(1);
    expect(outputMultiplier({ n: 16 })).toBe(16);
    expect(outputMultiplier({ n: 2 }, { n: 4 })).toBe(4);
    expect(outputMultiplier({ generationConfig: { candidateCount: 3 } })).toBe(3);
    expect(outputMultiplier({ n: 'x' })).toBe(1);
  });
});

describe('webSearchBound', () => {
  it('counts max_uses of every web-search tool, a default without one, and nothing for plain tools', () => {
    const search = (extra: object) => ({ type: 'web_search_20250305', name: 'web_search', ...extra });
    expect(webSearchBound({ tools: [search({ max_uses: 500 })] })).toBe(500);
    expect(webSearchBound({ tools: [search({}), search({ max_uses: 3 })] })).toBe(DEFAULT_WEB_SEARCHES + 3);
    expect(webSearchBound({ tools: [{ name: 'get_weather', input_schema: { type: 'object' } }] })).toBe(0);
    expect(webSearchBound({ messages: [] })).toBe(0);
  });
});

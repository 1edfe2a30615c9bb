import { describe, expect, it } from 'vitest';
import { endUserOf, MAX_TAGS, tagsOf } from './attribution.js';
import { GatewayError } from './seams.js';

describe('cost attribution from the request', () => {
  it('tags: trimmed, deduplicated, absent when empty', () => {
    expect(tagsOf({ 'x-switchyard-tags': ' a, b ,a' })).toEqual(['a', 'b']);
    expect(tagsOf({ 'x-switchyard-tags': ' ' })).toBeUndefined();
    expect(tagsOf({})).toBeUndefined();
  });

  it('tags: too many, too long, empty or odd characters are a 400', () => {
    const bad = [
      Array.from({ length: MAX_TAGS + 1 }, (_, i) => `t${i}`).join(','),
      'x'.repeat(65),
      'a,,b',
      'a b',
      '<script>',
    ];
    for (const v of bad) {
      let err: unknown;
      try {
        tagsOf({ 'x-switchyard-tags': v });
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(GatewayError);
      expect((err as GatewayError).status).toBe(400);
      expect((err as GatewayError).code).toBe('invalid_tags');
    }
  });

  it('end user: header first, then the body user, then Anthropic metadata.user_id; bounded', () => {
    expect(endUserOf({ 'x-switchyard-end-user': 'h' }, { user: 'b' })).toBe('h');
    expect(endUserOf({}, { user: 'b' })).toBe('b');
    expect(endUserOf({}, { metadata: { user_id: 'm' } })).toBe('m');
    expect(endUserOf({}, { user: 3 })).toBeUndefined();
    expect(() => endUserOf({}, { user: 'u'.repeat(257) })).toThrow(GatewayError);
    expect(endUserOf({}, { user: 'ü{x}:🙂 a@b.c' })).toBe('ü{x}:🙂 a@b.c');
    for (const bad of ['a\u0000b', 'tab\there', 'del\u007f', 'c1\u0085', 'lone\ud800']) {
      expect(() => endUserOf({}, { user: bad })).toThrow('end user id contains control characters');
      expect(() => endUserOf({ 'x-switchyard-end-user': bad }, {})).toThrow(GatewayError);
    }
  });
});

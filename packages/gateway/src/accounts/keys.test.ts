import { describe, expect, it } from 'vitest';
import { generateKey, globMatch, hashKey, keyHint, keyState, modelAllowed, sameHash } from './keys.js';
import type { KeyRecord } from './types.js';

describe('virtual keys', () => {
  it('are sk-sy- + 32 random bytes in base64url, unique, hashed with SHA-256', () => {
    const a = generateKey();
    expect(a).toMatch(/^sk-sy-[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(a.slice(6), 'base64url')).toHaveLength(32);
    expect(generateKey()).not.toBe(a);
    expect(hashKey(a)).toMatch(/^[0-9a-f]{64}$/);
    expect(keyHint(a)).toBe(`sk-sy-…${a.slice(-4)}`);
    expect(sameHash(hashKey(a), hashKey(a))).toBe(true);
    expect(sameHash(hashKey(a), hashKey(`${a}x`))).toBe(false);
    expect(sameHash('', '')).toBe(false);
  });

  it('state: revoked > disabled > expired > ok', () => {
    const k = { enabled: true } as KeyRecord;
    expect(keyState(k, 10)).toBe('ok');
    expect(keyState({ ...k, expiresAt: 10 }, 10)).toBe('expired');
    expect(keyState({ ...k, enabled: false, expiresAt: 10 }, 10)).toBe('disabled');
    expect(keyState({ ...k, revokedAt: 1, enabled: false }, 10)).toBe('revoked');
  });

  it('glob-ish model patterns', () => {
    expect(globMatch('openai/*', 'openai/gpt-4o')).toBe(true);
    expect(globMatch('openai/*', 'anthropic/claude')).toBe(false);
    expect(globMatch('*-mini', 'openai/gpt-4o-mini')).toBe(true);
    expect(globMatch('gpt-4o', 'gpt-4o-mini')).toBe(false);
    expect(globMatch('a.b', 'axb')).toBe(false);
    expect(modelAllowed([], 'x', [])).toBe(true);
    expect(modelAllowed(['fast'], 'fast', ['anthropic/c'])).toBe(true);
    expect(modelAllowed(['openai/*'], 'fast', ['openai/a', 'openai/b'])).toBe(true);
    expect(modelAllowed(['openai/*'], 'fast', ['openai/a', 'anthropic/b'])).toBe(false);
    expect(modelAllowed(['openai/*'], 'fast', [])).toBe(false);
  });
});

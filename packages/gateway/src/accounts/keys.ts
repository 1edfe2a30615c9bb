// Virtual keys: generation, hashing and model allow-lists. Pure apart from randomness.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { KeyRecord } from './types.js';

export const KEY_PREFIX = 'sk-sy-';

/** `sk-sy-` + 32 random bytes in base64url (43 chars). Returned once to the caller, never stored. */
export function generateKey(): string {
  return KEY_PREFIX + randomBytes(32).toString('base64url');
}

export function newKeyId(): string {
  return `key_${randomBytes(12).toString('base64url')}`;
}

/** `team_…`: the prefix tells a team's ledger account from a key's (store/team-rows.ts). */
export function newTeamId(): string {
  return `team_${randomBytes(12).toString('base64url')}`;
}

export function hashKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

export function keyHint(key: string): string {
  return `${KEY_PREFIX}…${key.slice(-4)}`;
}

/** Constant-time comparison of two hex hashes of equal length. */
export function sameHash(a: string, b: string): boolean {
  const ba = Buffer.from(a, 'hex');
  const bb = Buffer.from(b, 'hex');
  return ba.length === bb.length && ba.length > 0 && timingSafeEqual(ba, bb);
}

export type KeyState = 'ok' | 'revoked' | 'disabled' | 'expired';

export function keyState(key: KeyRecord, now: number): KeyState {
  if (key.revokedAt !== undefined) return 'revoked';
  if (!key.enabled) return 'disabled';
  if (key.expiresAt !== undefined && key.expiresAt <= now) return 'expired';
  return 'ok';
}

const globCache = new Map<string, RegExp>();

/** `*` matches any run of characters (including `/`); everything else is literal. */
export function globMatch(pattern: string, value: string): boolean {
  let re = globCache.get(pattern);
  if (!re) {
    const body = pattern
      .split('*')
      .map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*');
    re = new RegExp(`^${body}$`);
    if (globCache.size < 1000) globCache.set(pattern, re);
  }
  return re.test(value);
}

/**
 * A request is allowed when the key has no allow-list, when a pattern matches the model the client named
 * (alias or `provider/model`), or when every target of the resolved route matches a pattern.
 */
export function modelAllowed(patterns: string[], requested: string, targetIds: string[]): boolean {
  if (patterns.length === 0) return true;
  const any = (v: string) => patterns.some((p) => globMatch(p, v));
  if (any(requested)) return true;
  return targetIds.length > 0 && targetIds.every(any);
}

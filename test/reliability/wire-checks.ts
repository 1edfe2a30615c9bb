// What every gateway answer to a bad request must look like: a 4xx in the caller's API format with a message
// that names the problem. Shared by the fuzz, fault and security suites.
import { expect } from 'vitest';
import type { PostResult } from '../support/gateway.js';

/** Quick profile by default; `SWITCHYARD_FULL=1` runs the long one. */
export const FULL = process.env.SWITCHYARD_FULL === '1';
export const pick = <T>(quick: T, full: T): T => (FULL ? full : quick);

export type Format = 'openai' | 'anthropic';
export const formatOf = (path: string): Format => (path.endsWith('/messages') ? 'anthropic' : 'openai');

/** The error's message, after checking the body is a well-formed error of `format`. */
export function errorMessage(r: PostResult, format: Format, what = ''): string {
  const ctx = `${what} → ${r.status} ${r.text.slice(0, 300)}`;
  expect(r.headers.get('content-type') ?? '', ctx).toContain('application/json');
  if (format === 'anthropic') {
    expect(r.json, ctx).toMatchObject({
      type: 'error',
      error: { type: expect.any(String), message: expect.any(String) },
    });
  } else {
    expect(r.json, ctx).toMatchObject({ error: { type: expect.any(String), message: expect.any(String) } });
    expect('code' in r.json.error && 'param' in r.json.error, ctx).toBe(true);
  }
  const message = r.json.error.message as string;
  expect(message.length, ctx).toBeGreaterThan(5);
  return message;
}

/**
 * A client error (4xx) that is well formed; any 2xx is allowed when `okAllowed` (a fuzzed body can be valid, and a
 * valid create answers 201, not 200).
 */
export function expectClientError(r: PostResult, format: Format, what: string, okAllowed = false): void {
  const ctx = `${what} → ${r.status} ${r.text.slice(0, 300)}`;
  if (okAllowed && r.status >= 200 && r.status < 300) return;
  expect(r.status, ctx).toBeGreaterThanOrEqual(400);
  expect(r.status, ctx).toBeLessThan(500);
  errorMessage(r, format, what);
}

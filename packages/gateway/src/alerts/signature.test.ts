import { createHmac, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { signatureHeader, verifySignature } from './signature.js';

const secret = 'whsec_test_0123456789abcdef';
const body = '{"id":"evt_1","type":"budget.threshold"}';

describe('webhook signature', () => {
  it('is t=<unix>,v1=<hex hmac-sha256(secret, "<t>.<body>")>', () => {
    const expected = createHmac('sha256', secret).update(`1700000000.${body}`).digest('hex');
    expect(signatureHeader(secret, body, 1_700_000_000)).toBe(`t=1700000000,v1=${expected}`);
  });

  it('verifies its own signature within the tolerance', () => {
    const h = signatureHeader(secret, body, 1_700_000_000);
    expect(verifySignature(secret, h, body, 1_700_000_100)).toBe(true);
  });

  it('rejects another body, another secret, an old timestamp, garbage', () => {
    const h = signatureHeader(secret, body, 1_700_000_000);
    expect(verifySignature(secret, h, `${body} `, 1_700_000_000)).toBe(false);
    expect(verifySignature('another-secret-0123456789', h, body, 1_700_000_000)).toBe(false);
    expect(verifySignature(secret, h, body, 1_700_000_000 + 301)).toBe(false);
    expect(verifySignature(secret, undefined, body)).toBe(false);
    expect(verifySignature(secret, 't=abc,v1=zz', body)).toBe(false);
    expect(verifySignature(secret, 't=1700000000,v1=00', body, 1_700_000_000)).toBe(false);
  });

  it('a re-signed timestamp does not validate the old signature (replay protection)', () => {
    const h = signatureHeader(secret, body, 1_700_000_000);
    const v1 = h.split('v1=')[1];
    expect(verifySignature(secret, `t=1700000500,v1=${v1}`, body, 1_700_000_500)).toBe(false);
  });

  it('accepts any of several v1 entries (secret rotation)', () => {
    const good = signatureHeader(secret, body, 1_700_000_000).split(',')[1];
    expect(verifySignature(secret, `t=1700000000,v1=${'0'.repeat(64)},${good}`, body, 1_700_000_000)).toBe(true);
  });
});

describe('the verification snippet in docs/accounts.md', () => {
  const doc = readFileSync(new URL('../../docs/accounts.md', import.meta.url), 'utf8');
  const code = /```js\n([\s\S]*?function verify[\s\S]*?)```/.exec(doc)?.[1] ?? '';
  // The snippet as a receiver would paste it, minus its import (the same two functions are passed in).
  const verify = new Function('createHmac', 'timingSafeEqual', `${code.replace(/^import .*$/m, '')}\nreturn verify;`)(
    createHmac,
    timingSafeEqual,
  ) as (secret: string, header: string, body: string) => boolean;

  it('accepts what the gateway signs and rejects a changed body or secret', () => {
    const h = signatureHeader(secret, body, Math.floor(Date.now() / 1000));
    expect(verify(secret, h, body)).toBe(true);
    expect(verify(secret, h, `${body}x`)).toBe(false);
    expect(verify('another-secret-0123456789', h, body)).toBe(false);
    expect(verify(secret, 't=1,v1=zz', body)).toBe(false);
  });
});

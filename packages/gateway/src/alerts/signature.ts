// `x-switchyard-signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>` (Stripe's scheme): the
// timestamp is signed with the body, so a captured delivery cannot be replayed later with a fresh timestamp.
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'x-switchyard-signature';
export const DELIVERY_ID_HEADER = 'x-switchyard-delivery-id';

function hmacHex(secret: string, t: number, body: string): string {
  return createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');
}

/** The header value for `body` signed at `t` (unix seconds). */
export function signatureHeader(secret: string, body: string, t: number): string {
  return `t=${t},v1=${hmacHex(secret, t, body)}`;
}

/**
 * True when `header` carries a v1 signature of `body` by `secret`, made within `toleranceSec` of `nowSec`.
 * Compares in constant time; any `v1=` entry may match (several during a secret rotation).
 */
export function verifySignature(
  secret: string,
  header: string | undefined,
  body: string,
  nowSec: number = Math.floor(Date.now() / 1000),
  toleranceSec = 300,
): boolean {
  if (!header) return false;
  const parts = header.split(',').map((p) => p.trim().split('=', 2) as [string, string?]);
  const t = Number(parts.find(([k]) => k === 't')?.[1]);
  if (!Number.isInteger(t) || Math.abs(nowSec - t) > toleranceSec) return false;
  const expected = Buffer.from(hmacHex(secret, t, body), 'hex');
  return parts.some(([k, v]) => {
    if (k !== 'v1' || v === undefined || !/^[0-9a-f]{64}$/.test(v)) return false;
    return timingSafeEqual(Buffer.from(v, 'hex'), expected);
  });
}

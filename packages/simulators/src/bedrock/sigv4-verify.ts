// AWS Signature Version 4 verification, written from the published algorithm (independently of the signer the
// gateway and the AWS SDKs use, so agreement proves both sides): canonical request → string to sign → HMAC chain.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

/** AWS's documented example key pair: the only credentials the simulator accepts for SigV4. */
export const BEDROCK_TEST_CREDENTIALS = {
  accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
} as const;

const MAX_SKEW_MS = 15 * 60_000;
const AUTH =
  /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]{64})$/;

export type SigV4Failure =
  | { type: 'MissingAuthenticationTokenException'; message: string }
  | { type: 'IncompleteSignatureException'; message: string }
  | { type: 'UnrecognizedClientException'; message: string }
  | { type: 'InvalidSignatureException'; message: string };

export interface SignedRequest {
  method: string;
  /** Path as received (percent-encoding intact), without the query. */
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: string;
}

const sha256 = (data: string) => createHash('sha256').update(data, 'utf8').digest('hex');
const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data, 'utf8').digest();

/** RFC 3986 encoding (encodeURIComponent leaves !'()* alone). */
const rfc3986 = (s: string) =>
  encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** Non-S3 services: every path segment is encoded once more (so `%3A` becomes `%253A`). */
function canonicalPath(path: string): string {
  const segments: string[] = [];
  for (const s of path.split('/')) {
    if (s === '' || s === '.') continue;
    if (s === '..') segments.pop();
    else segments.push(s);
  }
  const joined = segments.map(rfc3986).join('/');
  return `/${joined}${segments.length > 0 && path.endsWith('/') ? '/' : ''}`;
}

function canonicalQuery(query: URLSearchParams): string {
  return [...query]
    .filter(([k]) => k.toLowerCase() !== 'x-amz-signature')
    .map(([k, v]) => [rfc3986(k), rfc3986(v)] as const)
    .sort(([a, av], [b, bv]) => (a < b ? -1 : a > b ? 1 : av < bv ? -1 : av > bv ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
}

function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v.join(',') : v;
}

/** `x-amz-date` (`20261206T181700Z`) → epoch ms. */
function amzDateMs(v: string): number {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(v);
  return m ? Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!) : Number.NaN;
}

/** null when the request is signed with the test credentials for `service`; else AWS's failure. */
export function verifySigV4(req: SignedRequest, service: string, now = Date.now()): SigV4Failure | null {
  const auth = headerValue(req.headers, 'authorization');
  if (!auth) return { type: 'MissingAuthenticationTokenException', message: 'Missing Authentication Token' };
  const m = AUTH.exec(auth);
  const amzDate = headerValue(req.headers, 'x-amz-date');
  if (!m || !amzDate) {
    return {
      type: 'IncompleteSignatureException',
      message: `Authorization header requires 'Credential', 'Signature', 'SignedHeaders' and 'X-Amz-Date'.`,
    };
  }
  const [, keyId, date, region, scopeService, signedHeaders, signature] = m as unknown as string[];
  if (keyId !== BEDROCK_TEST_CREDENTIALS.accessKeyId)
    return { type: 'UnrecognizedClientException', message: 'The security token included in the request is invalid.' };
  const signedAt = amzDateMs(amzDate as string);
  if (!(Math.abs(now - signedAt) <= MAX_SKEW_MS)) {
    return {
      type: 'InvalidSignatureException',
      message: `Signature expired: ${amzDate} is now earlier than the allowed window (15 min).`,
    };
  }
  const names = (signedHeaders as string).split(';');
  const invalid = {
    type: 'InvalidSignatureException',
    message:
      'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
  } as const;
  if (scopeService !== service || !names.includes('host') || !(amzDate as string).startsWith(date as string))
    return invalid;
  const canonicalHeaders = names
    .map((n) => `${n}:${(headerValue(req.headers, n) ?? '').trim().replace(/\s+/g, ' ')}\n`)
    .join('');
  const payloadHash = sha256(req.body);
  const claimed = headerValue(req.headers, 'x-amz-content-sha256');
  if (claimed !== undefined && claimed !== payloadHash) return invalid;
  const canonical = [
    req.method,
    canonicalPath(req.path),
    canonicalQuery(req.query),
    canonicalHeaders,
    signedHeaders,
    payloadHash,
  ].join('\n');
  const scope = `${date}/${region}/${service}/aws4_request`;
  const toSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256(canonical)].join('\n');
  let key = hmac(`AWS4${BEDROCK_TEST_CREDENTIALS.secretAccessKey}`, date as string);
  for (const part of [region as string, service, 'aws4_request']) key = hmac(key, part);
  const expected = createHmac('sha256', key).update(toSign, 'utf8').digest();
  const given = Buffer.from(signature as string, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected) ? null : invalid;
}

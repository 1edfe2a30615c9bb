// Vertex AI's I/O half: an OAuth bearer token from google-auth-library — a service-account JSON (file path or
// inline) or Application Default Credentials — cached and refreshed off the request path. Service accounts use
// self-signed JWT access tokens (what Google's own Vertex clients do), so no token endpoint round trip is needed.
// An `apiKey` (Vertex express mode, sent by the adapter as x-goog-api-key) skips the token.
import { readFile } from 'node:fs/promises';
import { GoogleAuth } from 'google-auth-library';
import type { HttpRequestSpec, ProviderTransport } from '../provider-adapter.js';
import { AccessTokenCache, type FetchedToken } from './access-token-cache.js';

export const VERTEX_SCOPE = 'https://www.googleapis.com/auth/cloud-platform';
const FALLBACK_LIFETIME_MS = 10 * 60_000;

export interface VertexAuthConfig {
  /** Service-account JSON (file path, or the JSON text itself); omitted: Application Default Credentials. */
  credentials?: string;
}

function tokenUnavailable(): Error {
  return Object.assign(new Error('Google credentials could not be loaded'), {
    status: 401,
    error: { error: { code: 401, status: 'UNAUTHENTICATED', message: 'Google credentials could not be loaded' } },
  });
}

/** A JWT's `exp` (epoch ms), if the token is one. */
function jwtExpiry(token: string): number | undefined {
  const payload = token.split('.')[1];
  if (!payload) return undefined;
  try {
    const exp = (JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { exp?: unknown }).exp;
    return typeof exp === 'number' ? exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}

async function googleAuthFor(cfg: VertexAuthConfig): Promise<GoogleAuth> {
  const raw = cfg.credentials?.trim();
  const json = raw ? (raw.startsWith('{') ? raw : await readFile(raw, 'utf8')) : undefined;
  const auth = new GoogleAuth({ scopes: [VERTEX_SCOPE], ...(json && { credentials: JSON.parse(json) }) });
  auth.useJWTAccessWithScope = true; // service accounts: self-signed JWT access tokens (no token endpoint)
  return auth;
}

export function createVertexTransport(cfg: VertexAuthConfig): ProviderTransport {
  let auth: Promise<GoogleAuth> | undefined;
  const tokens = new AccessTokenCache({
    async fetch(): Promise<FetchedToken> {
      try {
        auth ??= googleAuthFor(cfg);
        const client = await (await auth).getClient();
        const headers = await client.getRequestHeaders();
        const value = headers.get('authorization')?.replace(/^Bearer\s+/i, '');
        if (!value) throw new Error('no token');
        const expiry = (client as { credentials?: { expiry_date?: number | null } }).credentials?.expiry_date;
        return { value, expiresAt: jwtExpiry(value) ?? expiry ?? Date.now() + FALLBACK_LIFETIME_MS };
      } catch {
        auth = undefined; // a later attempt re-reads the credentials (e.g. a file that appears later)
        throw tokenUnavailable();
      }
    },
  });
  tokens.warm();
  return {
    async prepare(spec: HttpRequestSpec): Promise<HttpRequestSpec> {
      if (spec.headers['x-goog-api-key'] || spec.headers.authorization) return spec;
      const token = await tokens.get();
      return { ...spec, headers: { ...spec.headers, authorization: `Bearer ${token}` } };
    },
    toJSON: () => 'vertex-oauth',
  } as ProviderTransport;
}

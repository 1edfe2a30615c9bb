// Vertex AI auth: `Authorization: Bearer` with either a self-signed service-account JWT (RS256, signed by the test
// service account below: what Google's clients send for service accounts) or, when the simulator has an
// `apiKey`, that value as an opaque access token or as `x-goog-api-key` (express mode).
import { createPublicKey, generateKeyPairSync, type KeyObject, verify } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { bearer } from '../provider.js';
import type { JsonReply } from '../types.js';
import { vertexRpcError } from './vertex-errors.js';

const SCOPE = 'https://www.googleapis.com/auth/cloud-platform';
const CLIENT_EMAIL = 'switchyard-sim@switchyard-sim.iam.gserviceaccount.com';

let testAccount: { json: Record<string, string>; publicKey: KeyObject } | undefined;

/** A service-account JSON the simulator trusts (generated once per process; a test key, never a real one). */
export function vertexTestServiceAccount(): Record<string, string> {
  if (!testAccount) {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    testAccount = {
      publicKey,
      json: {
        type: 'service_account',
        project_id: 'switchyard-sim',
        private_key_id: 'sim-key-1',
        private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
        client_email: CLIENT_EMAIL,
        client_id: '100000000000000000001',
        token_uri: 'https://oauth2.googleapis.com/token',
      },
    };
  }
  return { ...testAccount.json };
}

function validJwt(token: string, now: number): boolean {
  const [h, p, s] = token.split('.');
  if (!h || !p || !s || !testAccount) return false;
  const key = testAccount.publicKey ?? createPublicKey(testAccount.json.private_key as string);
  if (!verify('RSA-SHA256', Buffer.from(`${h}.${p}`), key, Buffer.from(s, 'base64url'))) return false;
  try {
    const claims = JSON.parse(Buffer.from(p, 'base64url').toString('utf8')) as Record<string, unknown>;
    const scopeOk = typeof claims.scope === 'string' && claims.scope.split(' ').includes(SCOPE);
    const audOk = typeof claims.aud === 'string' && claims.aud.includes('aiplatform.googleapis.com');
    return (
      claims.iss === CLIENT_EMAIL && typeof claims.exp === 'number' && claims.exp * 1000 > now && (scopeOk || audOk)
    );
  } catch {
    return false;
  }
}

export function vertexAuth(headers: IncomingHttpHeaders, apiKey: string | undefined): JsonReply | null {
  const key = headers['x-goog-api-key'];
  if (apiKey !== undefined && key === apiKey) return null;
  const token = bearer(headers);
  if (token === undefined) {
    return vertexRpcError(
      401,
      'Request is missing required authentication credential. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.',
    );
  }
  if ((apiKey !== undefined && token === apiKey) || validJwt(token, Date.now())) return null;
  return vertexRpcError(
    401,
    'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.',
  );
}

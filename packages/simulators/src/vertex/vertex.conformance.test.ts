// The official Vertex clients against the Vertex AI simulator: @anthropic-ai/vertex-sdk (Claude rawPredict) and
// @google/genai in Vertex mode (Gemini), both authenticated by google-auth-library with the simulator's test
// service account (self-signed JWT access tokens, verified by the simulator's public key).
import AnthropicVertex from '@anthropic-ai/vertex-sdk';
import { GoogleGenAI } from '@google/genai';
import { GoogleAuth, JWT } from 'google-auth-library';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator } from '../server.js';
import type { Simulator } from '../types.js';
import { vertexTestServiceAccount } from './vertex-auth.js';

const SCOPE = 'https://www.googleapis.com/auth/cloud-platform';
let sim: Simulator;

function jwtClient(key = vertexTestServiceAccount().private_key): JWT {
  const sa = vertexTestServiceAccount();
  const jwt = new JWT({ email: sa.client_email, key, keyId: sa.private_key_id, scopes: [SCOPE] });
  jwt.useJWTAccessWithScope = true; // what Google's Vertex clients do for service accounts: no token endpoint
  return jwt;
}

function claude(): AnthropicVertex {
  const googleAuth = new GoogleAuth({ credentials: vertexTestServiceAccount(), scopes: [SCOPE] });
  googleAuth.useJWTAccessWithScope = true;
  return new AnthropicVertex({
    baseURL: `${sim.url}/v1`,
    region: 'us-east5',
    projectId: 'sim-project',
    googleAuth,
    maxRetries: 0,
  });
}

function gemini(authClient = jwtClient()): GoogleGenAI {
  return new GoogleGenAI({
    vertexai: true,
    project: 'sim-project',
    location: 'us-central1',
    googleAuthOptions: { authClient },
    httpOptions: { baseUrl: sim.url },
  });
}

beforeAll(async () => {
  sim = await startSimulator({ provider: 'vertex' });
});
afterAll(() => sim.close());

describe('vertex simulator: Claude with @anthropic-ai/vertex-sdk', () => {
  it('messages.create → rawPredict with the model in the URL (not the body) and an anthropic_version', async () => {
    const msg = await claude().messages.create({
      model: 'claude-sonnet-4-5@20250929',
      max_tokens: 64,
      messages: [{ role: 'user', content: 'Hello' }],
    });
    expect(msg.type).toBe('message');
    expect(msg.content[0]?.type).toBe('text');
    const logged = sim.requests.at(-1);
    expect(logged?.path).toBe(
      '/v1/projects/sim-project/locations/us-east5/publishers/anthropic/models/claude-sonnet-4-5@20250929:rawPredict',
    );
    // This SDK version sends the core SDK's dated version; the gateway sends vertex-2023-10-16. Both are accepted.
    expect((logged?.body as { anthropic_version?: string } | undefined)?.anthropic_version).toMatch(
      /^(vertex-)?\d{4}-\d{2}-\d{2}$/,
    );
    expect(logged?.body).not.toHaveProperty('model');
    expect(logged?.headers.authorization).toBe('[redacted]');
  });

  it('streaming → streamRawPredict with Anthropic SSE events', async () => {
    const stream = claude().messages.stream({
      model: 'claude-sonnet-4-5@20250929',
      max_tokens: 64,
      messages: [{ role: 'user', content: 'Hello' }],
    });
    const final = await stream.finalMessage();
    expect(final.stop_reason).toBe('end_turn');
    expect(sim.requests.at(-1)?.path).toMatch(/:streamRawPredict$/);
  });
});

describe('vertex simulator: Gemini with @google/genai (vertexai: true)', () => {
  it('generateContent and generateContentStream on the publishers/google URL', async () => {
    const ai = gemini();
    const r = await ai.models.generateContent({ model: 'gemini-2.5-flash', contents: 'Hello' });
    expect(r.text?.length).toBeGreaterThan(0);
    expect(r.usageMetadata?.promptTokenCount).toBeGreaterThan(0);
    expect(sim.requests.at(-1)?.path).toMatch(
      /^\/v1beta1\/projects\/sim-project\/locations\/us-central1\/publishers\/google\/models\/gemini-2\.5-flash:generateContent$/,
    );
    let text = '';
    for await (const c of await ai.models.generateContentStream({ model: 'gemini-2.5-flash', contents: 'Hello' }))
      text += c.text ?? '';
    expect(text.length).toBeGreaterThan(0);
  });

  it('a token signed by another key is rejected with 401 UNAUTHENTICATED', async () => {
    const { generateKeyPairSync } = await import('node:crypto');
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({
      type: 'pkcs8',
      format: 'pem',
    });
    const err = await gemini(jwtClient(other.toString()))
      .models.generateContent({ model: 'gemini-2.5-flash', contents: 'Hello' })
      .then(
        () => undefined,
        (e: unknown) => e as Error & { status?: number },
      );
    expect(err?.status).toBe(401);
    expect(err?.message).toContain('UNAUTHENTICATED');
  });
});

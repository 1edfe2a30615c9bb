// Bedrock's I/O half: SigV4 signing (@smithy/signature-v4) with credentials from config, the environment or the
// shared config/credentials files (the AWS SDK's own provider chain, memoized and refreshed before expiry), and
// ConverseStream's binary event stream re-framed as SSE for the translator. A Bedrock API key (`apiKey`, sent
// as a bearer token by the adapter) skips signing.
import { defaultProvider } from '@aws-sdk/credential-provider-node';
import { SignatureV4 } from '@smithy/signature-v4';
import type { UpstreamResponse } from '../../upstream/upstream-client.js';
import type { HttpRequestSpec, ProviderTransport } from '../provider-adapter.js';
import { EventStreamToSse } from './event-stream.js';
import { NodeSha256 } from './node-sha256.js';

export interface BedrockAuthConfig {
  region: string;
  accessKeyId?: string;
  secretAccessKey?: string;
  sessionToken?: string;
  profile?: string;
}

interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/** Thrown when no credentials load: classified as `auth` (status 401), never with the chain's own words. */
function credentialsUnavailable(): Error {
  return Object.assign(new Error('AWS credentials could not be loaded'), {
    status: 401,
    error: { message: 'AWS credentials could not be loaded (config, environment or shared files)' },
  });
}

function credentialSource(cfg: BedrockAuthConfig): () => Promise<AwsCredentials> {
  if (cfg.accessKeyId && cfg.secretAccessKey) {
    const fixed: AwsCredentials = {
      accessKeyId: cfg.accessKeyId,
      secretAccessKey: cfg.secretAccessKey,
      ...(cfg.sessionToken && { sessionToken: cfg.sessionToken }),
    };
    return async () => fixed;
  }
  // env → shared ini files (profile, SSO, process) → web identity → container/instance metadata.
  return defaultProvider(cfg.profile ? { profile: cfg.profile } : {});
}

function framed(res: UpstreamResponse): UpstreamResponse {
  const contentType = String(res.headers['content-type'] ?? '');
  if (res.status >= 300 || !contentType.startsWith('application/vnd.amazon.eventstream')) return res;
  const inner = res.body;
  async function* sse(): AsyncGenerator<Buffer> {
    const decoder = new EventStreamToSse();
    for await (const chunk of inner) {
      const text = decoder.push(chunk);
      if (text !== '') yield Buffer.from(text);
    }
    decoder.end();
  }
  const body: UpstreamResponse['body'] = {
    [Symbol.asyncIterator]: sse,
    async text() {
      let out = '';
      for await (const b of body) out += b.toString('utf8');
      return out;
    },
    dump: () => inner.dump(),
    destroy: (err) => inner.destroy(err),
  };
  return { ...res, headers: { ...res.headers, 'content-type': 'text/event-stream' }, body };
}

export function createBedrockTransport(cfg: BedrockAuthConfig): ProviderTransport {
  const load = credentialSource(cfg);
  const credentials = async () => {
    try {
      return await load();
    } catch {
      throw credentialsUnavailable();
    }
  };
  const signer = new SignatureV4({ service: 'bedrock', region: cfg.region, credentials, sha256: NodeSha256 });
  // Warm the provider chain now, so the first request does not pay for reading files or metadata calls.
  load().catch(() => {});
  return {
    async prepare(spec: HttpRequestSpec): Promise<HttpRequestSpec> {
      if (spec.headers.authorization) return spec; // Bedrock API key: bearer, no signature
      const url = new URL(spec.url);
      const query: Record<string, string> = {};
      for (const [k, v] of url.searchParams) query[k] = v;
      const signed = await signer.sign({
        method: spec.method,
        protocol: url.protocol,
        hostname: url.hostname,
        ...(url.port && { port: Number(url.port) }),
        path: url.pathname,
        query,
        headers: { ...spec.headers, host: url.host },
        body: spec.body,
      });
      return { ...spec, headers: signed.headers as Record<string, string> };
    },
    frame: framed,
    toJSON: () => 'bedrock-sigv4',
  } as ProviderTransport;
}

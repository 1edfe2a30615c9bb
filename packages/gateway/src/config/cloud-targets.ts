// The cloud kinds' part of a RouteTarget, from provider config: default endpoint (resource / region / location),
// Azure deployment for the model, and the provider's transport (signer or token cache). Transports are built once
// per provider config object and shared by every target and request (credential caches live there).
import { AZURE_DEFAULT_API_VERSION } from '../providers/azure-openai/azure-openai-adapter.js';
import { createBedrockTransport } from '../providers/bedrock/bedrock-transport.js';
import type { CloudTarget, ProviderTransport, UpstreamTarget } from '../providers/provider-adapter.js';
import { createVertexTransport } from '../providers/vertex/vertex-transport.js';
import type { ProviderConfig } from './config-schema.js';

const transports = new WeakMap<ProviderConfig, ProviderTransport | null>();

function transportFor(p: ProviderConfig): ProviderTransport | undefined {
  let t = transports.get(p);
  if (t === undefined) {
    if (p.kind === 'bedrock') {
      t = createBedrockTransport({
        region: p.region ?? '',
        ...(p.accessKeyId && { accessKeyId: p.accessKeyId }),
        ...(p.secretAccessKey && { secretAccessKey: p.secretAccessKey }),
        ...(p.sessionToken && { sessionToken: p.sessionToken }),
        ...(p.profile && { profile: p.profile }),
      });
    } else if (p.kind === 'vertex' && !p.apiKey) {
      t = createVertexTransport(p.credentials ? { credentials: p.credentials } : {});
    } else t = null;
    transports.set(p, t);
  }
  return t ?? undefined;
}

/** The default endpoint of a cloud provider (`baseURL` in config overrides it). */
export function cloudBaseURL(p: ProviderConfig): string {
  switch (p.kind) {
    case 'azure-openai':
      return `https://${p.resourceName}.openai.azure.com/openai`;
    case 'bedrock':
      return `https://bedrock-runtime.${p.region}.amazonaws.com`;
    case 'vertex': {
      const location = p.location ?? 'us-central1';
      return location === 'global'
        ? 'https://aiplatform.googleapis.com'
        : `https://${location}-aiplatform.googleapis.com`;
    }
    default:
      return '';
  }
}

export const isCloudKind = (kind: string) => kind === 'azure-openai' || kind === 'bedrock' || kind === 'vertex';

/** Fields a cloud target adds to its RouteTarget. */
export function cloudTargetFields(p: ProviderConfig, model: string): Pick<UpstreamTarget, 'cloud' | 'transport'> {
  const cloud: CloudTarget = {};
  if (p.kind === 'azure-openai') {
    cloud.deployment = p.deployments?.[model] ?? model;
    cloud.apiVersion = p.apiVersion ?? AZURE_DEFAULT_API_VERSION;
    if (p.azureAdToken) cloud.adToken = p.azureAdToken;
  } else if (p.kind === 'bedrock') {
    if (p.region) cloud.region = p.region;
  } else if (p.kind === 'vertex') {
    if (p.project) cloud.project = p.project;
    cloud.location = p.location ?? 'us-central1';
  }
  const transport = transportFor(p);
  return { cloud, ...(transport && { transport }) };
}

// Config fields of the cloud provider kinds (azure-openai, bedrock, vertex), merged into the provider schema.
// Each field belongs to one kind: a field set on another kind is an error, so a typo never silently does nothing.
import { z } from 'zod';

const name = z.string().min(1);

export const cloudProviderFields = {
  // azure-openai
  /** `https://{resourceName}.openai.azure.com/openai` unless `baseURL` is given. */
  resourceName: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9-]*$/, 'Expected an Azure resource name')
    .optional(),
  /** Model name clients use → Azure deployment name (unlisted models are used as the deployment name). */
  deployments: z.record(name, name).optional(),
  apiVersion: name.optional(),
  /** A Microsoft Entra ID access token, sent as `Authorization: Bearer` instead of `api-key`. */
  azureAdToken: name.optional(),
  // bedrock
  region: z
    .string()
    .regex(/^[a-z]{2}(-[a-z]+)+-\d+$/, 'Expected an AWS region such as us-east-1')
    .optional(),
  accessKeyId: name.optional(),
  secretAccessKey: name.optional(),
  sessionToken: name.optional(),
  /** Shared config / credentials file profile (else AWS_PROFILE, else `default`). */
  profile: name.optional(),
  // vertex
  project: name.optional(),
  location: z
    .string()
    .regex(/^[a-z0-9-]+$/, 'Expected a Google Cloud location such as us-central1')
    .optional(),
  /** Service-account JSON: a file path or the JSON itself. Omitted: Application Default Credentials. */
  credentials: name.optional(),
};

const OWN_FIELDS: Record<string, readonly string[]> = {
  'azure-openai': ['resourceName', 'deployments', 'apiVersion', 'azureAdToken'],
  bedrock: ['region', 'accessKeyId', 'secretAccessKey', 'sessionToken', 'profile'],
  vertex: ['project', 'location', 'credentials'],
};

interface CloudFieldsInput {
  kind: string;
  baseURL?: string | undefined;
  [field: string]: unknown;
}

export function checkCloudProvider(p: CloudFieldsInput, ctx: z.RefinementCtx): void {
  for (const [kind, fields] of Object.entries(OWN_FIELDS)) {
    if (kind === p.kind) continue;
    for (const f of fields)
      if (p[f] !== undefined) ctx.addIssue({ code: 'custom', path: [f], message: `${f} applies to kind ${kind} only` });
  }
  const need = (field: string, message: string) => ctx.addIssue({ code: 'custom', path: [field], message });
  if (p.kind === 'azure-openai' && p.resourceName === undefined && p.baseURL === undefined)
    need('resourceName', 'resourceName or baseURL is required for kind azure-openai');
  if (p.kind === 'bedrock') {
    if (p.region === undefined) need('region', 'region is required for kind bedrock');
    if ((p.accessKeyId === undefined) !== (p.secretAccessKey === undefined))
      need('secretAccessKey', 'accessKeyId and secretAccessKey go together');
  }
  if (p.kind === 'vertex' && p.project === undefined) need('project', 'project is required for kind vertex');
}

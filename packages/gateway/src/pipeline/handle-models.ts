// GET /v1/models and GET /v1/models/{id}: route aliases, then every configured provider's advertised models as
// `<providerId>/<model>`. Beyond OpenAI's fields each entry says its `type` (`chat` or `embedding`), so a client can
// tell which models `/v1/embeddings` takes; an alias has the type of its first target. Once virtual keys exist
// these need a valid key, like every other /v1 endpoint.
import { modelType } from '../config/model-directory.js';
import { toClientError } from './client-errors.js';
import type { PipelineDeps, PipelineResponse } from './pipeline-types.js';
import { keyRefusal } from './request-flow.js';
import { GatewayError } from './seams.js';

interface ModelEntry {
  id: string;
  object: 'model';
  created: number;
  owned_by: string;
  type: 'chat' | 'embedding';
}

/** Built once per config (a reload brings a new config object); entries are only serialised, never changed. */
const listed = new WeakMap<PipelineDeps['config'], { data: ModelEntry[]; byId: Map<string, ModelEntry> }>();

function models(deps: Pick<PipelineDeps, 'config'>) {
  let found = listed.get(deps.config);
  if (!found) {
    const data = listModels(deps);
    // The first entry of an id wins, as the linear search did (an alias named like a provider model shadows it).
    const byId = new Map<string, ModelEntry>();
    for (const m of data) if (!byId.has(m.id)) byId.set(m.id, m);
    found = { data, byId };
    listed.set(deps.config, found);
  }
  return found;
}

function listModels(deps: Pick<PipelineDeps, 'config'>): ModelEntry[] {
  const data: ModelEntry[] = [];
  for (const [name, route] of Object.entries(deps.config.routes)) {
    const first = route.targets[0];
    const ref = typeof first === 'string' ? first : (first?.target ?? '');
    data.push({ id: name, object: 'model', created: 0, owned_by: 'switchyard', type: modelType(ref) });
  }
  for (const [id, p] of Object.entries(deps.config.providers)) {
    for (const m of p.models ?? []) {
      data.push({ id: `${id}/${m}`, object: 'model', created: 0, owned_by: id, type: modelType(m) });
    }
  }
  return data;
}

/** The list, unauthenticated (kept for embedders that call it directly). */
export function handleModels(deps: Pick<PipelineDeps, 'config'>): PipelineResponse {
  return { status: 200, headers: {}, json: { object: 'list', data: models(deps).data } };
}

/** GET /v1/models: the list, behind the key check. */
export async function handleModelList(
  headers: Record<string, string | string[] | undefined>,
  deps: Pick<PipelineDeps, 'config' | 'admission'>,
): Promise<PipelineResponse> {
  return (await keyRefusal(headers, deps.admission, 'openai')) ?? handleModels(deps);
}

/** One model by id (`openai/gpt-4.1`, or an alias); ids contain `/`, so the caller passes the whole rest of the path. */
export async function handleModel(
  id: string,
  headers: Record<string, string | string[] | undefined>,
  deps: Pick<PipelineDeps, 'config' | 'admission'>,
): Promise<PipelineResponse> {
  const refused = await keyRefusal(headers, deps.admission, 'openai');
  if (refused) return refused;
  const found = models(deps).byId.get(id);
  if (found) return { status: 200, headers: {}, json: found };
  const e = toClientError(
    new GatewayError(404, 'invalid_request_error', 'model_not_found', `The model '${id}' does not exist`, {}, 'model'),
    'openai',
  );
  return { status: e.status, headers: e.headers, json: e.body };
}

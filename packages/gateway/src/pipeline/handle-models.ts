// GET /v1/models: route aliases, then every configured provider's advertised models as `<providerId>/<model>`.
// Beyond OpenAI's fields each entry says its `type` (`chat` or `embedding`), so a client can tell which models
// `/v1/embeddings` takes; an alias has the type of its first target.
import { modelType } from '../config/model-directory.js';
import type { PipelineDeps, PipelineResponse } from './pipeline-types.js';

interface ModelEntry {
  id: string;
  object: 'model';
  created: number;
  owned_by: string;
  type: 'chat' | 'embedding';
}

export function handleModels(deps: Pick<PipelineDeps, 'config'>): PipelineResponse {
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
  return { status: 200, headers: {}, json: { object: 'list', data } };
}

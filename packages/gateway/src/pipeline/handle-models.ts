// GET /v1/models: every configured provider's advertised models as `<providerId>/<model>`, plus route aliases.
import type { PipelineDeps, PipelineResponse } from './pipeline-types.js';

export function handleModels(deps: Pick<PipelineDeps, 'config'>): PipelineResponse {
  const data: Array<{ id: string; object: 'model'; created: number; owned_by: string }> = [];
  for (const name of Object.keys(deps.config.routes))
    data.push({ id: name, object: 'model', created: 0, owned_by: 'switchyard' });
  for (const [id, p] of Object.entries(deps.config.providers)) {
    for (const m of p.models ?? []) data.push({ id: `${id}/${m}`, object: 'model', created: 0, owned_by: id });
  }
  return { status: 200, headers: {}, json: { object: 'list', data } };
}

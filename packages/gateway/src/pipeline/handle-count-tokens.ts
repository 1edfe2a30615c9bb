// POST /v1/messages/count_tokens (Anthropic format). The model's first target decides: an Anthropic target gets
// the body passed through (exact count, Anthropic's own answer and errors); any other target gets a local
// estimate (≈ 4 characters per token), flagged with `x-switchyard-estimated: true`. Free: no reservation, no
// ledger row — only the key is checked.
import { classifyHttpError } from '@switchyard/core';
import { z } from 'zod';
import { DEFAULT_MAX_UPSTREAM_BODY_BYTES } from '../config/config-schema.js';
import { estimateAnthropicInputTokens } from '../providers/anthropic-inbound/estimate-tokens.js';
import { toClientError } from './client-errors.js';
import { anthropicSpec } from './forward-headers.js';
import type { PipelineDeps, PipelineInput, PipelineResponse } from './pipeline-types.js';
import { keyRefusal } from './request-flow.js';
import { parseBody } from './request-schemas.js';
import { AttemptError, GatewayError } from './seams.js';
import { readBytesCapped } from './upstream-call.js';

const countTokensSchema = z.looseObject({
  model: z.string().min(1),
  messages: z.array(z.looseObject({ role: z.enum(['user', 'assistant']) })).min(1),
});

export const ESTIMATED_HEADER = 'x-switchyard-estimated';

const refuse = (err: unknown): PipelineResponse => {
  const e = toClientError(err, 'anthropic');
  return { status: e.status, headers: e.headers, json: e.body };
};

export async function handleCountTokens(input: PipelineInput, deps: PipelineDeps): Promise<PipelineResponse> {
  // The key first, as on every endpoint: without a valid one any body is a 401 (and learns nothing else).
  const refused = await keyRefusal(input.headers, deps.admission, 'anthropic');
  if (refused) return refused;
  let body: z.infer<typeof countTokensSchema>;
  try {
    body = parseBody(countTokensSchema, input.body);
  } catch (err) {
    return refuse(err);
  }
  let target: ReturnType<PipelineDeps['resolvePlan']>['targets'][number] | undefined;
  let timeouts: ReturnType<PipelineDeps['resolvePlan']>['timeouts'];
  try {
    const plan = deps.resolvePlan(body.model);
    target = plan.targets[0];
    timeouts = plan.timeouts;
  } catch (err) {
    return refuse(err);
  }
  if (!target) return refuse(new GatewayError(404, 'not_found_error', null, `No target for ${body.model}`));
  const served = { 'x-switchyard-provider': target.providerId, 'x-switchyard-model': target.model };
  if (target.kind !== 'anthropic') {
    const input_tokens = estimateAnthropicInputTokens(body);
    return { status: 200, headers: { ...served, [ESTIMATED_HEADER]: 'true' }, json: { input_tokens } };
  }
  const spec = anthropicSpec({ ...body, model: target.model }, target, input.headers);
  spec.url = `${target.baseURL}/v1/messages/count_tokens`;
  try {
    const res = await deps.upstream.request(spec, {
      signal: input.signal,
      connectMs: timeouts.connectMs,
      firstByteMs: timeouts.firstByteMs,
      idleMs: timeouts.firstByteMs,
    });
    // Capped like every upstream body: an endless or huge answer must not be buffered whole.
    const max = deps.config.limits.maxUpstreamBodyBytes ?? DEFAULT_MAX_UPSTREAM_BODY_BYTES;
    const bytes = await readBytesCapped(res.body, max);
    if (!bytes) throw new Error(`count_tokens body larger than ${max} bytes`);
    const text = bytes.toString('utf8');
    if (res.status >= 400) {
      const info = classifyHttpError('anthropic', res.status, text, res.headers);
      return refuse(new AttemptError({ ...info, message: `${target.providerId}: ${info.message}` }));
    }
    return { status: 200, headers: served, json: JSON.parse(text) };
  } catch (err) {
    deps.log.warn({ target: target.id, err: (err as Error).message }, 'count_tokens upstream failed');
    return refuse(new GatewayError(502, 'api_error', null, `${target.providerId}: count_tokens failed upstream`));
  }
}

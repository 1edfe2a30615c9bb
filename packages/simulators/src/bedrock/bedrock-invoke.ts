// POST /model/{modelId}/invoke and /invoke-with-response-stream for Anthropic Claude: the Messages body with
// `anthropic_version: bedrock-2023-05-31` and the model in the URL (what @anthropic-ai/bedrock-sdk and
// InvokeModelCommand send). The answer is Anthropic's: the message JSON, or each Messages stream event as an
// event-stream `chunk` frame whose payload is `{"bytes": base64(event JSON)}`.
import { anthropicMessages } from '../anthropic/anthropic-messages.js';
import type { RequestContext } from '../provider.js';
import type { Reply } from '../types.js';
import { bedrockError } from './bedrock-errors.js';
import { eventFrame } from './event-stream-frames.js';

type Obj = Record<string, unknown>;

/** `bedrock-2023-05-31`, or the dated version newer Anthropic SDKs send; the field itself is required. */
const ANTHROPIC_VERSION = /^(bedrock-)?\d{4}-\d{2}-\d{2}$/;

/** The JSON of one `event: …\ndata: {…}\n\n` block. */
function dataOf(sse: string): string | undefined {
  const line = sse.split('\n').find((l) => l.startsWith('data: '));
  return line?.slice(6);
}

export function bedrockInvokeAnthropic(ctx: RequestContext, modelId: string, stream: boolean): Reply {
  const body = ctx.body as Obj | undefined;
  if (!body || !ANTHROPIC_VERSION.test(String(body.anthropic_version ?? '')))
    return bedrockError(400, 'ValidationException', 'Malformed input request: anthropic_version is required', ctx);
  if ('model' in body) return bedrockError(400, 'ValidationException', 'extraneous key [model] is not permitted', ctx);
  const reply = anthropicMessages({ ...ctx, body: { ...body, model: modelId, stream } });
  const headers = { 'x-amzn-requestid': ctx.requestId };
  if (reply.kind === 'json') {
    if (reply.status >= 400) {
      const message = String((JSON.parse(reply.body) as { error?: Obj }).error?.message ?? 'invalid request');
      return bedrockError(reply.status, 'ValidationException', message, ctx);
    }
    return { ...reply, headers: { 'content-type': 'application/json', ...headers } };
  }
  const frames: Uint8Array[] = [];
  for (const event of reply.events) {
    const data = typeof event === 'string' ? dataOf(event) : undefined;
    if (data) frames.push(eventFrame('chunk', { bytes: Buffer.from(data).toString('base64') }));
  }
  return { kind: 'sse', headers: { 'content-type': 'application/vnd.amazon.eventstream', ...headers }, events: frames };
}

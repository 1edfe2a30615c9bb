// OpenAI request → OpenAI(-compatible) upstream body: the client's body untouched except `model`, the target's
// params, and the vendor's documented differences. Unknown extra fields pass through (same format).
import type { ChatCompletionRequest } from '../openai-chat-types.js';
import type { Translated } from '../provider-adapter.js';
import { rejectParam } from '../translate-common.js';
import type { CompatProfile } from './openai-compatible.js';

export function toOpenAIRequest(
  req: ChatCompletionRequest,
  model: string,
  profile: CompatProfile,
): Translated<ChatCompletionRequest> {
  const warnings: string[] = [];
  const body: ChatCompletionRequest = { ...req, model };
  if (profile.maxN !== undefined && req.n != null && req.n > profile.maxN)
    rejectParam('n', `n > ${profile.maxN} is not supported by ${profile.name}`);
  if (profile.maxTokensField === 'max_tokens' && body.max_completion_tokens != null) {
    body.max_tokens = body.max_completion_tokens;
    delete body.max_completion_tokens;
  }
  if (profile.developerAsSystem && req.messages.some((m) => m.role === 'developer'))
    body.messages = req.messages.map((m) => (m.role === 'developer' ? { ...m, role: 'system' } : m));
  if (body.stream && profile.streamOptions) {
    // Always ask for the usage chunk so a stream is priced exactly; the stream translator hides it from
    // clients that did not ask for it.
    body.stream_options = { ...body.stream_options, include_usage: true };
  }
  const dropped = profile.unsupported.filter((k) => body[k] !== undefined);
  for (const k of dropped) delete body[k];
  if (dropped.length > 0) warnings.push(`dropped parameters ${profile.name} does not support: ${dropped.join(', ')}`);
  return { value: body, warnings };
}

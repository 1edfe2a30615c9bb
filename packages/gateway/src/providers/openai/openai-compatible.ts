// OpenAI-compatible vendors = the OpenAI adapter + this typed table of differences (Portkey's open-ai-base idea).
// A vendor is recognised by the target's provider id or its baseURL host; anything else gets GENERIC.
import type { UpstreamTarget } from '../provider-adapter.js';

export interface CompatProfile {
  name: string;
  /** How the output cap is sent: `max_tokens` for servers that do not know `max_completion_tokens`. */
  maxTokensField: 'as-sent' | 'max_tokens';
  /** The server accepts `stream_options.include_usage` (we always ask it, so a stream's cost is exact). */
  streamOptions: boolean;
  /** Largest `n` the server honours; more is rejected with a 400, never silently reduced. */
  maxN?: number;
  /** The server knows only `system`: `developer` messages are sent as `system` (same meaning, older role). */
  developerAsSystem: boolean;
  /** The server has the Responses API (`/responses`): /v1/responses passes through; else it goes via Chat. */
  responsesApi: boolean;
  /** Parameters the server rejects: dropped with a warning. */
  unsupported: readonly string[];
  hosts: readonly string[];
}

export const OPENAI_PROFILE: CompatProfile = {
  name: 'openai',
  responsesApi: true,
  maxTokensField: 'as-sent',
  streamOptions: true,
  developerAsSystem: false,
  unsupported: [],
  hosts: ['api.openai.com'],
};

export const COMPAT_PROFILES: readonly CompatProfile[] = [
  {
    name: 'groq',
    responsesApi: true,
    maxTokensField: 'as-sent',
    streamOptions: true,
    developerAsSystem: true,
    maxN: 1,
    unsupported: ['logprobs', 'top_logprobs', 'logit_bias'],
    hosts: ['api.groq.com'],
  },
  {
    name: 'deepseek',
    responsesApi: false,
    maxTokensField: 'max_tokens',
    streamOptions: true,
    developerAsSystem: true,
    maxN: 1,
    unsupported: [],
    hosts: ['api.deepseek.com'],
  },
  {
    name: 'xai',
    responsesApi: true,
    maxTokensField: 'as-sent',
    streamOptions: true,
    developerAsSystem: false,
    unsupported: ['logit_bias'],
    hosts: ['api.x.ai'],
  },
  {
    name: 'alibaba',
    responsesApi: false,
    maxTokensField: 'max_tokens',
    streamOptions: true,
    developerAsSystem: true,
    unsupported: [],
    hosts: ['dashscope.aliyuncs.com', 'dashscope-intl.aliyuncs.com'],
  },
];

/** vLLM, Ollama, LM Studio, llama.cpp…: all know max_tokens and stream_options. */
export const GENERIC_PROFILE: CompatProfile = {
  name: 'generic',
  responsesApi: false,
  maxTokensField: 'max_tokens',
  streamOptions: true,
  developerAsSystem: true,
  unsupported: [],
  hosts: [],
};

const cache = new Map<string, CompatProfile>();

export function compatProfileFor(target: UpstreamTarget): CompatProfile {
  const key = `${target.providerId}|${target.baseURL}`;
  let profile = cache.get(key);
  if (!profile) {
    profile = detect(target);
    if (cache.size < 1000) cache.set(key, profile);
  }
  return profile;
}

function detect(target: UpstreamTarget): CompatProfile {
  let host = '';
  try {
    host = new URL(target.baseURL).hostname;
  } catch {
    // config validation owns bad URLs; fall through to the id match
  }
  return (
    COMPAT_PROFILES.find((p) => p.name === target.providerId || p.hosts.includes(host)) ??
    (OPENAI_PROFILE.hosts.includes(host) ? OPENAI_PROFILE : GENERIC_PROFILE)
  );
}

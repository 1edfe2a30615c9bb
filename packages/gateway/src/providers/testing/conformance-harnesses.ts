// Per-provider inputs for the shared adapter conformance suite: real recorded bodies and streams, plus a reader
// that pulls the facts the suite checks out of each provider's request body.
import type { ErrorClass, ProviderKind } from '@switchyard/core';
import type { FinishReason } from '../openai-chat-types.js';
import type { HttpRequestSpec, SseEvent, UpstreamTarget } from '../provider-adapter.js';
import { fixtureEvents, fixtureJson } from './fixtures.js';

export interface RequestFacts {
  system: string;
  userText: string;
  toolNames: string[];
  /** Text of each tool result sent back, in order. */
  toolResults: string[];
}

export interface Harness {
  kind: ProviderKind;
  target: UpstreamTarget;
  textBody: unknown;
  expectText: RegExp;
  toolBody: unknown;
  expectTool: { name: string; args: Record<string, unknown> };
  streamText: SseEvent[];
  expectStreamText: RegExp;
  streamTools: SseEvent[];
  expectStreamTool: { name: string; args: Record<string, unknown> };
  /** Provider bodies whose finish reason must translate to the given OpenAI one. */
  finishes: Array<[body: unknown, expected: FinishReason]>;
  /** Upstream error responses and the class they must get. */
  errors: Array<[status: number, body: unknown, expected: ErrorClass]>;
  read(spec: HttpRequestSpec): RequestFacts;
}

// biome-ignore lint/suspicious/noExplicitAny: a test reader of arbitrary provider JSON
type J = Record<string, any>;

const texts = (parts: J[] | undefined, key = 'text') =>
  (parts ?? [])
    .filter((p) => typeof p[key] === 'string')
    .map((p) => p[key] as string)
    .join('');

export const anthropicRead = (spec: HttpRequestSpec): RequestFacts => {
  const b = JSON.parse(spec.body ?? '{}') as J;
  const blocks: J[] = b.messages.flatMap((m: J) =>
    typeof m.content === 'string' ? [{ type: 'text', text: m.content }] : m.content,
  );
  return {
    system: typeof b.system === 'string' ? b.system : texts(b.system),
    userText: texts(b.messages[0]?.content),
    toolNames: (b.tools ?? []).map((t: J) => t.name),
    toolResults: blocks.filter((x) => x.type === 'tool_result').map((x) => String(x.content)),
  };
};

export const geminiRead = (spec: HttpRequestSpec): RequestFacts => {
  const b = JSON.parse(spec.body ?? '{}') as J;
  const parts: J[] = b.contents.flatMap((c: J) => c.parts);
  return {
    system: texts(b.systemInstruction?.parts),
    userText: texts(b.contents[0]?.parts),
    toolNames: (b.tools?.[0]?.functionDeclarations ?? []).map((f: J) => f.name),
    toolResults: parts.filter((p) => p.functionResponse).map((p) => JSON.stringify(p.functionResponse.response)),
  };
};

export const openaiRead = (spec: HttpRequestSpec): RequestFacts => {
  const b = JSON.parse(spec.body ?? '{}') as J;
  const msgs: J[] = b.messages;
  return {
    system: msgs
      .filter((m) => m.role === 'system')
      .map((m) => m.content)
      .join(''),
    userText: msgs.find((m) => m.role === 'user')?.content,
    toolNames: (b.tools ?? []).map((t: J) => t.function.name),
    toolResults: msgs.filter((m) => m.role === 'tool').map((m) => m.content),
  };
};

export const anthropicBody = (stop_reason: string) => ({
  id: 'msg_1',
  content: [{ type: 'text', text: 'x' }],
  stop_reason,
});
export const geminiBody = (finishReason: string) => ({
  candidates: [{ content: { parts: [{ text: 'x' }] }, finishReason }],
});
export const openaiBody = (finish_reason: string) => ({
  id: 'c',
  choices: [{ index: 0, message: { role: 'assistant', content: 'x' }, finish_reason }],
});

const openaiErrors: Harness['errors'] = [
  [
    429,
    { error: { message: 'Rate limit', type: 'requests', param: null, code: 'rate_limit_exceeded' } },
    'rate_limited',
  ],
  [
    429,
    { error: { message: 'quota', type: 'insufficient_quota', param: null, code: 'insufficient_quota' } },
    'quota_exhausted',
  ],
  [401, { error: { message: 'bad key', type: 'invalid_request_error', param: null, code: 'invalid_api_key' } }, 'auth'],
  [400, fixtureJson('openai/reasoning-model-legacy-parameter-error.json'), 'bad_request'],
  [500, { error: { message: 'oops', type: 'server_error', param: null, code: null } }, 'upstream_5xx'],
];

const openaiBase = {
  textBody: fixtureJson('openai/openai-text.json'),
  expectText: /\S/,
  toolBody: fixtureJson('alibaba/alibaba-tool-call.json'),
  expectTool: { name: 'weather', args: { location: 'San Francisco' } },
  streamText: fixtureEvents('openai/openai-text.chunks.txt'),
  expectStreamText: /\S/,
  streamTools: fixtureEvents('alibaba/alibaba-tool-call.chunks.txt'),
  expectStreamTool: { name: 'weather', args: { location: 'San Francisco' } },
  finishes: [
    [openaiBody('stop'), 'stop'],
    [openaiBody('length'), 'length'],
    [openaiBody('tool_calls'), 'tool_calls'],
    [openaiBody('content_filter'), 'content_filter'],
    [openaiBody('eos'), 'stop'],
  ] as Harness['finishes'],
  errors: openaiErrors,
  read: openaiRead,
};

/** Anthropic Messages recordings: the same bodies serve direct Anthropic and Claude on Vertex. */
export const anthropicBase = {
  textBody: fixtureJson('anthropic/anthropic-text.json'),
  expectText: /^Hello! I'm doing well/,
  toolBody: fixtureJson('anthropic/anthropic-json-tool.1.json'),
  expectTool: {
    name: 'json',
    args: (fixtureJson('anthropic/anthropic-json-tool.1.json') as J).content[0].input,
  },
  streamText: fixtureEvents('anthropic/anthropic-text.chunks.txt', true),
  expectStreamText: /^Hello! I'm doing well, thank you for asking/,
  streamTools: fixtureEvents('anthropic/anthropic-json-tool.1.chunks.txt', true),
  expectStreamTool: {
    name: 'json',
    args: { elements: [{ location: 'San Francisco', temperature: 58, condition: 'sunny' }] },
  },
  read: anthropicRead,
};

export const HARNESSES: Harness[] = [
  {
    ...openaiBase,
    kind: 'openai',
    target: {
      providerId: 'openai',
      kind: 'openai',
      baseURL: 'http://127.0.0.1:9/v1',
      apiKey: 'sk-test-SECRET-9f3a',
      model: 'gpt-4.1-nano',
    },
  },
  {
    ...openaiBase,
    kind: 'openai-compatible',
    target: {
      providerId: 'groq',
      kind: 'openai-compatible',
      baseURL: 'http://127.0.0.1:9/openai/v1',
      apiKey: 'sk-test-SECRET-9f3a',
      model: 'llama-3.3-70b-versatile',
    },
    toolBody: fixtureJson('groq/groq-tool-call.json'),
    expectTool: { name: 'weather', args: {} },
  },
  {
    kind: 'anthropic',
    target: {
      providerId: 'anthropic',
      kind: 'anthropic',
      baseURL: 'http://127.0.0.1:9',
      apiKey: 'sk-test-SECRET-9f3a',
      model: 'claude-sonnet-4-5',
    },
    ...anthropicBase,
    finishes: [
      [anthropicBody('end_turn'), 'stop'],
      [anthropicBody('stop_sequence'), 'stop'],
      [anthropicBody('max_tokens'), 'length'],
      [anthropicBody('tool_use'), 'tool_calls'],
      [anthropicBody('refusal'), 'content_filter'],
      [anthropicBody('model_context_window_exceeded'), 'length'],
    ],
    errors: [
      [429, { type: 'error', error: { type: 'rate_limit_error', message: 'slow' } }, 'rate_limited'],
      [529, { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }, 'overloaded'],
      [401, { type: 'error', error: { type: 'authentication_error', message: 'bad key' } }, 'auth'],
      [400, { type: 'error', error: { type: 'invalid_request_error', message: 'bad' } }, 'bad_request'],
      [500, { type: 'error', error: { type: 'api_error', message: 'oops' } }, 'upstream_5xx'],
    ],
  },
  {
    kind: 'gemini',
    target: {
      providerId: 'gemini',
      kind: 'gemini',
      baseURL: 'http://127.0.0.1:9',
      apiKey: 'sk-test-SECRET-9f3a',
      model: 'gemini-2.5-flash',
    },
    textBody: fixtureJson('google/google-text.json'),
    expectText: /^There are \*\*3\*\* r's in strawberry/,
    toolBody: fixtureJson('google/google-tool-call.json'),
    expectTool: { name: 'weather', args: { location: 'San Francisco' } },
    streamText: fixtureEvents('google/google-text.chunks.txt'),
    expectStreamText: /^There are \*\*3\*\* "r"s in strawberry/,
    streamTools: fixtureEvents('google/google-tool-call.chunks.txt'),
    expectStreamTool: { name: 'weather', args: { location: 'San Francisco' } },
    finishes: [
      [geminiBody('STOP'), 'stop'],
      [geminiBody('MAX_TOKENS'), 'length'],
      [geminiBody('SAFETY'), 'content_filter'],
      [geminiBody('RECITATION'), 'content_filter'],
      [
        { candidates: [{ content: { parts: [{ functionCall: { name: 'f', args: {} } }] }, finishReason: 'STOP' }] },
        'tool_calls',
      ],
    ],
    errors: [
      [429, fixtureJson('google/google-429-retry-info.json'), 'rate_limited'],
      [503, { error: { code: 503, message: 'overloaded', status: 'UNAVAILABLE' } }, 'overloaded'],
      [403, { error: { code: 403, message: 'denied', status: 'PERMISSION_DENIED' } }, 'permission'],
      [400, { error: { code: 400, message: 'bad', status: 'INVALID_ARGUMENT' } }, 'bad_request'],
      [500, { error: { code: 500, message: 'oops', status: 'INTERNAL' } }, 'upstream_5xx'],
    ],
    read: geminiRead,
  },
];

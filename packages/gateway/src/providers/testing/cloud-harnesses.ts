// Conformance inputs for the cloud kinds. Azure and Vertex-Claude/Gemini bodies are the vendors' own formats
// (OpenAI, Anthropic and Gemini recordings); Bedrock Converse bodies and stream events follow the documented
// Converse / ConverseStream shapes (no recording of our own: the SDK round trips in the simulator suite check them).
import type { HttpRequestSpec, SseEvent } from '../provider-adapter.js';
import {
  anthropicBase,
  anthropicBody,
  geminiBody,
  geminiRead,
  type Harness,
  openaiBody,
  openaiRead,
  type RequestFacts,
} from './conformance-harnesses.js';
import { fixtureEvents, fixtureJson } from './fixtures.js';

const KEY = 'sk-test-SECRET-9f3a';

// biome-ignore lint/suspicious/noExplicitAny: a test reader of arbitrary provider JSON
type J = Record<string, any>;

const converseRead = (spec: HttpRequestSpec): RequestFacts => {
  const b = JSON.parse(spec.body ?? '{}') as J;
  const blocks: J[] = b.messages.flatMap((m: J) => m.content);
  return {
    system: (b.system ?? []).map((s: J) => s.text).join(''),
    userText: (b.messages[0]?.content ?? []).map((c: J) => c.text ?? '').join(''),
    toolNames: (b.toolConfig?.tools ?? []).map((t: J) => t.toolSpec.name),
    toolResults: blocks.filter((x) => x.toolResult).map((x) => x.toolResult.content.map((c: J) => c.text).join('')),
  };
};

const converseBody = (stopReason: string, content: J[] = [{ text: 'x' }]) => ({
  output: { message: { role: 'assistant', content } },
  stopReason,
  usage: { inputTokens: 12, outputTokens: 5, totalTokens: 20, cacheReadInputTokens: 3 },
  metrics: { latencyMs: 300 },
});

const ev = (event: string, data: unknown): SseEvent => ({ event, data: JSON.stringify(data) });
const metadata = ev('metadata', {
  usage: { inputTokens: 10, outputTokens: 4, totalTokens: 14 },
  metrics: { latencyMs: 1 },
});

const bedrockStreamText: SseEvent[] = [
  ev('messageStart', { role: 'assistant' }),
  ev('contentBlockDelta', { contentBlockIndex: 0, delta: { text: 'Hello' } }),
  ev('contentBlockDelta', { contentBlockIndex: 0, delta: { text: ' there' } }),
  ev('contentBlockStop', { contentBlockIndex: 0 }),
  ev('messageStop', { stopReason: 'end_turn' }),
  metadata,
];

const bedrockStreamTools: SseEvent[] = [
  ev('messageStart', { role: 'assistant' }),
  ev('contentBlockDelta', { contentBlockIndex: 0, delta: { text: 'Let me check.' } }),
  ev('contentBlockStop', { contentBlockIndex: 0 }),
  ev('contentBlockStart', {
    contentBlockIndex: 1,
    start: { toolUse: { toolUseId: 'tooluse_kZJMlvQmRJ6eAyJE5GIl7Q', name: 'get_weather' } },
  }),
  ev('contentBlockDelta', { contentBlockIndex: 1, delta: { toolUse: { input: '{"city":' } } }),
  ev('contentBlockDelta', { contentBlockIndex: 1, delta: { toolUse: { input: '"Paris"}' } } }),
  ev('contentBlockStop', { contentBlockIndex: 1 }),
  ev('messageStop', { stopReason: 'tool_use' }),
  metadata,
];

const aws = (type: string, message: string) => ({ __type: `com.amazon.bedrock#${type}`, message });

export const CLOUD_HARNESSES: Harness[] = [
  {
    kind: 'azure-openai',
    target: {
      providerId: 'azure',
      kind: 'azure-openai',
      baseURL: 'http://127.0.0.1:9/openai',
      apiKey: KEY,
      model: 'gpt-4o-mini',
      cloud: { deployment: 'prod-4o-mini', apiVersion: '2024-10-21' },
    },
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
    ],
    errors: [
      [429, { error: { code: '429', message: 'Requests … have exceeded token rate limit' } }, 'rate_limited'],
      [401, { error: { code: '401', message: 'Access denied due to invalid subscription key' } }, 'auth'],
      [
        400,
        {
          error: {
            message: 'The response was filtered',
            type: null,
            param: 'prompt',
            code: 'content_filter',
            status: 400,
            innererror: { code: 'ResponsibleAIPolicyViolation', content_filter_result: {} },
          },
        },
        'content_filter',
      ],
      [
        404,
        { error: { code: 'DeploymentNotFound', message: 'The API deployment for this resource does not exist.' } },
        'not_found',
      ],
      [500, { error: { code: 'InternalServerError', message: 'oops' } }, 'upstream_5xx'],
    ],
    read: openaiRead,
  },
  {
    kind: 'bedrock',
    target: {
      providerId: 'bedrock',
      kind: 'bedrock',
      baseURL: 'http://127.0.0.1:9',
      apiKey: KEY, // a Bedrock API key (bearer); without one the transport signs with SigV4
      model: 'us.anthropic.claude-sonnet-4-5-20250929-v1:0',
      cloud: { region: 'us-east-1' },
    },
    textBody: converseBody('end_turn', [{ text: 'Hello there' }]),
    expectText: /^Hello there$/,
    toolBody: converseBody('tool_use', [
      { text: 'Checking.' },
      { toolUse: { toolUseId: 'tooluse_1', name: 'get_weather', input: { city: 'Paris' } } },
    ]),
    expectTool: { name: 'get_weather', args: { city: 'Paris' } },
    streamText: bedrockStreamText,
    expectStreamText: /^Hello there$/,
    streamTools: bedrockStreamTools,
    expectStreamTool: { name: 'get_weather', args: { city: 'Paris' } },
    finishes: [
      [converseBody('end_turn'), 'stop'],
      [converseBody('stop_sequence'), 'stop'],
      [converseBody('max_tokens'), 'length'],
      [converseBody('tool_use'), 'tool_calls'],
      [converseBody('guardrail_intervened'), 'content_filter'],
      [converseBody('content_filtered'), 'content_filter'],
    ],
    errors: [
      [429, aws('ThrottlingException', 'Too many requests, please wait before trying again.'), 'rate_limited'],
      [503, aws('ServiceUnavailableException', 'Bedrock is unable to process your request.'), 'overloaded'],
      [429, aws('ModelNotReadyException', 'Model is not ready.'), 'overloaded'],
      [
        403,
        aws('AccessDeniedException', "You don't have access to the model with the specified model ID."),
        'permission',
      ],
      [400, aws('ValidationException', 'Malformed input request.'), 'bad_request'],
      [400, aws('ValidationException', 'Input is too long for requested model.'), 'context_length'],
      [500, aws('InternalServerException', 'oops'), 'upstream_5xx'],
    ],
    read: converseRead,
  },
  {
    kind: 'vertex',
    target: {
      providerId: 'vertex',
      kind: 'vertex',
      baseURL: 'http://127.0.0.1:9',
      apiKey: KEY,
      model: 'claude-sonnet-4-5@20250929',
      cloud: { project: 'p', location: 'us-east5' },
    },
    ...anthropicBase,
    finishes: [
      [anthropicBody('end_turn'), 'stop'],
      [anthropicBody('max_tokens'), 'length'],
      [anthropicBody('tool_use'), 'tool_calls'],
      [geminiBody('STOP'), 'stop'],
      [geminiBody('SAFETY'), 'content_filter'],
    ],
    errors: [
      [429, { error: { code: 429, message: 'Quota exceeded', status: 'RESOURCE_EXHAUSTED' } }, 'rate_limited'],
      [529, { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }, 'overloaded'],
      [401, { error: { code: 401, message: 'invalid credentials', status: 'UNAUTHENTICATED' } }, 'auth'],
      [400, { error: { code: 400, message: 'bad', status: 'INVALID_ARGUMENT' } }, 'bad_request'],
      [
        400,
        { type: 'error', error: { type: 'invalid_request_error', message: 'prompt is too long' } },
        'context_length',
      ],
      [500, { error: { code: 500, message: 'oops', status: 'INTERNAL' } }, 'upstream_5xx'],
    ],
  },
  {
    kind: 'vertex',
    target: {
      providerId: 'vertex',
      kind: 'vertex',
      baseURL: 'http://127.0.0.1:9',
      apiKey: KEY,
      model: 'gemini-2.5-flash',
      cloud: { project: 'p', location: 'global' },
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

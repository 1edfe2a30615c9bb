// The official `openai` package's AzureOpenAI client (6.49) against the Azure OpenAI simulator.
import { AzureOpenAI, BadRequestError, RateLimitError } from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator } from '../server.js';
import type { Scenario, Simulator } from '../types.js';

let sim: Simulator;
const apiVersion = '2024-10-21';
const headers = (s: Scenario | string) => ({ 'x-sim-scenario': typeof s === 'string' ? s : JSON.stringify(s) });
const messages = [{ role: 'user' as const, content: 'What is the weather in Paris?' }];

const client = (opts: { apiKey?: string; azureADTokenProvider?: () => Promise<string> } = { apiKey: 'azure-secret' }) =>
  new AzureOpenAI({ endpoint: sim.url, apiVersion, deployment: 'prod-gpt-4o-mini', maxRetries: 0, ...opts });

beforeAll(async () => {
  sim = await startSimulator({ provider: 'azure', apiKey: 'azure-secret' });
});
afterAll(() => sim.close());

describe('azure simulator with AzureOpenAI', () => {
  it('chat: deployment URL with api-version, api-key header, filter annotations in the body', async () => {
    const r = await client().chat.completions.create(
      { model: 'gpt-4o-mini', messages },
      { headers: headers({ outputTokens: 3 }) },
    );
    expect(r.choices[0]?.message.content?.split(' ')).toHaveLength(3);
    expect(r.model).toBe('prod-gpt-4o-mini');
    const raw = r as unknown as {
      prompt_filter_results: unknown[];
      choices: Array<{ content_filter_results: unknown }>;
    };
    expect(raw.prompt_filter_results[0]).toMatchObject({ prompt_index: 0 });
    expect(raw.choices[0]?.content_filter_results).toMatchObject({ hate: { filtered: false } });
    const logged = sim.requests.at(-1);
    expect(logged?.path).toBe(`/openai/deployments/prod-gpt-4o-mini/chat/completions?api-version=${apiVersion}`);
    expect(logged?.headers['api-key']).toBe('[redacted]');
  });

  it('Entra ID: a bearer token from azureADTokenProvider is accepted', async () => {
    const r = await client({ azureADTokenProvider: async () => 'azure-secret' }).chat.completions.create({
      model: 'gpt-4o-mini',
      messages,
    });
    expect(r.choices[0]?.finish_reason).toBe('stop');
    expect(sim.requests.at(-1)?.headers.authorization).toBe('[redacted]');
  });

  it('streaming: the prompt-filter chunk first (choices: []), then content with usage', async () => {
    const stream = await client().chat.completions.create({
      model: 'gpt-4o-mini',
      messages,
      stream: true,
      stream_options: { include_usage: true },
    });
    const chunks = [];
    for await (const c of stream) chunks.push(c);
    expect(chunks[0]?.choices).toEqual([]);
    expect((chunks[0] as unknown as { prompt_filter_results: unknown[] }).prompt_filter_results).toHaveLength(1);
    expect(chunks.map((c) => c.choices[0]?.delta.content ?? '').join('').length).toBeGreaterThan(0);
    expect(chunks.at(-1)?.usage?.completion_tokens).toBeGreaterThan(0);
  });

  it('tools and embeddings', async () => {
    const r = await client().chat.completions.create({
      model: 'gpt-4o-mini',
      messages,
      tools: [
        {
          type: 'function',
          function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } },
        },
      ],
    });
    expect(
      r.choices[0]?.message.tool_calls?.[0]?.type === 'function' && r.choices[0].message.tool_calls[0].function.name,
    ).toBe('get_weather');
    const e = await new AzureOpenAI({
      endpoint: sim.url,
      apiVersion,
      apiKey: 'azure-secret',
      deployment: 'embed',
    }).embeddings.create({
      model: 'text-embedding-3-small',
      input: ['a', 'b'],
      encoding_format: 'float',
    });
    expect(e.data).toHaveLength(2);
  });

  it('errors: wrong key 401, content filter 400 with innererror, 429 with retry-after', async () => {
    const auth = await client({ apiKey: 'wrong' })
      .chat.completions.create({ model: 'm', messages })
      .catch((e: unknown) => e);
    expect((auth as { status?: number }).status).toBe(401);
    const filtered = await client()
      .chat.completions.create({ model: 'm', messages }, { headers: headers('content_filter') })
      .catch((e: unknown) => e);
    expect(filtered).toBeInstanceOf(BadRequestError);
    expect((filtered as BadRequestError).code).toBe('content_filter');
    expect((filtered as BadRequestError).error).toMatchObject({ innererror: { code: 'ResponsibleAIPolicyViolation' } });
    const limited = await client()
      .chat.completions.create({ model: 'm', messages }, { headers: headers('rate_limited') })
      .catch((e: unknown) => e);
    expect(limited).toBeInstanceOf(RateLimitError);
    expect((limited as RateLimitError).headers.get('retry-after')).toBe('1');
  });
});

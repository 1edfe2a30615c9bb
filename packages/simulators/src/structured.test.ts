// Structured output and `n` in the three simulators: schema-valid JSON, json mode following the prompt's
// schema, several answers, forced tools, and tool loops that end once results come back.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type AllSimulators, startAllSimulators } from './server.js';

const Person = z.object({
  name: z.string().min(3),
  age: z.number().int().min(0).max(120),
  email: z.email(),
  role: z.enum(['admin', 'user']),
  tags: z.array(z.string()).min(1),
  nickname: z.string().nullable(),
  address: z.object({ city: z.string(), zip: z.string().max(5) }),
  born: z.iso.datetime(),
  score: z.union([z.number(), z.string()]),
});
const schema = z.toJSONSchema(Person);

let sims: AllSimulators;
beforeAll(async () => {
  sims = await startAllSimulators({ apiKey: 'k' });
});
afterAll(() => sims.close());

async function call(url: string, body: unknown, headers: Record<string, string>) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  expect(res.status).toBe(200);
  // biome-ignore lint/suspicious/noExplicitAny: wire JSON
  return (await res.json()) as any;
}
const openai = (body: Record<string, unknown>) =>
  call(
    `${sims.openai.url}/v1/chat/completions`,
    { model: 'gpt-4.1', messages: [{ role: 'user', content: 'who?' }], ...body },
    { authorization: 'Bearer k' },
  );
const anthropic = (body: Record<string, unknown>) =>
  call(
    `${sims.anthropic.url}/v1/messages`,
    { model: 'claude-sonnet-4-5', max_tokens: 500, messages: [{ role: 'user', content: 'who?' }], ...body },
    { 'x-api-key': 'k', 'anthropic-version': '2023-06-01' },
  );
const gemini = (body: Record<string, unknown>) =>
  call(
    `${sims.gemini.url}/v1beta/models/gemini-2.5-flash:generateContent`,
    { contents: [{ role: 'user', parts: [{ text: 'who?' }] }], ...body },
    { 'x-goog-api-key': 'k' },
  );

describe('structured output', () => {
  it('OpenAI json_schema answers JSON that validates, the same for the same request', async () => {
    const body = { response_format: { type: 'json_schema', json_schema: { name: 'p', schema, strict: true } } };
    const a = await openai(body);
    const parsed = Person.parse(JSON.parse(a.choices[0].message.content));
    expect(parsed.nickname).not.toBeNull();
    expect((await openai(body)).choices[0].message.content).toBe(a.choices[0].message.content);
  });

  it('OpenAI json_object follows the schema the prompt embeds; streams concatenate to the same JSON', async () => {
    const messages = [
      { role: 'system', content: `Answer as JSON matching this schema: ${JSON.stringify(schema)}` },
      { role: 'user', content: 'who?' },
    ];
    const a = await openai({ messages, response_format: { type: 'json_object' } });
    Person.parse(JSON.parse(a.choices[0].message.content));
    const res = await fetch(`${sims.openai.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer k' },
      body: JSON.stringify({ model: 'gpt-4.1', messages, response_format: { type: 'json_object' }, stream: true }),
    });
    let text = '';
    for (const line of (await res.text()).split('\n')) {
      if (!line.startsWith('data: {')) continue;
      text += JSON.parse(line.slice(6)).choices[0]?.delta?.content ?? '';
    }
    expect(text).toBe(a.choices[0].message.content);
  });

  it('Anthropic output_config.format and Gemini responseJsonSchema / responseSchema answer valid JSON', async () => {
    const a = await anthropic({ output_config: { format: { type: 'json_schema', schema } } });
    Person.parse(JSON.parse(a.content[0].text));
    const g = await gemini({ generationConfig: { responseMimeType: 'application/json', responseJsonSchema: schema } });
    Person.parse(JSON.parse(g.candidates[0].content.parts[0].text));
    const openapi = {
      type: 'OBJECT',
      properties: { city: { type: 'STRING' }, n: { type: 'INTEGER', minimum: 2, maximum: 4 } },
    };
    const g2 = await gemini({ generationConfig: { responseMimeType: 'application/json', responseSchema: openapi } });
    const v = JSON.parse(g2.candidates[0].content.parts[0].text);
    expect(typeof v.city).toBe('string');
    expect(v.n).toBeGreaterThanOrEqual(2);
    expect(v.n).toBeLessThanOrEqual(4);
  });
});

describe('n / candidateCount', () => {
  it('OpenAI n=3 gives three distinct choices and usage counts all of them', async () => {
    const one = await openai({});
    const three = await openai({ n: 3 });
    expect(three.choices.map((c: { index: number }) => c.index)).toEqual([0, 1, 2]);
    expect(new Set(three.choices.map((c: { message: { content: string } }) => c.message.content)).size).toBe(3);
    expect(three.usage.completion_tokens).toBe(3 * one.usage.completion_tokens);
  });

  it('Gemini candidateCount=2 gives two candidates', async () => {
    const g = await gemini({ generationConfig: { candidateCount: 2 } });
    expect(g.candidates.map((c: { index: number }) => c.index)).toEqual([0, 1]);
  });
});

describe('tools', () => {
  const tool = { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] };
  it('a forced Anthropic tool (any) answers tool_use with schema-valid input', async () => {
    const a = await anthropic({ tools: [{ name: 'w', input_schema: tool }], tool_choice: { type: 'any' } });
    expect(a.content[0]).toMatchObject({ type: 'tool_use', name: 'w', input: { city: expect.any(String) } });
  });

  it('after tool results, auto tool choice answers text (loops end); required still calls', async () => {
    const messages = [
      { role: 'user', content: 'weather?' },
      {
        role: 'assistant',
        content: null,
        tool_calls: [{ id: 'c1', type: 'function', function: { name: 'w', arguments: '{}' } }],
      },
      { role: 'tool', tool_call_id: 'c1', content: 'sunny' },
    ];
    const tools = [{ type: 'function', function: { name: 'w', parameters: tool } }];
    const auto = await openai({ messages, tools });
    expect(auto.choices[0].finish_reason).toBe('stop');
    const required = await openai({ messages, tools, tool_choice: 'required' });
    expect(required.choices[0].finish_reason).toBe('tool_calls');
  });
});

describe('Gemini streamed function-call arguments', () => {
  it('streamFunctionCallArguments: willContinue opens, partialArgs carry the leaves, functionCall{} closes', async () => {
    const tool = { type: 'object', properties: { city: { type: 'string' }, n: { type: 'integer' } } };
    const res = await fetch(`${sims.gemini.url}/v1beta/models/gemini-3-pro-preview:streamGenerateContent?alt=sse`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-goog-api-key': 'k' },
      body: JSON.stringify({
        contents: [{ role: 'user', parts: [{ text: 'go' }] }],
        tools: [{ functionDeclarations: [{ name: 'f', parameters: tool }] }],
        toolConfig: { functionCallingConfig: { mode: 'AUTO', streamFunctionCallArguments: true } },
      }),
    });
    const calls = (await res.text())
      .split('\n')
      .filter((l) => l.startsWith('data: '))
      .map((l) => JSON.parse(l.slice(6)).candidates[0].content.parts[0].functionCall)
      .filter(Boolean);
    expect(calls[0]).toEqual({ name: 'f', willContinue: true });
    const leaves = calls.flatMap((c: { partialArgs?: { jsonPath: string }[] }) => c.partialArgs ?? []);
    expect(new Set(leaves.map((l: { jsonPath: string }) => l.jsonPath))).toEqual(new Set(['$.city', '$.n']));
    expect(calls.at(-1)).toEqual({});
  });
});

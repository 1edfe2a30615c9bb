// Our bodies carry the same fields, in the same order, as recorded real responses (test/fixtures/providers).
// Keys the simulators leave out on purpose are listed; anything else missing or reordered fails.
import { existsSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AllSimulators, startAllSimulators } from './server.js';

const FIXTURES = new URL('../../../test/fixtures/providers/', import.meta.url);
const OMITTED = new Set(['obfuscation', 'inference_geo', 'thoughtSignature', 'finishMessage']);
/** Values that are the model's own data (tool arguments), not wire structure. */
const PAYLOAD = new Set(['input', 'args']);

type Json = Record<string, unknown>;
const fixture = (path: string): Json => JSON.parse(readFileSync(new URL(path, FIXTURES), 'utf8'));
const fixtureLines = (path: string): Json[] =>
  readFileSync(new URL(path, FIXTURES), 'utf8')
    .split('\n')
    .filter((l) => l.trim().length > 0)
    .map((l) => JSON.parse(l));

/** Walks both values and collects "path: expected keys vs ours" mismatches of key order. */
function shapeDiff(real: unknown, ours: unknown, path = '$'): string[] {
  if (Array.isArray(real) && Array.isArray(ours)) {
    return real.length > 0 && ours.length > 0 ? shapeDiff(real[0], ours[0], `${path}[0]`) : [];
  }
  if (typeof real !== 'object' || real === null || typeof ours !== 'object' || ours === null) return [];
  const want = Object.keys(real).filter((k) => !OMITTED.has(k));
  const got = Object.keys(ours).filter((k) => want.includes(k) || !Object.hasOwn(real, k));
  const out =
    want.join(',') === got.filter((k) => want.includes(k)).join(',') && want.every((k) => got.includes(k))
      ? []
      : [`${path}: real [${want}] ours [${Object.keys(ours)}]`];
  for (const k of want)
    if (!PAYLOAD.has(k)) out.push(...shapeDiff((real as Json)[k], (ours as Json)[k], `${path}.${k}`));
  return out;
}

const sseData = (text: string) =>
  text
    .split('\n')
    .filter((l) => l.startsWith('data: ') && l !== 'data: [DONE]')
    .map((l) => JSON.parse(l.slice(6)) as Json);

describe.skipIf(!existsSync(FIXTURES))('response shapes match recorded provider responses', () => {
  let sims: AllSimulators;
  beforeAll(async () => {
    sims = await startAllSimulators();
  });
  afterAll(() => sims.close());

  const openai = (body: Json) =>
    fetch(`${sims.openai.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: 'Bearer k' },
      body: JSON.stringify({ model: 'gpt-4.1-nano', messages: [{ role: 'user', content: 'hi' }], ...body }),
    });
  const anthropic = (body: Json) =>
    fetch(`${sims.anthropic.url}/v1/messages`, {
      method: 'POST',
      headers: { 'x-api-key': 'k', 'anthropic-version': '2023-06-01' },
      body: JSON.stringify({
        model: 'claude-sonnet-4-5',
        max_tokens: 100,
        messages: [{ role: 'user', content: 'hi' }],
        ...body,
      }),
    });
  // The recordings come from a thinking model: ask for reasoning tokens so thoughtsTokenCount is present.
  const gemini = (action: string, body: Json = {}) =>
    fetch(`${sims.gemini.url}/v1beta/models/gemini-2.5-flash:${action}`, {
      method: 'POST',
      headers: { 'x-goog-api-key': 'k', 'x-sim-scenario': '{"reasoningTokens":12}' },
      body: JSON.stringify({ contents: [{ role: 'user', parts: [{ text: 'hi' }] }], ...body }),
    });

  it('openai chat completion and stream chunks (with include_usage)', async () => {
    expect(shapeDiff(fixture('openai/openai-text.json'), await (await openai({})).json())).toEqual([]);
    const real = fixtureLines('openai/openai-text.chunks.txt');
    const ours = sseData(await (await openai({ stream: true, stream_options: { include_usage: true } })).text());
    expect(shapeDiff(real[0], ours[0])).toEqual([]);
    expect(shapeDiff(real[1], ours[1])).toEqual([]);
    expect(shapeDiff(real.at(-1), ours.at(-1))).toEqual([]);
  });

  it('anthropic message, tool_use message, thinking message and stream events', async () => {
    expect(shapeDiff(fixture('anthropic/anthropic-text.json'), await (await anthropic({})).json())).toEqual([]);
    const thinking = await (
      await anthropic({ max_tokens: 2000, thinking: { type: 'enabled', budget_tokens: 1024 } })
    ).json();
    const { context_management: _c, ...realThinking } = fixture('anthropic/anthropic-clear-thinking.1.json');
    expect(shapeDiff(realThinking, thinking)).toEqual([]);
    const tools = [{ name: 'json', input_schema: { type: 'object', properties: { a: { type: 'string' } } } }];
    const toolReply = (await (await anthropic({ tools })).json()) as Json;
    const realTool = fixture('anthropic/anthropic-json-tool.1.json');
    expect(shapeDiff((realTool.content as Json[])[0], (toolReply.content as Json[])[0])).toEqual([]);
    const real = fixtureLines('anthropic/anthropic-text.chunks.txt');
    const ours = sseData(await (await anthropic({ stream: true })).text());
    for (const type of [
      'message_start',
      'content_block_start',
      'content_block_delta',
      'content_block_stop',
      'message_delta',
      'message_stop',
      'ping',
    ]) {
      expect(
        shapeDiff(
          real.find((e) => e.type === type),
          ours.find((e) => e.type === type),
        ),
        type,
      ).toEqual([]);
    }
  });

  it('gemini generateContent, functionCall, stream chunks and the 429 body', async () => {
    expect(shapeDiff(fixture('google/google-text.json'), await (await gemini('generateContent', {})).json())).toEqual(
      [],
    );
    const tools = [
      {
        functionDeclarations: [
          { name: 'weather', parameters: { type: 'object', properties: { location: { type: 'string' } } } },
        ],
      },
    ];
    expect(
      shapeDiff(fixture('google/google-tool-call.json'), await (await gemini('generateContent', { tools })).json()),
    ).toEqual([]);
    const real = fixtureLines('google/google-text.chunks.txt');
    const ours = sseData(await (await gemini('streamGenerateContent?alt=sse')).text());
    expect(shapeDiff(real[0], ours[0])).toEqual([]);
    expect(shapeDiff(real.at(-1), ours.at(-1))).toEqual([]);
    const limited = await fetch(`${sims.gemini.url}/v1beta/models/gemini-2.5-flash:generateContent`, {
      method: 'POST',
      headers: { 'x-goog-api-key': 'k', 'x-sim-scenario': 'rate_limited' },
      body: JSON.stringify({ contents: [] }),
    });
    expect(shapeDiff(fixture('google/google-429-retry-info.json'), await limited.json())).toEqual([]);
  });
});

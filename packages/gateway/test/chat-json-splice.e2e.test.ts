// Same-format chat JSON is sent as the upstream's own text with `model` and `usage` (with its `cost`) spliced in
// (pipeline/json-splice.ts). Whatever a hostile or odd upstream sends, the client must read exactly what
// re-serialising the parsed answer gave it before, and the amount charged must be the `usage.cost` it reads.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { type Cost, nanosToUsdNumber, nanosToUsdString } from '@switchyard/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateConfig } from '../src/config/load-config.js';
import { listen, type RunningGateway } from '../src/http/listen.js';
import type { CallOutcome } from '../src/pipeline/seams.js';
import { silentLog } from './helpers.js';

type Mode = 'length' | 'chunked' | 'gzip';
let answer = { text: '', mode: 'length' as Mode };
let upstream: Server;
let gw: RunningGateway;
const settled: CallOutcome[] = [];
let released = 0;

beforeAll(async () => {
  upstream = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const bytes = Buffer.from(answer.text, 'utf8');
      if (answer.mode === 'gzip') {
        const gz = gzipSync(bytes);
        res.writeHead(200, {
          'content-type': 'application/json',
          'content-encoding': 'gzip',
          'content-length': gz.length,
        });
        res.end(gz);
        return;
      }
      if (answer.mode === 'length') {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': bytes.length });
        res.end(bytes);
        return;
      }
      // Chunked, cut every 7 bytes: chunk borders fall inside multi-byte characters and escapes.
      res.writeHead(200, { 'content-type': 'application/json' });
      for (let i = 0; i < bytes.length; i += 7) res.write(bytes.subarray(i, i + 7));
      res.end();
    });
  });
  await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', r));
  const port = (upstream.address() as AddressInfo).port;
  const config = validateConfig({
    server: { host: '127.0.0.1', port: 0 },
    providers: { openai: { kind: 'openai', apiKey: 'sk-up', baseURL: `http://127.0.0.1:${port}/v1` } },
  });
  const admission = {
    async admit() {
      return {
        headers: {},
        settle: (o: CallOutcome) => void settled.push(o),
        release: () => void released++,
      };
    },
  };
  gw = await listen(config, { admission, log: silentLog });
});

afterAll(async () => {
  await gw?.close(1_000);
  await new Promise((r) => upstream?.close(r));
});

async function chat(text: string, mode: Mode = 'length') {
  answer = { text, mode };
  settled.length = 0;
  const res = await fetch(`${gw.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }),
  });
  return { status: res.status, headers: res.headers, text: await res.text() };
}

/** What the gateway sent before splicing: the parsed answer with model and usage.cost set, re-serialised. */
function reserialised(upstreamText: string, cost: number): string {
  const c = JSON.parse(upstreamText) as { model: string; usage: Record<string, unknown> };
  c.model = 'openai/gpt-4o-mini';
  c.usage.cost = cost;
  return JSON.stringify(c);
}

const usage = (p: number, c: number) => `{"prompt_tokens":${p},"completion_tokens":${c},"total_tokens":${p + c}}`;
const choices = (content: string) =>
  `[{"index":0,"message":{"role":"assistant","content":${JSON.stringify(content)}},"finish_reason":"stop"}]`;

const BODIES: [string, string][] = [
  [
    'plain',
    `{"id":"a","object":"chat.completion","model":"gpt-4o-mini","choices":${choices('hi')},"usage":${usage(10, 5)}}`,
  ],
  ['usage first', `{"usage":${usage(1000, 20)},"id":"a","model":"gpt-4o-mini","choices":${choices('x')}}`],
  [
    'look-alike usage inside the content and the choices',
    `{"id":"a","model":"m","choices":[{"index":0,"message":{"role":"assistant","content":"\\"usage\\":{\\"prompt_tokens\\":0,\\"cost\\":0}} \\\\","usage":{"cost":0}},"finish_reason":"stop"}],"usage":${usage(77, 3)}}`,
  ],
  [
    'pretty-printed',
    JSON.stringify(
      JSON.parse(`{"id":"a","model":"m","usage":${usage(5, 5)},"choices":${choices('é')}}`),
      null,
      '\t\r\n ',
    ),
  ],
  [
    'upstream claims its own cost',
    `{"id":"a","model":"m","choices":${choices('y')},"usage":{"prompt_tokens":900,"completion_tokens":90,"total_tokens":990,"cost":0}}`,
  ],
  ['escaped member names', `{"id":"a","mod\\u0065l":"m","choices":${choices('z')},"\\u0075sage":${usage(400, 40)}}`],
  [
    'unicode escapes and astral characters',
    `{"id":"\\u00e9\\ud83d\\ude00","model":"m","choices":${choices('日本語 😀 \u2028')},"usage":${usage(12, 8)}}`,
  ],
  [
    'usage repeated (JSON.parse reads the last)',
    `{"id":"a","model":"m","usage":${usage(1, 1)},"choices":${choices('w')},"usage":${usage(5000, 500)}}`,
  ],
  ['no model member', `{"id":"a","choices":${choices('v')},"usage":${usage(3, 3)}}`],
];

describe('same-format chat JSON with usage.cost spliced into the upstream text', () => {
  for (const mode of ['length', 'chunked'] as const) {
    it.each(BODIES)(
      `%s (${mode}): the client reads what re-serialising gave, and is charged its usage.cost`,
      async (_, body) => {
        const res = await chat(body, mode);
        expect(res.status).toBe(200);
        const outcome = settled.at(-1) as CallOutcome & { cost: Cost };
        expect(outcome.ok).toBe(true);
        const cost = nanosToUsdNumber(outcome.cost.totalNanos);
        expect(cost).toBeGreaterThan(0);
        // Same members, same values, same order as before (only the layout of the untouched members may differ).
        expect(JSON.stringify(JSON.parse(res.text))).toBe(reserialised(body, cost));
        const read = JSON.parse(res.text) as { usage: { cost: number; prompt_tokens: number } };
        expect(read.usage.cost).toBe(cost);
        expect(res.headers.get('x-switchyard-cost-usd')).toBe(nanosToUsdString(outcome.cost.totalNanos));
        // What was priced is what the client reads (the last `usage` when repeated; the escaped name when escaped).
        expect(outcome.usage?.inputTokens).toBe(read.usage.prompt_tokens);
        // Exactly one top-level usage member reaches the client.
        expect(res.text.match(/"usage"\s*:\s*\{"prompt_tokens"/g)?.length ?? 0).toBeLessThanOrEqual(1);
      },
    );
  }

  it('a gzip-compressed body (no decompression upstream) is an invalid response, never charged', async () => {
    const before = released;
    const res = await chat(BODIES[0]?.[1] as string, 'gzip');
    expect(res.status).toBe(502);
    expect(settled.every((o) => !o.ok || o.cost === undefined)).toBe(true);
    expect(released + settled.length).toBeGreaterThan(before);
  });
});

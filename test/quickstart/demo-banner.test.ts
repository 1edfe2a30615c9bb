// Demo mode shows every feature, and every example the banner prints works as printed: this test reads the banner
// of a real `switchyard start` (demo mode, SWITCHYARD_ADMIN_TOKEN set so the key examples print too), turns each
// printed curl command into the same HTTP request, runs them in order and checks each answer does what its title
// says. A new banner example needs no test change, only a check below if it shows a new kind of answer.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GatewayProcess, spawnGateway } from '../support/gateway.js';

const ADMIN = 'adm-banner-test';
let gw: GatewayProcess;
let banner = '';

beforeAll(async () => {
  gw = await spawnGateway(['start', '--port', '0'], { SWITCHYARD_ADMIN_TOKEN: ADMIN }, 90_000);
  banner = gw.stdout().slice(0, gw.stdout().indexOf('{"level"'));
}, 120_000);

afterAll(async () => {
  await gw?.stop();
});

interface Example {
  title: string;
  command: string;
}

/** `# title` comment lines, each followed by one curl command (continued with a trailing backslash). */
function examples(text: string): Example[] {
  const out: Example[] = [];
  let title = '';
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] ?? '').trim();
    if (line.startsWith('# ')) title = line.slice(2);
    if (!line.startsWith('curl ')) continue;
    let command = line;
    while (command.endsWith('\\')) command = `${command.slice(0, -1)} ${(lines[++i] ?? '').trim()}`;
    out.push({ title, command });
  }
  return out;
}

/** POSIX-shell words: '…' literal, "…" with $VAR expanded, bare words with $VAR expanded. */
function shellWords(command: string, env: Record<string, string>): string[] {
  const words: string[] = [];
  let word: string | undefined;
  const expand = (s: string) => s.replace(/\$([A-Z_][A-Z0-9_]*)/g, (_, v: string) => env[v] ?? '');
  for (let i = 0; i < command.length; i++) {
    const c = command[i] as string;
    if (c === ' ') {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else if (c === "'" || c === '"') {
      const end = command.indexOf(c, i + 1);
      if (end < 0) throw new Error(`unclosed ${c} in: ${command}`);
      const raw = command.slice(i + 1, end);
      word = (word ?? '') + (c === '"' ? expand(raw) : raw);
      i = end;
    } else {
      const m = /^\$[A-Z_][A-Z0-9_]*/.exec(command.slice(i));
      word = (word ?? '') + (m ? expand(m[0]) : c);
      if (m) i += m[0].length - 1;
    }
  }
  if (word !== undefined) words.push(word);
  return words;
}

interface Request {
  url: string;
  method: string;
  headers: Record<string, string>;
  body?: string;
}

function curlToRequest(words: string[]): Request {
  expect(words[0]).toBe('curl');
  const req: Request = { url: '', method: 'GET', headers: {} };
  for (let i = 1; i < words.length; i++) {
    const w = words[i] as string;
    if (w === '-s' || w === '-N') continue;
    if (w === '-H') {
      const h = words[++i] ?? '';
      const colon = h.indexOf(':');
      req.headers[h.slice(0, colon).trim().toLowerCase()] = h.slice(colon + 1).trim();
    } else if (w === '-d') {
      req.body = words[++i];
      req.method = 'POST';
    } else if (w.startsWith('http')) req.url = w;
    else throw new Error(`curl flag this test does not know: ${w}`);
  }
  return req;
}

// biome-ignore lint/suspicious/noExplicitAny: wire JSON, each field checked by the assertions
type Json = Record<string, any>;

/** What each kind of example must answer, beyond a 2xx. */
function check(req: Request, status: number, text: string, env: Record<string, string>): void {
  expect(status, text.slice(0, 400)).toBeGreaterThanOrEqual(200);
  expect(status, text.slice(0, 400)).toBeLessThan(300);
  const path = new URL(req.url).pathname;
  const sent: Json = req.body ? JSON.parse(req.body) : {};
  if (sent.stream) {
    const data = text
      .split('\n')
      .filter((l) => l.startsWith('data: '))
      .map((l) => l.slice(6));
    expect(data.at(-1)).toBe('[DONE]');
    const chunks = data.slice(0, -1).map((d) => JSON.parse(d) as Json);
    expect(chunks.map((c) => c.choices?.[0]?.delta?.content ?? '').join('')).not.toBe('');
    expect(chunks.at(-1)?.usage?.total_tokens).toBeGreaterThan(0);
    return;
  }
  const json = JSON.parse(text) as Json;
  if (path === '/v1/chat/completions' && sent.tools) {
    const call = json.choices[0].message.tool_calls?.[0];
    expect(call?.function?.name).toBe(sent.tools[0].function.name);
    expect(JSON.parse(call.function.arguments)).toHaveProperty('city');
  } else if (path === '/v1/chat/completions' && sent.response_format) {
    const schema = sent.response_format.json_schema.schema;
    const value = JSON.parse(json.choices[0].message.content) as Json;
    for (const key of schema.required) expect(value, json.choices[0].message.content).toHaveProperty(key);
    expect(Number.isInteger(value.population)).toBe(true);
  } else if (path === '/v1/chat/completions') {
    expect(json.choices[0].message.content).toBeTruthy();
  } else if (path === '/v1/embeddings') {
    expect(json.data[0].embedding.length).toBeGreaterThan(0);
  } else if (path === '/v1/messages') {
    expect(json.type).toBe('message');
    expect(json.content[0].text).toBeTruthy();
  } else if (path === '/v1/responses') {
    expect(json.status).toBe('completed');
    const texts = (json.output as Json[]).flatMap((o) => (o.content ?? []).map((c: Json) => c.text ?? ''));
    expect(texts.join('')).not.toBe('');
  } else if (path === '/v1/models') {
    const embedding = (json.data as Json[]).filter((m) => m.type === 'embedding').map((m) => m.id);
    expect(embedding).toContain('gemini/text-embedding-004');
    expect((json.data as Json[]).filter((m) => m.type === 'chat').length).toBeGreaterThan(0);
  } else if (path === '/admin/v1/keys' && req.method === 'POST') {
    expect(json.key).toMatch(/^sk-sy-/);
    // The banner says: export SWITCHYARD_KEY=sk-sy-… SWITCHYARD_KEY_ID=key_…
    env.SWITCHYARD_KEY = json.key;
    env.SWITCHYARD_KEY_ID = json.id;
  } else if (path.startsWith('/admin/v1/keys/')) {
    expect(json.id).toBe(env.SWITCHYARD_KEY_ID);
    expect(Number(json.spent_usd)).toBeGreaterThan(0);
    expect(Number(json.balance_usd)).toBeLessThan(1);
  } else {
    throw new Error(`no check for ${req.method} ${path}: add one`);
  }
}

describe('demo banner', () => {
  it('prints an example of every feature', () => {
    const all = examples(banner);
    const bodies = all.map((e) => e.command).join('\n');
    for (const shown of [
      '/v1/chat/completions',
      '"stream":true',
      '"tools":',
      '"response_format":{"type":"json_schema"',
      '/v1/embeddings',
      '/v1/messages',
      '/v1/responses',
      '/v1/models',
      '/admin/v1/keys',
      'Bearer $SWITCHYARD_KEY',
    ]) {
      expect(bodies, `banner shows ${shown}`).toContain(shown);
    }
    expect(banner).toContain('gemini/text-embedding-004');
  });

  it('every printed example works as printed', async () => {
    const env: Record<string, string> = { SWITCHYARD_ADMIN_TOKEN: ADMIN };
    const failures: string[] = [];
    const all = examples(banner);
    expect(all.length).toBeGreaterThanOrEqual(10);
    for (const ex of all) {
      try {
        const req = curlToRequest(shellWords(ex.command, env));
        const res = await fetch(req.url, {
          method: req.method,
          headers: req.headers,
          ...(req.body !== undefined && { body: req.body }),
          signal: AbortSignal.timeout(30_000),
        });
        check(req, res.status, await res.text(), env);
      } catch (err) {
        failures.push(`${ex.title}: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    expect(failures, failures.join('\n\n')).toEqual([]);
  }, 120_000);
});

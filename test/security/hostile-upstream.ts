// An OpenAI-compatible upstream that bills like a real provider and misbehaves on demand, for the hostile-tenant
// suite. The path prefix picks the behaviour (`/<mode>/v1/chat/completions`):
//   bill     usage = ceil(request bytes / 4) input, max_tokens × n output (every choice runs to its cap)
//   slow     a long stream, one word every 10 ms (a client aborts it mid-way)
//   endless  a stream that never ends (1 KB of text per chunk) until the reader goes away
//   absurd   usage of 1e15 tokens (JSON and stream)
// Every usage it reports is recorded, so a test can compare what the provider billed with what the ledger charged.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Billed {
  mode: string;
  prompt: number;
  completion: number;
}

export interface HostileUpstream {
  url: string;
  billed: Billed[];
  /** Bytes of text the endless mode wrote so far. */
  endlessBytes(): number;
  close(): Promise<void>;
}

const ENDLESS_CAP = 64 * 1024 * 1024; // a bound for the test itself: nothing real reads this far
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

const chunk = (content: string) =>
  `data: ${JSON.stringify({
    id: 'chatcmpl-h',
    object: 'chat.completion.chunk',
    created: 1,
    model: 'gpt-4.1',
    choices: [{ index: 0, delta: { content }, finish_reason: null }],
  })}\n\n`;
const usageChunk = (prompt: number, completion: number) =>
  `data: ${JSON.stringify({
    id: 'chatcmpl-h',
    object: 'chat.completion.chunk',
    created: 1,
    model: 'gpt-4.1',
    choices: [],
    usage: { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion },
  })}\n\n`;

export async function startHostileUpstream(): Promise<HostileUpstream> {
  const billed: Billed[] = [];
  let endless = 0;
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const raw = await readBody(req);
    const mode = (req.url ?? '').split('/')[1] ?? '';
    let body: { max_tokens?: number; max_completion_tokens?: number; n?: number; stream?: boolean };
    try {
      body = JSON.parse(raw.toString('utf8'));
    } catch {
      res.writeHead(400).end();
      return;
    }
    const cap = body.max_completion_tokens ?? body.max_tokens ?? 16;
    let prompt = Math.ceil(raw.length / 4);
    let completion = cap * (body.n ?? 1);
    if (mode === 'absurd') {
      prompt = 1e15;
      completion = 1e15;
    }
    if (!body.stream) {
      if (mode !== 'absurd') billed.push({ mode, prompt, completion });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          id: 'chatcmpl-h',
          object: 'chat.completion',
          created: 1,
          model: 'gpt-4.1',
          choices: Array.from({ length: body.n ?? 1 }, (_, index) => ({
            index,
            message: { role: 'assistant', content: 'ok' },
            finish_reason: 'length',
          })),
          usage: { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion },
        }),
      );
      return;
    }
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    let gone = false;
    res.on('close', () => {
      gone = true;
    });
    if (mode === 'endless') {
      const text = 'x'.repeat(1024);
      while (!gone && endless < ENDLESS_CAP) {
        const ok = res.write(chunk(text));
        endless += text.length;
        if (!ok) await new Promise((r) => res.once('drain', r).once('close', r));
      }
      res.end();
      return;
    }
    if (mode === 'slow') {
      let words = 0;
      for (; words < 400 && !gone; words++) {
        res.write(chunk('word '));
        await sleep(10);
      }
      if (!gone) {
        billed.push({ mode, prompt, completion: words });
        res.end(`${usageChunk(prompt, words)}data: [DONE]\n\n`);
      } else billed.push({ mode, prompt, completion: words });
      return;
    }
    if (mode !== 'absurd') billed.push({ mode, prompt, completion });
    res.write(chunk('hello'));
    res.end(`${usageChunk(prompt, completion)}data: [DONE]\n\n`);
  };
  const server: Server = createServer((req, res) => {
    handle(req, res).catch(() => res.destroy());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    billed,
    endlessBytes: () => endless,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

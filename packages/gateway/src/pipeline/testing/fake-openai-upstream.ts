// Test support: a tiny OpenAI-compatible upstream on loopback that reads the request's JSON body and lets the test
// answer by model name, plus the SSE chunk builder such answers use.
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeUpstream {
  server: Server;
  /** OpenAI-style base URL (ends in /v1) for a provider config. */
  baseURL: string;
}

export async function startFakeOpenAIUpstream(
  answer: (model: string, res: ServerResponse) => void,
): Promise<FakeUpstream> {
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => {
      body += d;
    });
    req.on('end', () => answer((JSON.parse(body) as { model: string }).model, res));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, baseURL: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1` };
}

/** One `chat.completion.chunk` SSE event; with `usage`, the usage-only chunk (`choices: []`). */
export const chunkEvent = (delta: object, finish: string | null = null, usage?: object) =>
  `data: ${JSON.stringify({
    id: 'c1',
    object: 'chat.completion.chunk',
    created: 1,
    model: 'm',
    choices: usage ? [] : [{ index: 0, delta, finish_reason: finish }],
    ...(usage && { usage }),
  })}\n\n`;

// Portkey's open-source gateway (@portkey-ai/gateway 1.15.2), pointed at our simulators by its custom-host header.
import { createRequire } from 'node:module';
import { startCommand } from '../procs/child.js';
import { freePort } from '../procs/os-info.js';
import { SIM_KEY } from '../servers/upstreams.js';
import { type Contender, chatBody, JSON_HEADERS } from './contender.js';

// Portkey's provider names and where its adapters expect the custom host to point.
const PROVIDER = { openai: 'openai', anthropic: 'anthropic', gemini: 'google' } as const;
const HOST_PATH = { openai: '/v1', anthropic: '/v1', gemini: '' } as const;

export async function startPortkey(): Promise<Contender> {
  const require = createRequire(import.meta.url);
  const entry = require.resolve('@portkey-ai/gateway/build/start-server.js');
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  // It listens on all interfaces and has no host flag; its stdout (a spinner) is discarded.
  const child = await startCommand(
    'portkey',
    process.execPath,
    [entry, `--port=${port}`, '--headless'],
    async () => (await fetch(`${url}/`, { signal: AbortSignal.timeout(1000) })).ok,
  );
  return {
    name: 'portkey',
    pid: child.pid,
    target: (call) => ({
      url: `${url}/v1/chat/completions`,
      method: 'POST',
      headers: {
        ...JSON_HEADERS,
        authorization: `Bearer ${SIM_KEY}`,
        'x-portkey-provider': PROVIDER[call.upstream.provider],
        'x-portkey-custom-host': `${call.upstream.origin}${HOST_PATH[call.upstream.provider]}`,
      },
      body: chatBody(call, call.model),
    }),
    close: () => child.close(),
  };
}

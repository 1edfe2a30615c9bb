// Baselines: `direct` talks to the simulator; `bare` goes through the minimal undici pass-through.
import { fileURLToPath } from 'node:url';
import { startChild } from '../procs/child.js';
import { SIM_KEY } from '../servers/upstreams.js';
import { type ChatCall, type Contender, chatBody, JSON_HEADERS } from './contender.js';

function openaiTarget(origin: string, call: ChatCall) {
  return {
    url: `${origin}/v1/chat/completions`,
    method: 'POST' as const,
    headers: { ...JSON_HEADERS, authorization: `Bearer ${SIM_KEY}` },
    body: chatBody(call, call.model),
  };
}

/** Direct to an OpenAI-format upstream (other formats need their own native request; see translation suite). */
export function direct(): Contender {
  return {
    name: 'direct',
    target: (call) => (call.upstream.provider === 'openai' ? openaiTarget(call.upstream.origin, call) : undefined),
    close: async () => {},
  };
}

const BARE_ENTRY = fileURLToPath(new URL('../servers/bare-process.ts', import.meta.url));

/** A bare pass-through in front of one OpenAI-format upstream origin. */
export async function startBare(upstreamOrigin: string): Promise<Contender> {
  const child = await startChild<{ url: string }>('bare', BARE_ENTRY, [upstreamOrigin]);
  return {
    name: 'bare',
    pid: child.pid,
    target: (call) =>
      call.upstream.origin === upstreamOrigin && call.upstream.provider === 'openai'
        ? openaiTarget(child.info.url, call)
        : undefined,
    close: () => child.close(),
  };
}

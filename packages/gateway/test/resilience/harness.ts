// End-to-end resilience harness: two simulators (primary, secondary) behind a real gateway on 127.0.0.1:0,
// wired with the routing executor. Faults are set on the primary simulator server-wide.
import { type Scenario, type SimProvider, type Simulator, startSimulator } from '@switchyard/simulators';
import { validateConfig } from '../../src/config/index.js';
import { listen, type RunningGateway } from '../../src/http/listen.js';
import {
  createRouteExecutor,
  type ObservableRouteExecutor,
  type RouteExecutorOptions,
} from '../../src/routing/index.js';

export interface Harness {
  gw: RunningGateway;
  primary: Simulator;
  secondary: Simulator;
  executor: ObservableRouteExecutor;
  close(): Promise<void>;
}

export interface HarnessOptions {
  primaryKind?: SimProvider;
  secondaryKind?: SimProvider;
  routes: Record<string, unknown>;
  /** More providers, e.g. one whose port refuses connections. */
  extraProviders?: Record<string, unknown>;
  executor?: RouteExecutorOptions;
}

const KIND = {
  openai: 'openai',
  anthropic: 'anthropic',
  gemini: 'gemini',
  azure: 'azure-openai',
  bedrock: 'bedrock',
  vertex: 'vertex',
} as const;
const baseURL = (sim: Simulator) => (sim.provider === 'openai' ? `${sim.url}/v1` : sim.url);

export async function startHarness(opts: HarnessOptions): Promise<Harness> {
  const primary = await startSimulator({ provider: opts.primaryKind ?? 'openai' });
  const secondary = await startSimulator({ provider: opts.secondaryKind ?? 'openai' });
  const config = validateConfig({
    server: { host: '127.0.0.1', port: 0 },
    providers: {
      p: { kind: KIND[primary.provider], baseURL: baseURL(primary), apiKey: 'sk-primary-secret' },
      s: { kind: KIND[secondary.provider], baseURL: baseURL(secondary), apiKey: 'sk-secondary-secret' },
      ...opts.extraProviders,
    },
    routes: opts.routes,
  });
  const executor = createRouteExecutor(opts.executor);
  const quiet = { warn() {}, error() {} };
  const gw = await listen(config, { executor, log: quiet, host: '127.0.0.1', port: 0 });
  return {
    gw,
    primary,
    secondary,
    executor,
    async close() {
      await gw.close(1_000);
      await Promise.all([primary.close(), secondary.close()]);
    },
  };
}

export interface ChatResult {
  status: number;
  headers: Headers;
  /** JSON body, or the raw SSE text for streams. */
  body: unknown;
  text: string;
  ms: number;
}

export async function chat(h: Harness, model: string, stream: boolean, timeoutMs = 10_000): Promise<ChatResult> {
  const t0 = performance.now();
  const res = await fetch(`${h.gw.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model, stream, messages: [{ role: 'user', content: 'hello there' }] }),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await res.text();
  const ms = performance.now() - t0;
  let body: unknown = text;
  if (!stream || !res.headers.get('content-type')?.includes('event-stream')) {
    try {
      body = JSON.parse(text);
    } catch {}
  }
  return { status: res.status, headers: res.headers, body, text, ms };
}

export const setFault = (sim: Simulator, scenario: Scenario | undefined) => {
  sim.reset();
  sim.setScenario(scenario);
};

/** Content text of an OpenAI chat response or SSE transcript. */
export function contentOf(r: ChatResult): string {
  if (typeof r.body === 'object' && r.body !== null) {
    const c = (r.body as { choices?: Array<{ message?: { content?: string } }> }).choices?.[0]?.message?.content;
    return c ?? '';
  }
  let out = '';
  for (const line of r.text.split('\n')) {
    if (!line.startsWith('data: ') || line === 'data: [DONE]') continue;
    try {
      const chunk = JSON.parse(line.slice(6)) as { choices?: Array<{ delta?: { content?: string } }> };
      out += chunk.choices?.[0]?.delta?.content ?? '';
    } catch {}
  }
  return out;
}

// A contender is a way to reach an upstream: directly, or through a proxy. Every suite asks each contender for
// the HttpTarget of the same logical call, so all of them do byte-for-byte comparable work.
import type { HttpTarget } from '../load/http-target.js';
import type { SimProviderName } from '../servers/upstreams.js';

export type ContenderName = 'direct' | 'bare' | 'switchyard' | 'switchyard-tracing' | 'portkey';

export interface Upstream {
  provider: SimProviderName;
  /** http://127.0.0.1:PORT */
  origin: string;
  /** The provider id this upstream has in the Switchyard config. */
  providerId: string;
}

/** One OpenAI chat completion call, addressed to an upstream. */
export interface ChatCall {
  upstream: Upstream;
  model: string;
  /** OpenAI Chat Completions body without `model`. */
  body: Record<string, unknown>;
  /** Switchyard only: a route alias to name instead of `<providerId>/<model>`. */
  route?: string;
}

export interface Contender {
  name: ContenderName;
  /** Pid of the server process (for RSS), absent for `direct`. */
  pid?: number;
  /** The request to send for `call`, or undefined when this contender cannot serve it. */
  target(call: ChatCall): HttpTarget | undefined;
  close(): Promise<void>;
}

export const JSON_HEADERS = { 'content-type': 'application/json' } as const;

export function chatBody(call: ChatCall, model: string): string {
  return JSON.stringify({ model, ...call.body });
}

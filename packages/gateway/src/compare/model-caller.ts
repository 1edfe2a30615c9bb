// One chat call as compare sees it. Two implementations: in-process (the gateway pipeline itself, exact cost from
// its CallRecords) and over HTTP against a running gateway (cost from the usage the gateway reports).

export interface CallRequest {
  model: string;
  messages: Array<{ role: string; content: string }>;
  params?: Record<string, unknown>;
}

export interface CallResult {
  ok: boolean;
  text: string;
  latencyMs: number;
  ttftMs?: number;
  inputTokens?: number;
  outputTokens?: number;
  /** Exact cost in nano-USD of every upstream attempt of this call (retries included), when known. */
  costNanos?: bigint;
  /** Who served it (`provider/model`) and in how many attempts, when the gateway said so. */
  servedBy?: string;
  attempts?: number;
  error?: string;
}

export interface ModelCaller {
  /** Never throws: failures come back as `ok: false` with an error message. */
  call(req: CallRequest, signal?: AbortSignal): Promise<CallResult>;
  /**
   * Upper bound of one call's cost in nano-USD (estimated input + output cap at the configured prices, the dearest
   * target of a route), when this caller knows the prices; the cost cap reserves it before the call.
   */
  bound?(req: CallRequest): bigint | undefined;
  close(): Promise<void>;
}

/** Streaming, always with the usage chunk: time to first token and exact usage on every call. */
export function chatBody(req: CallRequest): Record<string, unknown> {
  return {
    ...req.params,
    model: req.model,
    messages: req.messages,
    stream: true,
    stream_options: { include_usage: true },
  };
}

export const errorText = (json: unknown, status: number): string => {
  const e = (json as { error?: { message?: unknown } } | undefined)?.error;
  return `HTTP ${status}: ${typeof e?.message === 'string' ? e.message : 'request failed'}`;
};

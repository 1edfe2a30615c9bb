// compare's calls against a running gateway (`--gateway URL --key K`): the gateway's own routing, retries and
// prices apply. The cost is the `usage.cost` the gateway puts in the stream's usage chunk (its nano-USD figure
// printed as a decimal), converted back to integer nano-USD.
import { usdToNanos } from '@switchyard/core';
import { ChatStreamReader } from './chat-stream-reader.js';
import { type CallRequest, type CallResult, chatBody, errorText, type ModelCaller } from './model-caller.js';

export function createHttpCaller(baseUrl: string, key: string | undefined, now: () => number = Date.now): ModelCaller {
  const url = `${baseUrl.replace(/\/+$/, '').replace(/\/v1$/, '')}/v1/chat/completions`;
  return {
    async call(req: CallRequest, signal?: AbortSignal): Promise<CallResult> {
      const started = now();
      const reader = new ChatStreamReader(started, now);
      try {
        const res = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...(key && { authorization: `Bearer ${key}` }) },
          body: JSON.stringify(chatBody(req)),
          ...(signal && { signal }),
        });
        if (!res.ok || !res.body) {
          const json = await res.json().catch(() => undefined);
          return { ok: false, text: '', latencyMs: now() - started, error: errorText(json, res.status) };
        }
        for await (const piece of res.body) reader.push(piece as Uint8Array);
        const s = reader.summary();
        const provider = res.headers.get('x-switchyard-provider');
        return {
          ok: s.error === undefined,
          text: s.text,
          latencyMs: now() - started,
          ...(s.ttftMs !== undefined && { ttftMs: s.ttftMs }),
          ...(s.inputTokens !== undefined && { inputTokens: s.inputTokens }),
          ...(s.outputTokens !== undefined && { outputTokens: s.outputTokens }),
          ...(s.costUsd !== undefined && { costNanos: usdToNanos(s.costUsd) }),
          ...(provider && { servedBy: `${provider}/${res.headers.get('x-switchyard-model') ?? ''}` }),
          ...(res.headers.get('x-switchyard-attempts') && {
            attempts: Number(res.headers.get('x-switchyard-attempts')),
          }),
          ...(s.error !== undefined && { error: s.error }),
        };
      } catch (err) {
        return { ok: false, text: '', latencyMs: now() - started, error: (err as Error).message };
      }
    },
    async close() {},
  };
}

// compare's calls through the gateway pipeline in this process: same plan resolution, executor (retries, fallback,
// breakers), adapters and price source as `switchyard start` with the same config. The cost is the sum of the
// CallRecords the pipeline produced for the request, in integer nano-USD.

import type { CallRecord } from '@switchyard/core';
import { inputTokenBound } from '../accounts/input-bound.js';
import type { GatewayConfig } from '../config/config-schema.js';
import { createPipelineDeps, priceSourceFor, routeExecutorOptionsFor } from '../pipeline/create-deps.js';
import { handleChat } from '../pipeline/handle-chat.js';
import type { GatewayObserver } from '../pipeline/seams.js';
import { createRouteExecutor } from '../routing/index.js';
import { priceOfFromSource } from '../routing/price-of.js';
import { ChatStreamReader } from './chat-stream-reader.js';
import { type CallRequest, type CallResult, chatBody, errorText, type ModelCaller } from './model-caller.js';

export function createInProcessCaller(config: GatewayConfig, now: () => number = Date.now): ModelCaller {
  const records = new Map<string, CallRecord[]>();
  const observer: GatewayObserver = {
    requestStarted() {},
    attemptFinished(record) {
      if (!record.requestId) return;
      const list = records.get(record.requestId);
      if (list) list.push(record);
    },
    requestFinished() {},
  };
  const priceSource = priceSourceFor(config);
  const deps = createPipelineDeps(config, {
    executor: createRouteExecutor({ ...routeExecutorOptionsFor(config), priceSource }),
    priceSource,
    observer,
    log: { warn() {}, error() {} },
  });
  let seq = 0;
  const priceOf = priceOfFromSource(priceSource);

  return {
    async call(req: CallRequest, signal?: AbortSignal): Promise<CallResult> {
      const requestId = `compare-${process.pid}-${++seq}`;
      records.set(requestId, []);
      const started = now();
      const reader = new ChatStreamReader(started, now);
      try {
        const out = await handleChat(
          {
            body: chatBody(req),
            headers: { 'x-request-id': requestId },
            signal: signal ?? new AbortController().signal,
          },
          deps,
        );
        if ('json' in out) {
          return { ok: false, text: '', latencyMs: now() - started, error: errorText(out.json, out.status) };
        }
        for await (const piece of out.stream) reader.push(piece);
        const s = reader.summary();
        const recs = records.get(requestId) ?? [];
        let cost: bigint | undefined;
        for (const r of recs) if (r.cost) cost = (cost ?? 0n) + r.cost.totalNanos;
        const served = out.headers['x-switchyard-provider'];
        return {
          ok: s.error === undefined,
          text: s.text,
          latencyMs: now() - started,
          ...(s.ttftMs !== undefined && { ttftMs: s.ttftMs }),
          ...(s.inputTokens !== undefined && { inputTokens: s.inputTokens }),
          ...(s.outputTokens !== undefined && { outputTokens: s.outputTokens }),
          ...(cost !== undefined && { costNanos: cost }),
          ...(served && { servedBy: `${served}/${out.headers['x-switchyard-model'] ?? ''}` }),
          attempts: Number(out.headers['x-switchyard-attempts'] ?? recs.length) || recs.length,
          ...(s.error !== undefined && { error: s.error }),
        };
      } catch (err) {
        return { ok: false, text: '', latencyMs: now() - started, error: (err as Error).message };
      } finally {
        records.delete(requestId);
      }
    },
    bound(req) {
      let plan: ReturnType<typeof deps.resolvePlan>;
      try {
        plan = deps.resolvePlan(req.model);
      } catch {
        return undefined;
      }
      const body = chatBody(req);
      const maxOut = body.max_completion_tokens ?? body.max_tokens;
      const estimate = {
        requestId: 'bound',
        callId: 'bound',
        endpoint: 'chat' as const,
        model: req.model,
        stream: true,
        // Same bound as admission (accounts/input-bound.ts), from the body itself.
        estimatedInputTokens: inputTokenBound(body),
        ...(typeof maxOut === 'number' && { maxOutputTokens: maxOut }),
        signal: new AbortController().signal,
        receivedAt: 0,
      };
      let max: bigint | undefined;
      for (const t of plan.targets) {
        const p = priceOf(t, estimate);
        if (p === undefined) return undefined; // an unpriced target: no bound
        if (max === undefined || p > max) max = p;
      }
      return max;
    },
    close: () => deps.upstream.close(),
  };
}

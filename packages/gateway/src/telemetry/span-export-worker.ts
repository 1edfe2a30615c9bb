// Worker-thread entry of the export worker (worker-span-processor.ts): receives finished spans as plain data and
// runs the real OTLP/HTTP exporter on them, so encoding and the HTTP send leave the gateway's main thread.
// Holds at most `maxQueueSize` spans awaiting export; what arrives past that is dropped and reported (counted).
import { parentPort, workerData } from 'node:worker_threads';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';
import type { OtlpHttpProtocol } from './tracing.js';
import { type FromWorker, fromWire, type ToWorker, type WireScope, type WireSpan } from './wire-span.js';

export interface ExportWorkerData {
  protocol: OtlpHttpProtocol;
  /** Full traces URL; without it the exporter reads the OTEL_EXPORTER_OTLP_* variables itself. */
  url?: string;
  /** Spans waiting for export before new ones are dropped (and counted). */
  maxQueueSize: number;
  maxExportBatchSize: number;
  /** A batch smaller than maxExportBatchSize is exported at most this long after its first span. */
  scheduledDelayMillis: number;
  exportTimeoutMillis: number;
}

const SUCCESS = 0; // ExportResultCode.SUCCESS

async function createExporter(data: ExportWorkerData): Promise<SpanExporter> {
  const config = data.url ? { url: data.url } : {};
  if (data.protocol === 'http/json') {
    const { OTLPTraceExporter } = await import('@opentelemetry/exporter-trace-otlp-http');
    return new OTLPTraceExporter(config);
  }
  const { OTLPTraceExporter } = await import('@opentelemetry/exporter-trace-otlp-proto');
  return new OTLPTraceExporter(config);
}

function runWorker(port: NonNullable<typeof parentPort>, data: ExportWorkerData): void {
  const exporterReady = createExporter(data);
  const resources = new Map<number, ReadableSpan['resource']>();
  const scopes = new Map<number, WireScope>();
  const keyNames: string[] = [];
  let queue: WireSpan[] = [];
  let exporting: Promise<void> | undefined;
  const send = (msg: FromWorker) => port.postMessage(msg);

  const exportBatch = async (batch: WireSpan[]): Promise<void> => {
    try {
      await exportOnce(batch);
    } catch (err) {
      send({ type: 'failed', count: batch.length, message: err instanceof Error ? err.message : String(err) });
    }
  };

  const exportOnce = async (batch: WireSpan[]): Promise<void> => {
    const exporter = await exporterReady;
    const spans = batch.map((w) =>
      fromWire(w, resources.get(w[21]) as ReadableSpan['resource'], scopes.get(w[22]) as WireScope, keyNames),
    );
    await new Promise<void>((resolve) => {
      // Whichever comes first decides: a batch that timed out is reported once, even if its export fails later.
      let settled = false;
      const settle = (failure?: string) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (failure !== undefined) send({ type: 'failed', count: batch.length, message: failure });
        resolve();
      };
      const timer = setTimeout(() => settle('export timed out'), data.exportTimeoutMillis);
      exporter.export(spans, (result) =>
        settle(result.code === SUCCESS ? undefined : (result.error?.message ?? 'export failed')),
      );
    });
  };

  // One export at a time. Full batches leave at once; a partial one when its delay is up, or on flush.
  let timer: NodeJS.Timeout | undefined;
  let all = false;
  const drain = (): Promise<void> => {
    exporting ??= (async () => {
      while (queue.length >= data.maxExportBatchSize || (all && queue.length > 0)) {
        const batch = queue.length <= data.maxExportBatchSize ? queue : queue.slice(0, data.maxExportBatchSize);
        queue = batch === queue ? [] : queue.slice(batch.length);
        await exportBatch(batch);
      }
      all = false;
    })().finally(() => {
      exporting = undefined;
      if (queue.length > 0) timer ??= setTimeout(exportAll, data.scheduledDelayMillis);
    });
    return exporting;
  };
  const exportAll = async (): Promise<void> => {
    clearTimeout(timer);
    timer = undefined;
    // Until empty: spans may arrive, or an export of full batches may be running, while this one waits.
    for (let i = 0; i < 1_000 && (queue.length > 0 || exporting); i++) {
      all = true;
      await drain();
    }
  };

  port.on('message', (msg: ToWorker) => {
    switch (msg.type) {
      case 'resource':
        resources.set(msg.id, {
          ...msg.resource,
          asyncAttributesPending: false,
        } as unknown as ReadableSpan['resource']);
        return;
      case 'scope':
        scopes.set(msg.id, msg.scope);
        return;
      case 'keys':
        for (const k of msg.keys) keyNames.push(k);
        return;
      case 'spans': {
        const room = Math.max(0, data.maxQueueSize - queue.length);
        const kept = msg.spans.length <= room ? msg.spans : msg.spans.slice(0, room);
        if (kept.length < msg.spans.length) send({ type: 'dropped', count: msg.spans.length - kept.length });
        for (const s of kept) queue.push(s);
        if (queue.length >= data.maxExportBatchSize) void drain();
        else timer ??= setTimeout(exportAll, data.scheduledDelayMillis);
        return;
      }
      case 'flush':
        void exportAll().then(() => send({ type: 'done', id: msg.id }));
        return;
      case 'shutdown':
        void exportAll()
          .then(async () => (await exporterReady).shutdown())
          .finally(() => send({ type: 'done', id: msg.id }));
        return;
    }
  });
}

if (parentPort) runWorker(parentPort, workerData as ExportWorkerData);

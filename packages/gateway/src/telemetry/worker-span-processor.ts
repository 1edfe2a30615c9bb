// A span processor that batches finished spans on the main thread as plain data and hands each batch to a worker
// thread running the real OTLP exporter (span-export-worker.ts): the OTLP encoding, the HTTP send and their garbage
// leave the thread that caps the gateway's throughput (docs/decisions/0016-tracing-export-worker.md).
// Same batching contract as the SDK's BatchSpanProcessor (sampled spans only, batch size, scheduled delay, bounded
// queue, flush on forceFlush / shutdown), except that a full queue is counted (`onDropped`), not silent.
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { type Context, TraceFlags } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { ExportWorkerData } from './span-export-worker.js';
import { type FromWorker, KeyTable, type ToWorker, toWire, type WireSpan } from './wire-span.js';

/** The worker's settings (span-export-worker.ts) plus the main thread's loss callbacks. */
export interface WorkerSpanProcessorOptions extends ExportWorkerData {
  onDropped?: (count: number) => void;
  onExportFailed?: (count: number, message: string) => void;
}

// Built: the compiled .js sibling. From source (tsx, vitest): the .ts one, loaded through tsx's API (Node 20 does
// not apply a process's `--import tsx` loader to a worker's entry).
function createExportWorker(workerData: ExportWorkerData): Worker {
  if (!import.meta.url.endsWith('.ts'))
    return new Worker(new URL('./span-export-worker.js', import.meta.url), { workerData });
  const entry = new URL('./span-export-worker.ts', import.meta.url).href;
  const tsxDir = path.dirname(createRequire(import.meta.url).resolve('tsx/package.json'));
  const api = pathToFileURL(path.join(tsxDir, 'dist/esm/api/index.mjs')).href;
  const code = `import(${JSON.stringify(api)}).then((tsx) => tsx.tsImport(${JSON.stringify(entry)}, ${JSON.stringify(api)}))`;
  return new Worker(code, { eval: true, workerData });
}

const HOP_SIZE = 64;
const HOP_DELAY_MS = 50;

export class WorkerSpanProcessor implements SpanProcessor {
  private readonly worker: Worker;
  private pending: WireSpan[] = [];
  private timer: NodeJS.Timeout | undefined;
  private readonly resources = new WeakMap<object, number>();
  private readonly scopes = new WeakMap<object, number>();
  private readonly keys = new KeyTable();
  private nextResource = 0;
  private nextScope = 0;
  private nextRequest = 0;
  private readonly waiting = new Map<number, () => void>();
  private exited = false;
  // Spans leave the main thread in small groups, soon after they end: held for a whole export batch (512 spans,
  // up to 5 s) they outlive the young generation and make the main thread's GC pay for them; the worker batches.
  private readonly hopSize: number;
  private readonly hopDelayMillis: number;
  private closing: Promise<void> | undefined;

  constructor(private readonly opts: WorkerSpanProcessorOptions) {
    this.hopSize = Math.min(HOP_SIZE, opts.maxExportBatchSize);
    this.hopDelayMillis = Math.min(HOP_DELAY_MS, opts.scheduledDelayMillis);
    const { onDropped: _dropped, onExportFailed: _failed, ...workerData } = opts; // functions cannot cross
    this.worker = createExportWorker(workerData);
    // Like the SDK's batch timer, export never keeps the process alive; flush and shutdown hold it (request()).
    this.worker.unref();
    this.worker.on('message', (msg: FromWorker) => this.onMessage(msg));
    // The worker's queue dies with it (its size is unknown here); what arrives later is counted as dropped.
    this.worker.on('error', (err) => opts.onExportFailed?.(0, `export worker failed: ${err.message}`));
    this.worker.on('exit', () => {
      this.exited = true;
      for (const done of this.waiting.values()) done();
      this.waiting.clear();
    });
  }

  onStart(_span: Span, _parentContext: Context): void {}

  onEnd(span: ReadableSpan): void {
    if (this.closing || (span.spanContext().traceFlags & TraceFlags.SAMPLED) === 0) return;
    if (this.exited) {
      this.opts.onDropped?.(1);
      return;
    }
    this.pending.push(toWire(span, this.resourceId(span.resource), this.scopeId(span.instrumentationScope), this.keys));
    if (this.pending.length >= this.hopSize) this.post();
    else this.timer ??= setTimeout(() => this.post(), this.hopDelayMillis).unref();
  }

  forceFlush(): Promise<void> {
    if (this.closing) return this.closing;
    this.post();
    return this.request('flush');
  }

  shutdown(): Promise<void> {
    this.closing ??= (async () => {
      this.post();
      await this.request('shutdown');
      await this.worker.terminate();
    })();
    return this.closing;
  }

  private post(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pending.length === 0) return;
    if (this.exited) {
      this.opts.onDropped?.(this.pending.length);
      this.pending = [];
      return;
    }
    const keys = this.keys.takeNew();
    if (keys) this.send({ type: 'keys', keys });
    this.send({ type: 'spans', spans: this.pending });
    this.pending = [];
  }

  private send(msg: ToWorker): void {
    if (!this.exited) this.worker.postMessage(msg);
  }

  /** Resolves when the worker has exported everything sent before it (or has exited). */
  private request(type: 'flush' | 'shutdown'): Promise<void> {
    if (this.exited) return Promise.resolve();
    const id = this.nextRequest++;
    this.worker.ref();
    return new Promise<void>((resolve) => {
      this.waiting.set(id, resolve);
      this.send({ type, id });
    }).finally(() => {
      if (this.waiting.size === 0) this.worker.unref();
    });
  }

  private onMessage(msg: FromWorker): void {
    if (msg.type === 'done') {
      this.waiting.get(msg.id)?.();
      this.waiting.delete(msg.id);
    } else if (msg.type === 'dropped') this.opts.onDropped?.(msg.count);
    else this.opts.onExportFailed?.(msg.count, msg.message);
  }

  private resourceId(resource: ReadableSpan['resource']): number {
    let id = this.resources.get(resource);
    if (id === undefined) {
      id = this.nextResource++;
      this.resources.set(resource, id);
      this.send({ type: 'resource', id, resource: { attributes: resource.attributes, schemaUrl: resource.schemaUrl } });
    }
    return id;
  }

  private scopeId(scope: ReadableSpan['instrumentationScope']): number {
    let id = this.scopes.get(scope);
    if (id === undefined) {
      id = this.nextScope++;
      this.scopes.set(scope, id);
      this.send({ type: 'scope', id, scope: { name: scope.name, version: scope.version, schemaUrl: scope.schemaUrl } });
    }
    return id;
  }
}

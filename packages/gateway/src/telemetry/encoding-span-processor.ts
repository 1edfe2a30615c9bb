// The gateway's span processor: each sampled span is encoded to OTLP the moment it ends (otlp-span-encoding.ts) and
// only its bytes wait for the export, which OTel's own OTLP/HTTP export delegate sends (headers, compression,
// retries and TLS from the standard OTEL_EXPORTER_OTLP_* settings). docs/decisions/0018-tracing-encode-at-span-end.md.
// Same contract as the SDK's BatchSpanProcessor (sampled spans only, batch size, scheduled delay, bounded queue,
// one export at a time, flush on forceFlush / shutdown), except that what it cannot keep or deliver is counted.
import { type Context, type SpanContext, TraceFlags } from '@opentelemetry/api';
import { convertLegacyHttpOptions, createOtlpHttpExportDelegate } from '@opentelemetry/otlp-exporter-base/node-http';
import { JsonTraceSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { FinishedSpanData, SpanEndProcessor, TracerInfo } from './lean-tracer.js';
import { SpanBatch } from './otlp-span-encoding.js';
import { ProtoWriter } from './proto-writer.js';
import type { OtlpHttpProtocol, TracingBatchConfig } from './tracing.js';

/**
 * The batch settings as `batchConfigOf` resolves them: past `maxQueueSize` waiting spans new ones are dropped (and
 * counted); a batch smaller than `maxExportBatchSize` leaves at most `scheduledDelayMillis` after its first span.
 */
export interface SpanExportOptions extends Required<TracingBatchConfig> {
  protocol: OtlpHttpProtocol;
  /** Full traces URL; without it the exporter reads the OTEL_EXPORTER_OTLP_* variables itself. */
  url?: string;
  onDropped?: (count: number) => void;
  onExportFailed?: (count: number, message: string) => void;
}

/** Spans on their way to one export request. */
interface Batch {
  readonly count: number;
  readonly capacity: number;
  add(span: ReadableSpan): void;
  toRequest(out: ProtoWriter): Uint8Array;
  reset(): void;
}

/** OTLP/JSON (the rarer choice) keeps the spans themselves and lets OTel's JSON serializer write them. */
class JsonSpanBatch implements Batch {
  private readonly spans: ReadableSpan[] = [];
  readonly capacity = 0;
  get count(): number {
    return this.spans.length;
  }
  add(span: ReadableSpan): void {
    this.spans.push(span);
  }
  toRequest(): Uint8Array {
    return JsonTraceSerializer.serializeRequest(this.spans) ?? new Uint8Array(0);
  }
  reset(): void {
    this.spans.length = 0;
  }
}

/** What the export delegate is handed: the body made, so the batch's buffer is free for reuse at once. */
interface ExportRequest {
  body: Uint8Array;
  count: number;
}

const SUCCESS = 0; // ExportResultCode.SUCCESS
/** A batch grown past this (spans carrying captured message content) is not kept for reuse. */
const MAX_SPARE_BYTES = 4 * 1024 * 1024;

export class EncodingSpanProcessor implements SpanProcessor, SpanEndProcessor {
  private readonly delegate;
  private readonly newBatch: () => Batch;
  private filling: Batch;
  /** Full batches waiting for their turn. */
  private waiting: Batch[] = [];
  /** Sent batches kept for reuse (their buffers), at most two: fresh memory costs a page fault per 4 KiB. */
  private readonly spare: Batch[] = [];
  /** The last request body's buffer, free again once its export has finished (not merely timed out). */
  private freeBody: ProtoWriter | undefined;
  private queued = 0;
  private exporting: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private closing: Promise<void> | undefined;

  constructor(private readonly opts: SpanExportOptions) {
    const json = opts.protocol === 'http/json';
    const serializer = json ? JsonTraceSerializer : ProtobufTraceSerializer;
    const create = json ? () => new JsonSpanBatch() : () => new SpanBatch();
    this.newBatch = () => this.spare.pop() ?? create();
    this.filling = this.newBatch();
    this.delegate = createOtlpHttpExportDelegate<ExportRequest, unknown>(
      convertLegacyHttpOptions(opts.url ? { url: opts.url } : {}, 'TRACES', 'v1/traces', {
        'Content-Type': json ? 'application/json' : 'application/x-protobuf',
      }),
      {
        serializeRequest: (request) => request.body,
        deserializeResponse: (data) => serializer.deserializeResponse(data),
      },
      'otlp_http_span_exporter',
      { name: 'span', countItems: (request) => request.count },
      undefined,
    );
  }

  onStart(_span: Span, _parentContext: Context): void {}

  onEnd(span: ReadableSpan): void {
    if (this.closing || (span.spanContext().traceFlags & TraceFlags.SAMPLED) === 0 || !this.hasRoom()) return;
    try {
      this.filling.add(span);
    } catch {
      // A span the encoder cannot write (only code of one's own could make one) is lost, never the request with it.
      this.opts.onDropped?.(1);
      return;
    }
    this.added();
  }

  onFinished(
    span: FinishedSpanData,
    context: SpanContext,
    parent: SpanContext | undefined,
    tracer: TracerInfo,
  ): boolean {
    // Protobuf batches write a finished span from its data; JSON ones need span objects.
    const batch = this.filling;
    if (!(batch instanceof SpanBatch)) return false;
    if (this.closing || !this.hasRoom()) return true;
    try {
      batch.addFinished(span, context, parent, tracer);
    } catch {
      this.opts.onDropped?.(1);
      return true;
    }
    this.added();
    return true;
  }

  /** Whether the queue takes one more span; a span it cannot take is counted as dropped. */
  private hasRoom(): boolean {
    if (this.queued < this.opts.maxQueueSize) return true;
    this.opts.onDropped?.(1);
    return false;
  }

  private added(): void {
    this.queued++;
    if (this.filling.count >= this.opts.maxExportBatchSize) {
      this.waiting.push(this.filling);
      this.filling = this.newBatch();
      void this.drain();
    } else this.timer ??= setTimeout(() => void this.exportAll(), this.opts.scheduledDelayMillis).unref();
  }

  forceFlush(): Promise<void> {
    return this.closing ?? this.exportAll();
  }

  shutdown(): Promise<void> {
    this.closing ??= this.exportAll().then(() => this.delegate.shutdown());
    return this.closing;
  }

  /** Exports full batches one at a time until none waits. */
  private drain(): Promise<void> {
    this.exporting ??= (async () => {
      for (let batch = this.waiting.shift(); batch; batch = this.waiting.shift()) {
        this.queued -= batch.count; // as the SDK's queue: the batch being sent no longer counts against it
        const out = this.freeBody ?? new ProtoWriter(64 * 1024);
        this.freeBody = undefined;
        let request: ExportRequest;
        try {
          request = { body: batch.toRequest(out), count: batch.count };
        } catch (err) {
          this.opts.onExportFailed?.(
            batch.count,
            `encoding failed: ${err instanceof Error ? err.message : String(err)}`,
          );
          batch.reset();
          continue;
        }
        batch.reset();
        if (this.spare.length < 2 && batch.capacity <= MAX_SPARE_BYTES) this.spare.push(batch);
        // After a timeout the delegate may still be sending (or retrying) this body: its buffer is not reused then.
        if ((await this.send(request)) && out.buf.length <= MAX_SPARE_BYTES) this.freeBody = out;
      }
    })().finally(() => {
      this.exporting = undefined;
    });
    return this.exporting;
  }

  /** Everything queued, the partial batch included; resolves when it has been sent (or has failed). */
  private async exportAll(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.filling.count > 0) {
      this.waiting.push(this.filling);
      this.filling = this.newBatch();
    }
    // An export already running may be past the point where it picks up what was just queued.
    for (let i = 0; i < 100 && (this.waiting.length > 0 || this.exporting); i++) await this.drain();
  }

  /** Resolves true when the export has finished (delivered or failed), false when it timed out first. */
  private send(request: ExportRequest): Promise<boolean> {
    return new Promise<boolean>((resolve) => {
      // Whichever comes first decides: a batch that timed out is reported once, even if its export fails later.
      let settled = false;
      const settle = (finished: boolean, failure?: string) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (failure !== undefined) this.opts.onExportFailed?.(request.count, failure);
        resolve(finished);
      };
      const timer = setTimeout(() => settle(false, 'export timed out'), this.opts.exportTimeoutMillis);
      try {
        this.delegate.export(request, (result) =>
          settle(true, result.code === SUCCESS ? undefined : (result.error?.message ?? 'export failed')),
        );
      } catch (err) {
        settle(true, err instanceof Error ? err.message : String(err));
      }
    });
  }
}

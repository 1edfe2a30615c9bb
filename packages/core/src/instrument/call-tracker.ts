import { type Context, context } from '@opentelemetry/api';
import { classifyError } from '../errors/classify-error.js';
import { priceInPlace, recordCall } from '../telemetry/record-call.js';
import type { CallRecord, ErrorInfo, Operation, ProviderKind, Usage } from '../types.js';
import { embeddingsUsage, estimateUsage } from '../usage/usage-shapes.js';
import type { ResolvedOptions } from './instrument-options.js';

export interface CallStart {
  provider: ProviderKind;
  operation: Operation;
  requestModel: string;
  streaming: boolean;
  serverAddress?: string;
  serverPort?: number;
  /** Lazily measured only when the response has no usage. */
  inputChars?: () => number;
  /** Lazily serialized only when content capture is on. */
  inputMessages?: () => unknown;
}

/**
 * Collects what one call reveals (timings, usage, ids, errors) and emits exactly one CallRecord.
 * Every method swallows its own failures: telemetry never throws into user code.
 */
export class CallTracker {
  private readonly start = Date.now();
  private readonly t0 = performance.now();
  private readonly ctx: Context = context.active();
  private firstChunkMs: number | undefined;
  private done = false;
  usage: Usage | undefined;
  responseModel: string | undefined;
  responseId: string | undefined;
  requestId: string | undefined;
  finishReasons: string[] | undefined;
  outputChars = 0;
  outputText = '';

  constructor(
    private readonly call: CallStart,
    private readonly opts: ResolvedOptions,
  ) {}

  chunk(): void {
    this.firstChunkMs ??= performance.now() - this.t0;
  }

  addOutputText(text: unknown): void {
    if (typeof text !== 'string') return;
    this.outputChars += text.length;
    if (this.opts.captureContent) this.outputText += text;
  }

  setFinish(reasons: Array<string | null | undefined>): void {
    const r = reasons.filter((x): x is string => typeof x === 'string' && x !== '');
    if (r.length) this.finishReasons = r;
  }

  ok(): void {
    this.finish('ok');
  }

  fail(err: unknown, info?: ErrorInfo): void {
    this.finish('error', info ?? safeClassify(err, this.call.provider));
  }

  /** The consumer stopped reading a stream early (break / return() / abort). */
  abandon(): void {
    this.finish('error', {
      errorClass: 'cancelled',
      retryable: false,
      fallbackEligible: false,
      message: 'stream abandoned by the consumer before it ended',
    });
  }

  private finish(outcome: 'ok' | 'error', error?: ErrorInfo): void {
    if (this.done) return;
    this.done = true;
    try {
      recordCall(this.build(outcome, error), this.opts.sinks, this.ctx);
    } catch {
      // never into user code
    }
  }

  private build(outcome: 'ok' | 'error', error?: ErrorInfo): CallRecord {
    const c = this.call;
    let usage = this.usage;
    // A successful stream without usage is estimated, never reported as zero.
    if (!usage && outcome === 'ok') usage = estimateUsage(c.inputChars?.() ?? 0, this.outputChars);
    else if (c.operation === 'embeddings' && usage?.inputTokens === 0)
      usage = embeddingsUsage(usage, () => c.inputChars?.() ?? 0);
    // Plain assignments in the CallRecord's field order: no temporary objects per optional field.
    const record: CallRecord = {
      provider: c.provider,
      operation: c.operation,
      requestModel: c.requestModel,
      startTime: this.start,
      durationMs: performance.now() - this.t0,
      streaming: c.streaming,
      outcome,
    };
    if (this.firstChunkMs !== undefined) record.timeToFirstTokenMs = this.firstChunkMs;
    if (this.responseModel) record.responseModel = this.responseModel;
    if (usage) record.usage = usage;
    if (error) record.error = error;
    if (this.finishReasons) record.finishReasons = this.finishReasons;
    if (this.responseId) record.responseId = this.responseId;
    if (this.requestId) record.requestId = this.requestId;
    if (c.serverAddress) record.serverAddress = c.serverAddress;
    if (c.serverPort !== undefined) record.serverPort = c.serverPort;
    if (this.opts.attributes) record.attributes = this.opts.attributes;
    if (this.opts.captureContent) {
      record.content = {
        inputMessages: JSON.stringify(c.inputMessages?.() ?? null),
        outputMessages: JSON.stringify([{ role: 'assistant', parts: [{ type: 'text', content: this.outputText }] }]),
      };
    }
    priceInPlace(record, this.opts.priceSource, this.opts.priceLogger);
    return record;
  }
}

function safeClassify(err: unknown, provider: ProviderKind): ErrorInfo {
  try {
    return classifyError(err, provider);
  } catch {
    return { errorClass: 'unknown', retryable: false, fallbackEligible: false, message: 'unclassifiable error' };
  }
}

/** host/port of a base URL, for server.address / server.port. */
export function serverOf(baseUrl: unknown): { serverAddress?: string; serverPort?: number } {
  if (typeof baseUrl !== 'string') return {};
  try {
    const u = new URL(baseUrl);
    const port = u.port ? Number(u.port) : u.protocol === 'https:' ? 443 : 80;
    return { serverAddress: u.hostname, serverPort: port };
  } catch {
    return {};
  }
}

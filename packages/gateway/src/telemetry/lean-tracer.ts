// The gateway's OTel TracerProvider: the API's Tracer and Span, each span handed to one processor when it ends
// (the encoder, encoding-span-processor.ts). It does what the SDK's tracer does for a span (sampler, ids, limits,
// attribute validation, timing, events, links, exceptions) without what a request path pays for and nobody here
// reads: span processors' fan-out, tracer self-metrics, attributes sanitised and copied twice, clocks read three
// times. A finished span is a ReadableSpan, so OTel's serializers and in-memory exporters read it as they read the
// SDK's. docs/decisions/0018-tracing-encode-at-span-end.md.
import { randomFillSync } from 'node:crypto';
import {
  type Attributes,
  type AttributeValue,
  type Context,
  context,
  diag,
  type Exception,
  type HrTime,
  INVALID_SPAN_CONTEXT,
  type Link,
  SamplingDecision,
  type Span,
  type SpanAttributes,
  type SpanContext,
  SpanKind,
  type SpanOptions,
  type SpanStatus,
  SpanStatusCode,
  type TimeInput,
  TraceFlags,
  type Tracer,
  type TracerProvider,
  trace,
} from '@opentelemetry/api';
import {
  addHrTimes,
  hrTimeDuration,
  isAttributeValue,
  isTimeInput,
  isTimeInputHrTime,
  isTracingSuppressed,
  millisToHrTime,
} from '@opentelemetry/core';
import { type ReadableSpan, type TimedEvent, TraceIdRatioBasedSampler } from '@opentelemetry/sdk-trace-base';
import type { CallSpan } from '@switchyard/core';

type Resource = ReadableSpan['resource'];
type Scope = ReadableSpan['instrumentationScope'];

export interface SpanLimits {
  attributeCountLimit: number;
  attributeValueLengthLimit: number;
  eventCountLimit: number;
  linkCountLimit: number;
  attributePerEventCountLimit: number;
  attributePerLinkCountLimit: number;
}

/** The SDK's defaults, and its standard variables (`OTEL_SPAN_*`, `OTEL_ATTRIBUTE_*`). */
export function spanLimitsFromEnv(env: Record<string, string | undefined>): SpanLimits {
  const num = (...names: string[]) => {
    for (const name of names) {
      const v = Number(env[name] ?? Number.NaN);
      if (env[name]?.trim() && Number.isFinite(v) && v >= 0) return v;
    }
    return undefined;
  };
  const attributes = num('OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT', 'OTEL_ATTRIBUTE_COUNT_LIMIT') ?? 128;
  return {
    attributeCountLimit: attributes,
    attributeValueLengthLimit:
      num('OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT', 'OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT') ?? Number.POSITIVE_INFINITY,
    eventCountLimit: num('OTEL_SPAN_EVENT_COUNT_LIMIT') ?? 128,
    linkCountLimit: num('OTEL_SPAN_LINK_COUNT_LIMIT') ?? 128,
    attributePerEventCountLimit: num('OTEL_SPAN_ATTRIBUTE_PER_EVENT_COUNT_LIMIT') ?? attributes,
    attributePerLinkCountLimit: num('OTEL_SPAN_ATTRIBUTE_PER_LINK_COUNT_LIMIT') ?? attributes,
  };
}

/**
 * A span handed to the tracer already over (name, kind, times, attributes, status): core's `CallSpan`, the CLIENT span
 * of an attempt, built from the call's record once the call has ended, so no Span object lives in between.
 */
export type FinishedSpanData = CallSpan;

/** What every span of one tracer shares: where it comes from and the limits its attributes are held to. */
export interface TracerInfo {
  readonly resource: Resource;
  readonly scope: Scope;
  readonly limits: SpanLimits;
}

export interface SpanEndProcessor {
  onEnd(span: ReadableSpan): void;
  /**
   * A finished span as data, sampled and given its ids by the tracer; the processor applies the tracer's attribute
   * rules as a span would (`acceptedAttribute`, `truncatedValue`, the count limit). Returns false when it can take
   * only span objects: the tracer then records the same span through a span object and `onEnd`.
   */
  onFinished?(
    span: FinishedSpanData,
    context: SpanContext,
    parent: SpanContext | undefined,
    tracer: TracerInfo,
  ): boolean;
  forceFlush(): Promise<void>;
  shutdown(): Promise<void>;
}

export interface LeanTracerProviderOptions {
  resource: Resource;
  /** Share of new traces sampled (0..1), by trace id; a parent's decision is always followed (parent-based). */
  sampleRatio: number;
  processor: SpanEndProcessor;
  limits: SpanLimits;
}

export class LeanTracerProvider implements TracerProvider {
  private readonly tracers = new Map<string, LeanTracer>();
  constructor(private readonly opts: LeanTracerProviderOptions) {}

  getTracer(name: string, version?: string, options?: { schemaUrl?: string }): Tracer {
    return this.leanTracer(name, version, options);
  }

  /** `getTracer`, typed as the lean tracer (for `recordFinished`). */
  leanTracer(name: string, version?: string, options?: { schemaUrl?: string }): LeanTracer {
    const key = `${name}@${version ?? ''}:${options?.schemaUrl ?? ''}`;
    let tracer = this.tracers.get(key);
    if (!tracer) {
      tracer = new LeanTracer({ name, version, schemaUrl: options?.schemaUrl }, this.opts);
      this.tracers.set(key, tracer);
    }
    return tracer;
  }

  forceFlush(): Promise<void> {
    return this.opts.processor.forceFlush();
  }

  shutdown(): Promise<void> {
    return this.opts.processor.shutdown();
  }
}

/** Random ids from a pooled buffer of crypto randomness (one fill per 512 span ids). */
const idPool = Buffer.allocUnsafeSlow(4096);
let idAt = idPool.length;

function randomId(bytes: 8 | 16): string {
  if (idAt + bytes > idPool.length) {
    randomFillSync(idPool);
    idAt = 0;
  }
  const start = idAt;
  idAt += bytes;
  // All zeros is the invalid id; make it one.
  let zero = true;
  for (let i = start; i < idAt && zero; i++) zero = idPool[i] === 0;
  if (zero) idPool[idAt - 1] = 1;
  return idPool.toString('hex', start, idAt);
}

export class LeanTracer implements Tracer {
  private readonly ratio: TraceIdRatioBasedSampler | undefined;
  private readonly info: TracerInfo;

  constructor(
    private readonly scope: Scope,
    private readonly opts: LeanTracerProviderOptions,
  ) {
    this.ratio =
      opts.sampleRatio > 0 && opts.sampleRatio < 1 ? new TraceIdRatioBasedSampler(opts.sampleRatio) : undefined;
    this.info = { resource: opts.resource, scope, limits: opts.limits };
  }

  /** ParentBased(TraceIdRatio), the SDK's sampler of that name: a valid parent decides, else the trace id. */
  private sampled(ctx: Context, parent: SpanContext | undefined, traceId: string): boolean {
    if (parent) return (parent.traceFlags & TraceFlags.SAMPLED) !== 0;
    if (this.ratio) return this.ratio.shouldSample(ctx, traceId).decision === SamplingDecision.RECORD_AND_SAMPLED;
    return this.opts.sampleRatio >= 1;
  }

  /** A new span's context under `ctx`: the parent's trace (or a new one), a new span id, the sampling decision. */
  private newSpanContext(ctx: Context, parent: SpanContext | undefined): SpanContext {
    const traceId = parent ? parent.traceId : randomId(16);
    const spanId = randomId(8);
    const sampled = this.sampled(ctx, parent, traceId);
    const spanContext: SpanContext = { traceId, spanId, traceFlags: sampled ? TraceFlags.SAMPLED : TraceFlags.NONE };
    if (parent?.traceState) spanContext.traceState = parent.traceState;
    return spanContext;
  }

  startSpan(name: string, options: SpanOptions = {}, ctx: Context = context.active()): Span {
    if (options.root) ctx = trace.deleteSpan(ctx);
    if (isTracingSuppressed(ctx)) return trace.wrapSpanContext(INVALID_SPAN_CONTEXT);
    const parent = validParentOf(ctx);
    const spanContext = this.newSpanContext(ctx, parent);
    if ((spanContext.traceFlags & TraceFlags.SAMPLED) === 0) return trace.wrapSpanContext(spanContext);
    const kind = options.kind ?? SpanKind.INTERNAL;
    const span = new LeanSpan(name, kind, spanContext, parent, options.startTime, this.scope, this.opts);
    if (options.links) span.addLinks(options.links);
    if (options.attributes) span.setAttributes(options.attributes);
    return span;
  }

  /**
   * Records a span that is already over, parented on `ctx`: what `startSpan`, `setAttributes`, `setStatus` and
   * `end` record for the same data, minus the span object when the processor takes the data itself. `toSpan`
   * makes the data from `source` only for a sampled span.
   */
  recordFinished<T>(ctx: Context, source: T, toSpan: (source: T) => FinishedSpanData): void {
    if (isTracingSuppressed(ctx)) return;
    const parent = validParentOf(ctx);
    const spanContext = this.newSpanContext(ctx, parent);
    if ((spanContext.traceFlags & TraceFlags.SAMPLED) === 0) return;
    const data = toSpan(source);
    if (this.opts.processor.onFinished?.(data, spanContext, parent, this.info)) return;
    const span = new LeanSpan(data.name, data.kind, spanContext, parent, data.startTime, this.scope, this.opts);
    span.setAttributes(data.attributes);
    span.setStatus(data.status);
    span.end(data.endTime);
  }

  startActiveSpan<F extends (span: Span) => unknown>(name: string, ...args: unknown[]): ReturnType<F> {
    const fn = args.at(-1) as F;
    const opts = (args.length >= 2 ? args[0] : undefined) as SpanOptions | undefined;
    const parent = (args.length >= 3 ? args[1] : undefined) as Context | undefined;
    const parentContext = parent ?? context.active();
    const span = this.startSpan(name, opts, parentContext);
    return context.with(trace.setSpan(parentContext, span), fn as (span: Span) => ReturnType<F>, undefined, span);
  }
}

function validParentOf(ctx: Context): SpanContext | undefined {
  const parent = trace.getSpanContext(ctx);
  return parent && trace.isSpanContextValid(parent) ? parent : undefined;
}

const timeOrigin = performance.timeOrigin;

/**
 * A span's time given as a number, as the SDK reads it: up to performance.now() a reading of it (placed on the
 * wall clock with `perfOffset`, the wall clock's lead over performance.now() + timeOrigin), above that epoch ms.
 */
export function hrTimeOfMillis(input: number, perfOffset?: number): HrTime {
  if (input < timeOrigin && input <= performance.now())
    return millisToHrTime(input + (perfOffset ?? Date.now() - (performance.now() + timeOrigin)) + timeOrigin);
  return millisToHrTime(input);
}

/** Whether a span keeps this attribute, as `setAttribute` decides (null and undefined are skipped silently). */
export function acceptedAttribute(key: string, value: unknown): value is AttributeValue {
  if (value == null) return false;
  if (key.length === 0) {
    diag.warn(`Invalid attribute key: ${key}`);
    return false;
  }
  const t = typeof value;
  if (t !== 'string' && t !== 'number' && t !== 'boolean' && !isAttributeValue(value)) {
    diag.warn(`Invalid attribute value set for key: ${key}`);
    return false;
  }
  return true;
}

/** An attribute value cut to the value length limit, as the SDK cuts strings and the strings in arrays. */
export function truncatedValue(value: AttributeValue, limit: number): AttributeValue {
  if (limit === Number.POSITIVE_INFINITY || limit <= 0) return value;
  if (typeof value === 'string') return value.length > limit ? value.slice(0, limit) : value;
  if (Array.isArray(value))
    return value.map((v) => (typeof v === 'string' && v.length > limit ? v.slice(0, limit) : v)) as AttributeValue;
  return value;
}

/**
 * Room for one more entry in a list capped at `limit`, the oldest giving way as in the SDK. Returns how many entries
 * that costs: 1 when one is evicted, or when the limit is 0 and the new one cannot be kept.
 */
function makeRoom(list: unknown[], limit: number): number {
  if (limit === 0) return 1;
  if (list.length < limit) return 0;
  list.shift();
  return 1;
}

/**
 * A span's attributes as one list of keys and values in turn (`[k0, v0, k1, v1, …]`), for the encoder
 * (otlp-span-encoding.ts): an object grown key by key past ~16 keys turns into a hash table in V8 (slow to fill,
 * slower to walk), and a gateway span has 20-odd; one list rather than two is two objects fewer for a span that lives
 * as long as its request.
 */
export interface AttributeList {
  readonly attributeList: Array<string | AttributeValue>;
}

const NO_LINKS: Link[] = Object.freeze([]) as unknown as Link[];
const NO_EVENTS: TimedEvent[] = Object.freeze([]) as unknown as TimedEvent[];
const NOT_ENDED: HrTime = Object.freeze([0, 0]) as unknown as HrTime;
const NO_DURATION: HrTime = Object.freeze([-1, -1]) as unknown as HrTime;
const UNSET_STATUS: SpanStatus = Object.freeze({ code: SpanStatusCode.UNSET });

/** A recording span: the API's Span while open, a ReadableSpan once ended. */
class LeanSpan implements Span, AttributeList {
  readonly attributeList: Array<string | AttributeValue> = [];
  // Until a first link, event, end or status, shared empty values: a SERVER span lives as long as its request, and
  // every object it holds then is one more for the young-generation collector to copy (ADR 0019).
  links: Link[] = NO_LINKS;
  events: TimedEvent[] = NO_EVENTS;
  readonly resource: Resource;
  readonly instrumentationScope: Scope;
  startTime: HrTime;
  endTime: HrTime = NOT_ENDED;
  duration: HrTime = NO_DURATION;
  status: SpanStatus = UNSET_STATUS;
  ended = false;
  droppedAttributesCount = 0;
  droppedEventsCount = 0;
  droppedLinksCount = 0;
  private readonly limits: SpanLimits;
  private readonly processor: SpanEndProcessor;
  /** performance.now() at the start, and its distance to the wall clock then: durations come from the former. */
  private readonly perfStart: number;
  private readonly perfOffset: number;
  private readonly startTimeGiven: boolean;

  constructor(
    public name: string,
    readonly kind: SpanKind,
    private readonly context: SpanContext,
    readonly parentSpanContext: SpanContext | undefined,
    startTime: TimeInput | undefined,
    scope: Scope,
    opts: LeanTracerProviderOptions,
  ) {
    const now = Date.now();
    this.perfStart = performance.now();
    this.perfOffset = now - (this.perfStart + timeOrigin);
    this.startTimeGiven = startTime != null;
    this.resource = opts.resource;
    this.instrumentationScope = scope;
    this.limits = opts.limits;
    this.processor = opts.processor;
    this.startTime = this.timeOf(startTime ?? now);
  }

  spanContext(): SpanContext {
    return this.context;
  }

  setAttribute(key: string, value: SpanAttributes[string]): this {
    if (this.ended || !acceptedAttribute(key, value)) return this;
    const list = this.attributeList;
    let at = 0;
    while (at < list.length && list[at] !== key) at += 2;
    if (at < list.length) list[at + 1] = this.truncated(value);
    else if (list.length / 2 >= this.limits.attributeCountLimit) this.droppedAttributesCount++;
    else {
      list.push(key, this.truncated(value));
    }
    return this;
  }

  /** ReadableSpan's view, for OTel's serializers and exporters (the gateway's encoder reads the list). */
  get attributes(): Attributes {
    const out: Attributes = {};
    const list = this.attributeList;
    for (let i = 0; i < list.length; i += 2) out[list[i] as string] = list[i + 1] as AttributeValue;
    return out;
  }

  setAttributes(attributes: SpanAttributes): this {
    for (const key in attributes) if (Object.hasOwn(attributes, key)) this.setAttribute(key, attributes[key]);
    return this;
  }

  addEvent(name: string, attributesOrTime?: Attributes | TimeInput, time?: TimeInput): this {
    if (this.ended) return this;
    if (this.events === NO_EVENTS) this.events = [];
    this.droppedEventsCount += makeRoom(this.events, this.limits.eventCountLimit);
    if (this.limits.eventCountLimit === 0) return this;
    let attributes = attributesOrTime as Attributes | undefined;
    if (isTimeInput(attributesOrTime)) {
      if (!isTimeInput(time)) time = attributesOrTime;
      attributes = undefined;
    }
    const [kept, dropped] = this.limited(attributes, this.limits.attributePerEventCountLimit);
    this.events.push({ name, attributes: kept, time: this.timeOf(time), droppedAttributesCount: dropped });
    return this;
  }

  addLink(link: Link): this {
    if (this.ended) return this;
    if (this.links === NO_LINKS) this.links = [];
    this.droppedLinksCount += makeRoom(this.links, this.limits.linkCountLimit);
    if (this.limits.linkCountLimit === 0) return this;
    const [attributes, dropped] = this.limited(link.attributes, this.limits.attributePerLinkCountLimit);
    const kept: Link = { context: link.context };
    if (Object.keys(attributes).length > 0) kept.attributes = attributes;
    if (dropped > 0) kept.droppedAttributesCount = dropped;
    this.links.push(kept);
    return this;
  }

  addLinks(links: Link[]): this {
    for (const link of links) this.addLink(link);
    return this;
  }

  setStatus(status: SpanStatus): this {
    if (this.ended || status.code === SpanStatusCode.UNSET || this.status.code === SpanStatusCode.OK) return this;
    this.status =
      status.code === SpanStatusCode.ERROR && typeof status.message === 'string'
        ? { code: status.code, message: status.message }
        : { code: status.code };
    return this;
  }

  updateName(name: string): this {
    if (!this.ended) this.name = name;
    return this;
  }

  end(endTime?: TimeInput): void {
    if (this.ended) {
      diag.error(
        `${this.name} ${this.context.traceId}-${this.context.spanId} - You can only call end() on a span once.`,
      );
      return;
    }
    this.endTime = this.timeOf(endTime);
    this.duration = hrTimeDuration(this.startTime, this.endTime);
    if (this.duration[0] < 0) {
      diag.warn('Inconsistent start and end time, startTime > endTime. Setting span duration to 0ms.');
      this.endTime = [this.startTime[0], this.startTime[1]];
      this.duration = [0, 0];
    }
    this.ended = true;
    this.processor.onEnd(this as unknown as ReadableSpan);
  }

  isRecording(): boolean {
    return !this.ended;
  }

  recordException(exception: Exception, time?: TimeInput): void {
    const attributes: Attributes = {};
    if (typeof exception === 'string') attributes['exception.message'] = exception;
    else if (exception) {
      if (exception.code) attributes['exception.type'] = exception.code.toString();
      else if (exception.name) attributes['exception.type'] = exception.name;
      if (exception.message) attributes['exception.message'] = exception.message;
      if (exception.stack) attributes['exception.stacktrace'] = exception.stack;
    }
    if (attributes['exception.type'] || attributes['exception.message']) this.addEvent('exception', attributes, time);
    else diag.warn(`Failed to record an exception ${exception}`);
  }

  /**
   * As the SDK: a number up to performance.now() is a reading of it, a larger one epoch milliseconds (the clock is
   * read only for numbers before the process started); no input is now, by the span's own clock.
   */
  private timeOf(input: TimeInput | undefined): HrTime {
    if (typeof input === 'number') return hrTimeOfMillis(input, this.perfOffset);
    if (input instanceof Date) return millisToHrTime(input.getTime());
    if (isTimeInputHrTime(input)) return input as HrTime;
    if (this.startTimeGiven) return millisToHrTime(Date.now());
    return addHrTimes(this.startTime, millisToHrTime(performance.now() - this.perfStart));
  }

  /** Valid attributes up to `limit`, truncated to the value length limit; and how many were dropped. */
  private limited(attributes: Attributes | undefined, limit: number): [Attributes, number] {
    const kept: Attributes = {};
    if (!attributes) return [kept, 0];
    let count = 0;
    let dropped = 0;
    for (const key of Object.keys(attributes)) {
      const value = attributes[key];
      if (key.length === 0 || value == null || !isAttributeValue(value)) continue;
      if (count >= limit) {
        dropped++;
        continue;
      }
      kept[key] = this.truncated(value);
      count++;
    }
    return [kept, dropped];
  }

  private truncated(value: AttributeValue): AttributeValue {
    return truncatedValue(value, this.limits.attributeValueLengthLimit);
  }
}

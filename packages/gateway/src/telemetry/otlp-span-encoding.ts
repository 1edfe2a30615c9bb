// OTLP/protobuf encoding of finished spans, one span at a time as it ends, into a batch that becomes an
// ExportTraceServiceRequest body (docs/decisions/0018-tracing-encode-at-span-end.md). Field for field what
// @opentelemetry/otlp-transformer's ProtobufTraceSerializer writes for the same spans (otlp-span-encoding.test.ts
// compares the bytes); unlike it, a span is encoded once, when it ends, and only its bytes wait for the export.
import {
  type Attributes,
  type AttributeValue,
  type HrTime,
  type Link,
  type SpanContext,
  type SpanKind,
  SpanStatusCode,
} from '@opentelemetry/api';
import { hrTimeDuration } from '@opentelemetry/core';
import type { ReadableSpan, TimedEvent } from '@opentelemetry/sdk-trace-base';
import {
  type AttributeList,
  acceptedAttribute,
  type FinishedSpanData,
  hrTimeOfMillis,
  type TracerInfo,
  truncatedValue,
} from './lean-tracer.js';
import { ProtoWriter } from './proto-writer.js';

const LEN = 2; // wire type: length-delimited
const VARINT = 0;
const I64 = 1;
const I32 = 5;

type Resource = ReadableSpan['resource'];
type Scope = ReadableSpan['instrumentationScope'] & { attributes?: Attributes; droppedAttributesCount?: number };

/** Spans encoded as they end, grouped by resource and scope when the request is built (as the OTel serializer). */
export class SpanBatch {
  private readonly arena: ProtoWriter;
  /** Per span: its group, and where its bytes start and end in the arena. */
  private readonly spans: number[] = [];
  private readonly groups: Array<{ resource: Resource; scope: Scope }> = [];
  private lastGroup = -1;

  constructor(capacity = 64 * 1024) {
    this.arena = new ProtoWriter(capacity);
  }

  get count(): number {
    return this.spans.length / 3;
  }

  /** Bytes its buffer holds (grown to the largest batch it has carried). */
  get capacity(): number {
    return this.arena.buf.length;
  }

  /** Empties the batch, keeping its buffer: fresh memory costs a page fault per 4 KiB on first write. */
  reset(): void {
    this.arena.pos = 0;
    this.spans.length = 0;
    this.groups.length = 0;
    this.lastGroup = -1;
  }

  add(span: ReadableSpan): void {
    const start = this.arena.pos;
    writeSpan(this.arena, span);
    this.spans.push(this.groupOf(span.resource, span.instrumentationScope), start, this.arena.pos);
  }

  /** A span handed over finished (`LeanTracer.recordFinished`), written from its data. */
  addFinished(span: FinishedSpanData, context: SpanContext, parent: SpanContext | undefined, tracer: TracerInfo): void {
    const start = this.arena.pos;
    writeFinishedSpan(this.arena, span, context, parent, tracer);
    this.spans.push(this.groupOf(tracer.resource, tracer.scope), start, this.arena.pos);
  }

  /**
   * The ExportTraceServiceRequest, written into `out` from its start (a writer may be reused once the previous
   * request is sent): resources, then scopes within each, in order of first appearance.
   */
  toRequest(out: ProtoWriter = new ProtoWriter(this.arena.pos + 1024)): Uint8Array {
    out.pos = 0;
    out.ensure(this.arena.pos + 256 * this.groups.length + 64);
    const resources: Resource[] = [];
    for (const g of this.groups) if (!resources.includes(g.resource)) resources.push(g.resource);
    for (const resource of resources) {
      out.tag(1, LEN); // resource_spans
      const resourceSpans = out.begin(3);
      writeResource(out, resource);
      for (let g = 0; g < this.groups.length; g++) {
        const group = this.groups[g] as { resource: Resource; scope: Scope };
        if (group.resource !== resource) continue;
        out.tag(2, LEN); // scope_spans
        const scopeSpans = out.begin(3);
        writeScope(out, group.scope);
        for (let i = 0; i < this.spans.length; i += 3) {
          if (this.spans[i] !== g) continue;
          const bytes = this.arena.buf.subarray(this.spans[i + 1], this.spans[i + 2]);
          out.tag(2, LEN); // spans
          out.bytes(bytes);
        }
        if (group.scope.schemaUrl) {
          out.tag(3, LEN);
          out.string(group.scope.schemaUrl);
        }
        out.end(scopeSpans);
      }
      if (resource.schemaUrl) {
        out.tag(3, LEN);
        out.string(resource.schemaUrl);
      }
      out.end(resourceSpans);
    }
    return out.buf.subarray(0, out.pos);
  }

  private groupOf(resource: Resource, scope: Scope): number {
    const last = this.groups[this.lastGroup];
    if (last && last.resource === resource && last.scope === scope) return this.lastGroup;
    let g = this.groups.findIndex((x) => x.resource === resource && x.scope === scope);
    if (g < 0) g = this.groups.push({ resource, scope }) - 1;
    this.lastGroup = g;
    return g;
  }
}

/** One Span message, without its field tag and length. */
export function writeSpan(w: ProtoWriter, span: ReadableSpan): void {
  const ctx = span.spanContext();
  const parent = span.parentSpanContext;
  writeHead(w, ctx, parent, span.name, span.kind);
  w.tag(7, I64);
  writeTime(w, span.startTime);
  w.tag(8, I64);
  writeTime(w, span.endTime);
  const list = (span as Partial<AttributeList>).attributeList;
  if (list) writeAttributeList(w, list, 9);
  else writeAttributes(w, span.attributes, 9);
  w.tag(10, VARINT);
  w.uint32(span.droppedAttributesCount);
  for (const event of span.events) writeEvent(w, event);
  w.tag(12, VARINT);
  w.uint32(span.droppedEventsCount);
  for (const link of span.links) writeLink(w, link);
  w.tag(14, VARINT);
  w.uint32(span.droppedLinksCount);
  writeStatus(w, span.status.code, span.status.message);
  w.tag(16, I32);
  w.fixed32(flagsOf(ctx, parent?.isRemote));
}

/**
 * The Span message `writeSpan` writes for the span the lean tracer records from the same data (startSpan with the
 * data's kind and start, setAttributes, setStatus, end at its end), straight from the data.
 */
export function writeFinishedSpan(
  w: ProtoWriter,
  span: FinishedSpanData,
  ctx: SpanContext,
  parent: SpanContext | undefined,
  tracer: TracerInfo,
): void {
  writeHead(w, ctx, parent, span.name, span.kind);
  const startTime = hrTimeOfMillis(span.startTime);
  let endTime = hrTimeOfMillis(span.endTime);
  // The span API's rule (LeanSpan.end): an end before the start is the start (zero duration).
  if (hrTimeDuration(startTime, endTime)[0] < 0) endTime = startTime;
  w.tag(7, I64);
  writeTime(w, startTime);
  w.tag(8, I64);
  writeTime(w, endTime);
  const { attributeCountLimit, attributeValueLengthLimit } = tracer.limits;
  const attributes = span.attributes;
  let kept = 0;
  let dropped = 0;
  for (const key in attributes) {
    if (!Object.hasOwn(attributes, key)) continue;
    const value = attributes[key];
    if (!acceptedAttribute(key, value)) continue;
    if (kept >= attributeCountLimit) dropped++;
    else {
      writeKeyValue(w, 9, key, truncatedValue(value, attributeValueLengthLimit));
      kept++;
    }
  }
  w.tag(10, VARINT);
  w.uint32(dropped);
  w.tag(12, VARINT); // dropped_events_count
  w.uint32(0);
  w.tag(14, VARINT); // dropped_links_count
  w.uint32(0);
  // setStatus's rules: UNSET changes nothing, only an ERROR keeps its message.
  const code = span.status.code;
  writeStatus(
    w,
    code,
    code === SpanStatusCode.ERROR && typeof span.status.message === 'string' ? span.status.message : undefined,
  );
  w.tag(16, I32);
  w.fixed32(flagsOf(ctx, parent?.isRemote));
}

function writeStatus(w: ProtoWriter, code: SpanStatusCode, message: string | undefined): void {
  w.tag(15, LEN);
  const m = w.begin();
  if (message) {
    w.tag(2, LEN);
    w.string(message);
  }
  w.tag(3, VARINT);
  w.uint32(code);
  w.end(m);
}

/** A Span's fields 1–6: its context, the parent's span id, name and kind. */
function writeHead(
  w: ProtoWriter,
  ctx: SpanContext,
  parent: SpanContext | undefined,
  name: string,
  kind: SpanKind | undefined,
): void {
  writeContext(w, ctx);
  if (parent?.spanId) {
    w.tag(4, LEN);
    w.hexBytes(parent.spanId);
  }
  w.tag(5, LEN);
  w.string(name);
  // OTLP's SpanKind counts from UNSPECIFIED = 0; the API's from INTERNAL = 0.
  if (kind != null) {
    w.tag(6, VARINT);
    w.uint32(kind + 1);
  }
}

/** trace_id, span_id and trace_state: fields 1–3 of both a Span and a Span.Link. */
function writeContext(w: ProtoWriter, ctx: SpanContext): void {
  w.tag(1, LEN);
  w.hexBytes(ctx.traceId);
  w.tag(2, LEN);
  w.hexBytes(ctx.spanId);
  const traceState = ctx.traceState?.serialize();
  if (traceState) {
    w.tag(3, LEN);
    w.string(traceState);
  }
}

// Span.flags: the W3C trace flags, plus whether the parent's remoteness is known (always here) and is remote.
function flagsOf(ctx: SpanContext, isRemote: boolean | undefined): number {
  return (ctx.traceFlags & 0xff) | 0x100 | (isRemote ? 0x200 : 0);
}

function writeEvent(w: ProtoWriter, event: TimedEvent): void {
  w.tag(11, LEN);
  const m = w.begin(event.attributes ? 2 : 1);
  w.tag(1, I64);
  writeTime(w, event.time);
  w.tag(2, LEN);
  w.string(event.name);
  if (event.attributes) writeAttributes(w, event.attributes, 3);
  w.tag(4, VARINT);
  w.uint32(event.droppedAttributesCount || 0);
  w.end(m);
}

function writeLink(w: ProtoWriter, link: Link): void {
  const c = link.context;
  w.tag(13, LEN);
  const m = w.begin();
  writeContext(w, c);
  if (link.attributes) writeAttributes(w, link.attributes, 4);
  w.tag(5, VARINT);
  w.uint32(link.droppedAttributesCount || 0);
  w.tag(6, I32);
  w.fixed32(flagsOf(c, c.isRemote));
  w.end(m);
}

function writeResource(w: ProtoWriter, resource: Resource): void {
  w.tag(1, LEN);
  const m = w.begin(2);
  if (resource.attributes) writeAttributes(w, resource.attributes, 1);
  w.tag(2, VARINT); // dropped_attributes_count: resources are not limited
  w.uint32(0);
  w.end(m);
}

function writeScope(w: ProtoWriter, scope: Scope): void {
  w.tag(1, LEN);
  const m = w.begin();
  w.tag(1, LEN);
  w.string(scope.name);
  if (scope.version) {
    w.tag(2, LEN);
    w.string(scope.version);
  }
  if (scope.attributes) writeAttributes(w, scope.attributes, 3);
  if (scope.droppedAttributesCount) {
    w.tag(4, VARINT);
    w.uint32(scope.droppedAttributesCount);
  }
  w.end(m);
}

function writeAttributes(w: ProtoWriter, attributes: Attributes, field: number): void {
  for (const key in attributes) if (Object.hasOwn(attributes, key)) writeKeyValue(w, field, key, attributes[key]);
}

function writeAttributeList(w: ProtoWriter, list: Array<string | AttributeValue>, field: number): void {
  for (let i = 0; i < list.length; i += 2) writeKeyValue(w, field, list[i] as string, list[i + 1]);
}

function writeKeyValue(w: ProtoWriter, field: number, key: string, v: AttributeValue | undefined): void {
  w.tag(field, LEN);
  const kv = w.begin();
  w.tag(1, LEN);
  w.string(key);
  w.tag(2, LEN);
  const value = w.begin();
  writeAnyValue(w, v);
  w.end(value);
  w.end(kv);
}

const MIN_INT64 = -(2 ** 63);
const MAX_INT64 = 2 ** 63; // exclusive

function writeAnyValue(w: ProtoWriter, value: AttributeValue | Record<string, unknown> | undefined): void {
  if (typeof value === 'string') {
    w.tag(1, LEN);
    w.string(value);
  } else if (typeof value === 'boolean') {
    w.tag(2, VARINT);
    w.uint32(value ? 1 : 0);
  } else if (typeof value === 'number') {
    if (Number.isInteger(value) && value >= MIN_INT64 && value < MAX_INT64) {
      w.tag(3, VARINT);
      w.int64(value);
    } else {
      w.tag(4, I64);
      w.double(value);
    }
  } else if (value instanceof Uint8Array) {
    w.tag(7, LEN);
    w.bytes(value);
  } else if (Array.isArray(value)) {
    w.tag(5, LEN);
    const array = w.begin();
    for (const item of value) {
      w.tag(1, LEN);
      const m = w.begin();
      writeAnyValue(w, item as AttributeValue);
      w.end(m);
    }
    w.end(array);
  } else if (typeof value === 'object' && value !== null) {
    w.tag(6, LEN);
    const list = w.begin();
    for (const k in value) {
      if (!Object.hasOwn(value, k)) continue;
      w.tag(1, LEN);
      const kv = w.begin();
      w.tag(1, LEN);
      w.string(k);
      w.tag(2, LEN);
      const m = w.begin();
      writeAnyValue(w, value[k] as AttributeValue);
      w.end(m);
      w.end(kv);
    }
    w.end(list);
  }
  // anything else (undefined, null): an empty AnyValue, as the OTel serializer writes
}

/** HrTime as fixed64 nanoseconds, exact beyond 2^53 (seconds split in 16-bit halves so no product loses bits). */
function writeTime(w: ProtoWriter, [seconds, nanos]: HrTime): void {
  const low16 = (seconds & 0xffff) * 1e9;
  const high = ((seconds / 0x10000) >>> 0) * 1e9;
  const lowWord = (low16 >>> 0) + (((high & 0xffff) * 0x10000) >>> 0) + nanos;
  const carry = Math.floor(lowWord / 0x100000000);
  w.fixed64(lowWord >>> 0, Math.floor(low16 / 0x100000000) + ((high / 0x10000) >>> 0) + carry);
}

// A finished span as it crosses to the export worker (span-export-worker.ts): plain data a structured clone copies
// cheaply, with the resource and instrumentation scope sent once and referred to by number. `fromWire` rebuilds
// the ReadableSpan fields the OTLP serializers read, so the library still writes the wire format.
import type { Attributes, HrTime, Link, SpanKind, SpanStatus } from '@opentelemetry/api';
import type { ReadableSpan, TimedEvent } from '@opentelemetry/sdk-trace-base';

export interface WireLink {
  traceId: string;
  spanId: string;
  traceFlags: number;
  isRemote?: boolean;
  traceState?: string;
  attributes?: Attributes;
  droppedAttributesCount?: number;
}

export interface WireSpan {
  name: string;
  kind: SpanKind;
  traceId: string;
  spanId: string;
  traceFlags: number;
  traceState?: string;
  parentSpanId?: string;
  parentIsRemote?: boolean;
  startTime: HrTime;
  endTime: HrTime;
  attributes: Attributes;
  droppedAttributesCount: number;
  events: TimedEvent[];
  droppedEventsCount: number;
  links?: WireLink[];
  droppedLinksCount: number;
  status: SpanStatus;
  /** Index into the resources / scopes announced before this span. */
  resource: number;
  scope: number;
}

export interface WireResource {
  attributes: Attributes;
  schemaUrl?: string;
}

export interface WireScope {
  name: string;
  version?: string;
  schemaUrl?: string;
}

/** Main thread → worker. */
export type ToWorker =
  | { type: 'resource'; id: number; resource: WireResource }
  | { type: 'scope'; id: number; scope: WireScope }
  | { type: 'spans'; spans: WireSpan[] }
  | { type: 'flush'; id: number }
  | { type: 'shutdown'; id: number };

/** Worker → main thread. */
export type FromWorker =
  | { type: 'done'; id: number }
  | { type: 'dropped'; count: number }
  | { type: 'failed'; count: number; message: string };

export function toWire(span: ReadableSpan, resource: number, scope: number): WireSpan {
  const ctx = span.spanContext();
  const parent = span.parentSpanContext;
  const wire: WireSpan = {
    name: span.name,
    kind: span.kind,
    traceId: ctx.traceId,
    spanId: ctx.spanId,
    traceFlags: ctx.traceFlags,
    startTime: span.startTime,
    endTime: span.endTime,
    attributes: span.attributes,
    droppedAttributesCount: span.droppedAttributesCount,
    events: span.events,
    droppedEventsCount: span.droppedEventsCount,
    droppedLinksCount: span.droppedLinksCount,
    status: span.status,
    resource,
    scope,
  };
  const traceState = ctx.traceState?.serialize();
  if (traceState) wire.traceState = traceState;
  if (parent) {
    wire.parentSpanId = parent.spanId;
    if (parent.isRemote) wire.parentIsRemote = true;
  }
  if (span.links.length > 0) wire.links = span.links.map(linkToWire);
  return wire;
}

function linkToWire(link: Link): WireLink {
  const c = link.context;
  const wire: WireLink = { traceId: c.traceId, spanId: c.spanId, traceFlags: c.traceFlags };
  if (c.isRemote) wire.isRemote = true;
  const traceState = c.traceState?.serialize();
  if (traceState) wire.traceState = traceState;
  if (link.attributes) wire.attributes = link.attributes;
  if (link.droppedAttributesCount) wire.droppedAttributesCount = link.droppedAttributesCount;
  return wire;
}

function hrDuration(start: HrTime, end: HrTime): HrTime {
  let seconds = end[0] - start[0];
  let nanos = end[1] - start[1];
  if (nanos < 0) {
    seconds -= 1;
    nanos += 1e9;
  }
  return [seconds, nanos];
}

/** Only what the OTLP serializers read: `serialize()` of a trace state. */
const traceStateOf = (s: string | undefined) => (s ? { serialize: () => s } : undefined);

/**
 * The ReadableSpan the exporter serialises. `resource` / `scope` must be the same object for every span that
 * shares them: the serializers group spans by identity.
 */
export function fromWire(w: WireSpan, resource: ReadableSpan['resource'], scope: WireScope): ReadableSpan {
  const spanContext = {
    traceId: w.traceId,
    spanId: w.spanId,
    traceFlags: w.traceFlags,
    traceState: traceStateOf(w.traceState),
  };
  return {
    name: w.name,
    kind: w.kind,
    spanContext: () => spanContext,
    parentSpanContext: w.parentSpanId
      ? { traceId: w.traceId, spanId: w.parentSpanId, traceFlags: w.traceFlags, isRemote: w.parentIsRemote === true }
      : undefined,
    startTime: w.startTime,
    endTime: w.endTime,
    status: w.status,
    attributes: w.attributes,
    links: (w.links ?? []).map((l) => ({
      context: {
        traceId: l.traceId,
        spanId: l.spanId,
        traceFlags: l.traceFlags,
        isRemote: l.isRemote === true,
        traceState: traceStateOf(l.traceState),
      },
      attributes: l.attributes,
      droppedAttributesCount: l.droppedAttributesCount,
    })),
    events: w.events,
    duration: hrDuration(w.startTime, w.endTime),
    ended: true,
    resource,
    instrumentationScope: scope,
    droppedAttributesCount: w.droppedAttributesCount,
    droppedEventsCount: w.droppedEventsCount,
    droppedLinksCount: w.droppedLinksCount,
  } as ReadableSpan;
}

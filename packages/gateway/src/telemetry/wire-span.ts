// A finished span as it crosses to the export worker (span-export-worker.ts): plain data a structured clone copies
// cheaply, with the resource and instrumentation scope sent once and referred to by number. `fromWire` rebuilds
// the ReadableSpan fields the OTLP serializers read, so the library still writes the wire format.
import type {
  Attributes,
  AttributeValue,
  HrTime,
  Link,
  SpanKind,
  SpanStatus,
  SpanStatusCode,
} from '@opentelemetry/api';
import { hrTimeDuration } from '@opentelemetry/core';
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

/**
 * Flat tuples, not objects: a structured clone of nested plain objects costs the sending thread about twice what
 * arrays of the same values do, and the send happens on the main thread. Attributes travel as keys + values, and a
 * key seen before travels as its number in the key table (`KeyTable`): a third less to copy.
 */
export type WireEvent = [
  name: string,
  seconds: number,
  nanos: number,
  keys: WireKey[],
  values: AttributeValue[],
  droppedAttributesCount: number,
];

export type WireSpan = [
  name: string,
  kind: SpanKind,
  traceId: string,
  spanId: string,
  traceFlags: number,
  traceState: string | undefined,
  parentSpanId: string | undefined,
  parentIsRemote: boolean,
  startSeconds: number,
  startNanos: number,
  endSeconds: number,
  endNanos: number,
  attributeKeys: WireKey[],
  attributeValues: AttributeValue[],
  droppedAttributesCount: number,
  events: WireEvent[] | undefined,
  droppedEventsCount: number,
  links: WireLink[] | undefined,
  droppedLinksCount: number,
  statusCode: SpanStatusCode,
  statusMessage: string | undefined,
  /** Index into the resources / scopes announced before this span. */
  resource: number,
  scope: number,
];

export interface WireResource {
  attributes: Attributes;
  schemaUrl?: string;
}

export interface WireScope {
  name: string;
  version?: string;
  schemaUrl?: string;
}

/** An attribute key: its number in the key table, or the key itself once the table is full. */
export type WireKey = number | string;

const MAX_KEYS = 10_000;

/** Numbers for attribute keys, assigned on first use; `takeNew()` lists the keys the worker has not been sent. */
export class KeyTable {
  private readonly ids = new Map<string, number>();
  private fresh: string[] = [];

  idOf(key: string): WireKey {
    let id = this.ids.get(key);
    if (id === undefined) {
      // Keys come from code and config, a bounded set; the cap only guards against a runaway producer.
      if (this.ids.size >= MAX_KEYS) return key;
      id = this.ids.size;
      this.ids.set(key, id);
      this.fresh.push(key);
    }
    return id;
  }

  takeNew(): string[] | undefined {
    if (this.fresh.length === 0) return undefined;
    const out = this.fresh;
    this.fresh = [];
    return out;
  }
}

function keysOf(a: Attributes, table: KeyTable): WireKey[] {
  const out: WireKey[] = [];
  for (const k in a) out.push(table.idOf(k));
  return out;
}

/** Main thread → worker. */
export type ToWorker =
  | { type: 'resource'; id: number; resource: WireResource }
  | { type: 'scope'; id: number; scope: WireScope }
  | { type: 'keys'; keys: string[] }
  | { type: 'spans'; spans: WireSpan[] }
  | { type: 'flush'; id: number }
  | { type: 'shutdown'; id: number };

/** Worker → main thread. */
export type FromWorker =
  | { type: 'done'; id: number }
  | { type: 'dropped'; count: number }
  | { type: 'failed'; count: number; message: string };

export function toWire(span: ReadableSpan, resource: number, scope: number, keys: KeyTable): WireSpan {
  const ctx = span.spanContext();
  const parent = span.parentSpanContext;
  const a = span.attributes;
  return [
    span.name,
    span.kind,
    ctx.traceId,
    ctx.spanId,
    ctx.traceFlags,
    ctx.traceState?.serialize() || undefined,
    parent?.spanId,
    parent?.isRemote === true,
    span.startTime[0],
    span.startTime[1],
    span.endTime[0],
    span.endTime[1],
    keysOf(a, keys),
    Object.values(a) as AttributeValue[],
    span.droppedAttributesCount,
    span.events.length > 0 ? span.events.map((e) => eventToWire(e, keys)) : undefined,
    span.droppedEventsCount,
    span.links.length > 0 ? span.links.map(linkToWire) : undefined,
    span.droppedLinksCount,
    span.status.code,
    span.status.message,
    resource,
    scope,
  ];
}

function eventToWire(e: TimedEvent, keys: KeyTable): WireEvent {
  const a = e.attributes ?? {};
  return [
    e.name,
    e.time[0],
    e.time[1],
    keysOf(a, keys),
    Object.values(a) as AttributeValue[],
    e.droppedAttributesCount ?? 0,
  ];
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

/** Only what the OTLP serializers read: `serialize()` of a trace state. */
const traceStateOf = (s: string | undefined) => (s ? { serialize: () => s } : undefined);

function attributesOf(keys: WireKey[], values: AttributeValue[], names: readonly string[]): Attributes {
  const out: Attributes = {};
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i] as WireKey;
    out[typeof k === 'number' ? (names[k] as string) : k] = values[i];
  }
  return out;
}

/**
 * The ReadableSpan the exporter serialises. `resource` / `scope` must be the same object for every span that
 * shares them: the serializers group spans by identity. `keyNames`: the key table, in number order.
 */
export function fromWire(
  w: WireSpan,
  resource: ReadableSpan['resource'],
  scope: WireScope,
  keyNames: readonly string[],
): ReadableSpan {
  const [name, kind, traceId, spanId, traceFlags, traceState, parentSpanId, parentIsRemote] = w;
  const startTime: HrTime = [w[8], w[9]];
  const endTime: HrTime = [w[10], w[11]];
  const spanContext = { traceId, spanId, traceFlags, traceState: traceStateOf(traceState) };
  const status: SpanStatus = w[20] === undefined ? { code: w[19] } : { code: w[19], message: w[20] };
  return {
    name,
    kind,
    spanContext: () => spanContext,
    parentSpanContext: parentSpanId
      ? { traceId, spanId: parentSpanId, traceFlags, isRemote: parentIsRemote }
      : undefined,
    startTime,
    endTime,
    status,
    attributes: attributesOf(w[12], w[13], keyNames),
    links: (w[17] ?? []).map((l) => ({
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
    events: (w[15] ?? []).map(
      ([eventName, seconds, nanos, keys, values, dropped]): TimedEvent => ({
        name: eventName,
        time: [seconds, nanos],
        attributes: attributesOf(keys, values, keyNames),
        droppedAttributesCount: dropped,
      }),
    ),
    duration: hrTimeDuration(startTime, endTime),
    ended: true,
    resource,
    instrumentationScope: scope,
    droppedAttributesCount: w[14],
    droppedEventsCount: w[16],
    droppedLinksCount: w[18],
  } as ReadableSpan;
}

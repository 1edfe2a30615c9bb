// Metric attribute sets per (operation, provider, model, server, extras) tuple, built once and reused: every
// data point of a call shares them instead of spreading new objects per record. Bounded: model names come from
// clients, so unique tuples must not grow the cache without limit.
import type { Attributes } from '@opentelemetry/api';
import type { CallRecord } from '../types.js';
import { ATTR, operationName, providerName } from './semconv.js';

export interface MetricAttributeSets {
  base: Readonly<Attributes>;
  input: Readonly<Attributes>;
  output: Readonly<Attributes>;
  /** base + error.type, per error class (a handful at most). */
  errors: Map<string, Readonly<Attributes>>;
}

const MAX_ENTRIES = 1024;

type Tuple = Pick<
  CallRecord,
  'requestModel' | 'responseModel' | 'operation' | 'provider' | 'providerId' | 'serverAddress' | 'serverPort'
> & { extras: unknown[] };

export function createMetricAttributeCache(extra: readonly string[]) {
  const cache = new Map<string, MetricAttributeSets>();

  function keyOf(r: CallRecord): string {
    let key = `${r.operation}\u0000${r.provider}\u0000${r.providerId ?? ''}\u0000${r.requestModel}\u0000${
      r.responseModel ?? ''
    }\u0000${r.serverAddress ?? ''}\u0000${r.serverPort ?? ''}`;
    for (const k of extra) {
      const v = r.attributes?.[k];
      // The type is part of the key: 1 and '1' are different attribute values.
      key += v === undefined ? '\u0000' : `\u0000${typeof v}:${v}`;
    }
    return key;
  }

  function build(r: CallRecord): MetricAttributeSets {
    const base: Attributes = {
      [ATTR.OPERATION_NAME]: operationName(r),
      [ATTR.PROVIDER_NAME]: providerName(r.provider, r.providerId),
      [ATTR.REQUEST_MODEL]: r.requestModel,
    };
    if (r.responseModel) base[ATTR.RESPONSE_MODEL] = r.responseModel;
    if (r.serverAddress) base[ATTR.SERVER_ADDRESS] = r.serverAddress;
    if (r.serverPort !== undefined) base[ATTR.SERVER_PORT] = r.serverPort;
    for (const k of extra) {
      const v = r.attributes?.[k];
      if (v !== undefined) base[k] = v;
    }
    return {
      base: Object.freeze(base),
      input: Object.freeze({ ...base, [ATTR.TOKEN_TYPE]: 'input' }),
      output: Object.freeze({ ...base, [ATTR.TOKEN_TYPE]: 'output' }),
      errors: new Map(),
    };
  }

  // Most calls repeat the previous call's tuple: compare fields before building a key string. The fields are
  // copied, not the record kept: a later sink or onRecord may change its record.
  let last: { tuple: Tuple; sets: MetricAttributeSets } | undefined;
  const tupleOf = (r: CallRecord): Tuple => ({
    requestModel: r.requestModel,
    responseModel: r.responseModel,
    operation: r.operation,
    provider: r.provider,
    providerId: r.providerId,
    serverAddress: r.serverAddress,
    serverPort: r.serverPort,
    extras: extra.map((k) => r.attributes?.[k]),
  });
  const sameTuple = (t: Tuple, r: CallRecord): boolean => {
    if (
      t.requestModel !== r.requestModel ||
      t.responseModel !== r.responseModel ||
      t.operation !== r.operation ||
      t.provider !== r.provider ||
      t.providerId !== r.providerId ||
      t.serverAddress !== r.serverAddress ||
      t.serverPort !== r.serverPort
    )
      return false;
    for (let i = 0; i < extra.length; i++) if (t.extras[i] !== r.attributes?.[extra[i] as string]) return false;
    return true;
  };

  /** The attribute sets for a record, from the cache when its tuple was seen before. */
  function setsFor(r: CallRecord): MetricAttributeSets {
    if (last && sameTuple(last.tuple, r)) return last.sets;
    const key = keyOf(r);
    let sets = cache.get(key);
    if (!sets) {
      sets = build(r);
      if (cache.size >= MAX_ENTRIES) cache.delete(cache.keys().next().value ?? '');
      cache.set(key, sets);
    }
    last = { tuple: tupleOf(r), sets };
    return sets;
  }

  /** The duration's attributes: base, or base + error.type for a failed call. */
  function durationAttributes(r: CallRecord, sets: MetricAttributeSets): Readonly<Attributes> {
    if (!r.error) return sets.base;
    const cls = r.error.errorClass;
    let a = sets.errors.get(cls);
    if (!a) {
      a = Object.freeze({ ...sets.base, [ATTR.ERROR_TYPE]: cls });
      sets.errors.set(cls, a);
    }
    return a;
  }

  return { setsFor, durationAttributes, size: () => cache.size };
}

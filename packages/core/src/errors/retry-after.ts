export type HeaderBag = Record<string, string | string[] | undefined> | Headers;

/** Case-insensitive single header value from a Headers object or a plain (Node-style) record. */
export function headerValue(headers: HeaderBag | undefined, name: string): string | undefined {
  if (!headers) return undefined;
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? undefined;
  const rec = headers as Record<string, string | string[] | undefined>;
  let v = rec[name];
  if (v === undefined) {
    const lower = name.toLowerCase();
    for (const k of Object.keys(rec)) if (k.toLowerCase() === lower) v = rec[k];
  }
  return Array.isArray(v) ? v[0] : v;
}

/** `retry-after-ms` (ms), then `retry-after` (seconds or an HTTP date), as a non-negative ms count. */
export function retryAfterFromHeaders(headers: HeaderBag | undefined, now = Date.now()): number | undefined {
  const ms = Number.parseFloat(headerValue(headers, 'retry-after-ms') ?? '');
  if (Number.isFinite(ms) && ms >= 0) return Math.round(ms);
  const raw = headerValue(headers, 'retry-after')?.trim();
  if (!raw) return undefined;
  if (/^\d+(\.\d+)?$/.test(raw)) return Math.round(Number.parseFloat(raw) * 1000);
  const at = Date.parse(raw);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** Google's protobuf Duration JSON: "22s", "34.4s", "0.5s" → ms. */
export function parseDurationMs(d: unknown): number | undefined {
  if (typeof d !== 'string') return undefined;
  const m = /^(\d+(?:\.\d+)?)s$/.exec(d.trim());
  return m ? Math.round(Number.parseFloat(m[1] as string) * 1000) : undefined;
}

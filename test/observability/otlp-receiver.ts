// A minimal OTLP/HTTP receiver for tests: accepts ExportTraceServiceRequest bodies on POST /v1/traces, JSON or
// protobuf (by content type).
import { createServer } from 'node:http';
import { decodeTraceRequest } from './otlp-protobuf.js';

type AnyValue = {
  stringValue?: string;
  intValue?: string | number;
  boolValue?: boolean;
  doubleValue?: number;
  arrayValue?: { values: AnyValue[] };
};
export interface OtlpAttribute {
  key: string;
  value: AnyValue;
}
export interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  attributes?: OtlpAttribute[];
  events?: Array<{ name: string; attributes?: OtlpAttribute[] }>;
  status?: { code?: number };
}

/** `attrs(span)` → plain record of attribute values. */
export function attrs(list: OtlpAttribute[] | undefined): Record<string, string | number | boolean | undefined> {
  return Object.fromEntries(
    (list ?? []).map((a) => [
      a.key,
      a.value.stringValue ??
        (a.value.intValue !== undefined ? Number(a.value.intValue) : undefined) ??
        a.value.boolValue ??
        a.value.doubleValue,
    ]),
  );
}

export interface OtlpReceiverOptions {
  /** Status of every export response (default 200). */
  status?: number;
  /** Responses wait for this (spans are recorded on arrival): holds the exporter mid-export. */
  gate?: Promise<void>;
}

export async function startOtlpReceiver(opts: OtlpReceiverOptions = {}) {
  const spans: OtlpSpan[] = [];
  const contentTypes: string[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.method !== 'POST' || req.url !== '/v1/traces') {
        res.writeHead(404).end();
        return;
      }
      const type = String(req.headers['content-type']);
      contentTypes.push(type);
      const raw = Buffer.concat(chunks);
      if (type.includes('application/x-protobuf')) spans.push(...decodeTraceRequest(raw));
      else {
        const body = JSON.parse(raw.toString('utf8')) as {
          resourceSpans?: Array<{ scopeSpans?: Array<{ spans?: OtlpSpan[] }> }>;
        };
        for (const rs of body.resourceSpans ?? [])
          for (const ss of rs.scopeSpans ?? []) spans.push(...(ss.spans ?? []));
      }
      const respond = () => res.writeHead(opts.status ?? 200, { 'content-type': 'application/json' }).end('{}');
      if (opts.gate) void opts.gate.then(respond);
      else respond();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    spans,
    contentTypes,
    stop: () => new Promise<void>((r) => server.close(() => r())),
  };
}

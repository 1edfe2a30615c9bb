// Decodes an OTLP/HTTP protobuf ExportTraceServiceRequest into the shape the JSON encoding has (hex ids, numbers),
// so the test receiver reads both encodings the same way. Only the fields the tests look at; unknown fields skipped.
import type { OtlpAttribute, OtlpSpan } from './otlp-receiver.js';

type Field = { no: number; wire: number; int: bigint; bytes: Uint8Array };

/** The wire fields of one message, in order (varint / fixed64 / length-delimited / fixed32). */
function fields(buf: Uint8Array): Field[] {
  const out: Field[] = [];
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  let pos = 0;
  const varint = (): bigint => {
    let v = 0n;
    for (let shift = 0n; pos < buf.length; shift += 7n) {
      const b = buf[pos++] as number;
      v |= BigInt(b & 0x7f) << shift;
      if (b < 0x80) return v;
    }
    throw new Error('truncated varint');
  };
  const empty = new Uint8Array(0);
  while (pos < buf.length) {
    const key = Number(varint());
    const no = key >>> 3;
    const wire = key & 7;
    if (wire === 0) out.push({ no, wire, int: varint(), bytes: empty });
    else if (wire === 1) {
      out.push({ no, wire, int: view.getBigUint64(pos, true), bytes: buf.subarray(pos, pos + 8) });
      pos += 8;
    } else if (wire === 2) {
      const len = Number(varint());
      out.push({ no, wire, int: 0n, bytes: buf.subarray(pos, pos + len) });
      pos += len;
    } else if (wire === 5) {
      out.push({ no, wire, int: BigInt(view.getUint32(pos, true)), bytes: empty });
      pos += 4;
    } else throw new Error(`unsupported wire type ${wire}`);
  }
  return out;
}

const text = (b: Uint8Array) => new TextDecoder().decode(b);
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const signed = (v: bigint) => Number(BigInt.asIntN(64, v));

function anyValue(buf: Uint8Array): OtlpAttribute['value'] {
  for (const f of fields(buf)) {
    if (f.no === 1) return { stringValue: text(f.bytes) };
    if (f.no === 2) return { boolValue: f.int !== 0n };
    if (f.no === 3) return { intValue: signed(f.int) };
    if (f.no === 4) return { doubleValue: new DataView(f.bytes.buffer, f.bytes.byteOffset, 8).getFloat64(0, true) };
    if (f.no === 5) return { arrayValue: { values: fields(f.bytes).map((v) => anyValue(v.bytes)) } };
  }
  return {};
}

function keyValue(buf: Uint8Array): OtlpAttribute {
  let key = '';
  let value: OtlpAttribute['value'] = {};
  for (const f of fields(buf)) {
    if (f.no === 1) key = text(f.bytes);
    else if (f.no === 2) value = anyValue(f.bytes);
  }
  return { key, value };
}

function span(buf: Uint8Array): OtlpSpan {
  const s: OtlpSpan = { traceId: '', spanId: '', name: '', kind: 0, attributes: [], events: [] };
  for (const f of fields(buf)) {
    if (f.no === 1) s.traceId = hex(f.bytes);
    else if (f.no === 2) s.spanId = hex(f.bytes);
    else if (f.no === 4) s.parentSpanId = hex(f.bytes);
    else if (f.no === 5) s.name = text(f.bytes);
    else if (f.no === 6) s.kind = Number(f.int);
    else if (f.no === 9) s.attributes?.push(keyValue(f.bytes));
    else if (f.no === 11) {
      const event: { name: string; attributes: OtlpAttribute[] } = { name: '', attributes: [] };
      for (const e of fields(f.bytes)) {
        if (e.no === 2) event.name = text(e.bytes);
        else if (e.no === 3) event.attributes.push(keyValue(e.bytes));
      }
      s.events?.push(event);
    } else if (f.no === 15) {
      const code = fields(f.bytes).find((x) => x.no === 3);
      s.status = { code: code ? Number(code.int) : 0 };
    }
  }
  return s;
}

/** ExportTraceServiceRequest → its spans (resource_spans 1 → scope_spans 2 → spans 2). */
export function decodeTraceRequest(body: Uint8Array): OtlpSpan[] {
  const spans: OtlpSpan[] = [];
  for (const rs of fields(body).filter((f) => f.no === 1))
    for (const ss of fields(rs.bytes).filter((f) => f.no === 2))
      for (const sp of fields(ss.bytes).filter((f) => f.no === 2)) spans.push(span(sp.bytes));
  return spans;
}

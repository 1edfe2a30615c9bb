import { describe, expect, it } from 'vitest';
import { protocolOf } from './tracing.js';

describe('protocolOf', () => {
  it('config first, then the traces / generic OTLP protocol variables, else http/protobuf', () => {
    expect(protocolOf({}, {})).toBe('http/protobuf');
    expect(protocolOf({}, { OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' })).toBe('http/json');
    expect(
      protocolOf({}, { OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json', OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/protobuf' }),
    ).toBe('http/protobuf');
    expect(protocolOf({ protocol: 'http/protobuf' }, { OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/json' })).toBe(
      'http/protobuf',
    );
    expect(protocolOf({ protocol: 'http/json' }, {})).toBe('http/json');
    // grpc is not an HTTP encoding: the exporter stays OTLP/HTTP with its default encoding
    expect(protocolOf({}, { OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' })).toBe('http/protobuf');
  });
});

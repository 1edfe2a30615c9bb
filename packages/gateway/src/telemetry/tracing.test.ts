import { describe, expect, it } from 'vitest';
import { batchConfigOf, protocolOf } from './tracing.js';

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

describe('batchConfigOf', () => {
  it('defaults to a queue of 8192 spans (the SDK default, 2048, drops at gateway rates)', () => {
    expect(batchConfigOf({}, {})).toEqual({
      maxQueueSize: 8192,
      maxExportBatchSize: 512,
      scheduledDelayMillis: 5000,
      exportTimeoutMillis: 30_000,
    });
  });

  it('takes the config first, then the OTEL_BSP_* variables; the batch never exceeds the queue', () => {
    const env = { OTEL_BSP_MAX_QUEUE_SIZE: '100', OTEL_BSP_SCHEDULE_DELAY: '250', OTEL_BSP_EXPORT_TIMEOUT: 'soon' };
    expect(batchConfigOf({ batch: { maxQueueSize: 4000 } }, env)).toMatchObject({
      maxQueueSize: 4000,
      scheduledDelayMillis: 250,
      exportTimeoutMillis: 30_000,
    });
    expect(batchConfigOf({}, env)).toMatchObject({ maxQueueSize: 100, maxExportBatchSize: 100 });
  });
});

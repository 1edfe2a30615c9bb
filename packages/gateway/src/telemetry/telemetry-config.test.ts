import { describe, expect, it } from 'vitest';
import { parseTelemetryConfig } from './telemetry-config.js';

describe('parseTelemetryConfig', () => {
  it('accepts the documented shape, with env-interpolated strings', () => {
    expect(
      parseTelemetryConfig({
        metrics: { perKeyLabels: 'true', maxKeys: '25' },
        tracing: { enabled: true, endpoint: 'http://collector:4318', sampleRatio: '0.25' },
      }),
    ).toEqual({
      metrics: { perKeyLabels: true, maxKeys: 25 },
      tracing: { enabled: true, endpoint: 'http://collector:4318', sampleRatio: 0.25 },
    });
    expect(parseTelemetryConfig(undefined)).toEqual({});
    expect(parseTelemetryConfig({ tracing: { protocol: 'http/json', asyncContext: 'true' } })).toEqual({
      tracing: { protocol: 'http/json', asyncContext: true },
    });
    expect(parseTelemetryConfig({ tracing: { batch: { maxQueueSize: '20000', scheduledDelayMillis: 1000 } } })).toEqual(
      {
        tracing: { batch: { maxQueueSize: 20_000, scheduledDelayMillis: 1000 } },
      },
    );
  });

  it('rejects typos and out-of-range values with the path', () => {
    expect(() => parseTelemetryConfig({ metrics: { perKeyLabel: true } })).toThrow(/telemetry\.metrics/);
    expect(() => parseTelemetryConfig({ tracing: { sampleRatio: 2 } })).toThrow(/telemetry\.tracing\.sampleRatio/);
    expect(() => parseTelemetryConfig({ tracing: { protocol: 'grpc' } })).toThrow(/telemetry\.tracing\.protocol/);
    expect(() => parseTelemetryConfig({ tracing: { batch: { maxQueueSize: 0 } } })).toThrow(
      /telemetry\.tracing\.batch\.maxQueueSize/,
    );
    expect(() => parseTelemetryConfig({ tracing: { batch: { queue: 10 } } })).toThrow(/telemetry\.tracing\.batch/);
  });
});

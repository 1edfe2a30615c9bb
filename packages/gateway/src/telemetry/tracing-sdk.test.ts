// The SERVER span's context (ServerSpanContext, ADR 0019) stands in for `trace.setSpan(parent, span)`: everything
// read from it, written on top of it or injected from it must be what the API's own context gives.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { context, createContextKey, propagation, type Span, trace } from '@opentelemetry/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTracingSdk } from './tracing-sdk.js';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const receiver = createServer((req, res) => {
  req.resume();
  req.on('end', () => res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end());
});

beforeAll(() => new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve)));
afterAll(() => new Promise((resolve) => receiver.close(resolve)));

describe('the SERVER span context', () => {
  it('reads the span and the parent’s values, and keeps both under values written on top', async () => {
    const endpoint = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
    const tracing = startTracingSdk({ enabled: true, endpoint }, {});
    const headers = { traceparent: `00-${TRACE_ID}-00f067aa0ba902b7-01`, baggage: 'user=alice' };
    const key = createContextKey('switchyard.test');
    const seen = await tracing.withServerSpan(headers, async (span: Span) => {
      const ctx = context.active();
      const written = ctx.setValue(key, 42);
      const carrier: Record<string, string> = {};
      propagation.inject(written, carrier);
      return {
        span: trace.getSpan(ctx) === span,
        traceId: trace.getSpanContext(ctx)?.traceId,
        baggage: propagation.getBaggage(ctx)?.getEntry('user')?.value,
        unknown: ctx.getValue(createContextKey('absent')),
        writtenValue: written.getValue(key),
        writtenSpan: trace.getSpan(written) === span,
        writtenBaggage: propagation.getBaggage(written)?.getEntry('user')?.value,
        deletedSpan: trace.getSpan(ctx.deleteValue(key)) === span,
        withoutSpan: trace.getSpan(trace.deleteSpan(ctx)),
        unchanged: ctx.getValue(key),
        traceparent: carrier.traceparent,
        spanId: span.spanContext().spanId,
      };
    });
    await tracing.shutdown();
    expect(seen).toMatchObject({
      span: true,
      traceId: TRACE_ID,
      baggage: 'alice',
      unknown: undefined,
      writtenValue: 42,
      writtenSpan: true,
      writtenBaggage: 'alice',
      deletedSpan: true,
      withoutSpan: undefined,
      unchanged: undefined,
    });
    expect(seen.traceparent).toBe(`00-${TRACE_ID}-${seen.spanId}-01`);
  });
});

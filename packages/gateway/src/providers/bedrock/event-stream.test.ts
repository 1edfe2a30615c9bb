// The ConverseStream re-framing: frames split anywhere across chunks, CRC-corrupted frames and a body cut inside a
// frame are errors (never silently dropped events).
import { EventStreamCodec } from '@smithy/eventstream-codec';
import { fromUtf8, toUtf8 } from '@smithy/util-utf8';
import { describe, expect, it } from 'vitest';
import { EventStreamToSse } from './event-stream.js';

const codec = new EventStreamCodec(toUtf8, fromUtf8);
const str = (value: string) => ({ type: 'string' as const, value });
const frame = (type: string, payload: unknown, kind = 'event') =>
  Buffer.from(
    codec.encode({
      headers: {
        [kind === 'event' ? ':event-type' : ':exception-type']: str(type),
        ':content-type': str('application/json'),
        ':message-type': str(kind),
      },
      body: fromUtf8(JSON.stringify(payload)),
    }),
  );

describe('EventStreamToSse', () => {
  it('decodes frames split at every byte boundary into named SSE events', () => {
    const bytes = Buffer.concat([
      frame('messageStart', { role: 'assistant' }),
      frame('contentBlockDelta', { contentBlockIndex: 0, delta: { text: 'hé' } }),
    ]);
    for (const cut of [1, 5, 12, 13, 40, bytes.length - 1]) {
      const d = new EventStreamToSse();
      const text = d.push(bytes.subarray(0, cut)) + d.push(bytes.subarray(cut));
      d.end();
      expect(text).toBe(
        'event: messageStart\ndata: {"role":"assistant"}\n\n' +
          'event: contentBlockDelta\ndata: {"contentBlockIndex":0,"delta":{"text":"hé"}}\n\n',
      );
    }
  });

  it('an exception frame becomes `event: exception` with its type', () => {
    const text = new EventStreamToSse().push(frame('throttlingException', { message: 'slow down' }, 'exception'));
    expect(text).toBe('event: exception\ndata: {"message":"slow down","__type":"throttlingException"}\n\n');
  });

  it('a corrupted payload fails the message CRC', () => {
    const bytes = frame('messageStart', { role: 'assistant' });
    bytes[bytes.length - 6] = (bytes[bytes.length - 6] ?? 0) ^ 0xff;
    expect(() => new EventStreamToSse().push(bytes)).toThrow();
  });

  it('a body that ends inside a frame, or a nonsense length, is an error', () => {
    const d = new EventStreamToSse();
    d.push(frame('messageStart', {}).subarray(0, 20));
    expect(() => d.end()).toThrow(/inside a frame/);
    expect(() => new EventStreamToSse().push(Buffer.from('data: {"truncated": tr\n\n'))).toThrow(/frame length/);
  });
});

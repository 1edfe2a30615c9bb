// AWS event-stream (application/vnd.amazon.eventstream) → SSE text, so ConverseStream reaches the translator as
// events named by `:event-type`. Frames are decoded by @smithy/eventstream-codec, which checks both CRCs; a bad
// frame throws and the stream fails as any other cut-short upstream body does.
import { EventStreamCodec } from '@smithy/eventstream-codec';
import { fromUtf8, toUtf8 } from '@smithy/util-utf8';

/** Frames larger than this are refused (ConverseStream frames are small; this bounds the buffer). */
const MAX_FRAME_BYTES = 16 * 1024 * 1024;
const PRELUDE_BYTES = 12;

const codec = new EventStreamCodec(toUtf8, fromUtf8);

function headerString(headers: Record<string, { type: string; value: unknown }>, name: string): string | undefined {
  const h = headers[name];
  return h && typeof h.value === 'string' ? h.value : undefined;
}

/** One decoded frame as an SSE event: `event: <type>` and the JSON payload (exceptions get `__type`). */
function toSse(frame: Uint8Array): string {
  const { headers, body } = codec.decode(frame);
  const payload = toUtf8(body);
  const kind = headerString(headers, ':message-type');
  if (kind === 'event') return `event: ${headerString(headers, ':event-type') ?? 'unknown'}\ndata: ${payload}\n\n`;
  let fields: Record<string, unknown> = {};
  try {
    fields = JSON.parse(payload) as Record<string, unknown>;
  } catch {
    fields = { message: payload };
  }
  const type = kind === 'exception' ? headerString(headers, ':exception-type') : headerString(headers, ':error-code');
  const message = fields.message ?? headerString(headers, ':error-message');
  return `event: exception\ndata: ${JSON.stringify({ ...fields, __type: type, message })}\n\n`;
}

export class EventStreamToSse {
  private buffered: Buffer = Buffer.alloc(0);

  /** Feed bytes; returns the SSE text of every complete frame (possibly empty). */
  push(chunk: Buffer): string {
    this.buffered = this.buffered.length === 0 ? chunk : Buffer.concat([this.buffered, chunk]);
    let out = '';
    while (this.buffered.length >= PRELUDE_BYTES) {
      const total = this.buffered.readUInt32BE(0);
      if (total < PRELUDE_BYTES + 4 || total > MAX_FRAME_BYTES)
        throw new SyntaxError('invalid event-stream frame length');
      if (this.buffered.length < total) break;
      out += toSse(this.buffered.subarray(0, total));
      this.buffered = this.buffered.subarray(total);
    }
    return out;
  }

  /** The body ended: a partial frame left over means the stream was cut short. */
  end(): void {
    if (this.buffered.length > 0) throw new SyntaxError('event stream ended inside a frame');
  }
}

// The few protobuf wire primitives OTLP trace encoding needs (otlp-span-encoding.ts), written into one growing
// buffer in a single pass: a nested message's length is reserved before it and patched after it.

const utf8 = new TextEncoder();

export class ProtoWriter {
  buf: Uint8Array;
  pos = 0;
  private view: DataView;

  constructor(size = 64 * 1024) {
    // Not zero-filled: every byte up to `pos` is written before it is read.
    this.buf = Buffer.allocUnsafeSlow(size);
    this.view = new DataView(this.buf.buffer);
  }

  /** Makes room for `n` more bytes. */
  ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const grown = Buffer.allocUnsafeSlow(size);
    grown.set(this.buf.subarray(0, this.pos));
    this.buf = grown;
    this.view = new DataView(grown.buffer);
  }

  tag(field: number, wireType: number): void {
    this.uint32((field << 3) | wireType);
  }

  /** A varint of a value in 0 .. 2^32 - 1. */
  uint32(value: number): void {
    if (value < 0x80 && value >= 0 && this.pos < this.buf.length) {
      this.buf[this.pos++] = value; // one byte: tags, short lengths, small counts
      return;
    }
    this.ensure(5);
    let v = value >>> 0;
    while (v > 0x7f) {
      this.buf[this.pos++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    this.buf[this.pos++] = v;
  }

  /** A varint of any integer in the int64 range (negative ones as their 64-bit two's complement, 10 bytes). */
  int64(value: number): void {
    if (value >= 0 && value <= 0xffffffff) {
      this.uint32(value);
      return;
    }
    this.ensure(10);
    const abs = Math.abs(value);
    let low = abs >>> 0;
    let high = (abs / 0x100000000) >>> 0;
    if (value < 0) {
      low = (~low + 1) >>> 0;
      high = (~high + (low === 0 ? 1 : 0)) >>> 0;
    }
    while (high > 0 || low > 0x7f) {
      this.buf[this.pos++] = (low & 0x7f) | 0x80;
      low = ((low >>> 7) | (high << 25)) >>> 0;
      high >>>= 7;
    }
    this.buf[this.pos++] = low;
  }

  fixed32(value: number): void {
    this.ensure(4);
    this.view.setUint32(this.pos, value >>> 0, true);
    this.pos += 4;
  }

  fixed64(low: number, high: number): void {
    this.ensure(8);
    this.view.setUint32(this.pos, low >>> 0, true);
    this.view.setUint32(this.pos + 4, high >>> 0, true);
    this.pos += 8;
  }

  double(value: number): void {
    this.ensure(8);
    this.view.setFloat64(this.pos, value, true);
    this.pos += 8;
  }

  bytes(value: Uint8Array): void {
    this.uint32(value.length);
    this.ensure(value.length);
    this.buf.set(value, this.pos);
    this.pos += value.length;
  }

  /** Length-prefixed UTF-8. Short ASCII strings (most keys and values) are copied char by char. */
  string(value: string): void {
    const n = value.length;
    if (n < 128) {
      this.ensure(n + 1);
      const buf = this.buf;
      const at = this.pos + 1;
      let i = 0;
      for (; i < n; i++) {
        const c = value.charCodeAt(i);
        if (c > 0x7f) break;
        buf[at + i] = c;
      }
      if (i === n) {
        buf[at - 1] = n;
        this.pos = at + n;
        return;
      }
    }
    this.bytes(utf8.encode(value));
  }

  /** Lowercase or uppercase hex as raw bytes (trace and span ids), length-prefixed. */
  hexBytes(hex: string): void {
    const n = hex.length >>> 1;
    this.uint32(n);
    this.ensure(n);
    for (let i = 0; i < n; i++)
      this.buf[this.pos++] = (nibble(hex.charCodeAt(2 * i)) << 4) | nibble(hex.charCodeAt(2 * i + 1));
  }

  /**
   * Reserves `guess` (1..3) bytes for the length of the message written next and returns a mark for `end`. Guess
   * the length's varint size right (1 for small messages, 2 for spans) and `end` does not have to move the message.
   */
  begin(guess = 1): number {
    this.ensure(guess);
    const mark = this.pos * 4 + guess;
    this.pos += guess;
    return mark;
  }

  /** Writes the length of the message started at `mark` (from `begin`) in front of it. */
  end(mark: number): void {
    const guess = mark % 4;
    const lengthAt = (mark - guess) / 4;
    const bodyAt = lengthAt + guess;
    const length = this.pos - bodyAt;
    const size = varintSize(length);
    if (size !== guess) {
      this.ensure(size - guess);
      this.buf.copyWithin(lengthAt + size, bodyAt, this.pos);
      this.pos += size - guess;
    }
    let at = lengthAt;
    let v = length;
    while (v > 0x7f) {
      this.buf[at++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    this.buf[at] = v;
  }
}

function nibble(c: number): number {
  if (c <= 57) return c - 48; // 0-9
  if (c >= 97) return c - 87; // a-f
  return c - 55; // A-F
}

export function varintSize(v: number): number {
  if (v < 0x80) return 1;
  if (v < 0x4000) return 2;
  if (v < 0x200000) return 3;
  if (v < 0x10000000) return 4;
  return 5;
}

// Incremental server-sent-events parser and encoder (WHATWG "event stream" rules, minus `id`/`retry`, which no
// LLM provider uses). On the hot path of every stream: no per-line arrays, no regexes. Linear in the input however
// it is cut: a line still open is kept as pieces and only joined once its end arrives (re-scanning a growing buffer
// on every chunk made one 50 MB line cost minutes), and one event is capped so an upstream cannot fill the heap.
import { StringDecoder } from 'node:string_decoder';
import type { SseEvent } from './provider-adapter.js';

const LF = 10;
const CR = 13;

/** Default cap of one event (its open line plus its data so far), in characters. */
export const DEFAULT_MAX_SSE_EVENT_CHARS = 32 * 1024 * 1024;

/** Thrown by `SseParser.push` when one event passes the cap: the stream is an `invalid_response`. */
export class SseEventTooLarge extends Error {
  constructor(readonly limit: number) {
    super(`stream event larger than ${limit} characters`);
    this.name = 'SseEventTooLarge';
  }
}

export class SseParser {
  /** The open (unterminated) line, as the pieces it arrived in; it holds no line terminator. */
  private pieces: string[] = [];
  private pending = 0;
  private data = '';
  private hasData = false;
  private event: string | undefined;
  /** The previous chunk ended in `\r`: a `\n` starting the next chunk belongs to it. */
  private pendingCr = false;
  /** node's StringDecoder: keeps split UTF-8 sequences, and measured 2-3x faster than TextDecoder on 64 B reads. */
  private readonly decoder = new StringDecoder('utf8');

  constructor(private readonly maxEventChars = DEFAULT_MAX_SSE_EVENT_CHARS) {}

  /** Feed bytes or text as they arrive; returns the events completed by this piece (often none). */
  push(chunk: string | Uint8Array): SseEvent[] {
    let text = typeof chunk === 'string' ? chunk : this.decoder.write(chunk);
    if (this.pendingCr) {
      this.pendingCr = false;
      if (text.charCodeAt(0) === LF) text = text.slice(1);
    }
    if (text.indexOf('\n') === -1 && text.indexOf('\r') === -1) {
      // Still inside one line: remember the piece, scan nothing again.
      if (text.length > 0) this.keep(text);
      return [];
    }
    const s = this.pieces.length === 0 ? text : this.pieces.join('') + text;
    this.pieces = [];
    this.pending = 0;
    const out: SseEvent[] = [];
    let start = 0;
    let nl = s.indexOf('\n');
    let cr = s.indexOf('\r');
    while (true) {
      if (nl !== -1 && nl < start) nl = s.indexOf('\n', start);
      if (cr !== -1 && cr < start) cr = s.indexOf('\r', start);
      const end = nl === -1 ? cr : cr === -1 ? nl : Math.min(nl, cr);
      if (end === -1) break;
      this.line(s, start, end, out);
      if (s.charCodeAt(end) === CR) {
        if (end + 1 === s.length) this.pendingCr = true;
        start = s.charCodeAt(end + 1) === LF ? end + 2 : end + 1;
      } else {
        start = end + 1;
      }
    }
    if (start < s.length) this.keep(start === 0 ? s : s.slice(start));
    return out;
  }

  private keep(piece: string): void {
    this.pieces.push(piece);
    this.pending += piece.length;
    this.checkSize();
  }

  private checkSize(): void {
    if (this.pending + this.data.length > this.maxEventChars) {
      this.pieces = [];
      this.pending = 0;
      this.data = '';
      throw new SseEventTooLarge(this.maxEventChars);
    }
  }

  /** The body ended: a last event without its blank line is still delivered (Gemini may close right after it). */
  end(): SseEvent[] {
    const out: SseEvent[] = [];
    const tail = this.decoder.end();
    const rest = this.pieces.join('') + tail;
    this.pieces = [];
    this.pending = 0;
    if (rest.length > 0) this.line(rest, 0, rest.length, out);
    this.dispatch(out);
    return out;
  }

  private line(s: string, start: number, end: number, out: SseEvent[]): void {
    if (start === end) {
      this.dispatch(out);
      return;
    }
    if (s.charCodeAt(start) === 58 /* ':' comment */) return;
    const colon = s.indexOf(':', start);
    const nameEnd = colon === -1 || colon > end ? end : colon;
    let valueStart = nameEnd === end ? end : nameEnd + 1;
    if (valueStart < end && s.charCodeAt(valueStart) === 32 /* one optional space */) valueStart++;
    const name = s.slice(start, nameEnd);
    if (name === 'data') {
      const value = s.slice(valueStart, end);
      this.data = this.hasData ? `${this.data}\n${value}` : value;
      this.hasData = true;
      if (this.data.length > this.maxEventChars) this.checkSize();
    } else if (name === 'event') {
      this.event = s.slice(valueStart, end);
    }
  }

  private dispatch(out: SseEvent[]): void {
    if (this.hasData) out.push(this.event === undefined ? { data: this.data } : { event: this.event, data: this.data });
    this.data = '';
    this.hasData = false;
    this.event = undefined;
  }
}

/** Convenience for tests and one-shot bodies: parse a whole SSE text. */
export function parseSse(text: string): SseEvent[] {
  const p = new SseParser();
  return [...p.push(text), ...p.end()];
}

/** One event on the wire. `data` holding newlines becomes several `data:` lines, as the spec requires. */
export function encodeSse(event: SseEvent): string {
  const head = event.event === undefined ? '' : `event: ${event.event}\n`;
  if (event.data.indexOf('\n') === -1) return `${head}data: ${event.data}\n\n`;
  return `${head}data: ${event.data.split('\n').join('\ndata: ')}\n\n`;
}

/** The usual case: a JSON payload with no event name. */
export function encodeSseJson(value: unknown): string {
  return `data: ${JSON.stringify(value)}\n\n`;
}

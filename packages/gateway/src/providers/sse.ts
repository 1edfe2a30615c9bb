// Incremental server-sent-events parser and encoder (WHATWG "event stream" rules, minus `id`/`retry`, which no
// LLM provider uses). On the hot path of every stream: one string buffer, no per-line arrays, no regexes.
import { StringDecoder } from 'node:string_decoder';
import type { SseEvent } from './provider-adapter.js';

const LF = 10;
const CR = 13;

export class SseParser {
  private buf = '';
  private data = '';
  private hasData = false;
  private event: string | undefined;
  /** The previous chunk ended in `\r`: a `\n` starting the next chunk belongs to it. */
  private pendingCr = false;
  /** node's StringDecoder: keeps split UTF-8 sequences, and measured 2-3x faster than TextDecoder on 64 B reads. */
  private readonly decoder = new StringDecoder('utf8');

  /** Feed bytes or text as they arrive; returns the events completed by this piece (often none). */
  push(chunk: string | Uint8Array): SseEvent[] {
    let text = typeof chunk === 'string' ? chunk : this.decoder.write(chunk);
    if (this.pendingCr) {
      this.pendingCr = false;
      if (text.charCodeAt(0) === LF) text = text.slice(1);
    }
    const s = this.buf.length === 0 ? text : this.buf + text;
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
    this.buf = start === 0 ? s : s.slice(start);
    return out;
  }

  /** The body ended: a last event without its blank line is still delivered (Gemini may close right after it). */
  end(): SseEvent[] {
    const out: SseEvent[] = [];
    const tail = this.decoder.end();
    const rest = this.buf + tail;
    this.buf = '';
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

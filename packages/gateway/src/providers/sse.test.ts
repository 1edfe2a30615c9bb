import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeSse, encodeSseJson, parseSse, SseEventTooLarge, SseParser } from './sse.js';

describe('SseParser', () => {
  it('parses named events, multi-line data, comments and ignores id/retry', () => {
    const text = ': keep-alive\nevent: message_start\ndata: {"a":1}\n\nid: 7\nretry: 10\ndata: line1\ndata: line2\n\n';
    expect(parseSse(text)).toEqual([{ event: 'message_start', data: '{"a":1}' }, { data: 'line1\nline2' }]);
  });

  it('accepts \\r\\n and bare \\r line endings, also split across chunks', () => {
    const p = new SseParser();
    const out = [...p.push('data: a\r'), ...p.push('\n\r'), ...p.push('\ndata: b\r\r')];
    expect(out).toEqual([{ data: 'a' }, { data: 'b' }]);
  });

  it('keeps a partial line until the rest arrives, and decodes split UTF-8 bytes', () => {
    const p = new SseParser();
    const bytes = new TextEncoder().encode('data: héllo\n\n');
    expect(p.push(bytes.slice(0, 8))).toEqual([]);
    expect(p.push(bytes.slice(8))).toEqual([{ data: 'héllo' }]);
  });

  it('field without colon, value without space, empty data line, event without data is dropped', () => {
    expect(parseSse('data\n\ndata:x\n\nevent: ping\n\n')).toEqual([{ data: '' }, { data: 'x' }]);
  });

  it('delivers a last event that lacks its blank line at end()', () => {
    const p = new SseParser();
    expect(p.push('data: {"x":1}')).toEqual([]);
    expect(p.end()).toEqual([{ data: '{"x":1}' }]);
  });

  it('any chunking of an encoded stream parses to the same events (property)', () => {
    const ev = fc.record({
      event: fc.option(fc.stringMatching(/^[a-z_]{1,12}$/), { nil: undefined }),
      data: fc.string({ maxLength: 40 }).map((s) => s.replace(/\r/g, '')),
    });
    fc.assert(
      fc.property(fc.array(ev, { maxLength: 8 }), fc.array(fc.nat(), { maxLength: 10 }), (events, cuts) => {
        const wire = events.map((e) => encodeSse(e.event === undefined ? { data: e.data } : e)).join('');
        const p = new SseParser();
        const out = [];
        let pos = 0;
        for (const c of cuts) {
          const next = Math.min(wire.length, pos + (c % 7));
          out.push(...p.push(wire.slice(pos, next)));
          pos = next;
        }
        out.push(...p.push(wire.slice(pos)), ...p.end());
        expect(out).toEqual(events.map((e) => (e.event === undefined ? { data: e.data } : e)));
      }),
    );
  });
});

describe('encodeSse', () => {
  it('writes event names and splits multi-line data', () => {
    expect(encodeSse({ event: 'ping', data: '{}' })).toBe('event: ping\ndata: {}\n\n');
    expect(encodeSse({ data: 'a\nb' })).toBe('data: a\ndata: b\n\n');
    expect(encodeSseJson({ a: 1 })).toBe('data: {"a":1}\n\n');
  });
});

describe('hostile streams (#13)', () => {
  it('one long line in small pieces is parsed in linear time (was quadratic: 50 MB took 102 s)', () => {
    // 24 MB in 16 KB pieces: a parser re-scanning its buffer per piece would scan ~18 GB here.
    const p = new SseParser();
    const piece = 'x'.repeat(16 * 1024);
    expect(p.push('data: ')).toEqual([]);
    for (let i = 0; i < 1536; i++) expect(p.push(piece)).toEqual([]);
    const [ev] = p.push('\n\n');
    expect(ev?.data.length).toBe(1536 * 16 * 1024);
  }, 30_000);

  it('an event past the cap throws SseEventTooLarge, from one open line or from many data lines', () => {
    const long = new SseParser(1000);
    long.push('data: ');
    expect(() => {
      for (let i = 0; i < 20; i++) long.push('y'.repeat(100));
    }).toThrow(SseEventTooLarge);
    const many = new SseParser(1000);
    expect(() => many.push('data: 0123456789\n'.repeat(100))).toThrow(SseEventTooLarge);
  });

  it('events under the cap are untouched, split anywhere', () => {
    const p = new SseParser(1000);
    const wire = 'event: a\r\ndata: 1\r\n\r\ndata: 2\n\n';
    const out = [...wire].flatMap((c) => p.push(c));
    expect(out).toEqual([{ event: 'a', data: '1' }, { data: '2' }]);
  });
});

// Test support: a manual clock. `advance(ms)` fires due timers in time order, letting promise chains settle
// between them, so the layers' real timing logic runs without real waiting.
import type { Clock } from '../clock.js';

interface Timer {
  at: number;
  seq: number;
  fn: () => void;
}

const flush = () => new Promise<void>((r) => setImmediate(r));

export class FakeClock implements Clock {
  private t: number;
  private seq = 0;
  private timers: Timer[] = [];

  constructor(start = 1_700_000_000_000) {
    this.t = start;
  }

  now = (): number => this.t;

  schedule = (fn: () => void, ms: number): (() => void) => {
    const timer = { at: this.t + Math.max(0, ms), seq: this.seq++, fn };
    this.timers.push(timer);
    return () => {
      this.timers = this.timers.filter((x) => x !== timer);
    };
  };

  pending(): number {
    return this.timers.length;
  }

  async advance(ms: number): Promise<void> {
    const end = this.t + ms;
    await flush();
    for (;;) {
      this.timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
      const next = this.timers[0];
      if (!next || next.at > end) break;
      this.timers.shift();
      this.t = next.at;
      next.fn();
      await flush();
    }
    this.t = end;
    await flush();
  }
}

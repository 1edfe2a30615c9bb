// Warm-up that ends when throughput has settled, not after a fixed second: a fresh Node server climbs for seconds
// while V8 optimises its hot paths (measured 2026-12-06 at c=32, 1 s steps: bare 1217 → 3711 → 5090 → 7086 rps,
// then flat; Switchyard 771 → 936 → 1399 → 2242 → 2516, then flat), so a 1 s warm-up left round 1 judging JIT
// warm-up. Steady: two consecutive steps within `tolerance` of each other, after at least `minS`.
import type { HttpTarget } from './http-target.js';
import { type LoadResult, runLoad } from './run-load.js';

export interface WarmOptions {
  connections: number;
  minS: number;
  maxS: number;
  tolerance?: number;
}

/** Runs 1 s load steps until two consecutive rps are within `tolerance` (default 10 %), at most `maxS` steps. */
export async function warmUntilSteady(
  target: HttpTarget,
  opts: WarmOptions,
  load: (t: HttpTarget, o: { connections: number; durationS: number }) => Promise<Pick<LoadResult, 'rps'>> = runLoad,
): Promise<number[]> {
  const tolerance = opts.tolerance ?? 0.1;
  const steps: number[] = [];
  for (let s = 0; s < Math.max(1, opts.maxS); s++) {
    steps.push((await load(target, { connections: opts.connections, durationS: 1 })).rps);
    const [prev, last] = steps.slice(-2);
    if (s + 1 >= opts.minS && prev !== undefined && last !== undefined && steps.length >= 2) {
      if (Math.abs(last - prev) <= tolerance * Math.max(prev, last)) break;
    }
  }
  return steps;
}

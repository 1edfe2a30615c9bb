// Progress lines on stderr-free stdout, prefixed with elapsed seconds, so a long run shows where it is.
const t0 = performance.now();

export function log(msg: string): void {
  const s = ((performance.now() - t0) / 1000).toFixed(1).padStart(6);
  process.stdout.write(`[${s}s] ${msg}\n`);
}

export const fmt = (v: number | null | undefined, digits = 3): string =>
  v === null || v === undefined || Number.isNaN(v) ? '–' : v.toFixed(digits);

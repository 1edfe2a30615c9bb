import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { distStale, switchyardRuntime } from './switchyard-runtime.js';

let root: string;
afterEach(() => rmSync(root, { recursive: true, force: true }));

/** Writes `rel` under the fake workspace with the given mtime (seconds). */
function file(rel: string, mtime: number): void {
  const p = path.join(root, rel);
  mkdirSync(path.dirname(p), { recursive: true });
  writeFileSync(p, '');
  utimesSync(p, mtime, mtime);
}

describe('distStale', () => {
  it('is stale without a dist, fresh once built after the sources, stale again when a built source changes', () => {
    root = mkdtempSync(path.join(tmpdir(), 'sy-runtime-'));
    file('packages/core/src/index.ts', 1_000);
    file('packages/core/src/telemetry/sink.ts', 1_000);
    expect(distStale(root, ['core'])).toBe(true);
    file('packages/core/dist/index.js', 2_000);
    file('packages/core/dist/telemetry/sink.js', 2_000);
    expect(distStale(root, ['core'])).toBe(false);
    // Tests and what tsconfig.build.json leaves out never make the build stale.
    file('packages/core/src/telemetry/sink.test.ts', 3_000);
    file('packages/core/src/accounts/bench/run.ts', 3_000);
    file('packages/core/src/testing/fake.ts', 3_000);
    expect(distStale(root, ['core'])).toBe(false);
    file('packages/core/src/telemetry/sink.ts', 3_000);
    expect(distStale(root, ['core'])).toBe(true);
  });
});

describe('switchyardRuntime', () => {
  it('is the built dist unless BENCH_RUNTIME=tsx', () => {
    root = mkdtempSync(path.join(tmpdir(), 'sy-runtime-'));
    const before = process.env.BENCH_RUNTIME;
    try {
      delete process.env.BENCH_RUNTIME;
      expect(switchyardRuntime()).toBe('dist');
      process.env.BENCH_RUNTIME = 'tsx';
      expect(switchyardRuntime()).toBe('tsx');
    } finally {
      if (before === undefined) delete process.env.BENCH_RUNTIME;
      else process.env.BENCH_RUNTIME = before;
    }
  });
});

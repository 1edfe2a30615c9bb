import { describe, expect, it } from 'vitest';
import { type CpuProfile, hotFrames } from './cpu-profile.js';

const frame = (functionName: string, url: string, lineNumber: number) => ({
  functionName,
  url,
  lineNumber,
  columnNumber: 0,
});

// root → handle (a.ts:10) → parse (b.ts:5); handle also has self time; one GC sample is skipped.
const profile: CpuProfile = {
  nodes: [
    { id: 1, callFrame: frame('(root)', '', -1), children: [2, 4, 5] },
    { id: 2, callFrame: frame('handle', 'file:///repo/a.ts', 9), children: [3] },
    { id: 3, callFrame: frame('parse', 'file:///repo/b.ts', 4) },
    { id: 4, callFrame: frame('(garbage collector)', '', -1) },
    { id: 5, callFrame: frame('(idle)', '', -1) },
  ],
  samples: [2, 3, 3, 3, 4, 5, 5],
  timeDeltas: [1000, 1000, 1000, 1000, 1000, 1000, 4000],
  startTime: 0,
  endTime: 15_000,
};

describe('hotFrames', () => {
  it('ranks by self time with inclusive time and file:line (1-based), % of busy time, root stripped', () => {
    const top = hotFrames(profile, { root: '/repo/' });
    expect(top).toEqual([
      { frame: 'parse b.ts:5', selfMs: 3, selfPct: 30, totalMs: 3, totalPct: 30 },
      { frame: 'handle a.ts:10', selfMs: 1, selfPct: 10, totalMs: 4, totalPct: 40 },
    ]);
  });
});

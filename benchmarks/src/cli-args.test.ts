import { describe, expect, it } from 'vitest';
import { parseBenchArgs, SUITE_NAMES } from './cli-args.js';

describe('parseBenchArgs', () => {
  it('defaults to the quick profile with every suite', () => {
    const a = parseBenchArgs([]);
    expect(a).toMatchObject({ profile: 'quick', check: false, write: true, cpuProf: false, tsx: false });
    expect(parseBenchArgs(['--tsx']).tsx).toBe(true);
    expect(a.suites).toEqual([...SUITE_NAMES]);
    expect(a.contenders).toBeUndefined();
  });

  it('accepts pnpm-style "--" and comma lists', () => {
    const a = parseBenchArgs(['--', '--full', '--suite', 'overhead,memory', '--contenders', 'bare', '--check']);
    expect(a).toMatchObject({ profile: 'full', suites: ['overhead', 'memory'], contenders: ['bare'], check: true });
  });

  it('rejects unknown suites, contenders, flags and bad rounds', () => {
    expect(() => parseBenchArgs(['--suite', 'nope'])).toThrow(/unknown suite "nope"/);
    expect(() => parseBenchArgs(['--contenders', 'kong'])).toThrow(/unknown contender/);
    expect(() => parseBenchArgs(['--bogus'])).toThrow();
    expect(() => parseBenchArgs(['--rounds', '0'])).toThrow(/--rounds/);
    expect(parseBenchArgs(['--rounds', '3']).rounds).toBe(3);
  });
});

import { describe, expect, it } from 'vitest';
import { warmUntilSteady } from './warm-until-steady.js';

const target = { url: 'http://127.0.0.1:1/', method: 'POST' as const, headers: {}, body: '' };
const scripted = (rps: number[]) => {
  let i = 0;
  return async () => ({ rps: rps[Math.min(i++, rps.length - 1)] as number });
};

describe('warmUntilSteady', () => {
  it('stops once two consecutive steps agree within 10 %, not before minS', async () => {
    const steps = await warmUntilSteady(
      target,
      { connections: 32, minS: 3, maxS: 10 },
      scripted([1217, 3711, 5090, 7086, 6422, 6592, 6620]),
    );
    expect(steps).toEqual([1217, 3711, 5090, 7086, 6422]);
    expect(await warmUntilSteady(target, { connections: 32, minS: 3, maxS: 10 }, scripted([100]))).toEqual([
      100, 100, 100,
    ]);
  });

  it('gives up after maxS steps when throughput keeps moving', async () => {
    const steps = await warmUntilSteady(target, { connections: 32, minS: 2, maxS: 4 }, scripted([1, 2, 4, 8, 16]));
    expect(steps).toEqual([1, 2, 4, 8]);
  });
});

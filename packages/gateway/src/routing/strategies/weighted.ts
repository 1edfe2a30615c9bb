import type { Strategy } from './strategy.js';
import { promote } from './strategy.js';

/** Weighted random pick first (weight defaults to 1, 0 = fallback only), then the rest in order. */
export const weighted: Strategy = ({ targets, random }) => {
  const weights = targets.map((t) => Math.max(0, t.weight ?? 1));
  const total = weights.reduce((a, b) => a + b, 0);
  if (total <= 0) return [...targets];
  let r = random() * total;
  for (let i = 0; i < weights.length; i++) {
    r -= weights[i] ?? 0;
    if (r < 0) return promote(targets, i);
  }
  return promote(
    targets,
    weights.findLastIndex((w) => w > 0),
  );
};

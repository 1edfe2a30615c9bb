import type { Strategy } from './strategy.js';
import { promote } from './strategy.js';

/**
 * Lowest latency EWMA first. Unknown or stale targets go first (they need a sample), and with probability
 * `exploreRate` a random other target goes first, so a recovered target wins traffic back.
 */
export const leastLatency: Strategy = ({ targets, latencyOf, random, exploreRate }) => {
  const sorted = [...targets].sort((a, b) => (latencyOf(a.id) ?? -1) - (latencyOf(b.id) ?? -1));
  if (sorted.length > 1 && random() < exploreRate) {
    return promote(sorted, 1 + Math.floor(random() * (sorted.length - 1)));
  }
  return sorted;
};

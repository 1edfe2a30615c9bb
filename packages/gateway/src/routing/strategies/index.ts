import type { RoutePlan } from '../../pipeline/seams.js';
import { cheapest } from './cheapest.js';
import { leastLatency } from './least-latency.js';
import { ordered } from './ordered.js';
import { single } from './single.js';
import type { Strategy } from './strategy.js';
import { weighted } from './weighted.js';

export const STRATEGIES: Record<RoutePlan['strategy'], Strategy> = {
  single,
  fallback: ordered,
  weighted,
  'least-latency': leastLatency,
  cheapest,
};

export type { PriceOf, Strategy, StrategyInput } from './strategy.js';
export { cheapest, leastLatency, ordered, single, weighted };

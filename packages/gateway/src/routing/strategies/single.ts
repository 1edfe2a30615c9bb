import type { Strategy } from './strategy.js';

/** Only the first target; no fallback. */
export const single: Strategy = ({ targets }) => targets.slice(0, 1);

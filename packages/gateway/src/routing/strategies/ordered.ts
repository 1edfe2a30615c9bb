import type { Strategy } from './strategy.js';

/** Targets in configured order: the first, then each next one as a fallback. */
export const ordered: Strategy = ({ targets }) => [...targets];

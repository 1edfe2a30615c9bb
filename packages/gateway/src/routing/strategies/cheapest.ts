import type { Strategy } from './strategy.js';

/** Lowest price for this request first; equal prices by latency EWMA (unknown latency last); unknown price last. */
export const cheapest: Strategy = ({ targets, req, priceOf, latencyOf }) => {
  const keyed = targets.map((t) => ({ t, price: priceOf(t, req), ms: latencyOf(t.id) ?? Number.POSITIVE_INFINITY }));
  keyed.sort((a, b) => {
    if (a.price === undefined || b.price === undefined) {
      if (a.price !== b.price) return a.price === undefined ? 1 : -1;
    } else if (a.price !== b.price) return a.price < b.price ? -1 : 1;
    return a.ms === b.ms ? 0 : a.ms - b.ms;
  });
  return keyed.map((k) => k.t);
};

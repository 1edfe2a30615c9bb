// Labelled children of a prom-client histogram, kept per label tuple: a child's `observe` skips the per-call
// closure and label object of `histogram.observe(labels, v)` (≈ 0.86 → 0.47 µs), and the request path observes
// two request histograms per call. Bounded: past `max` tuples a child is made per call and not kept (label values
// are capped upstream anyway: route and model label caps).
import type { Histogram } from 'prom-client';

type Series = ReturnType<Histogram['labels']>;

export function histogramSeries<L extends string>(
  histogram: Histogram<L>,
  max = 4096,
): (key: string, labels: () => Record<L, string>) => Series {
  const children = new Map<string, Series>();
  return (key, labels) => {
    let child = children.get(key);
    if (!child) {
      child = histogram.labels(labels());
      if (children.size < max) children.set(key, child);
    }
    return child;
  };
}

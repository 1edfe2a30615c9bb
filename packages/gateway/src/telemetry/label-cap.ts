// Bounded label values: the first `max` distinct values pass through, later ones collapse to `other`.
// Prometheus keeps every distinct label set forever (until restart), so an unbounded value (a client-chosen
// model name, a virtual key id) must never reach a label unguarded.

export const OTHER = 'other';

export interface LabelCap {
  /** The value itself while under the cap (or already seen), else `other`. */
  label(value: string): string;
  size(): number;
}

export function createLabelCap(max: number): LabelCap {
  const seen = new Set<string>();
  return {
    label(value) {
      if (seen.has(value)) return value;
      if (seen.size >= max) return OTHER;
      seen.add(value);
      return value;
    },
    size: () => seen.size,
  };
}

/** `route` label: only names from the configured table (aliases and `<providerId>/<model>` targets), else `other`. */
export interface RouteLabels {
  label(route: string): string;
  /** Replace the table (config hot reload). */
  set(routes: Iterable<string>): void;
}

export function createRouteLabels(initial: Iterable<string> = []): RouteLabels {
  let known = new Set(initial);
  return {
    label: (route) => (known.has(route) ? route : OTHER),
    set(routes) {
      known = new Set(routes);
    },
  };
}

/** `2xx` … `5xx` from an HTTP status. */
export function statusClass(status: number): string {
  if (status >= 100 && status < 600) return `${Math.floor(status / 100)}xx`;
  return 'other';
}

// The operator's "shadow" account: per route, per UTC day, integer nano-USD. Before a shadow call starts, an upper
// bound of its cost is reserved; the call is dropped when spent + reserved + bound would pass the day's cap. On
// completion the actual cost replaces the reservation. So the cap holds as long as the provider honours the
// output cap we send (a call that somehow costs more than its bound is charged in full and stops further calls).

export interface BudgetView {
  route: string;
  day: string;
  spentNanos: bigint;
  reservedNanos: bigint;
  capNanos: bigint;
}

interface Day {
  day: string;
  spent: bigint;
  reserved: bigint;
}

export const utcDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export class ShadowBudget {
  private readonly routes = new Map<string, Day>();
  private lastCap = new Map<string, bigint>();

  constructor(private readonly now: () => number) {}

  private today(route: string): Day {
    const day = utcDay(this.now());
    let d = this.routes.get(route);
    if (!d) {
      d = { day, spent: 0n, reserved: 0n };
      this.routes.set(route, d);
    } else if (d.day !== day) {
      // A new day: yesterday's spend is history; reservations of calls still running carry over.
      d.day = day;
      d.spent = 0n;
    }
    return d;
  }

  /** Reserves `bound` against the cap; false (nothing reserved) when it does not fit. */
  reserve(route: string, bound: bigint, capNanos: bigint): boolean {
    this.lastCap.set(route, capNanos);
    const d = this.today(route);
    if (d.spent + d.reserved + bound > capNanos) return false;
    d.reserved += bound;
    return true;
  }

  /** Replaces a reservation by the actual cost (undefined: nothing was billed). */
  settle(route: string, bound: bigint, actual: bigint | undefined): void {
    const d = this.today(route);
    d.reserved -= bound;
    if (d.reserved < 0n) d.reserved = 0n;
    if (actual !== undefined) d.spent += actual;
  }

  view(): BudgetView[] {
    return [...this.routes.keys()].map((route) => {
      const d = this.today(route);
      return {
        route,
        day: d.day,
        spentNanos: d.spent,
        reservedNanos: d.reserved,
        capNanos: this.lastCap.get(route) ?? 0n,
      };
    });
  }
}

// Budget periods are UTC calendar days and months.
export function dayKey(now: number): string {
  return new Date(now).toISOString().slice(0, 10).replaceAll('-', '');
}

export function monthKey(now: number): string {
  return new Date(now).toISOString().slice(0, 7).replace('-', '');
}

export function msUntilNextDay(now: number): number {
  const d = new Date(now);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 1) - now;
}

export function msUntilNextMonth(now: number): number {
  const d = new Date(now);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1) - now;
}

export function startOfDay(now: number): number {
  const d = new Date(now);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
}

export function startOfMonth(now: number): number {
  const d = new Date(now);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
}

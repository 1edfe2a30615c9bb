// Budget periods are UTC calendar days and months.
// Called per request: the formatted key is cached for the current period's [start, end) range, so the
// common case is two comparisons instead of a Date + toISOString.
interface PeriodCache {
  start: number;
  end: number;
  key: string;
}
const dayCache: PeriodCache = { start: 0, end: -1, key: '' };
const monthCache: PeriodCache = { start: 0, end: -1, key: '' };

export function dayKey(now: number): string {
  if (now >= dayCache.start && now < dayCache.end) return dayCache.key;
  const d = new Date(now);
  dayCache.start = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
  dayCache.end = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 1);
  dayCache.key = d.toISOString().slice(0, 10).replaceAll('-', '');
  return dayCache.key;
}

export function monthKey(now: number): string {
  if (now >= monthCache.start && now < monthCache.end) return monthCache.key;
  const d = new Date(now);
  monthCache.start = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
  monthCache.end = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
  monthCache.key = d.toISOString().slice(0, 7).replace('-', '');
  return monthCache.key;
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

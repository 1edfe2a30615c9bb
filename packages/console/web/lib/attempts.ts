// The attempts of a call as the call view shows them: how many upstream calls it took, or that it is unknown.

/** `attempts` from the admin API: null on rows written before the ledger recorded it (migration 7). */
export function attemptsText(attempts: number | null | undefined): string {
  if (attempts === null || attempts === undefined) return 'not recorded';
  if (attempts === 0) return 'none (cache hit)';
  if (attempts === 1) return '1';
  return `${attempts} (retries, fallbacks or hedges)`;
}

/** The ledger table's short form: the count, or an em dash for a row that predates it (a credit has none). */
export function attemptsCell(attempts: number | null | undefined): string {
  return attempts === null || attempts === undefined ? '—' : String(attempts);
}

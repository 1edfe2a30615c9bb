// Start a suite's contenders one by one; one that cannot start is skipped with its reason, never fatal.
import { log } from '../progress.js';
import type { Contender, ContenderName } from './contender.js';

export interface ContenderStarter {
  name: ContenderName;
  start(): Promise<Contender>;
}

export interface ContenderSet {
  contenders: Contender[];
  skipped: { name: string; reason: string }[];
  close(): Promise<void>;
}

export async function startSet(starters: ContenderStarter[]): Promise<ContenderSet> {
  const contenders: Contender[] = [];
  const skipped: { name: string; reason: string }[] = [];
  for (const s of starters) {
    try {
      contenders.push(await s.start());
    } catch (e) {
      const reason = (e instanceof Error ? e.message : String(e)).split('\n').slice(0, 6).join(' | ');
      skipped.push({ name: s.name, reason });
      log(`SKIP ${s.name}: ${reason}`);
    }
  }
  return {
    contenders,
    skipped,
    close: async () => {
      await Promise.all(contenders.map((c) => c.close().catch(() => {})));
    },
  };
}

/** Round r's order: a rotation, so no contender always runs first (or right after a noisy neighbour). */
export function rotate<T>(items: readonly T[], round: number): T[] {
  if (items.length === 0) return [];
  const k = round % items.length;
  return [...items.slice(k), ...items.slice(0, k)];
}

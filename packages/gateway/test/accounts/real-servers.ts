// One redis + one postgres per suite file, started for real (see test/support/servers.ts).
import { afterAll, beforeAll } from 'vitest';
import {
  createDatabase,
  missingServers,
  type RunningServer,
  startPostgres,
  startRedis,
} from '../../../../test/support/servers.js';

export const serversMissing = missingServers();
export const skipReason = serversMissing.length ? `real servers unavailable: ${serversMissing.join('; ')}` : '';

/** Call at the top of a suite file; `url()` then gives a `redis://…+postgres://…` store URL on a fresh database. */
export function useRealServers() {
  let redis: RunningServer | undefined;
  let pg: RunningServer | undefined;
  let dbs = 0;
  beforeAll(async () => {
    if (serversMissing.length) return;
    [redis, pg] = await Promise.all([startRedis(), startPostgres()]);
  });
  afterAll(async () => {
    await Promise.all([redis?.stop(), pg?.stop()]);
  });
  return {
    async url(): Promise<string> {
      if (!redis || !pg) throw new Error(skipReason || 'servers not started');
      const db = await createDatabase(pg, `sy_${process.pid}_${++dbs}`);
      return `${redis.url}/${dbs % 16}+${db}`;
    },
  };
}

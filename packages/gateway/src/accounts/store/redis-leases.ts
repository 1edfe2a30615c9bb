// What makes the shared admission state in redis safe when a replica dies or redis loses its data
// (docs/accounts.md "Redis restarts and dead replicas"):
// - Leases: a reservation (money AND a concurrency slot) lives in redis only `leaseMs` (15 s) unless the replica
//   that holds it refreshes it (every leaseMs / 5). A replica killed with open streams frees its keys within 15 s.
// - Epoch: `sy:epoch` names the redis data set. Redis restarted empty (or flushed) has none: the first replica to
//   notice writes a new one and `sy:rebuild` with a TTL of `rebuildMs`. While it exists every reservation is refused
//   (503 accounts_unavailable) and every replica re-registers its own open reservations (this module keeps them),
//   after reloading balances from postgres. When it expires, redis again holds every open reservation.
import { randomUUID } from 'node:crypto';
import type { KeyRecord, Reservation } from '../types.js';

export const EPOCH_KEY = 'sy:epoch';
export const REBUILD_KEY = 'sy:rebuild';

/**
 * Re-registers or refreshes one reservation (expiry from redis TIME, like RESERVE) at the key and at its team and
 * end user (3 KEYS each, when held there), in one script: a settle can never land between the two levels and leave a hold behind.
 * KEYS: acct res resv [team: acct res resv] [end user: acct res resv]  ARGV: id amount tokens leaseMs
 * → 1 refreshed, 2 re-added (redis had lost it), -1 account (key or team) not loaded
 */
export const RESTORE = `
local t = redis.call('TIME'); local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
for o = 0, #KEYS - 3, 3 do
  if redis.call('HEXISTS', KEYS[o+1], 'init') == 0 then return -1 end
end
local out = 1
for o = 0, #KEYS - 3, 3 do
  if redis.call('HEXISTS', KEYS[o+3], ARGV[1]) == 1 then
    redis.call('ZADD', KEYS[o+2], 'XX', now + tonumber(ARGV[4]), ARGV[1])
  else
    redis.call('HSET', KEYS[o+3], ARGV[1], ARGV[2] .. ' ' .. ARGV[3])
    redis.call('ZADD', KEYS[o+2], now + tonumber(ARGV[4]), ARGV[1])
    redis.call('HINCRBY', KEYS[o+1], 'reserved', ARGV[2])
    out = 2
  end
end
return out`;

/** Where the epoch check stands for this replica. */
export type EpochState = 'ok' | 'lost' | 'changed' | 'rebuilding';

/** Lua prelude for RESERVE: KEYS[8] epoch, KEYS[9] rebuild, ARGV[13] this replica's epoch. */
export const EPOCH_CHECK = `
local ep = redis.call('GET', KEYS[8])
if not ep then return {-4} end
if ep ~= ARGV[13] then return {-5} end
if redis.call('EXISTS', KEYS[9]) == 1 then return {-6} end`;

interface Held {
  res: Reservation;
  key: KeyRecord;
  /** The reservation's own expiry (reservationTtlMs): leases are never refreshed past it. */
  deadline: number;
}

export type { Held };

export interface LeaseHost {
  /** redis commands the leases need */
  get(key: string): Promise<string | null>;
  setNx(key: string, value: string, px?: number): Promise<boolean>;
  /** Runs RESTORE for one reservation; -1 means the account must be loaded first. */
  restore(res: Reservation, leaseMs: number): Promise<number>;
  /** Forgets which accounts this replica loaded and loads `keyId` from postgres. */
  reload(keyId: string): Promise<void>;
  forgetLoaded(): void;
  warn(obj: object, msg: string): void;
}

export class ReservationLeases {
  epoch = '';
  private readonly held = new Map<string, Held>();
  private timer: NodeJS.Timeout | undefined;
  private beating: Promise<void> | undefined;

  constructor(
    private readonly host: LeaseHost,
    readonly leaseMs: number,
    readonly rebuildMs: number,
  ) {}

  /** Joins the current epoch (or starts one on an empty redis) and starts refreshing. */
  async start(): Promise<void> {
    await this.host.setNx(EPOCH_KEY, randomUUID());
    this.epoch = (await this.host.get(EPOCH_KEY)) ?? '';
    // Often enough that every replica re-registers well inside the rebuild window, and leases never lapse.
    const every = Math.max(50, Math.min(1000, Math.floor(this.leaseMs / 5), Math.floor(this.rebuildMs / 4)));
    this.timer = setInterval(() => void this.beat(), every);
    this.timer.unref();
  }

  hold(res: Reservation, key: KeyRecord, ttlMs: number): void {
    this.held.set(res.id, { res, key, deadline: Date.now() + ttlMs });
  }

  drop(id: string): void {
    this.held.delete(id);
  }

  get size(): number {
    return this.held.size;
  }

  /**
   * RESERVE said redis lost the epoch (-4) or has a newer one (-5): start or join the new epoch, mark the rebuild
   * window, and re-register everything this replica holds. Admission stays closed until the window ends.
   */
  async recover(): Promise<void> {
    this.beating ??= this.recoverOnce().finally(() => {
      this.beating = undefined;
    });
    return this.beating;
  }

  private async recoverOnce(): Promise<void> {
    const fresh = randomUUID();
    if (await this.host.setNx(EPOCH_KEY, fresh)) {
      await this.host.setNx(REBUILD_KEY, fresh, this.rebuildMs);
      this.host.warn({ rebuildMs: this.rebuildMs }, 'accounts redis lost its data: admission closed while rebuilding');
    }
    const now = (await this.host.get(EPOCH_KEY)) ?? fresh;
    if (now === this.epoch) return;
    this.host.forgetLoaded();
    await this.refreshAll();
    this.epoch = now;
  }

  /** Timer: notice a lost or new epoch, and refresh every lease this replica holds. Never throws. */
  private async beat(): Promise<void> {
    if (this.beating) return;
    try {
      const current = await this.host.get(EPOCH_KEY);
      if (current !== this.epoch) await this.recover();
      else await this.refreshAll();
    } catch (err) {
      this.host.warn({ err: (err as Error).message }, 'accounts redis lease refresh failed');
    }
  }

  private async refreshAll(): Promise<void> {
    for (const { res, deadline } of [...this.held.values()]) {
      if (!this.held.has(res.id)) continue; // settled meanwhile
      const ms = Math.min(this.leaseMs, deadline - Date.now());
      if (ms <= 0) {
        this.held.delete(res.id); // expired for good: redis reaps it
        continue;
      }
      if ((await this.host.restore(res, ms)) === -1) {
        await this.host.reload(res.keyId);
        if (res.teamId !== undefined) await this.host.reload(res.teamId);
        if (res.endUserAccount !== undefined) await this.host.reload(res.endUserAccount);
        await this.host.restore(res, ms);
      }
    }
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}

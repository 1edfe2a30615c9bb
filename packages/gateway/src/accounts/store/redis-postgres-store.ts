// Many-instance store: redis holds admission state (balances, reservations, spend counters, rate buckets) behind
// atomic Lua scripts; postgres holds keys and the append-only ledger plus the stored balance, both changed in the
// same statement. Settles hit redis on the response path (one round trip) and are group-committed to postgres.
import { createHash } from 'node:crypto';
import { Redis } from 'ioredis';
import pg from 'pg';
import { isEndUserAccount, parseEndUserAccount } from '../end-users.js';
import { dayKey, monthKey, msUntilNextDay, msUntilNextMonth, startOfDay, startOfMonth } from '../periods.js';
import { bucketState } from '../token-bucket.js';
import type {
  AccountStore,
  CallEntry,
  CreditMovement,
  EndUserQuery,
  EndUserSpend,
  KeyPatch,
  KeyRecord,
  KeyUsage,
  LedgerRow,
  RateState,
  RefusalReason,
  Reservation,
  ReserveRequest,
  ReserveResult,
  TeamPatch,
  TeamRecord,
  VerifyResult,
} from '../types.js';
import { applyPatch, KEY_COLUMNS, type KeyRow, keyToRow, rowToKey } from './key-rows.js';
import {
  CREDIT_COLUMNS,
  creditRow,
  DERIVED_BALANCE,
  endUserSpendRow,
  endUserSpendSql,
  rowToLedger,
} from './ledger-rows.js';
import { PgLedgerWriter } from './pg-ledger-writer.js';
import { pgLedger, pgMigrate, pgSpend, pgSpendSeries } from './postgres-queries.js';
import { EPOCH_KEY, REBUILD_KEY, RESTORE, ReservationLeases } from './redis-leases.js';
import { CREDIT, INIT, RESERVE, SETTLE, USAGE } from './redis-scripts.js';
import { isTeamId, rowToTeam, TEAM_COLUMNS, teamToRow } from './team-rows.js';

const DAY = 86_400_000;
/** An end user's redis state lives this long after its last reserve or settle, then reloads from postgres. */
const END_USER_TTL_MS = 2 * DAY;

/** Redis hash tag of an account: end users (up to 256 characters of anything) by a fixed-length digest. */
const tagOf = (id: string) =>
  isEndUserAccount(id) ? `eu_${createHash('sha256').update(id).digest('hex').slice(0, 32)}` : id;

export interface RedisPostgresOptions {
  flushMs?: number;
  log?: { warn(obj: object, msg: string): void };
  /** A reservation (and its concurrency slot) lives this long in redis unless its replica refreshes it. */
  leaseMs?: number;
  /** After redis lost its data, admission stays closed this long while replicas re-register reservations. */
  rebuildMs?: number;
  /** Every redis command fails (→ 503 accounts_unavailable) after this long: a paused redis cannot hang calls. */
  commandTimeoutMs?: number;
}
const params = (n: number, from = 1) => Array.from({ length: n }, (_, i) => `$${i + from}`).join(', ');

export class RedisPostgresStore implements AccountStore {
  readonly kind = 'redis+postgres' as const;
  private readonly inited = new Set<string>();
  private readonly shas = new Map<string, string>();
  private readonly ledger: PgLedgerWriter;
  private readonly inflight = new Set<Promise<void>>();
  private readonly tpmOf = new Map<string, number | undefined>();
  readonly leases: ReservationLeases;

  private constructor(
    readonly redis: Redis,
    readonly pool: pg.Pool,
    opts: RedisPostgresOptions,
  ) {
    this.ledger = new PgLedgerWriter(pool, opts.flushMs ?? 5, opts.log);
    const warn = (obj: object, msg: string) => opts.log?.warn(obj, msg);
    this.leases = new ReservationLeases(
      {
        get: (k) => this.redis.get(k),
        setNx: async (k, v, px) => (px ? await redis.set(k, v, 'PX', px, 'NX') : await redis.set(k, v, 'NX')) === 'OK',
        restore: async (res, leaseMs) => {
          const k = this.k(res.keyId);
          const keys = [k.acct, k.res, k.resv];
          for (const id of [res.teamId, res.endUserAccount]) {
            if (id === undefined) continue;
            const x = this.k(id);
            keys.push(x.acct, x.res, x.resv);
          }
          return Number(await this.run(RESTORE, keys, [res.id, res.amountNanos.toString(), res.tokens, leaseMs]));
        },
        reload: async (keyId) => {
          this.inited.delete(keyId);
          await this.ledger.flush(); // postgres then holds every settle this replica made
          await this.ensureInit(keyId);
        },
        forgetLoaded: () => this.inited.clear(),
        warn,
      },
      opts.leaseMs ?? 15_000,
      opts.rebuildMs ?? 5_000,
    );
  }

  static async open(redisUrl: string, pgUrl: string, opts: RedisPostgresOptions = {}): Promise<RedisPostgresStore> {
    const redis = new Redis(redisUrl, {
      maxRetriesPerRequest: 3,
      enableAutoPipelining: true,
      commandTimeout: opts.commandTimeoutMs ?? 2_000,
    });
    const pool = new pg.Pool({ connectionString: pgUrl, max: 8 });
    // Idle-connection errors (server restart) are emitted, not thrown: report them, the pool reconnects.
    pool.on('error', (err) => opts.log?.warn({ err: err.message }, 'accounts postgres connection error'));
    redis.on('error', (err) => opts.log?.warn({ err: err.message }, 'accounts redis connection error'));
    await pgMigrate(pool);
    const store = new RedisPostgresStore(redis, pool, opts);
    // Loaded up front: a first-use NOSCRIPT round trip would let a later command (a settle) overtake an earlier
    // one (a lease refresh that then re-adds the settled reservation until its lease lapses).
    await Promise.all([RESERVE, SETTLE, CREDIT, INIT, USAGE, RESTORE].map((s) => redis.script('LOAD', s)));
    await store.leases.start();
    return store;
  }

  private k(id: string) {
    const p = `sy:{${tagOf(id)}}:`;
    const now = Date.now();
    return {
      acct: `${p}acct`,
      day: `${p}day:${dayKey(now)}`,
      mon: `${p}mon:${monthKey(now)}`,
      res: `${p}res`,
      resv: `${p}resv`,
      rpm: `${p}rpm`,
      tpm: `${p}tpm`,
      credits: `${p}credits`,
      dayTtl: String(msUntilNextDay(now) + DAY),
      monTtl: String(msUntilNextMonth(now) + DAY),
    };
  }

  /** EVALSHA with a fallback to EVAL when redis does not know the script yet (restart, first use). */
  private async run(script: string, keys: string[], args: (string | number)[]): Promise<unknown> {
    let sha = this.shas.get(script);
    if (!sha) {
      sha = createHash('sha1').update(script).digest('hex');
      this.shas.set(script, sha);
    }
    try {
      return await this.redis.evalsha(sha, keys.length, ...keys, ...args);
    } catch (err) {
      if (!String((err as Error).message).includes('NOSCRIPT')) throw err;
      return this.redis.eval(script, keys.length, ...keys, ...args);
    }
  }

  /** Loads a key's (or a team's) state into redis from postgres the first time (idempotent across instances). */
  private async ensureInit(keyId: string): Promise<void> {
    if (isEndUserAccount(keyId)) return this.initEndUser(keyId);
    if (this.inited.has(keyId)) return;
    const now = Date.now();
    // a team's spend is every call of its keys; its top-ups are credit rows with its id in key_id
    const [table, col] = isTeamId(keyId) ? ['teams', 'team_id'] : ['keys', 'key_id'];
    const { rows } = await this.pool.query(
      `SELECT k.balance_nanos AS bal,
        COALESCE((SELECT SUM(cost_nanos) FROM ledger WHERE ${col} = $1 AND kind = 'call'), 0) AS spent,
        COALESCE((SELECT SUM(cost_nanos) FROM ledger WHERE ${col} = $1 AND kind = 'call' AND created_at >= $2), 0) AS d,
        COALESCE((SELECT SUM(cost_nanos) FROM ledger WHERE ${col} = $1 AND kind = 'call' AND created_at >= $3), 0) AS m,
        COALESCE((SELECT array_agg(idempotency_key) FROM ledger WHERE key_id = $1 AND kind = 'credit'), '{}') AS idem
       FROM ${table} k WHERE k.id = $1`,
      [keyId, startOfDay(now), startOfMonth(now)],
    );
    const r = rows[0] as { bal: string | null; spent: string; d: string; m: string; idem: string[] } | undefined;
    if (!r) return;
    const k = this.k(keyId);
    await this.run(INIT, [k.acct, k.day, k.mon], [r.bal ?? '', r.spent, r.d, r.m, k.dayTtl, k.monTtl]);
    if (r.idem.length > 0) await this.redis.sadd(k.credits, ...r.idem);
    this.inited.add(keyId);
  }

  /**
   * An end user's spend from the ledger (calls of its team's keys, or of its key, naming it). Not remembered per
   * replica (end users are many): RESERVE says -3 when redis lacks it, and its keys expire when idle.
   */
  private async initEndUser(id: string): Promise<void> {
    const eu = parseEndUserAccount(id);
    const k = this.k(id);
    if (!eu || (await this.redis.hexists(k.acct, 'init')) === 1) return;
    const now = Date.now();
    const col = isTeamId(eu.scope) ? 'team_id' : 'key_id';
    const sum = (since: string) =>
      `COALESCE((SELECT SUM(cost_nanos) FROM ledger WHERE end_user = $1 AND ${col} = $2 AND kind = 'call'${since}), 0)`;
    const { rows } = await this.pool.query(
      `SELECT ${sum('')} AS spent, ${sum(' AND created_at >= $3')} AS d, ${sum(' AND created_at >= $4')} AS m`,
      [eu.endUser, eu.scope, startOfDay(now), startOfMonth(now)],
    );
    const r = rows[0] as { spent: string; d: string; m: string };
    await this.run(INIT, [k.acct, k.day, k.mon], ['', r.spent, r.d, r.m, k.dayTtl, k.monTtl, END_USER_TTL_MS]);
  }

  /** Runs `fn` in one postgres transaction on a pooled client: COMMIT on success, ROLLBACK and rethrow on error. */
  private async transaction<T>(fn: (c: pg.PoolClient) => Promise<T>): Promise<T> {
    const c = await this.pool.connect();
    try {
      await c.query('BEGIN');
      const out = await fn(c);
      await c.query('COMMIT');
      return out;
    } catch (err) {
      await c.query('ROLLBACK');
      throw err;
    } finally {
      c.release();
    }
  }

  async insertKey(key: KeyRecord, initialCredit?: CreditMovement): Promise<void> {
    await this.transaction(async (c) => {
      await c.query(
        `INSERT INTO keys (${KEY_COLUMNS.join(', ')}, balance_nanos) VALUES (${params(KEY_COLUMNS.length + 1)})`,
        [...keyToRow(key), key.credits ? 0n : null],
      );
      if (initialCredit) await this.creditTx(c, initialCredit);
    });
  }

  private async creditTx(c: pg.PoolClient, m: CreditMovement): Promise<boolean> {
    const ins = await c.query(
      `INSERT INTO ledger (${CREDIT_COLUMNS.join(', ')}) VALUES (${params(CREDIT_COLUMNS.length)}) ON CONFLICT DO NOTHING RETURNING seq`,
      creditRow(m),
    );
    if (ins.rowCount === 0) return false;
    const table = isTeamId(m.keyId) ? 'teams' : 'keys';
    await c.query(`UPDATE ${table} SET balance_nanos = COALESCE(balance_nanos, 0) + $1, credits = 1 WHERE id = $2`, [
      m.amountNanos,
      m.keyId,
    ]);
    return true;
  }

  async insertTeam(team: TeamRecord, initialCredit?: CreditMovement): Promise<void> {
    await this.transaction(async (c) => {
      await c.query(
        `INSERT INTO teams (${TEAM_COLUMNS.join(', ')}, balance_nanos) VALUES (${params(TEAM_COLUMNS.length + 1)})`,
        [...teamToRow(team), team.credits ? 0n : null],
      );
      if (initialCredit) await this.creditTx(c, initialCredit);
    });
  }

  async getTeam(id: string) {
    const { rows } = await this.pool.query('SELECT * FROM teams WHERE id = $1', [id]);
    return rows[0] ? rowToTeam(rows[0] as KeyRow) : undefined;
  }

  async listTeams() {
    const { rows } = await this.pool.query('SELECT * FROM teams ORDER BY created_at, id');
    return (rows as KeyRow[]).map(rowToTeam);
  }

  async updateTeam(id: string, patch: TeamPatch) {
    const cur = await this.getTeam(id);
    if (!cur) return undefined;
    const next = applyPatch<TeamRecord>(cur, patch);
    const sets = TEAM_COLUMNS.slice(1).map((c, i) => `${c} = $${i + 1}`);
    await this.pool.query(`UPDATE teams SET ${sets.join(', ')} WHERE id = $${TEAM_COLUMNS.length}`, [
      ...teamToRow(next).slice(1),
      id,
    ]);
    return next;
  }

  async teamLedger(teamId: string, from: number, to: number): Promise<LedgerRow[]> {
    await this.flush();
    const { rows } = await this.pool.query(
      'SELECT * FROM ledger WHERE team_id = $1 AND created_at >= $2 AND created_at < $3 ORDER BY created_at, seq',
      [teamId, from, to],
    );
    return (rows as KeyRow[]).map(rowToLedger);
  }

  async findKeyByHash(hash: string) {
    const { rows } = await this.pool.query('SELECT * FROM keys WHERE hash = $1', [hash]);
    return rows[0] ? rowToKey(rows[0] as KeyRow) : undefined;
  }

  async getKey(id: string) {
    const { rows } = await this.pool.query('SELECT * FROM keys WHERE id = $1', [id]);
    return rows[0] ? rowToKey(rows[0] as KeyRow) : undefined;
  }

  async listKeys() {
    const { rows } = await this.pool.query('SELECT * FROM keys ORDER BY created_at, id');
    return (rows as KeyRow[]).map(rowToKey);
  }

  async countKeys() {
    const { rows } = await this.pool.query('SELECT COUNT(*)::int AS n FROM keys');
    return Number((rows[0] as { n: number }).n);
  }

  async updateKey(id: string, patch: KeyPatch) {
    const cur = await this.getKey(id);
    if (!cur) return undefined;
    const next = applyPatch(cur, patch);
    const sets = KEY_COLUMNS.slice(1).map((c, i) => `${c} = $${i + 1}`);
    await this.pool.query(`UPDATE keys SET ${sets.join(', ')} WHERE id = $${KEY_COLUMNS.length}`, [
      ...keyToRow(next).slice(1),
      id,
    ]);
    return next;
  }

  /** Postgres first (the record), then redis; both idempotent by the key, so a retry heals a crash in between. */
  async addCredits(m: CreditMovement) {
    const applied = await this.transaction((c) => this.creditTx(c, m));
    await this.ensureInit(m.keyId);
    const k = this.k(m.keyId);
    await this.run(CREDIT, [k.acct, k.credits], [m.idempotencyKey, m.amountNanos.toString()]);
    return { applied };
  }

  async reserve(r: ReserveRequest): Promise<ReserveResult> {
    const { key, team } = r;
    this.tpmOf.set(key.id, key.tpm);
    await this.ensureInit(key.id);
    if (team) {
      this.tpmOf.set(team.id, team.tpm);
      await this.ensureInit(team.id);
    }
    let out = await this.reserveOnce(r);
    if (out[0] === -4 || out[0] === -5) {
      // redis lost its data (restart, flush) or another replica already noticed: rebuild, refuse meanwhile
      await this.leases.recover();
      throw new Error('accounts: redis lost its data; rebuilding open reservations');
    }
    if (out[0] === -6) throw new Error('accounts: rebuilding open reservations after a redis data loss');
    // An account redis lacks: an end user's first call (or one idle past its TTL), or redis lost one since this
    // instance loaded it. Load it from postgres and try again (each of the three levels at most once).
    for (let i = 0; i < 3 && (out[0] === -1 || out[0] === -2 || out[0] === -3); i++) {
      const id = out[0] === -3 && r.endUser ? r.endUser.account : out[0] === -2 && team ? team.id : key.id;
      this.inited.delete(id);
      await this.ensureInit(id);
      out = await this.reserveOnce(r);
    }
    if (out[0] === -1 || out[0] === -2 || out[0] === -3) {
      throw new Error('accounts: redis account state could not be loaded');
    }
    const ok = out[0] === 1;
    const [rl, tl] = ok ? [Number(out[1]), Number(out[2])] : [Number(out[3]), Number(out[4])];
    const rate: RateState = {};
    if (key.rpm) rate.requests = bucketState({ level: rl, at: 0 }, key.rpm);
    if (key.tpm) rate.tokens = bucketState({ level: tl, at: 0 }, key.tpm);
    if (ok) {
      const payer = out[3] === 'key' || out[3] === 'team' ? out[3] : undefined;
      const reservation: Reservation = {
        id: r.reservationId,
        keyId: key.id,
        ...(team ? { teamId: team.id } : {}),
        ...(r.endUser ? { endUserAccount: r.endUser.account } : {}),
        ...(payer ? { payer } : {}),
        amountNanos: r.amountNanos,
        tokens: r.tokens,
      };
      this.leases.hold(reservation, key, r.ttlMs);
      return { ok, rate, reservation };
    }
    const after = Number(out[2]);
    return { ok: false, reason: out[1] as RefusalReason, rate, ...(after >= 0 ? { retryAfterMs: after } : {}) };
  }

  private async reserveOnce(r: ReserveRequest): Promise<(string | number)[]> {
    const { key, team } = r;
    const k = this.k(key.id);
    const b = key.budgets;
    const t = team ? this.k(team.id) : undefined;
    const tb = team?.budgets ?? {};
    const eu = r.endUser;
    const e = eu ? this.k(eu.account) : undefined;
    const eb = eu?.limits.budgets ?? {};
    return (await this.run(
      RESERVE,
      [
        ...[k.acct, k.day, k.mon, k.res, k.resv, k.rpm, k.tpm, EPOCH_KEY, REBUILD_KEY],
        ...(t ? [t.acct, t.day, t.mon, t.res, t.resv, t.rpm, t.tpm] : []),
        ...(e ? [e.acct, e.day, e.mon, e.res, e.resv, e.rpm, e.tpm] : []),
      ],
      [
        r.reservationId,
        r.amountNanos.toString(),
        r.tokens,
        // A lease, refreshed while the call runs: a dead replica's reservations (and slots) lapse quickly.
        Math.min(r.ttlMs, this.leases.leaseMs),
        key.rpm ?? 0,
        key.tpm ?? 0,
        key.maxConcurrency ?? 0,
        b.dailyNanos?.toString() ?? '',
        b.monthlyNanos?.toString() ?? '',
        b.totalNanos?.toString() ?? '',
        k.dayTtl,
        k.monTtl,
        this.leases.epoch,
        team ? '1' : '0',
        team?.rpm ?? 0,
        team?.tpm ?? 0,
        team?.maxConcurrency ?? 0,
        tb.dailyNanos?.toString() ?? '',
        tb.monthlyNanos?.toString() ?? '',
        tb.totalNanos?.toString() ?? '',
        eu ? '1' : '0',
        eu?.limits.rpm ?? 0,
        eb.dailyNanos?.toString() ?? '',
        eb.monthlyNanos?.toString() ?? '',
        eb.totalNanos?.toString() ?? '',
        END_USER_TTL_MS,
      ],
    )) as (string | number)[];
  }

  settle(res: Reservation, entry: CallEntry): Promise<void> {
    this.leases.drop(res.id);
    const actual = entry.usage ? entry.usage.inputTokens + entry.usage.outputTokens : res.tokens;
    // The ledger records the call even if redis failed: it must match the provider's bill.
    return this.track(
      this.settleRedis(res, entry.debitNanos, entry.costNanos, res.tokens - actual).finally(() =>
        this.ledger.push(entry),
      ),
    );
  }

  release(res: Reservation): Promise<void> {
    this.leases.drop(res.id);
    return this.track(this.settleRedis(res, 0n, 0n, res.tokens));
  }

  /** Settles and releases in flight, so flush() can wait for them (every settle accepted so far). */
  private track(p: Promise<void>): Promise<void> {
    this.inflight.add(p);
    const done = () => this.inflight.delete(p);
    p.then(done, done);
    return p;
  }

  private async settleRedis(res: Reservation, debit: bigint, cost: bigint, refund: number) {
    const k = this.k(res.keyId);
    const t = res.teamId !== undefined ? this.k(res.teamId) : undefined;
    const e = res.endUserAccount !== undefined ? this.k(res.endUserAccount) : undefined;
    const level = (x: ReturnType<typeof this.k> | undefined) => (x ? [x.acct, x.day, x.mon, x.res, x.resv, x.tpm] : []);
    await this.run(
      SETTLE,
      [...level(k), ...level(t), ...level(e)],
      [
        res.id,
        debit.toString(),
        cost.toString(),
        refund,
        this.tpmOf.get(res.keyId) ?? 0,
        k.dayTtl,
        k.monTtl,
        res.payer ?? '',
        res.teamId !== undefined ? (this.tpmOf.get(res.teamId) ?? 0) : 0,
        t ? '1' : '0',
        e ? '1' : '0',
        END_USER_TTL_MS,
      ],
    );
  }

  async reapExpired(): Promise<number> {
    let n = 0;
    for (const id of this.inited) {
      const k = this.k(id);
      const before = await this.redis.zcard(k.res);
      await this.run(USAGE, [k.acct, k.res, k.resv], []);
      n += before - (await this.redis.zcard(k.res));
    }
    return n;
  }

  async usage(keyId: string): Promise<KeyUsage> {
    await this.ensureInit(keyId);
    const k = this.k(keyId);
    let out = (await this.run(USAGE, [k.acct, k.res, k.resv], [])) as (string | number)[];
    if (out[0] === -1) {
      this.inited.delete(keyId);
      await this.ensureInit(keyId);
      out = (await this.run(USAGE, [k.acct, k.res, k.resv], [])) as (string | number)[];
    }
    const [bal, reserved, spent, open] = out.map(String);
    const [d, m] = await this.redis.mget(k.day, k.mon);
    return {
      balanceNanos: bal ? BigInt(bal) : null,
      reservedNanos: BigInt(reserved ?? '0'),
      spentNanos: BigInt(spent ?? '0'),
      spentDayNanos: BigInt(d ?? '0'),
      spentMonthNanos: BigInt(m ?? '0'),
      // The index ZSET's size, read in the same script right after reaping expired entries.
      openReservations: Number(open ?? '0'),
    };
  }

  async endUsers(q: EndUserQuery): Promise<EndUserSpend[]> {
    await this.flush();
    const sql = endUserSpendSql(isTeamId(q.scope) ? 'team_id' : 'key_id', (n) => `$${n}`);
    const { rows } = await this.pool.query(sql, [q.dayStart, q.monthStart, q.scope, q.after ?? '', q.limit]);
    return (rows as Record<string, unknown>[]).map(endUserSpendRow);
  }

  /** Postgres holds the claims: durable, and one unique row per crossing whatever redis went through. */
  async claimAlert(claim: string, at: number, expiresAt?: number): Promise<boolean> {
    const r = await this.pool.query(
      'INSERT INTO alert_claims (claim, created_at, expires_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING',
      [claim, at, expiresAt ?? null],
    );
    return r.rowCount === 1;
  }

  async pruneAlertClaims(now: number): Promise<number> {
    return (await this.pool.query('DELETE FROM alert_claims WHERE expires_at < $1', [now])).rowCount ?? 0;
  }

  /** Only credit rows have an idempotency key: the UNIQUE (key_id, idempotency_key) index finds just them. */
  async creditedNanos(accountId: string): Promise<bigint> {
    const r = await this.pool.query<{ s: string }>(
      'SELECT COALESCE(SUM(amount_nanos), 0)::text AS s FROM ledger WHERE key_id = $1 AND idempotency_key IS NOT NULL',
      [accountId],
    );
    return BigInt(r.rows[0]?.s ?? '0');
  }

  async flush(): Promise<void> {
    await Promise.allSettled([...this.inflight]);
    await this.ledger.flush();
  }

  async spend(q: Parameters<AccountStore['spend']>[0]) {
    await this.flush();
    return pgSpend(this.pool, q);
  }

  async listLedger(q: Parameters<AccountStore['listLedger']>[0]) {
    await this.flush();
    return pgLedger(this.pool, q);
  }

  async spendSeries(q: Parameters<AccountStore['spendSeries']>[0]) {
    await this.flush();
    return pgSpendSeries(this.pool, q);
  }

  async verify(): Promise<VerifyResult> {
    await this.flush();
    const { rows } = await this.pool.query(`SELECT * FROM (
        SELECT k.id, k.balance_nanos AS stored, ${DERIVED_BALANCE} AS derived FROM keys k
        UNION ALL SELECT k.id, k.balance_nanos, ${DERIVED_BALANCE} FROM teams k) a ORDER BY id`);
    const mismatches = [];
    for (const r of rows as { id: string; stored: string | null; derived: string }[]) {
      const stored = BigInt(r.stored ?? '0');
      const derived = BigInt(r.derived);
      const liveRaw = await this.redis.hget(this.k(r.id).acct, 'bal');
      const live = liveRaw === null ? undefined : BigInt(liveRaw);
      if (stored !== derived || (live !== undefined && live !== stored)) {
        mismatches.push({
          keyId: r.id,
          storedNanos: stored,
          ledgerNanos: derived,
          ...(live !== undefined ? { liveNanos: live } : {}),
        });
      }
    }
    const q = await this.pool.query('SELECT COUNT(*)::int AS n FROM ledger_quarantine');
    const quarantined = Number((q.rows[0] as { n: number }).n);
    return { ok: mismatches.length === 0 && quarantined === 0, keysChecked: rows.length, mismatches, quarantined };
  }

  quarantined(): number {
    return this.ledger.quarantined;
  }

  async close(): Promise<void> {
    this.leases.stop();
    await this.ledger.close();
    this.redis.disconnect();
    await this.pool.end();
  }
}

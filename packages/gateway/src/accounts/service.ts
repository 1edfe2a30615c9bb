// Key and credit operations shared by the admin API and the CLI (store mode). Input is already validated.
import { endUserAccount, hasEndUserLimits } from './end-users.js';
import type { KeyDirectory } from './key-directory.js';
import { generateKey, hashKey, keyHint, newKeyId, newTeamId } from './keys.js';
import { startOfDay, startOfMonth } from './periods.js';
import { buildStatement, type Statement } from './statement.js';
import { isTeamId } from './store/team-rows.js';
import type {
  AccountStore,
  Budgets,
  EndUserLimits,
  EndUserSpend,
  KeyPatch,
  KeyRecord,
  KeyUsage,
  LedgerQuery,
  SpendQuery,
  SpendSeriesQuery,
  TeamPatch,
  TeamRecord,
} from './types.js';

export interface CreateKeyInput {
  name: string;
  creditsNanos?: bigint;
  budgets?: Budgets;
  models?: string[];
  rpm?: number;
  tpm?: number;
  maxConcurrency?: number;
  expiresAt?: number;
  tags?: string[];
  teamId?: string;
  /** only on a key without a team (a team's keys use the team's) */
  endUserLimits?: EndUserLimits;
}

export interface CreateTeamInput {
  name: string;
  creditsNanos?: bigint;
  budgets?: Budgets;
  rpm?: number;
  tpm?: number;
  maxConcurrency?: number;
  tags?: string[];
  endUserLimits?: EndUserLimits;
}

/** One page of a team's (or a team-less key's) end users with their live spend and holds. */
export interface EndUserPage {
  data: (EndUserSpend & { reservedNanos: bigint })[];
  /** pass as `after` for the next page; absent on the last one */
  next?: string;
}

/** The rate and concurrency limits a key or a team is created with; end-user limits are versioned by creation time. */
function limitFields(input: CreateTeamInput, at: number) {
  return {
    ...(input.rpm !== undefined ? { rpm: input.rpm } : {}),
    ...(input.tpm !== undefined ? { tpm: input.tpm } : {}),
    ...(input.maxConcurrency !== undefined ? { maxConcurrency: input.maxConcurrency } : {}),
    ...(input.endUserLimits !== undefined ? { endUserLimits: { ...input.endUserLimits, version: at } } : {}),
  };
}

/** The top-up a key or team is created with; its idempotency key makes a retried create credit once. */
function initialCredits(id: string, creditsNanos: bigint | undefined, at: number) {
  return creditsNanos !== undefined && creditsNanos !== 0n
    ? { keyId: id, amountNanos: creditsNanos, reason: 'initial credits', idempotencyKey: `create:${id}`, at }
    : undefined;
}

/** A key may name only a team that exists (disabled teams refuse its calls at admission). */
export class UnknownTeam extends Error {}

export class AccountsService {
  constructor(
    readonly store: AccountStore,
    private readonly keys?: KeyDirectory,
    private readonly now: () => number = Date.now,
  ) {}

  /** Returns the secret exactly once; only its hash is stored. */
  async createKey(input: CreateKeyInput): Promise<{ key: KeyRecord; secret: string }> {
    if (input.teamId !== undefined && !(await this.store.getTeam(input.teamId))) throw new UnknownTeam(input.teamId);
    const secret = generateKey();
    const at = this.now();
    const key: KeyRecord = {
      id: newKeyId(),
      hash: hashKey(secret),
      hint: keyHint(secret),
      name: input.name,
      credits: input.creditsNanos !== undefined,
      budgets: input.budgets ?? {},
      models: input.models ?? [],
      tags: input.tags ?? [],
      enabled: true,
      createdAt: at,
      ...limitFields(input, at),
      ...(input.expiresAt !== undefined ? { expiresAt: input.expiresAt } : {}),
      ...(input.teamId !== undefined ? { teamId: input.teamId } : {}),
    };
    const initial = initialCredits(key.id, input.creditsNanos, at);
    await this.store.insertKey(key, initial);
    this.keys?.invalidate(key);
    return { key, secret };
  }

  listKeys(): Promise<KeyRecord[]> {
    return this.store.listKeys();
  }

  async getKey(id: string): Promise<{ key: KeyRecord; usage: KeyUsage } | undefined> {
    const key = await this.store.getKey(id);
    if (!key) return undefined;
    return { key, usage: await this.store.usage(id, this.now()) };
  }

  async updateKey(id: string, patch: KeyPatch): Promise<KeyRecord | undefined> {
    const key = await this.store.updateKey(id, this.stamped(patch));
    if (key) this.keys?.invalidate(key);
    return key;
  }

  async revokeKey(id: string): Promise<KeyRecord | undefined> {
    const cur = await this.store.getKey(id);
    if (!cur) return undefined;
    if (cur.revokedAt !== undefined) return cur;
    return this.updateKey(id, { revokedAt: this.now() });
  }

  async addCredits(
    id: string,
    amountNanos: bigint,
    reason: string,
    idempotencyKey: string,
  ): Promise<{ applied: boolean; usage: KeyUsage } | undefined> {
    const key = await this.store.getKey(id);
    if (!key) return undefined;
    const { applied } = await this.store.addCredits({ keyId: id, amountNanos, reason, idempotencyKey, at: this.now() });
    if (!key.credits) this.keys?.invalidate(key);
    return { applied, usage: await this.store.usage(id, this.now()) };
  }

  async createTeam(input: CreateTeamInput): Promise<TeamRecord> {
    const at = this.now();
    const team: TeamRecord = {
      id: newTeamId(),
      name: input.name,
      credits: input.creditsNanos !== undefined,
      budgets: input.budgets ?? {},
      tags: input.tags ?? [],
      enabled: true,
      createdAt: at,
      ...limitFields(input, at),
    };
    const initial = initialCredits(team.id, input.creditsNanos, at);
    await this.store.insertTeam(team, initial);
    return team;
  }

  listTeams(): Promise<TeamRecord[]> {
    return this.store.listTeams();
  }

  async getTeam(id: string): Promise<{ team: TeamRecord; usage: KeyUsage } | undefined> {
    const team = await this.store.getTeam(id);
    if (!team) return undefined;
    return { team, usage: await this.store.usage(id, this.now()) };
  }

  async updateTeam(id: string, patch: TeamPatch): Promise<TeamRecord | undefined> {
    const team = await this.store.updateTeam(id, this.stamped(patch));
    if (team) this.keys?.invalidateTeam(id);
    return team;
  }

  async addTeamCredits(
    id: string,
    amountNanos: bigint,
    reason: string,
    idempotencyKey: string,
  ): Promise<{ applied: boolean; usage: KeyUsage } | undefined> {
    const team = await this.store.getTeam(id);
    if (!team) return undefined;
    const { applied } = await this.store.addCredits({ keyId: id, amountNanos, reason, idempotencyKey, at: this.now() });
    if (!team.credits) this.keys?.invalidateTeam(id);
    return { applied, usage: await this.store.usage(id, this.now()) };
  }

  /** End-user limits set anew get a new version: their end users then start from the ledger (types.ts). */
  private stamped<P extends { endUserLimits?: EndUserLimits }>(patch: P): P {
    return patch.endUserLimits ? { ...patch, endUserLimits: { ...patch.endUserLimits, version: this.now() } } : patch;
  }

  /**
   * The end users named on the calls of a team or of a key (`scope`), in order, with each one's live spend in the
   * current day / month / in total and what its calls in flight hold. Undefined when no such team or key exists.
   */
  async endUsers(scope: string, page: { after?: string; limit: number }): Promise<EndUserPage | undefined> {
    const owner = isTeamId(scope) ? await this.store.getTeam(scope) : await this.store.getKey(scope);
    if (!owner) return undefined;
    const now = this.now();
    const rows = await this.store.endUsers({
      scope,
      limit: page.limit + 1,
      dayStart: startOfDay(now),
      monthStart: startOfMonth(now),
      ...(page.after ? { after: page.after } : {}),
    });
    const shown = rows.slice(0, page.limit);
    // spend from the ledger; holds exist only while the scope has end-user limits (then its live state has them)
    const limits = owner.endUserLimits;
    const reserved = async (endUser: string) =>
      hasEndUserLimits(limits)
        ? (await this.store.usage(endUserAccount(scope, limits.version ?? 0, endUser), now)).reservedNanos
        : 0n;
    const data = await Promise.all(shown.map(async (r) => ({ ...r, reservedNanos: await reserved(r.endUser) })));
    const last = shown.at(-1)?.endUser;
    return { data, ...(rows.length > page.limit && last !== undefined ? { next: last } : {}) };
  }

  /** A team's statement for [from, to): its ledger rows from the beginning (the opening balance) up to `to`. */
  async statement(teamId: string, from: number, to: number): Promise<Statement | undefined> {
    const team = await this.store.getTeam(teamId);
    if (!team) return undefined;
    return buildStatement(team, await this.store.teamLedger(teamId, 0, to), from, to);
  }

  spend(q: SpendQuery) {
    return this.store.spend(q);
  }

  ledger(q: LedgerQuery) {
    return this.store.listLedger(q);
  }

  spendSeries(q: SpendSeriesQuery) {
    return this.store.spendSeries(q);
  }

  verify() {
    return this.store.verify();
  }
}

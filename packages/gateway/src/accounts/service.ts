// Key and credit operations shared by the admin API and the CLI (store mode). Input is already validated.
import type { KeyDirectory } from './key-directory.js';
import { generateKey, hashKey, keyHint, newKeyId, newTeamId } from './keys.js';
import { buildStatement, type Statement } from './statement.js';
import type {
  AccountStore,
  Budgets,
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
}

export interface CreateTeamInput {
  name: string;
  creditsNanos?: bigint;
  budgets?: Budgets;
  rpm?: number;
  tpm?: number;
  maxConcurrency?: number;
  tags?: string[];
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
      ...(input.rpm !== undefined ? { rpm: input.rpm } : {}),
      ...(input.tpm !== undefined ? { tpm: input.tpm } : {}),
      ...(input.maxConcurrency !== undefined ? { maxConcurrency: input.maxConcurrency } : {}),
      ...(input.expiresAt !== undefined ? { expiresAt: input.expiresAt } : {}),
      ...(input.teamId !== undefined ? { teamId: input.teamId } : {}),
    };
    const initial =
      input.creditsNanos !== undefined && input.creditsNanos !== 0n
        ? {
            keyId: key.id,
            amountNanos: input.creditsNanos,
            reason: 'initial credits',
            idempotencyKey: `create:${key.id}`,
            at,
          }
        : undefined;
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
    const key = await this.store.updateKey(id, patch);
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
      ...(input.rpm !== undefined ? { rpm: input.rpm } : {}),
      ...(input.tpm !== undefined ? { tpm: input.tpm } : {}),
      ...(input.maxConcurrency !== undefined ? { maxConcurrency: input.maxConcurrency } : {}),
    };
    const initial =
      input.creditsNanos !== undefined && input.creditsNanos !== 0n
        ? {
            keyId: team.id,
            amountNanos: input.creditsNanos,
            reason: 'initial credits',
            idempotencyKey: `create:${team.id}`,
            at,
          }
        : undefined;
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
    const team = await this.store.updateTeam(id, patch);
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

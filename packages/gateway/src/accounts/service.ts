// Key and credit operations shared by the admin API and the CLI (store mode). Input is already validated.
import type { KeyDirectory } from './key-directory.js';
import { generateKey, hashKey, keyHint, newKeyId } from './keys.js';
import type { AccountStore, Budgets, KeyPatch, KeyRecord, KeyUsage, SpendQuery } from './types.js';

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
}

export class AccountsService {
  constructor(
    readonly store: AccountStore,
    private readonly keys?: KeyDirectory,
    private readonly now: () => number = Date.now,
  ) {}

  /** Returns the secret exactly once; only its hash is stored. */
  async createKey(input: CreateKeyInput): Promise<{ key: KeyRecord; secret: string }> {
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

  spend(q: SpendQuery) {
    return this.store.spend(q);
  }

  verify() {
    return this.store.verify();
  }
}

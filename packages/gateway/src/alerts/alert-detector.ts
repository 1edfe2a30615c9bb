// Decides alerts off the request path. A settle (or a refusal) only marks its key and team dirty; a timer then
// reads each dirty account once (many settles of a busy key coalesce into one read), computes its crossings,
// claims each in the shared store (exactly one replica wins) and hands the winner's deliveries to the queue.
import { createHash } from 'node:crypto';
import { isTeamId } from '../accounts/store/team-rows.js';
import type {
  AccountEvents,
  AccountStore,
  CallEntry,
  KeyRecord,
  RefusalReason,
  TeamRecord,
} from '../accounts/types.js';
import type { AlertsOptions, WebhookTarget } from './alerts-config.js';
import {
  type AlertSubject,
  type AlertWants,
  type BudgetPeriod,
  type Crossing,
  crossings,
  needsCreditEpisode,
} from './crossings.js';
import type { DeliveryLog, WebhookDelivery } from './webhook-delivery.js';

export type AlertStore = Pick<
  AccountStore,
  'getKey' | 'getTeam' | 'usage' | 'claimAlert' | 'creditedNanos' | 'pruneAlertClaims'
>;

type Refused = 'credits' | BudgetPeriod;

/** Bounds of the in-memory bookkeeping (an account id or a claim key each). */
const MAX_DIRTY = 100_000;
const MAX_KNOWN_CLAIMS = 50_000;
const SUBJECT_CACHE_MS = 1_000;
/** Accounts checked at once (each check is a few store round trips). */
const CHECK_CONCURRENCY = 8;
/** Claims of ended days and months are pruned this often (every replica; the delete is idempotent). */
const PRUNE_EVERY_MS = 3_600_000;

const sha = (s: string) => createHash('sha256').update(s).digest('hex').slice(0, 32);

function wantsOf(hooks: WebhookTarget[]): AlertWants {
  return {
    thresholds: [...new Set(hooks.filter((w) => w.events.has('budget.threshold')).flatMap((w) => w.thresholds))],
    lowBalanceNanos: [
      ...new Set(
        hooks.flatMap((w) =>
          w.events.has('balance.low') && w.lowBalanceNanos !== undefined ? [w.lowBalanceNanos] : [],
        ),
      ),
    ],
  };
}

function subscribed(w: WebhookTarget, c: Crossing): boolean {
  if (!w.events.has(c.type)) return false;
  if (c.thresholdPercent !== undefined) return w.thresholds.includes(c.thresholdPercent);
  if (c.lowBalanceNanos !== undefined) return w.lowBalanceNanos === c.lowBalanceNanos;
  return true;
}

/** Which account a refusal is about, and for what. */
function refusedAccounts(key: KeyRecord, team: TeamRecord | undefined, reason: RefusalReason): [string, Refused][] {
  if (reason === 'insufficient_credits') {
    return [
      ...(key.credits ? [[key.id, 'credits'] as [string, Refused]] : []),
      ...(team?.credits ? [[team.id, 'credits'] as [string, Refused]] : []),
    ];
  }
  const m = /^(team_)?budget_(daily|monthly|total)$/.exec(reason);
  if (!m) return [];
  const id = m[1] ? team?.id : key.id;
  return id === undefined ? [] : [[id, m[2] as BudgetPeriod]];
}

export interface AlertDetectorOptions {
  store: AlertStore;
  options: AlertsOptions;
  delivery: WebhookDelivery;
  /** Coalescing delay between a settle and the check of its accounts. Default 100 ms. */
  checkDelayMs?: number;
  now?: () => number;
  log?: DeliveryLog;
}

export class AlertDetector implements AccountEvents {
  private readonly dirty = new Map<string, Refused | undefined>();
  private readonly known = new Set<string>();
  private readonly subjects = new Map<string, { subject: AlertSubject | undefined; until: number }>();
  private readonly wants: AlertWants;
  private readonly now: () => number;
  private timer: NodeJS.Timeout | undefined;
  private readonly pruner: NodeJS.Timeout;
  private running: Promise<void> | undefined;
  private closed = false;

  constructor(private readonly o: AlertDetectorOptions) {
    this.wants = wantsOf(o.options.webhooks);
    this.now = o.now ?? Date.now;
    this.pruner = setInterval(
      () =>
        void o.store
          .pruneAlertClaims(this.now())
          .catch((err: Error) => o.log?.warn({ err: err.message }, 'alert claims prune failed')),
      PRUNE_EVERY_MS,
    );
    this.pruner.unref();
  }

  settled(entry: CallEntry): void {
    this.mark(entry.keyId);
    if (entry.teamId !== undefined) this.mark(entry.teamId);
  }

  refused(key: KeyRecord, team: TeamRecord | undefined, reason: RefusalReason): void {
    for (const [id, why] of refusedAccounts(key, team, reason)) this.mark(id, why);
  }

  /** Resolves once every account marked so far has been checked (tests, shutdown). */
  async idle(): Promise<void> {
    for (let i = 0; i < 100 && (this.dirty.size > 0 || this.running || this.timer); i++) {
      if (this.timer && !this.running) {
        clearTimeout(this.timer);
        this.timer = undefined;
        this.start();
      }
      await this.running;
    }
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    clearInterval(this.pruner);
    this.dirty.clear();
  }

  private mark(id: string, refused?: Refused): void {
    if (this.closed || (this.dirty.size >= MAX_DIRTY && !this.dirty.has(id))) return;
    this.dirty.set(id, refused ?? this.dirty.get(id));
    if (!this.timer && !this.running) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.start();
      }, this.o.checkDelayMs ?? 100);
      this.timer.unref();
    }
  }

  /** Runs one batch; `running` is set before the batch can finish, cleared after (finally runs async). */
  private start(): void {
    const p: Promise<void> = this.run().finally(() => {
      if (this.running === p) this.running = undefined;
      // Marked while this batch ran: check them in the next one.
      const again = [...this.dirty];
      this.dirty.clear();
      if (!this.closed) for (const [id, refused] of again) this.mark(id, refused);
    });
    this.running = p;
  }

  private async run(): Promise<void> {
    const batch = [...this.dirty];
    this.dirty.clear();
    for (let i = 0; i < batch.length && !this.closed; i += CHECK_CONCURRENCY) {
      await Promise.all(
        batch
          .slice(i, i + CHECK_CONCURRENCY)
          .map(([id, refused]) =>
            this.check(id, refused).catch((err: Error) =>
              this.o.log?.warn({ err: err.message, accountId: id }, 'alert check failed'),
            ),
          ),
      );
    }
  }

  private async subject(id: string, now: number): Promise<AlertSubject | undefined> {
    const hit = this.subjects.get(id);
    if (hit && hit.until > now) return hit.subject;
    const isTeam = isTeamId(id);
    const rec: KeyRecord | TeamRecord | undefined = isTeam
      ? await this.o.store.getTeam(id)
      : await this.o.store.getKey(id);
    const teamId = rec && !isTeam ? (rec as KeyRecord).teamId : undefined;
    const subject: AlertSubject | undefined = rec && {
      type: isTeam ? 'team' : 'key',
      id,
      name: rec.name,
      budgets: rec.budgets,
      credits: rec.credits,
      ...(teamId !== undefined && { teamId }),
    };
    if (this.subjects.size > MAX_DIRTY) this.subjects.clear();
    this.subjects.set(id, { subject, until: now + SUBJECT_CACHE_MS });
    return subject;
  }

  private async check(id: string, refused: Refused | undefined): Promise<void> {
    const now = this.now();
    const s = await this.subject(id, now);
    if (!s || (!s.credits && Object.values(s.budgets).every((v) => v === undefined))) return;
    const usage = await this.o.store.usage(id, now);
    const creditEpisode = needsCreditEpisode(s, usage, this.wants, refused)
      ? String(await this.o.store.creditedNanos(id))
      : undefined;
    const found = crossings(
      s,
      { usage, now, ...(refused && { refused }), ...(creditEpisode && { creditEpisode }) },
      this.wants,
    );
    for (const c of found) {
      if (this.known.has(c.claim)) continue;
      const hooks = this.o.options.webhooks.filter((w) => subscribed(w, c));
      if (hooks.length === 0) continue;
      const won = await this.o.store.claimAlert(c.claim, now, c.expiresAt);
      if (this.known.size >= MAX_KNOWN_CLAIMS) this.known.clear();
      this.known.add(c.claim);
      if (won) this.deliver(c, hooks, now);
    }
  }

  private deliver(c: Crossing, hooks: WebhookTarget[], now: number): void {
    const body = JSON.stringify({
      id: `evt_${sha(c.claim)}`,
      type: c.type,
      created_at: new Date(now).toISOString(),
      data: c.data,
    });
    for (const w of hooks) {
      this.o.delivery.enqueue({
        id: `dlv_${sha(`${c.claim}\n${w.url}`)}`,
        event: c.type,
        url: w.url,
        secret: w.secret,
        body,
        createdAt: now,
      });
    }
  }
}

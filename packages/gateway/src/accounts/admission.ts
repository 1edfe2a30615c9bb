// The one chokepoint every request passes: auth → allowed models → atomic reservation (limits, credits, budgets).
// The ticket settles the actual cost or releases the reservation, exactly once, and never throws.

import type { PriceSource } from '@switchyard/core';
import type {
  Admission,
  AdmissionTicket,
  AdmitOptions,
  CallOutcome,
  GatewayRequest,
  RoutePlan,
} from '../pipeline/seams.js';
import { GatewayError } from '../pipeline/seams.js';
import { endUserLevel } from './end-users.js';
import {
  insufficientCredits,
  invalidKey,
  modelNotAllowed,
  priceUnknown,
  rateHeaders,
  refusal,
  storeUnavailable,
} from './errors.js';
import type { KeyDirectory } from './key-directory.js';
import { keyState, modelAllowed } from './keys.js';
import { costOf, estimateReservation, type ReservationEstimate } from './pricing.js';
import type { AccountEvents, AccountStore, CallEntry, KeyRecord, Reservation, TeamRecord } from './types.js';

export interface AdmissionOptions {
  store: AccountStore;
  keys: KeyDirectory;
  prices: PriceSource;
  authRequired: boolean;
  unknownPrice: 'refuse' | 'allow';
  reservationTtlMs: number;
  log?: { warn(obj: object, msg: string): void };
  now?: () => number;
  /** told of committed spend and of refusals, after the fact (alerts) */
  events?: AccountEvents;
}

const OPEN_TICKET: AdmissionTicket = { headers: {}, settle() {}, release() {} };

const STATE_MESSAGES = {
  revoked: 'this key was revoked',
  disabled: 'this key is disabled',
  expired: 'this key expired',
};

export function createAdmission(o: AdmissionOptions): Admission {
  const now = o.now ?? Date.now;
  return {
    async admit(req: GatewayRequest, plan: RoutePlan, opts?: AdmitOptions): Promise<AdmissionTicket> {
      try {
        return await admitOnce(req, plan, opts);
      } catch (err) {
        if (err instanceof GatewayError) throw err;
        // Fail closed: without the store we cannot tell whether the money is there.
        o.log?.warn({ err: (err as Error).message, requestId: req.requestId }, 'accounts store unavailable');
        throw storeUnavailable();
      }
    },
    async authenticate(clientKey) {
      await authenticate(clientKey, now());
    },
  };

  /** The caller's key, `undefined` when the gateway is open (no keys, auth not required); else throws 401. */
  async function authenticate(clientKey: string | undefined, t: number): Promise<KeyRecord | undefined> {
    if (clientKey === undefined || clientKey === '') {
      if (o.authRequired || (await o.keys.hasKeys(t))) throw invalidKey('no API key was provided');
      return undefined;
    }
    const key = await o.keys.lookup(clientKey, t);
    if (!key) {
      if (!o.authRequired && !(await o.keys.hasKeys(t))) return undefined;
      throw invalidKey('this key is not known');
    }
    const state = keyState(key, t);
    if (state !== 'ok') throw invalidKey(STATE_MESSAGES[state]);
    return key;
  }

  async function admitOnce(req: GatewayRequest, plan: RoutePlan, opts?: AdmitOptions): Promise<AdmissionTicket> {
    const t = now();
    // A busy key is in the directory's cache: taken without the awaits of a lookup (each costs a microtask turn).
    const cached = req.clientKey ? o.keys.cached(req.clientKey, t) : undefined;
    const key = cached && keyState(cached, t) === 'ok' ? cached : await authenticate(req.clientKey, t);
    if (!key) {
      // No keys exist and none is required: everyone is one anonymous tenant.
      await opts?.beforeReserve?.({});
      return OPEN_TICKET;
    }
    if (
      !modelAllowed(
        key.models,
        req.model,
        plan.targets.map((x) => x.id),
      )
    )
      throw modelNotAllowed(req.model);
    let team: TeamRecord | undefined;
    if (key.teamId !== undefined) {
      team = await o.keys.team(key.teamId, t);
      if (!team?.enabled) throw invalidKey("this key's team is disabled");
    }

    // A cache hit reserves exactly what it will be charged and no tokens (it makes no upstream call).
    const fixed = opts?.beforeReserve ? await opts.beforeReserve({ keyId: key.id }) : undefined;
    const est: ReservationEstimate = fixed
      ? { amountNanos: fixed.reserveNanos, tokens: 0, inputTokens: 0, outputTokens: 0, unknownTargets: [] }
      : estimateReservation(req, plan.targets, o.prices);
    const endUser = endUserLevel(key, team, req.endUser);
    const metered = [key, team, endUser?.limits].some(
      (l) => l && (('credits' in l && l.credits) || Object.values(l.budgets).some((v) => v !== undefined)),
    );
    if (est.amountNanos === undefined && metered && o.unknownPrice === 'refuse') {
      throw priceUnknown(est.unknownTargets);
    }
    const result = await o.store.reserve({
      key,
      ...(team ? { team } : {}),
      ...(endUser ? { endUser } : {}),
      // The gateway's own id: a client's x-request-id is a label and can repeat (or be another tenant's).
      reservationId: req.callId,
      amountNanos: est.amountNanos ?? 0n,
      tokens: est.tokens,
      ttlMs: o.reservationTtlMs,
      now: t,
    });
    if (!result.ok) o.events?.refused(key, team, result.reason);
    if (!result.ok && result.reason === 'insufficient_credits') {
      // Off the hot path: one read so the refusal can say how much is there.
      const usage = await o.store.usage(key.credits || !team ? key.id : team.id, t).catch(() => undefined);
      const availableNanos =
        usage?.balanceNanos === null || usage === undefined ? undefined : usage.balanceNanos - usage.reservedNanos;
      throw insufficientCredits(
        {
          neededNanos: est.amountNanos ?? 0n,
          ...(availableNanos !== undefined && { availableNanos }),
          inputTokens: est.inputTokens,
          outputTokens: est.outputTokens,
          outputFromRequest: req.maxOutputTokens !== undefined,
        },
        rateHeaders(result.rate),
      );
    }
    if (!result.ok) throw refusal(result.reason, result.rate, result.retryAfterMs);
    return ticket(o, key, result.reservation, req, plan, rateHeaders(result.rate), now);
  }
}

function ticket(
  o: AdmissionOptions,
  key: KeyRecord,
  res: Reservation,
  req: GatewayRequest,
  plan: RoutePlan,
  headers: Record<string, string>,
  now: () => number,
): AdmissionTicket {
  let done = false;
  const fail = (err: unknown) =>
    o.log?.warn({ err, keyId: key.id, requestId: req.requestId }, 'accounts settle failed');
  const commit = (entry: CallEntry) => o.store.settle(res, entry).then(() => o.events?.settled(entry), fail);
  return {
    keyId: key.id,
    headers,
    settle(outcome: CallOutcome) {
      if (done) return;
      done = true;
      try {
        if (outcome.cacheHit) {
          void commit(hitEntry(key, res, req, outcome, outcome.cacheHit, now()));
          return;
        }
        if (!outcome.ok && !outcome.usage && !outcome.cost) {
          o.store.release(res).catch(fail);
          return;
        }
        const target =
          plan.targets.find((x) => x.providerId === outcome.providerId && x.model === outcome.model) ?? plan.targets[0];
        let cost = outcome.cost?.totalNanos;
        if (cost === undefined && outcome.usage && target && !outcome.unknownPrice) {
          cost = costOf(o.prices, target, outcome.usage, req.receivedAt);
        }
        // A call that produced output but reported no usage at all is charged its upper bound, never $0.
        if (cost === undefined && !outcome.usage && !outcome.unknownPrice) cost = res.amountNanos;
        const unknown = cost === undefined;
        const costNanos = cost ?? 0n;
        const entry = {
          requestId: req.callId,
          ...(req.requestId !== req.callId && { clientRequestId: req.requestId }),
          ...attribution(key, res, req),
          costNanos,
          debitNanos: res.payer ? costNanos : 0n,
          unknownPrice: unknown || outcome.unknownPrice === true,
          outcome: outcome.ok ? ('ok' as const) : ('error' as const),
          startedAt: req.receivedAt,
          settledAt: now(),
          ...((outcome.providerId ?? target?.providerId)
            ? { providerId: outcome.providerId ?? target?.providerId }
            : {}),
          ...((outcome.model ?? target?.model) ? { model: outcome.model ?? target?.model } : {}),
          ...(outcome.usage ? { usage: outcome.usage } : {}),
          ...(outcome.error ? { errorClass: outcome.error.errorClass } : {}),
          ...(outcome.attempts !== undefined && { attempts: outcome.attempts }),
        };
        void commit(entry);
      } catch (err) {
        fail(err);
      }
    },
    release() {
      if (done) return;
      done = true;
      o.store.release(res).catch(fail);
    },
  };
}

/** Who a ledger row belongs to: key, team and payer (from the reservation), end user and tags (from the request). */
export function attribution(
  key: KeyRecord,
  res: Reservation,
  req: GatewayRequest,
): Pick<CallEntry, 'keyId' | 'teamId' | 'payer' | 'endUser' | 'tags'> {
  return {
    keyId: key.id,
    ...(res.teamId !== undefined && { teamId: res.teamId }),
    ...(res.payer !== undefined && { payer: res.payer }),
    ...(req.endUser !== undefined && { endUser: req.endUser }),
    ...(req.tags !== undefined && req.tags.length > 0 && { tags: req.tags }),
  };
}

/** The ledger row of a cache hit: charged what the cache policy says (usually 0), no tokens, the spend avoided. */
function hitEntry(
  key: KeyRecord,
  res: Reservation,
  req: GatewayRequest,
  outcome: CallOutcome,
  hit: NonNullable<CallOutcome['cacheHit']>,
  settledAt: number,
): CallEntry {
  return {
    requestId: req.callId,
    ...(req.requestId !== req.callId && { clientRequestId: req.requestId }),
    ...attribution(key, res, req),
    costNanos: hit.chargedNanos,
    debitNanos: res.payer ? hit.chargedNanos : 0n,
    unknownPrice: false,
    outcome: 'ok',
    startedAt: req.receivedAt,
    settledAt,
    cacheHit: true,
    savedNanos: hit.savedNanos,
    attempts: 0,
    ...(outcome.providerId !== undefined && { providerId: outcome.providerId }),
    ...(outcome.model !== undefined && { model: outcome.model }),
  };
}

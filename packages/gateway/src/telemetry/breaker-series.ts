// `switchyard_breaker_state` series: one per CONFIGURED target (route targets and providers' listed models). A
// breaker also exists for every `<providerId>/<model>` a client names directly; those names are the client's
// choice, so they are folded into one `_other` series (the worst state among them) instead of one series each.
import type { GatewayConfig } from '../config/config-schema.js';
import { type BreakerStateName, BREAKER_STATE_VALUE as RANK } from './hooks.js';

export const OTHER_TARGETS = '_other';

/** Target ids the operator configured: every route target, and `<providerId>/<model>` for listed models. */
export function configuredTargets(config: Pick<GatewayConfig, 'routes' | 'providers'>): ReadonlySet<string> {
  const ids = new Set<string>();
  for (const route of Object.values(config.routes))
    for (const t of route.targets) ids.add(typeof t === 'string' ? t : t.target);
  for (const [id, p] of Object.entries(config.providers)) for (const m of p.models ?? []) ids.add(`${id}/${m}`);
  return ids;
}

export function breakerSeries(
  states: Iterable<readonly [string, BreakerStateName]>,
  configured: ReadonlySet<string>,
): Array<readonly [string, BreakerStateName]> {
  const out: Array<readonly [string, BreakerStateName]> = [];
  let other: BreakerStateName | undefined;
  for (const [target, state] of states) {
    if (configured.has(target)) out.push([target, state]);
    else if (other === undefined || RANK[state] > RANK[other]) other = state;
  }
  if (other !== undefined) out.push([OTHER_TARGETS, other]);
  return out;
}

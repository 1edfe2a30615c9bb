// The usual line-up: direct, bare, switchyard (tracing off / on), portkey — filtered by `--contenders`.
import type { SuiteContext } from '../suites/suite.js';
import type { ContenderName, Upstream } from './contender.js';
import { direct, startBare } from './direct-and-bare.js';
import { startPortkey } from './portkey.js';
import type { ContenderStarter } from './start-set.js';
import { startSwitchyard } from './switchyard.js';
import type { SwitchyardProvider } from './switchyard-config.js';

export const ALL_CONTENDERS: ContenderName[] = ['direct', 'bare', 'switchyard', 'switchyard-tracing', 'portkey'];

export function wanted(ctx: SuiteContext, name: ContenderName): boolean {
  return name === 'direct' || !ctx.only || ctx.only.includes(name);
}

/** `upstreams[0]` is the one `bare` fronts; Switchyard gets every upstream as a provider. */
export function standardStarters(
  upstreams: Upstream[],
  ctx: SuiteContext,
  extra: { providers?: SwitchyardProvider[]; routes?: Record<string, unknown> } = {},
): ContenderStarter[] {
  const first = upstreams[0];
  if (!first) throw new Error('no upstream');
  const providers = [
    ...upstreams.map((u) => ({ id: u.providerId, provider: u.provider, origin: u.origin })),
    ...(extra.providers ?? []),
  ];
  const sy = (tracing: boolean) => () =>
    startSwitchyard({ tracing, providers, routes: extra.routes, cpuProfDir: ctx.cpuProfDir });
  const all: ContenderStarter[] = [
    { name: 'direct', start: async () => direct() },
    { name: 'bare', start: () => startBare(first.origin) },
    { name: 'switchyard', start: sy(false) },
    { name: 'switchyard-tracing', start: sy(true) },
    { name: 'portkey', start: startPortkey },
  ];
  return all.filter((s) => wanted(ctx, s.name));
}

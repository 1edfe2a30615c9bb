// The Switchyard variants the measuring scripts (cpu-per-request.ts, ttft-probe.ts) take by name: which runtime
// (else the default, BENCH_RUNTIME), tracing on or off, or another build's CLI for an A/B of two commits
// (`switchyard-base*`, BENCH_BASE_CLI=/path/to/packages/gateway/dist/cli/main.js, e.g. a worktree of the previous one).
import type { SwitchyardOptions } from './switchyard.js';

export type SwitchyardVariant = Pick<SwitchyardOptions, 'tracing' | 'runtime' | 'distCli'>;

export function switchyardVariants(env: NodeJS.ProcessEnv = process.env): Record<string, SwitchyardVariant> {
  const base = env.BENCH_BASE_CLI;
  return {
    switchyard: { tracing: false },
    'switchyard-tracing': { tracing: true },
    'switchyard-dist': { tracing: false, runtime: 'dist' },
    'switchyard-tsx': { tracing: false, runtime: 'tsx' },
    ...(base && {
      'switchyard-base': { tracing: false, distCli: base },
      'switchyard-base-tracing': { tracing: true, distCli: base },
    }),
  };
}

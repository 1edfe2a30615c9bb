// `pnpm bench [--full] [--suite NAME[,NAME]] [--contenders a,b] [--rounds N] [--check] [--cpu-prof] [--tsx] [--no-write]`
import { parseArgs } from 'node:util';
import type { ContenderName } from './contenders/contender.js';

export const SUITE_NAMES = [
  'overhead',
  'fallback',
  'streaming',
  'translation',
  'interceptor',
  'memory',
  'cache',
] as const;
export type SuiteName = (typeof SUITE_NAMES)[number];
const CONTENDERS: ContenderName[] = ['direct', 'bare', 'switchyard', 'switchyard-tracing', 'portkey'];

export interface BenchArgs {
  profile: 'quick' | 'full';
  suites: SuiteName[];
  contenders?: ContenderName[];
  rounds?: number;
  check: boolean;
  cpuProf: boolean;
  /** Run Switchyard from its TypeScript sources (tsx) instead of the built dist. */
  tsx: boolean;
  write: boolean;
  help: boolean;
}

export const USAGE = `pnpm bench [options]
  --full                 longer profile (default: quick, ~10 min)
  --suite NAME[,NAME]    only these suites: ${SUITE_NAMES.join(', ')}
  --contenders a,b       only these contenders (direct is always kept): ${CONTENDERS.join(', ')}
  --rounds N             interleaved rounds per suite (min 2 unless --suite is given)
  --check                exit 1 when a goal ratio is missed (judged by the worse round)
  --cpu-prof             write a V8 CPU profile of each Switchyard process to benchmarks/results/profiles/
  --tsx                  run Switchyard from source through tsx (default: the built dist, built when stale)
  --no-write             do not overwrite benchmarks/results/latest.*
  --help`;

function list<T extends string>(raw: string[] | undefined, allowed: readonly T[], what: string): T[] | undefined {
  if (!raw || raw.length === 0) return undefined;
  const items = raw
    .flatMap((r) => r.split(','))
    .map((s) => s.trim())
    .filter(Boolean);
  for (const i of items)
    if (!allowed.includes(i as T)) throw new Error(`unknown ${what} "${i}" (${allowed.join(', ')})`);
  return [...new Set(items)] as T[];
}

export function parseBenchArgs(argv: string[]): BenchArgs {
  const { values } = parseArgs({
    args: argv.filter((a) => a !== '--'),
    options: {
      full: { type: 'boolean', default: false },
      suite: { type: 'string', multiple: true },
      contenders: { type: 'string', multiple: true },
      rounds: { type: 'string' },
      check: { type: 'boolean', default: false },
      'cpu-prof': { type: 'boolean', default: false },
      tsx: { type: 'boolean', default: false },
      'no-write': { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  const rounds = values.rounds === undefined ? undefined : Number(values.rounds);
  if (rounds !== undefined && (!Number.isInteger(rounds) || rounds < 1 || rounds > 20)) {
    throw new Error(`--rounds must be an integer 1..20, got "${values.rounds}"`);
  }
  return {
    profile: values.full ? 'full' : 'quick',
    suites: list(values.suite, SUITE_NAMES, 'suite') ?? [...SUITE_NAMES],
    contenders: list(values.contenders, CONTENDERS, 'contender'),
    rounds,
    check: values.check,
    cpuProf: values['cpu-prof'],
    tsx: values.tsx,
    write: !values['no-write'],
    help: values.help,
  };
}

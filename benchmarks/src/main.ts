// `pnpm bench`: run the suites, print progress, write results, optionally gate on the goal ratios (--check).
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { SourceMap, type SourceMapPayload } from 'node:module';
import path from 'node:path';
import { parseBenchArgs, type SuiteName, USAGE } from './cli-args.js';
import { switchyardRuntime } from './contenders/switchyard-runtime.js';
import { checkGoals } from './goals.js';
import { machine } from './procs/os-info.js';
import { PROFILES } from './profiles.js';
import { fmt, log } from './progress.js';
import { type CpuProfile, hotFrames, type PositionResolver } from './report/cpu-profile.js';
import { checksTable } from './report/markdown.js';
import { RESULTS_DIR, writeResults } from './report/write-results.js';
import { cache } from './suites/cache.js';
import { fallback } from './suites/fallback.js';
import { interceptor } from './suites/interceptor.js';
import { memory } from './suites/memory.js';
import { overhead } from './suites/overhead.js';
import { streaming } from './suites/streaming.js';
import type { Suite, SuiteContext } from './suites/suite.js';
import { translation } from './suites/translation.js';
import type { RunResult, SuiteResult } from './types.js';

const SUITES: Record<SuiteName, Suite> = { overhead, fallback, streaming, translation, interceptor, memory, cache };

async function main(): Promise<number> {
  let args: ReturnType<typeof parseBenchArgs>;
  try {
    args = parseBenchArgs(process.argv.slice(2));
  } catch (e) {
    console.error(`${(e as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (args.help) {
    console.log(USAGE);
    return 0;
  }
  if (args.tsx) process.env.BENCH_RUNTIME = 'tsx';
  const base = PROFILES[args.profile];
  const profile = { ...base, rounds: args.rounds ?? base.rounds };
  const m = machine();
  const startedAt = new Date().toISOString();
  log(`machine: ${m.cpu}, ${m.cores} cores, ${m.memoryMiB} MiB, ${m.os}, load ${m.loadavg.join(' ')}`);
  log(`node ${process.version}; profile ${profile.name}; ${profile.rounds} interleaved rounds per suite`);
  log(`suites: ${args.suites.join(', ')}; contenders: ${args.contenders?.join(', ') ?? 'all'}`);
  log(`switchyard runs from ${switchyardRuntime() === 'dist' ? 'the built dist (node, no tsx)' : 'source (tsx)'}`);
  if (m.loadavg[0] !== undefined && m.loadavg[0] > m.cores * 0.5) {
    log(`WARNING: load average ${m.loadavg[0]} on ${m.cores} cores — absolute numbers will be noisy`);
  }
  const cpuProfDir = args.cpuProf ? path.join(RESULTS_DIR, 'profiles') : undefined;
  if (cpuProfDir) mkdirSync(cpuProfDir, { recursive: true });
  const ctx: SuiteContext = { profile, only: args.contenders, cpuProfDir };

  const suites: Record<string, SuiteResult> = {};
  for (const name of args.suites) {
    const suite = SUITES[name];
    log(`== ${name}: ${suite.describe}`);
    log(`   settings: ${JSON.stringify(profile[name])}, warm-up ${profile.warmupS} s`);
    try {
      suites[name] = await suite.run(ctx);
    } catch (e) {
      log(`suite ${name} failed: ${(e as Error).stack ?? e}`);
      suites[name] = { rounds: [], skipped: [{ name: '*', reason: String((e as Error).message) }], settings: {} };
    }
  }
  const checks = checkGoals(suites);
  const run: RunResult = {
    machine: m,
    node: process.version,
    startedAt,
    finishedAt: new Date().toISOString(),
    profile: profile.name,
    switchyardRuntime: switchyardRuntime(),
    suites,
    checks,
  };
  const files = await writeResults(run, args.write);
  log(`wrote ${files.map((f) => path.relative(process.cwd(), f)).join(', ')}`);
  if (cpuProfDir) summarizeProfiles(cpuProfDir, Date.parse(startedAt));
  if (checks.length > 0) console.log(`\n${checksTable(checks)}\n`);
  const missed = checks.filter((c) => !c.pass && c.notJudged === undefined);
  if (args.check && missed.length > 0) {
    log(`--check: ${missed.length} goal(s) missed: ${missed.map((c) => `${c.goal} (${fmt(c.value)})`).join('; ')}`);
    return 1;
  }
  return 0;
}

/** Print and save the top frames of every Switchyard CPU profile (main thread) written during this run. */
function summarizeProfiles(dir: string, since: number): void {
  const root = `${path.resolve(RESULTS_DIR, '../..')}/`;
  // CPU.<date>.<time>.<pid>.<thread>.<seq>.cpuprofile; thread 0 is the main thread (others: tsx's loader worker).
  for (const f of readdirSync(dir).filter((n) => /\.\d+\.0\.\d+\.cpuprofile$/.test(n))) {
    const file = path.join(dir, f);
    if (statSync(file).mtimeMs < since) continue;
    const pid = f.split('.')[3];
    const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
    const top = hotFrames(profile, {
      root,
      top: 30,
      resolve: sourceMapResolver(path.join(dir, `sourcemaps.${pid}.json`)),
    });
    const lines = [
      '| self ms | self % | total ms | total % | frame |',
      '|---:|---:|---:|---:|---|',
      ...top.map((h) => `| ${h.selfMs} | ${h.selfPct} | ${h.totalMs} | ${h.totalPct} | \`${h.frame}\` |`),
    ];
    writeFileSync(`${file}.top.md`, `${lines.join('\n')}\n`);
    log(
      `CPU profile ${path.relative(process.cwd(), file)} — top frames by self time:\n${lines.slice(2, 17).join('\n')}`,
    );
  }
}

/** Resolve tsx-generated positions through the source maps saved by switchyard-profiled.ts, when present. */
function sourceMapResolver(file: string): PositionResolver | undefined {
  if (!existsSync(file)) return undefined;
  const maps = new Map(
    Object.entries(JSON.parse(readFileSync(file, 'utf8')) as Record<string, SourceMapPayload>).map(([u, p]) => [
      u,
      new SourceMap(p),
    ]),
  );
  return (url, line, column) => {
    const e = maps.get(url)?.findEntry(line, column);
    return e && 'originalLine' in e ? { url, line: e.originalLine } : undefined;
  };
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);

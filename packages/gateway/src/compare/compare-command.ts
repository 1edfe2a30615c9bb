// `switchyard compare`: a prompt set × models → report.json, report.md, report.html. In-process through the
// configured providers (config file, else provider keys from env, else demo mode on the simulators), or against a
// running gateway with --gateway URL --key K. `--from-shadow ROUTE` turns recorded shadow pairs into a report.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { usdToNanos } from '@switchyard/core';
import type { CliCommand } from '../cli/commands.js';

export const COMPARE_HELP = `Usage: switchyard compare --models A,B,C --prompts FILE [options]
       switchyard compare --from-shadow ROUTE [--since 24h] --gateway URL [--admin-token T] [--out DIR]

Runs every prompt of FILE against every model and writes report.json, report.md and report.html to --out.
Models are "<provider>/<model>" or route aliases, exactly as clients name them.

Options:
      --models LIST        Comma-separated models (demo mode default: openai/gpt-4.1,anthropic/claude-sonnet-4-5,gemini/gemini-2.5-flash)
      --prompts FILE       JSONL prompt set (default: the bundled example set)
      --runs N             Runs per prompt and model (default 1)
      --concurrency C      Calls in flight at once (default 4)
      --max-cost-usd X     Stop starting calls once this much was spent (model + judge calls)
      --out DIR            Report directory (default ./compare-report)
      --judge MODEL        Score each answer 1-10 with this model (its cost is reported apart)
      --rubric FILE        Judge rubric (default: a generic 1-10 rubric)
  -c, --config FILE        Gateway config (env: SWITCHYARD_CONFIG); without one, provider keys from env, else demo mode
      --gateway URL        Call a running gateway instead of in-process
      --key K              Virtual key for --gateway (env: SWITCHYARD_KEY)
      --from-shadow ROUTE  Report recorded shadow traffic of ROUTE (from GET /admin/v1/shadow of --gateway)
      --since DURATION     With --from-shadow: how far back (e.g. 30m, 24h, 7d; default 24h)
      --admin-token T      With --from-shadow (env: SWITCHYARD_ADMIN_TOKEN)
  -h, --help               Show this help`;

export const DEFAULT_DEMO_MODELS = ['openai/gpt-4.1', 'anthropic/claude-sonnet-4-5', 'gemini/gemini-2.5-flash'];
export const EXAMPLE_PROMPTS = fileURLToPath(new URL('../../examples/compare/prompts.jsonl', import.meta.url));

class UsageError extends Error {}

function positiveInt(name: string, v: string | undefined, dflt: number, max: number): number {
  if (v === undefined) return dflt;
  if (!/^\d+$/.test(v) || Number(v) < 1 || Number(v) > max)
    throw new UsageError(`--${name} must be an integer 1-${max}`);
  return Number(v);
}

export function parseDuration(s: string): number {
  const m = /^(\d+)\s*(s|m|h|d)$/.exec(s.trim());
  if (!m) throw new UsageError(`--since must look like 30m, 24h or 7d, got "${s}"`);
  return Number(m[1]) * { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] as 's' | 'm' | 'h' | 'd'];
}

export async function runCompareCommand(argv: string[], env = process.env): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      models: { type: 'string' },
      prompts: { type: 'string' },
      runs: { type: 'string' },
      concurrency: { type: 'string' },
      'max-cost-usd': { type: 'string' },
      out: { type: 'string' },
      judge: { type: 'string' },
      rubric: { type: 'string' },
      config: { type: 'string', short: 'c' },
      gateway: { type: 'string' },
      key: { type: 'string' },
      'from-shadow': { type: 'string' },
      since: { type: 'string' },
      'admin-token': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(`${COMPARE_HELP}\n`);
    return 0;
  }
  const out = values.out ?? 'compare-report';
  try {
    if (values['from-shadow'] !== undefined) {
      const { reportFromShadow } = await import('./shadow/from-shadow.js');
      if (!values.gateway) throw new UsageError('--from-shadow needs --gateway URL (the gateway that recorded it)');
      const report = await reportFromShadow({
        gateway: values.gateway,
        route: values['from-shadow'],
        sinceMs: parseDuration(values.since ?? '24h'),
        ...((values['admin-token'] ?? env.SWITCHYARD_ADMIN_TOKEN) && {
          adminToken: values['admin-token'] ?? env.SWITCHYARD_ADMIN_TOKEN,
        }),
      });
      return await write(out, report);
    }
    return await compareModels(values, out, env);
  } catch (err) {
    if (
      err instanceof UsageError ||
      (err as Error).name === 'PromptFileError' ||
      (err as Error).name === 'ConfigError'
    ) {
      process.stderr.write(`switchyard compare: ${(err as Error).message}\n`);
      return err instanceof UsageError ? 2 : 1;
    }
    throw err;
  }
}

async function write(dir: string, report: import('./report/report-model.js').Report): Promise<number> {
  const { writeReports } = await import('./report/write-reports.js');
  const files = await writeReports(dir, report);
  const { renderMarkdown } = await import('./report/report-markdown.js');
  // The summary table on stdout; the full side-by-side answers are in the files.
  const md = renderMarkdown({ ...report, prompts: [] });
  process.stdout.write(`${md}\nReports: ${files.json}\n         ${files.md}\n         ${files.html}\n`);
  return 0;
}

type Values = Record<string, string | boolean | undefined>;

async function compareModels(values: Values, out: string, env: NodeJS.ProcessEnv): Promise<number> {
  const str = (k: string) => values[k] as string | undefined;
  const { parsePromptSet } = await import('./prompt-set.js');
  const promptsFile = str('prompts') ?? EXAMPLE_PROMPTS;
  const prompts = parsePromptSet(await readFile(promptsFile, 'utf8'), promptsFile);
  const runs = positiveInt('runs', str('runs'), 1, 100);
  const concurrency = positiveInt('concurrency', str('concurrency'), 4, 256);
  let maxCostNanos: bigint | undefined;
  if (str('max-cost-usd') !== undefined) {
    try {
      maxCostNanos = usdToNanos(str('max-cost-usd') as string);
    } catch {
      throw new UsageError('--max-cost-usd must be a decimal amount such as 0.50');
    }
    if (maxCostNanos < 0n) throw new UsageError('--max-cost-usd must not be negative');
  }
  const rubric = str('rubric') !== undefined ? await readFile(str('rubric') as string, 'utf8') : undefined;

  let caller: import('./model-caller.js').ModelCaller;
  let demo: { close(): Promise<void> } | undefined;
  let models = str('models')
    ?.split(',')
    .map((m) => m.trim())
    .filter(Boolean);
  let mode: string;
  if (str('gateway')) {
    const { createHttpCaller } = await import('./http-caller.js');
    caller = createHttpCaller(str('gateway') as string, str('key') ?? env.SWITCHYARD_KEY);
    mode = `gateway ${str('gateway')}`;
  } else {
    const [{ loadConfigFile }, { autoConfigFromEnv }, { createInProcessCaller }] = await Promise.all([
      import('../config/load-config.js'),
      import('../config/auto-config.js'),
      import('./in-process-caller.js'),
    ]);
    const configPath = str('config') ?? env.SWITCHYARD_CONFIG;
    let config = configPath ? await loadConfigFile(configPath, env) : autoConfigFromEnv(env);
    mode = configPath ? `in-process (${configPath})` : 'in-process (providers from env)';
    if (!config) {
      const { startDemo } = await import('../demo/demo-mode.js');
      const d = await startDemo({ host: '127.0.0.1', port: 0 });
      demo = d;
      config = d.config;
      models ??= DEFAULT_DEMO_MODELS;
      mode = 'in-process, demo mode (bundled simulators)';
      process.stderr.write(
        'switchyard compare: DEMO MODE — no config and no provider keys; calling the bundled simulators.\n',
      );
    }
    caller = createInProcessCaller(config);
  }
  if (!models || models.length === 0) throw new UsageError('--models is required (comma-separated)');
  if (new Set(models).size !== models.length) throw new UsageError('--models lists a model twice');

  const [{ runCompare }, { createProgress }, { compareReport }] = await Promise.all([
    import('./run-compare.js'),
    import('./progress.js'),
    import('./report/report-model.js'),
  ]);
  const progress = createProgress();
  const judge = str('judge');
  try {
    process.stderr.write(
      `switchyard compare: ${prompts.length} prompt(s) × ${models.length} model(s) × ${runs} run(s), ${mode}\n`,
    );
    const run = await runCompare(caller, {
      models,
      prompts,
      runs,
      concurrency,
      ...(maxCostNanos !== undefined && { maxCostNanos }),
      ...(judge && { judge }),
      ...(rubric && { rubric }),
      onProgress: (p) => progress.update(p),
    });
    progress.done();
    const report = compareReport(run);
    report.source = { ...report.source, mode, prompts: promptsFile };
    if (report.stopped) process.stderr.write(`switchyard compare: ${report.stopped.message}\n`);
    return await write(out, report);
  } finally {
    await caller.close();
    await demo?.close();
  }
}

export const compareCommand: CliCommand = {
  name: 'compare',
  summary: 'Compare models on a prompt set (cost, latency, quality) and write JSON/Markdown/HTML reports',
  help: COMPARE_HELP,
  run: (argv) => runCompareCommand(argv),
};

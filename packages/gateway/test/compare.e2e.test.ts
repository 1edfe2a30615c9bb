// `switchyard compare` as users run it: a real CLI process in demo mode (no config, no keys) over the bundled
// example prompt set, producing report.json / report.md / report.html; the numbers are checked against the
// catalog prices, and the HTML opens in headless Chromium from disk with its charts drawn, no console error and
// no network request. Then the cost cap and the --gateway mode against a running gateway.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { computeCost, defaultPriceSource } from '@switchyard/core';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXAMPLE_PROMPTS } from '../src/compare/compare-command.js';
import { createHttpCaller } from '../src/compare/http-caller.js';
import { createInProcessCaller } from '../src/compare/in-process-caller.js';
import { parsePromptSet } from '../src/compare/prompt-set.js';
import type { Report } from '../src/compare/report/report-model.js';
import { runCompare } from '../src/compare/run-compare.js';
import { type DemoMode, startDemo } from '../src/demo/demo-mode.js';
import { listen, type RunningGateway } from '../src/http/listen.js';

const MAIN = new URL('../src/cli/main.ts', import.meta.url).pathname;
const MODELS = ['openai/gpt-4.1', 'anthropic/claude-sonnet-4-5', 'gemini/gemini-2.5-flash'];

function runCli(args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN, ...args], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout?.on('data', (d: Buffer) => {
    out += d.toString();
  });
  child.stderr?.on('data', (d: Buffer) => {
    err += d.toString();
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), 150_000);
  return new Promise((resolve) =>
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, out, err });
    }),
  );
}

/** What the catalog says a call with these tokens costs (the simulators report no cache or reasoning tokens). */
function catalogCost(model: string, input: number, output: number): bigint {
  const [kind, name] = [model.slice(0, model.indexOf('/')), model.slice(model.indexOf('/') + 1)];
  const price = defaultPriceSource().lookup(kind, name);
  if (!price) throw new Error(`no catalog price for ${model}`);
  const usage = {
    inputTokens: input,
    outputTokens: output,
    cacheReadTokens: 0,
    cacheWriteTokens: 0,
    reasoningTokens: 0,
    source: 'provider' as const,
  };
  return computeCost(usage, price).totalNanos;
}

describe('switchyard compare in demo mode (CLI process)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'compare-e2e-'));
  let report: Report;

  beforeAll(async () => {
    const r = await runCli(['compare', '--out', dir, '--judge', 'anthropic/claude-sonnet-4-5', '--concurrency', '3']);
    if (r.code !== 0) throw new Error(`compare exited ${r.code}\n${r.out}\n${r.err}`);
    expect(r.err).toContain('DEMO MODE');
    expect(r.out).toContain('report.html');
    report = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as Report;
  }, 180_000);

  it('reports every model on every example prompt, priced exactly as the catalog prices the usage', () => {
    const prompts = parsePromptSet(readFileSync(EXAMPLE_PROMPTS, 'utf8'));
    expect(report.models.map((m) => m.model)).toEqual(MODELS);
    expect(report.totals).toMatchObject({ calls: prompts.length * 3, plannedCalls: prompts.length * 3 });
    expect(report.stopped).toBeUndefined();
    let all = 0n;
    for (const m of report.models) {
      let sum = 0n;
      for (const p of report.prompts) {
        const [cell] = p.cells[m.model] ?? [];
        expect(cell?.ok).toBe(true);
        const expected = catalogCost(m.model, cell?.inputTokens ?? -1, cell?.outputTokens ?? -1);
        expect(BigInt(cell?.costNanos ?? '-1')).toBe(expected);
        sum += expected;
        expect(cell?.ttftMs).toBeGreaterThanOrEqual(0);
        expect(cell?.latencyMs).toBeGreaterThanOrEqual(cell?.ttftMs ?? 0);
      }
      expect(m.costNanos).toBe(sum.toString());
      expect(m.errors).toBe(0);
      expect(m.latencyMs.p95).toBeGreaterThanOrEqual(m.latencyMs.p50 ?? Number.POSITIVE_INFINITY);
      all += sum;
    }
    expect(report.totals.costNanos).toBe(all.toString());
    expect(BigInt(report.totals.judgeCostNanos)).toBeGreaterThan(0n);
  });

  it('checks assertions meaningfully on filler answers: format checks pass, knowledge checks fail', () => {
    const cell = (id: string, model: string) => report.prompts.find((p) => p.id === id)?.cells[model]?.[0];
    for (const model of MODELS) {
      // max_tokens is honoured, so the "at most 12 words" check passes; the answer is filler, so "Paris" fails.
      expect(cell('short-summary', model)?.assertions[0]).toMatchObject({ type: 'regex', pass: true });
      expect(cell('capital', model)?.assertions[0]).toMatchObject({ type: 'equals', pass: false });
      expect(cell('math', model)?.assertions[0]).toMatchObject({ type: 'regex', pass: false });
    }
    // Anthropic gets response_format as a forced tool, so its simulated answer follows the schema.
    expect(cell('json-invoice', 'anthropic/claude-sonnet-4-5')?.assertions[0]).toMatchObject({
      type: 'json_schema',
      pass: true,
    });
    const total = parsePromptSet(readFileSync(EXAMPLE_PROMPTS, 'utf8')).reduce((n, p) => n + p.assert.length, 0);
    for (const m of report.models) {
      expect(m.assertions.total).toBe(total);
      expect(m.assertions.passed).toBeGreaterThan(0);
      expect(m.assertions.passed).toBeLessThan(total);
    }
  });

  it('parses the judge: scores 1-10 with a reason, judge cost apart from the models', () => {
    for (const m of report.models) {
      expect(m.judge?.scored).toBe(report.prompts.length);
      expect(m.judge?.meanScore).toBeGreaterThanOrEqual(1);
      expect(m.judge?.meanScore).toBeLessThanOrEqual(10);
    }
    const judged = report.prompts.flatMap((p) => Object.values(p.cells).flat());
    for (const c of judged) expect(c.judge?.reason.length).toBeGreaterThan(0);
    const md = readFileSync(join(dir, 'report.md'), 'utf8');
    expect(md).toContain('| model | calls | errors | cost (USD)');
    expect(md).toContain('### json-invoice');
  });

  it('report.html renders both charts in headless Chromium from disk, with no console error and no network', async () => {
    const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
    try {
      const page = await browser.newPage();
      const errors: string[] = [];
      const requests: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error') errors.push(m.text());
      });
      page.on('pageerror', (e) => errors.push(e.message));
      page.on('request', (r) => {
        if (!r.url().startsWith('file:')) requests.push(r.url());
      });
      await page.goto(pathToFileURL(join(dir, 'report.html')).href, { waitUntil: 'load' });
      // One point per model on the cost/quality chart; four bars per model on the latency chart.
      expect(await page.locator('#chart-cost-quality g.mark-symbol path').count()).toBe(3);
      expect(await page.locator('#chart-latency g.mark-rect path').count()).toBe(12);
      const box = await page.locator('#chart-latency svg').boundingBox();
      expect(box?.width).toBeGreaterThan(200);
      expect(await page.locator('#summary tr').count()).toBe(4);
      expect(errors).toEqual([]);
      expect(requests).toEqual([]);
    } finally {
      await browser.close();
    }
  }, 60_000);
});

describe('compare runs through the pipeline', () => {
  let demo: DemoMode;
  let gw: RunningGateway;
  const prompts = parsePromptSet(readFileSync(EXAMPLE_PROMPTS, 'utf8'));

  beforeAll(async () => {
    demo = await startDemo({ host: '127.0.0.1', port: 0 });
    gw = await listen(demo.config, { host: '127.0.0.1', port: 0, log: { warn() {}, error() {} } });
  });
  afterAll(async () => {
    await gw?.close(2_000);
    await demo?.close();
  });

  it('stops at the cost cap: no call starts once spend reaches it, and the run says so', async () => {
    const caller = createInProcessCaller(demo.config);
    try {
      const full = await runCompare(caller, { models: MODELS, prompts, runs: 1, concurrency: 1 });
      const cap = full.spentNanos * 2n; // 2 of the 8 planned runs' worth
      const run = await runCompare(caller, { models: MODELS, prompts, runs: 8, concurrency: 3, maxCostNanos: cap });
      expect(run.stopped).toMatchObject({ reason: 'cost_cap', capNanos: cap });
      expect(run.outcomes.length).toBeLessThan(run.plannedCalls);
      expect(run.stopped?.skippedCalls).toBe(run.plannedCalls - run.outcomes.length);
      for (const o of run.outcomes) expect(o.spentAtStartNanos).toBeLessThan(cap);
      // In-process, every call reserves its price bound first: the spend never passes the cap.
      expect(run.spentNanos).toBeLessThanOrEqual(cap);
      expect(run.spentNanos).toBeGreaterThan(0n);
    } finally {
      await caller.close();
    }
  }, 120_000);

  it('--gateway mode gets the same exact cost per call from a running gateway as in-process', async () => {
    const http = createHttpCaller(gw.url, undefined);
    const local = createInProcessCaller(demo.config);
    try {
      for (const model of MODELS) {
        const req = { model, messages: [{ role: 'user', content: 'Compare me' }], params: { max_tokens: 20 } };
        const [a, b] = [await http.call(req), await local.call(req)];
        expect(a.ok && b.ok).toBe(true);
        expect(a.costNanos).toBe(b.costNanos);
        expect(a.costNanos).toBe(catalogCost(model, a.inputTokens ?? -1, a.outputTokens ?? -1));
        expect(a.servedBy).toBe(model);
      }
    } finally {
      await local.close();
    }
  }, 60_000);
});

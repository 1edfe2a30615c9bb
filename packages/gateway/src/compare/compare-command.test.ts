// CLI surface of `switchyard compare`: usage errors exit 2, bad prompt files exit 1 naming the line, progress output.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { parseDuration, runCompareCommand } from './compare-command.js';
import { createProgress } from './progress.js';

const dir = mkdtempSync(join(tmpdir(), 'compare-cmd-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let stderr = '';
beforeEach(() => {
  stderr = '';
  vi.spyOn(process.stderr, 'write').mockImplementation((s) => {
    stderr += String(s);
    return true;
  });
});
afterEach(() => vi.restoreAllMocks());

describe('switchyard compare (CLI)', () => {
  it('refuses bad options with exit 2 and a message', async () => {
    expect(await runCompareCommand(['--runs', '0'], {})).toBe(2);
    expect(stderr).toContain('--runs must be an integer 1-100');
    expect(await runCompareCommand(['--max-cost-usd', 'lots'], {})).toBe(2);
    expect(stderr).toContain('--max-cost-usd must be a decimal amount');
    expect(await runCompareCommand(['--from-shadow', 'main'], {})).toBe(2);
    expect(stderr).toContain('--from-shadow needs --gateway URL');
  });

  it('a broken prompt file exits 1 naming file and line, before any call', async () => {
    const file = join(dir, 'bad.jsonl');
    writeFileSync(file, '{"prompt":"ok"}\n{"prompt": 3}\n');
    expect(await runCompareCommand(['--prompts', file, '--models', 'x/y'], {})).toBe(1);
    expect(stderr).toMatch(/bad\.jsonl:2: prompt: /);
  });

  it('needs --models outside demo mode', async () => {
    const file = join(dir, 'ok.jsonl');
    writeFileSync(file, '{"prompt":"ok"}\n');
    // Provider keys in env: in-process, not demo, so nothing picks the models.
    expect(await runCompareCommand(['--prompts', file], { OPENAI_API_KEY: 'sk-test' })).toBe(2);
    expect(stderr).toContain('--models is required');
  });

  it('parses --since durations', () => {
    expect(parseDuration('30m')).toBe(1_800_000);
    expect(parseDuration('24h')).toBe(86_400_000);
    expect(parseDuration('7d')).toBe(604_800_000);
    expect(() => parseDuration('yesterday')).toThrow(/--since/);
  });
});

describe('progress', () => {
  const fake = (isTTY: boolean) => {
    let out = '';
    const write = (s: string) => {
      out += s;
      return true;
    };
    const stream = { isTTY, write } as unknown as NodeJS.WriteStream;
    return { stream, out: () => out };
  };

  it('redraws one bar on a TTY', () => {
    const f = fake(true);
    const p = createProgress(f.stream);
    p.update({ done: 1, total: 4, spentNanos: 1_500n });
    p.update({ done: 4, total: 4, spentNanos: 3_000n });
    p.done();
    expect(f.out()).toBe(
      `\r[${'#'.repeat(8)}${'.'.repeat(22)}] 1/4 $0.000002  \r[${'#'.repeat(30)}] 4/4 $0.000003  \n`,
    );
  });

  it('writes one plain line per call otherwise', () => {
    const f = fake(false);
    const p = createProgress(f.stream);
    p.update({ done: 1, total: 2, spentNanos: 0n, last: { model: 'a/b', promptId: 'p1', ok: false, latencyMs: 12.4 } });
    p.done();
    expect(f.out()).toBe('[1/2] a/b p1 error 12 ms (spent $0.000000)\n');
  });
});

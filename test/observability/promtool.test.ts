// promtool: the shipped config and rules are valid, and every alert's unit tests pass.
import { describe, expect, it } from 'vitest';
import { PROMTOOL_BIN, prometheusMissing, promtool } from '../support/prometheus.js';
import { GRAFANA_DIR, RULE_FILES } from './dashboard-queries.js';

describe.skipIf(prometheusMissing)(`promtool (${PROMTOOL_BIN || 'missing'})`, () => {
  it('check config grafana/prometheus.yml (and the rule files it names)', () => {
    const res = promtool(['check', 'config', `${GRAFANA_DIR}prometheus.yml`]);
    expect(res.output).toContain('SUCCESS');
    expect(res.status, res.output).toBe(0);
  });

  it('check rules', () => {
    const res = promtool(['check', 'rules', ...RULE_FILES]);
    expect(res.output).toMatch(/SUCCESS: 7 rules found[\s\S]*SUCCESS: 8 rules found/);
    expect(res.status, res.output).toBe(0);
  });

  it('test rules: every alert has a unit test and they pass', async () => {
    const { readFileSync } = await import('node:fs');
    const alerts = [...readFileSync(RULE_FILES[1] ?? '', 'utf8').matchAll(/- alert: (\w+)/g)].map((m) => m[1]);
    const tests = readFileSync(`${GRAFANA_DIR}rules/alerts.test.yml`, 'utf8');
    expect(alerts.filter((a) => !tests.includes(`alertname: ${a}\n`))).toEqual([]);
    const res = promtool([
      'test',
      'rules',
      `${GRAFANA_DIR}rules/alerts.test.yml`,
      `${GRAFANA_DIR}rules/recording.test.yml`,
    ]);
    expect(res.output).not.toContain('FAILED');
    expect(res.status, res.output).toBe(0);
  });

  it('a broken rule file is rejected (the check can fail)', async () => {
    const { mkdtempSync, writeFileSync, rmSync } = await import('node:fs');
    const dir = mkdtempSync('/tmp/sy-bad-rules-');
    writeFileSync(
      `${dir}/bad.yml`,
      'groups:\n  - name: x\n    rules:\n      - alert: X\n        expr: sum(rate(x[5m])\n',
    );
    const res = promtool(['check', 'rules', `${dir}/bad.yml`]);
    rmSync(dir, { recursive: true, force: true });
    expect(res.status).not.toBe(0);
  });
});

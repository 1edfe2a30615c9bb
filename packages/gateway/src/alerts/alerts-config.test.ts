import { describe, expect, it } from 'vitest';
import { ConfigError } from '../config/interpolate.js';
import { parseConfig } from '../config/load-config.js';
import { parseAlerts } from './alerts-config.js';

const BASE = `
providers: { openai: { kind: openai, apiKey: x } }
accounts: { store: "sqlite:./s.db" }
`;

describe('alerts config', () => {
  it('reads webhooks with the secret from the environment; defaults: every event, 50/80/100 %', () => {
    const cfg = parseConfig(
      `${BASE}alerts:\n  webhooks:\n    - { url: "https://hooks.example.com/sy", secret: \${HOOK_SECRET}, lowBalanceUsd: "2.5" }\n`,
      { HOOK_SECRET: 'whsec_0123456789abcdef' },
    );
    const alerts = parseAlerts(cfg.alerts);
    expect(alerts?.webhooks[0]).toEqual({
      url: 'https://hooks.example.com/sy',
      secret: 'whsec_0123456789abcdef',
      events: new Set(['budget.threshold', 'balance.low', 'key.exhausted', 'team.exhausted']),
      thresholds: [50, 80, 100],
      lowBalanceNanos: 2_500_000_000n,
    });
    expect(alerts).toMatchObject({ maxAttempts: 6, queueSize: 1000 });
  });

  it('no webhooks: alerts are off', () => {
    expect(parseAlerts(undefined)).toBeUndefined();
    expect(parseAlerts({ webhooks: [] })).toBeUndefined();
  });

  it('a bad event, threshold or URL is a ConfigError naming its path, without the secret', () => {
    const bad = (hook: string) => {
      try {
        parseConfig(`${BASE}alerts: { webhooks: [${hook}] }\n`, {});
      } catch (err) {
        expect(err).toBeInstanceOf(ConfigError);
        return (err as Error).message;
      }
      throw new Error('expected a ConfigError');
    };
    const secret = 'secret: whsec_0123456789abcdef';
    expect(bad(`{ url: "https://h.example", ${secret}, events: [budget.crossed] }`)).toContain(
      'alerts.webhooks[0].events',
    );
    expect(bad(`{ url: "https://h.example", ${secret}, thresholds: [150] }`)).toContain(
      'alerts.webhooks[0].thresholds',
    );
    const msg = bad(`{ url: "ftp://h.example", ${secret} }`);
    expect(msg).toContain('alerts.webhooks[0].url');
    expect(msg).not.toContain('whsec_');
    expect(bad(`{ url: "https://h.example", secret: short }`)).toContain('alerts.webhooks[0].secret');
  });
});

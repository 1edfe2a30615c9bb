import { describe, expect, it } from 'vitest';
import { validateConfig } from '../config/load-config.js';
import { breakerSeries, configuredTargets } from './breaker-series.js';

describe('switchyard_breaker_state series', () => {
  const config = validateConfig({
    providers: {
      openai: { kind: 'openai', apiKey: 'k', models: ['gpt-4o-mini'] },
      anthropic: { kind: 'anthropic', apiKey: 'k' },
    },
    routes: { smart: { targets: ['anthropic/claude-sonnet-4-5', { target: 'openai/gpt-4.1', weight: 1 }] } },
  });
  const configured = configuredTargets(config);

  it('configured targets: route targets and listed models', () => {
    expect([...configured].sort()).toEqual(['anthropic/claude-sonnet-4-5', 'openai/gpt-4.1', 'openai/gpt-4o-mini']);
  });

  it('4,096 client-chosen model names add one `_other` series (their worst state), not 4,096', () => {
    const states = [
      ['anthropic/claude-sonnet-4-5', 'closed'] as const,
      ...Array.from({ length: 4096 }, (_, i) => [`openai/junk-${i}`, i === 7 ? 'open' : 'closed'] as const),
    ];
    expect(breakerSeries(states, configured)).toEqual([
      ['anthropic/claude-sonnet-4-5', 'closed'],
      ['_other', 'open'],
    ]);
    expect(breakerSeries([['openai/gpt-4o-mini', 'half-open']], configured)).toEqual([
      ['openai/gpt-4o-mini', 'half-open'],
    ]);
  });
});

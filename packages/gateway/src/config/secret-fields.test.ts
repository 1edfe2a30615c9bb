import { describe, expect, it } from 'vitest';
import { REDACTED, redactSecrets } from './secret-fields.js';

describe('redactSecrets', () => {
  it('hides secret fields at any depth, header values and URL passwords; keeps the rest', () => {
    const config = {
      server: { host: '127.0.0.1', port: 4100 },
      auth: { adminToken: 'adm-secret' },
      providers: {
        openai: { kind: 'openai', apiKey: 'sk-live-1', baseURL: 'https://api.openai.com/v1', models: ['gpt-4.1'] },
        proxy: { kind: 'openai-compatible', baseURL: 'http://h/v1', headers: { 'x-team-secret': 'hdr-secret' } },
        bedrock: {
          kind: 'bedrock',
          region: 'us-east-1',
          accessKeyId: 'AKIA1',
          secretAccessKey: 'sak',
          sessionToken: 'st',
        },
        vertex: { kind: 'vertex', project: 'p', credentials: '{"private_key":"pk"}' },
        azure: { kind: 'azure-openai', resourceName: 'r', azureAdToken: 'aad' },
      },
      accounts: { store: 'redis://:redispw@10.0.0.1:6379/0+postgres://sy:pgpw@db:5432/sy' },
      routes: { smart: { strategy: 'fallback', targets: ['openai/gpt-4.1'] } },
    };
    const out = redactSecrets(config);
    const text = JSON.stringify(out);
    for (const s of ['adm-secret', 'sk-live-1', 'hdr-secret', 'AKIA1', 'sak', '"st"', 'pk', 'aad', 'redispw', 'pgpw']) {
      expect(text).not.toContain(s);
    }
    expect(out).toMatchObject({
      server: { host: '127.0.0.1', port: 4100 },
      providers: {
        openai: { apiKey: REDACTED, baseURL: 'https://api.openai.com/v1', models: ['gpt-4.1'] },
        proxy: { headers: { 'x-team-secret': REDACTED } },
      },
      accounts: { store: `redis://:${REDACTED}@10.0.0.1:6379/0+postgres://sy:${REDACTED}@db:5432/sy` },
      routes: config.routes,
    });
    expect(config.providers.openai.apiKey).toBe('sk-live-1'); // a copy: the running config is untouched
  });
});

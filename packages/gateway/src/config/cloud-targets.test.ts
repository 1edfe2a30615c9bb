// Config for the cloud kinds: required fields per kind, fields on the wrong kind rejected, and the RouteTarget
// each produces (default endpoint, Azure deployment, region / project / location, a shared transport).
import { describe, expect, it } from 'vitest';
import { validateConfig } from './load-config.js';
import { planFor } from './plan-for.js';

const bad = (providers: Record<string, unknown>) => () => validateConfig({ providers }, 'test');

describe('cloud provider config', () => {
  it('names the missing or misplaced field', () => {
    expect(bad({ b: { kind: 'bedrock' } })).toThrow(/providers\.b\.region: region is required/);
    expect(bad({ a: { kind: 'azure-openai', apiKey: 'k' } })).toThrow(/resourceName or baseURL is required/);
    expect(bad({ v: { kind: 'vertex' } })).toThrow(/providers\.v\.project: project is required/);
    expect(bad({ o: { kind: 'openai', region: 'us-east-1' } })).toThrow(/region applies to kind bedrock only/);
    expect(bad({ b: { kind: 'bedrock', region: 'us-east-1', accessKeyId: 'AKIA' } })).toThrow(/go together/);
    expect(bad({ b: { kind: 'bedrock', region: 'US East' } })).toThrow(/Expected an AWS region/);
  });

  it('builds targets: endpoints from resource / region / location, deployments, one transport per provider', () => {
    const config = validateConfig(
      {
        providers: {
          az: { kind: 'azure-openai', resourceName: 'acme', apiKey: 'k', deployments: { 'gpt-4o-mini': 'prod' } },
          br: { kind: 'bedrock', region: 'eu-west-1', accessKeyId: 'AKIAX', secretAccessKey: 'super-secret-value' },
          vx: { kind: 'vertex', project: 'proj', location: 'global', apiKey: 'express-key' },
          vr: { kind: 'vertex', project: 'proj', credentials: '{"type":"service_account"}' },
        },
      },
      'test',
    );
    const az = planFor('az/gpt-4o-mini', config).targets[0]!;
    expect(az.baseURL).toBe('https://acme.openai.azure.com/openai');
    expect(az.cloud).toEqual({ deployment: 'prod', apiVersion: '2024-10-21' });
    expect(planFor('az/gpt-4.1', config).targets[0]!.cloud?.deployment).toBe('gpt-4.1');
    const br = planFor('br/amazon.nova-lite-v1:0', config).targets[0]!;
    expect(br.baseURL).toBe('https://bedrock-runtime.eu-west-1.amazonaws.com');
    expect(br.transport).toBeDefined();
    expect(planFor('br/other', config).targets[0]!.transport).toBe(br.transport); // built once, shared
    expect(JSON.stringify(br)).not.toContain('super-secret-value'); // the transport serialises to its name only
    const vx = planFor('vx/gemini-2.5-flash', config).targets[0]!;
    expect(vx.baseURL).toBe('https://aiplatform.googleapis.com');
    expect(vx.transport).toBeUndefined(); // express mode: the api key, no OAuth
    expect(planFor('vr/claude-sonnet-4-5', config).targets[0]!.baseURL).toBe(
      'https://us-central1-aiplatform.googleapis.com',
    );
  });
});

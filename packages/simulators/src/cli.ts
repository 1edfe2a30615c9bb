#!/usr/bin/env node
// switchyard-sim: run one (or all) simulators from the command line and print their URLs.
import { parseArgs } from 'node:util';
import { parseScenarioHeader } from './scenario.js';
import { startAllSimulators, startSimulator } from './server.js';
import type { Scenario, SimProvider } from './types.js';

const USAGE = `usage: switchyard-sim --provider openai|anthropic|gemini|azure|bedrock|vertex|all [--port N] [--host H]
                     [--latency-ms N] [--scenario JSON|preset] [--api-key KEY]`;

const SINGLE = new Set(['openai', 'anthropic', 'gemini', 'azure', 'bedrock', 'vertex']);

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      provider: { type: 'string', default: 'openai' },
      port: { type: 'string', default: '0' },
      host: { type: 'string', default: '127.0.0.1' },
      'latency-ms': { type: 'string' },
      scenario: { type: 'string' },
      'api-key': { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  let scenario: Scenario = values.scenario ? parseScenarioHeader(values.scenario) : {};
  if (values['latency-ms'] !== undefined) scenario = { ...scenario, latencyMs: Number(values['latency-ms']) };
  const common = { host: values.host, scenario, apiKey: values['api-key'] };
  const closers: (() => Promise<void>)[] = [];
  if (values.provider === 'all') {
    const all = await startAllSimulators(common);
    for (const s of [all.openai, all.anthropic, all.gemini]) console.log(`${s.provider} ${s.url}`);
    closers.push(all.close);
  } else if (SINGLE.has(values.provider)) {
    const sim = await startSimulator({
      ...common,
      provider: values.provider as SimProvider,
      port: Number(values.port),
    });
    console.log(sim.url);
    closers.push(sim.close);
  } else {
    console.error(USAGE);
    process.exitCode = 2;
    return;
  }
  const stop = () => void Promise.all(closers.map((c) => c())).then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});

// Child entry: starts the simulators named in argv[2] (JSON UpstreamSpec[]), reports their URLs.
import { startSimulator } from '@switchyard/simulators';
import { answerAsks, reportError, reportReady } from '../procs/child.js';
import type { UpstreamSpec, UpstreamUrls } from './upstreams.js';

try {
  const specs = JSON.parse(process.argv[2] ?? '[]') as UpstreamSpec[];
  const urls: UpstreamUrls = {};
  const sims: Record<string, Awaited<ReturnType<typeof startSimulator>>> = {};
  for (const spec of specs) {
    const sim = await startSimulator({ provider: spec.provider, port: 0, scenario: spec.scenario, logLimit: 1 });
    urls[spec.name] = sim.url.replace(/\/$/, '');
    sims[spec.name] = sim;
  }
  // `ask('requests')`: requests received so far per simulator (e.g. did a fallback really try the primary?).
  answerAsks(() => Object.fromEntries(Object.entries(sims).map(([n, s]) => [n, s.stats.requests])));
  reportReady(urls);
} catch (e) {
  reportError(e);
}

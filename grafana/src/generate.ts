// Writes grafana/dashboards/*.json from the TypeScript sources: `pnpm exec tsx grafana/src/generate.ts`.
// A test regenerates in memory and compares with the committed files, so the JSON never drifts from the code.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { costDashboard } from './cost-dashboard.js';
import { latencyDashboard } from './latency-dashboard.js';
import { reliabilityDashboard } from './reliability-dashboard.js';

/** File name → dashboard JSON text, exactly as committed. */
export function renderDashboards(): Record<string, string> {
  const all = {
    'cost.json': costDashboard(),
    'latency.json': latencyDashboard(),
    'reliability.json': reliabilityDashboard(),
  };
  return Object.fromEntries(Object.entries(all).map(([file, d]) => [file, `${JSON.stringify(d, null, 2)}\n`]));
}

export const DASHBOARDS_DIR = fileURLToPath(new URL('../dashboards/', import.meta.url));

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  for (const [file, text] of Object.entries(renderDashboards())) writeFileSync(`${DASHBOARDS_DIR}${file}`, text);
  console.log(`wrote ${Object.keys(renderDashboards()).join(', ')} to ${DASHBOARDS_DIR}`);
}

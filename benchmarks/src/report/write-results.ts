// Write the run: runs/<timestamp>.json always; latest.json / latest.md / latest.svg unless --no-write.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RunResult } from '../types.js';
import { renderSvg } from './chart.js';
import { renderMarkdown } from './markdown.js';

export const RESULTS_DIR = fileURLToPath(new URL('../../results/', import.meta.url));

export async function writeResults(run: RunResult, latest: boolean): Promise<string[]> {
  const runsDir = path.join(RESULTS_DIR, 'runs');
  await mkdir(runsDir, { recursive: true });
  const json = `${JSON.stringify(run, null, 2)}\n`;
  const stamp = run.startedAt.replace(/[:.]/g, '-');
  const files = [path.join(runsDir, `${stamp}-${run.profile}.json`)];
  await writeFile(files[0] as string, json);
  if (latest) {
    const md = renderMarkdown(run);
    const svg = await renderSvg(run);
    for (const [name, text] of [
      ['latest.json', json],
      ['latest.md', md],
      ['latest.svg', svg],
    ] as const) {
      const file = path.join(RESULTS_DIR, name);
      await writeFile(file, text);
      files.push(file);
    }
  }
  return files;
}

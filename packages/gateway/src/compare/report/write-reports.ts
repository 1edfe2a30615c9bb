// Writes report.json, report.md and report.html into a directory.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { renderHtml } from './report-html.js';
import { renderMarkdown } from './report-markdown.js';
import type { Report } from './report-model.js';

export async function writeReports(dir: string, report: Report): Promise<{ json: string; md: string; html: string }> {
  await mkdir(dir, { recursive: true });
  const files = { json: join(dir, 'report.json'), md: join(dir, 'report.md'), html: join(dir, 'report.html') };
  await writeFile(files.json, `${JSON.stringify(report, null, 2)}\n`);
  await writeFile(files.md, renderMarkdown(report));
  await writeFile(files.html, await renderHtml(report));
  return files;
}

// Test-only: the recorded provider responses in shared/reference/fixtures, which sits beside the repo root
// (locally and in CI).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../../../../shared/reference/fixtures/', import.meta.url));

export function fixtureJson(file: string): Record<string, unknown> {
  return JSON.parse(readFileSync(ROOT + file, 'utf8'));
}

/** A `.chunks.txt` recording: one SSE data payload per line. */
export function fixtureLines(file: string): Array<Record<string, unknown>> {
  return readFileSync(ROOT + file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l));
}

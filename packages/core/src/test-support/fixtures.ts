// Test-only: the real recorded provider responses, copied from the shared reference into test/fixtures/providers.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../../../test/fixtures/providers/', import.meta.url));

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

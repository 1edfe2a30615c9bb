// Test support: the real recorded provider responses copied into test/fixtures/providers (see its README).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { SseEvent } from '../provider-adapter.js';

const ROOT = fileURLToPath(new URL('../../../../../test/fixtures/providers/', import.meta.url));

export function fixtureJson(path: string): unknown {
  return JSON.parse(readFileSync(ROOT + path, 'utf8'));
}

/** A `.chunks.txt` recording as SSE events; Anthropic event names are derived from each object's `type`. */
export function fixtureEvents(path: string, named = false): SseEvent[] {
  return readFileSync(ROOT + path, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((data) => (named ? { event: (JSON.parse(data) as { type: string }).type, data } : { data }));
}

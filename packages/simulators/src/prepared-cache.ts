// Per-request work that depends only on (method, url, scenario header, body) is done once and reused:
// benchmarks send the same request thousands of times, and the simulator must not be their bottleneck.
import { hashText } from './ids.js';
import { mergeScenario, parseScenarioHeader, ScenarioError } from './scenario.js';
import type { Reply, ResolvedScenario } from './types.js';

export interface Prepared {
  pathname: string;
  query: URLSearchParams;
  /** Parsed JSON body (shared by every log entry of this request: do not mutate). */
  body: unknown;
  hash: string;
  scenario: ResolvedScenario;
  /** Set when the x-sim-scenario header was invalid. */
  scenarioError?: string;
  /** The successful reply, once built (request-id headers are added per request). */
  reply?: Reply;
}

const MAX_ENTRIES = 512;
const MAX_CACHED_BODY = 16 * 1024;

/**
 * The seed of ids and generated text: path + body without the stream switches, so a streamed call and the
 * same call unstreamed say the same words with the same usage.
 */
export function requestHash(pathname: string, body: unknown, raw: string): string {
  const path = pathname
    .replace(':streamGenerateContent', ':generateContent')
    .replace(':streamRawPredict', ':rawPredict')
    .replace(/\/converse-stream$/, '/converse');
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return hashText(path + '\n' + raw);
  const { stream: _s, stream_options: _o, ...rest } = body as Record<string, unknown>;
  return hashText(path + '\n' + JSON.stringify(rest));
}

function parseJson(raw: string): unknown {
  if (raw.length === 0) return undefined;
  try {
    return JSON.parse(raw);
  } catch {
    return undefined;
  }
}

export function prepare(rawUrl: string, header: string, raw: string, server: ResolvedScenario | undefined): Prepared {
  const url = new URL(rawUrl, 'http://sim');
  const body = parseJson(raw);
  const prepared: Prepared = {
    pathname: url.pathname,
    query: url.searchParams,
    body,
    hash: requestHash(url.pathname, body, raw),
    scenario: server ?? {},
  };
  if (header.length > 0) {
    try {
      prepared.scenario = mergeScenario(server, parseScenarioHeader(header));
    } catch (err) {
      if (!(err instanceof ScenarioError)) throw err;
      prepared.scenarioError = err.message;
    }
  }
  return prepared;
}

/** A bounded map; cleared whole when full or when the server scenario changes. */
export class PreparedCache {
  private readonly map = new Map<string, Prepared>();

  get(method: string, rawUrl: string, header: string, raw: string, server: ResolvedScenario | undefined): Prepared {
    if (raw.length > MAX_CACHED_BODY) return prepare(rawUrl, header, raw, server);
    const key = `${method} ${rawUrl}\n${header}\n${raw}`;
    let hit = this.map.get(key);
    if (!hit) {
      if (this.map.size >= MAX_ENTRIES) this.map.clear();
      hit = prepare(rawUrl, header, raw, server);
      this.map.set(key, hit);
    }
    return hit;
  }

  clear(): void {
    this.map.clear();
  }
}

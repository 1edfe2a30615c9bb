import type { Usage } from '../types.js';
import { asObject, count } from './read-fields.js';

/**
 * Anthropic `usage` → Usage. Anthropic's input_tokens EXCLUDES cache reads and writes, so
 * inputTokens = input_tokens + cache_read_input_tokens + cache_creation_input_tokens. `cache_creation` splits the
 * writes by cache lifetime (1-hour writes cost more); `server_tool_use.web_search_requests` is billed per search.
 * Streams: pass the message_start usage first, then each message_delta usage with the previous result;
 * message_delta counts are cumulative, so a later non-null field replaces the earlier one.
 */
export function anthropicUsage(u: unknown, previous?: Usage): Usage | undefined {
  const o = asObject(u);
  if (!o) return previous;
  const prevUncached = previous
    ? previous.inputTokens - previous.cacheReadTokens - previous.cacheWriteTokens
    : undefined;
  const uncached = count(o.input_tokens) ?? prevUncached;
  const cacheRead = count(o.cache_read_input_tokens) ?? previous?.cacheReadTokens ?? 0;
  const cacheWrite = count(o.cache_creation_input_tokens) ?? previous?.cacheWriteTokens ?? 0;
  const output = count(o.output_tokens) ?? previous?.outputTokens;
  if (uncached === undefined && output === undefined) return previous;
  const write1h = count(asObject(o.cache_creation)?.ephemeral_1h_input_tokens) ?? previous?.cacheWrite1hTokens;
  const searches = count(asObject(o.server_tool_use)?.web_search_requests) ?? previous?.webSearchRequests;
  const usage: Usage = {
    inputTokens: (uncached ?? 0) + cacheRead + cacheWrite,
    outputTokens: output ?? 0,
    cacheReadTokens: cacheRead,
    cacheWriteTokens: cacheWrite,
    // Anthropic bills thinking inside output_tokens and does not report it apart.
    reasoningTokens: previous?.reasoningTokens ?? 0,
    source: 'provider',
  };
  if (write1h) usage.cacheWrite1hTokens = Math.min(write1h, cacheWrite);
  if (searches) usage.webSearchRequests = searches;
  return usage;
}

import type { ErrorClass } from '../types.js';
import type { HeaderBag } from './retry-after.js';

/** What a provider's error body says, reduced to strings we can look up. Most specific code first. */
export interface ProviderErrorFacts {
  codes: string[];
  message?: string;
  /** Gemini bodies carry their own HTTP code (useful for in-stream errors). */
  status?: number;
  retryAfterMs?: number;
}

/** One per provider: read the body, then look codes up in a table, then message patterns. */
export interface ProviderErrorTable {
  /** `headers` when known: AWS names the error type in `x-amzn-errortype`, not the body. */
  read(body: unknown, headers?: HeaderBag): ProviderErrorFacts;
  codes: Readonly<Record<string, ErrorClass>>;
  /** Tried when no code matched the table, before the status fallback. */
  messages?: ReadonlyArray<readonly [RegExp, ErrorClass]>;
}

// An access token kept warm: callers get the cached value without waiting while it has more than `refreshMs`
// of life left; inside that window one background refresh runs (single flight) and callers keep the current
// token; only a missing or expired token makes a caller wait. Errors of a background refresh are kept for the
// next waiting caller rather than thrown into the void.
export interface FetchedToken {
  value: string;
  /** epoch ms */
  expiresAt: number;
}

export interface AccessTokenCacheOptions {
  fetch(): Promise<FetchedToken>;
  now?: () => number;
  /** Refresh this long before expiry. Default 5 minutes. */
  refreshMs?: number;
}

export class AccessTokenCache {
  private current: FetchedToken | undefined;
  private inFlight: Promise<FetchedToken> | undefined;
  private readonly now: () => number;
  private readonly refreshMs: number;

  constructor(private readonly opts: AccessTokenCacheOptions) {
    this.now = opts.now ?? Date.now;
    this.refreshMs = opts.refreshMs ?? 5 * 60_000;
  }

  /** Starts a fetch now (at startup), so the first request finds a token. */
  warm(): void {
    this.refresh().catch(() => {});
  }

  async get(): Promise<string> {
    const t = this.current;
    const now = this.now();
    if (t && t.expiresAt - now > this.refreshMs) return t.value;
    if (t && t.expiresAt - now > 5_000) {
      this.refresh().catch(() => {}); // still valid: refresh off the request path
      return t.value;
    }
    return (await this.refresh()).value;
  }

  private refresh(): Promise<FetchedToken> {
    this.inFlight ??= this.opts
      .fetch()
      .then((t) => {
        this.current = t;
        return t;
      })
      .finally(() => {
        this.inFlight = undefined;
      });
    return this.inFlight;
  }
}

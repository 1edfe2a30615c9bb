// Console sessions: an opaque random id in an HttpOnly cookie, mapped server-side to an expiry and a CSRF token.
// The admin token itself never leaves the server. The map is bounded: when full, the oldest session is dropped.
import { randomBytes, timingSafeEqual } from 'node:crypto';

export interface Session {
  id: string;
  /** sent by the page in `x-switchyard-csrf` on every state-changing request */
  csrf: string;
  expiresAt: number;
}

export interface SessionOptions {
  ttlMs?: number;
  max?: number;
  now?: () => number;
}

export const DEFAULT_SESSION_TTL_MS = 8 * 3_600_000;
export const DEFAULT_MAX_SESSIONS = 1000;

const token = () => randomBytes(32).toString('base64url');

export function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export class SessionStore {
  private readonly byId = new Map<string, Session>();
  readonly ttlMs: number;
  private readonly max: number;
  private readonly now: () => number;

  constructor(o: SessionOptions = {}) {
    this.ttlMs = o.ttlMs ?? DEFAULT_SESSION_TTL_MS;
    this.max = o.max ?? DEFAULT_MAX_SESSIONS;
    this.now = o.now ?? Date.now;
  }

  create(): Session {
    this.sweep();
    // Map iteration is insertion order: the first entry is the oldest session.
    while (this.byId.size >= this.max) {
      const oldest = this.byId.keys().next().value;
      if (oldest === undefined) break;
      this.byId.delete(oldest);
    }
    const s = { id: token(), csrf: token(), expiresAt: this.now() + this.ttlMs };
    this.byId.set(s.id, s);
    return s;
  }

  get(id: string | undefined): Session | undefined {
    if (!id) return undefined;
    const s = this.byId.get(id);
    if (!s) return undefined;
    if (s.expiresAt <= this.now()) {
      this.byId.delete(id);
      return undefined;
    }
    return s;
  }

  delete(id: string): void {
    this.byId.delete(id);
  }

  get size(): number {
    return this.byId.size;
  }

  /** Drops expired sessions (bounded work: at most `max` entries). */
  private sweep(): void {
    const now = this.now();
    for (const [id, s] of this.byId) if (s.expiresAt <= now) this.byId.delete(id);
  }
}

// Counts requests per client address in fixed windows, so one wallet (or one script) cannot keep
// the token and credential endpoints busy for everyone else.

export interface RateLimiterOptions {
  /** How many requests a key may make in one window; a function when IT's settings decide it. */
  limit: number | (() => number);
  windowMs: number;
  /** Milliseconds since the epoch; tests pass their own clock. */
  now?: () => number;
  /**
   * How many keys are remembered at once. A flood of addresses must not grow memory without
   * bound, so past this the key seen longest ago is forgotten (and starts afresh if it comes back).
   */
  maxKeys?: number;
}

export type RateLimitVerdict = { allowed: true } | { allowed: false; retryAfterSeconds: number };

interface Window {
  startedAt: number;
  count: number;
}

export class RateLimiter {
  private readonly limit: number | (() => number);
  private readonly windowMs: number;
  private readonly now: () => number;
  private readonly maxKeys: number;
  // A Map keeps insertion order: every take moves its key to the end, so the first key is the one
  // seen longest ago. An address still hammering the server therefore stays counted.
  private readonly windows = new Map<string, Window>();

  constructor(options: RateLimiterOptions) {
    const maxKeys = options.maxKeys ?? 10_000;
    if (typeof options.limit === 'number' && (!Number.isInteger(options.limit) || options.limit < 1)) throw new RangeError('A rate limit must allow at least one request.');
    if (!Number.isFinite(options.windowMs) || options.windowMs <= 0) throw new RangeError('A rate limit window must be longer than zero.');
    if (!Number.isInteger(maxKeys) || maxKeys < 1) throw new RangeError('A rate limiter must remember at least one key.');
    this.limit = options.limit;
    this.windowMs = options.windowMs;
    this.now = options.now ?? Date.now;
    this.maxKeys = maxKeys;
  }

  /** Counts one request from `key`, and says whether it may go ahead. */
  take(key: string): RateLimitVerdict {
    const now = this.now();
    let window = this.windows.get(key);
    this.windows.delete(key);
    // A clock that went backwards (the computer's time was corrected) also starts a new window,
    // rather than refusing a key for as long as the clock was wrong.
    if (!window || now - window.startedAt >= this.windowMs || now < window.startedAt) window = { startedAt: now, count: 0 };
    this.windows.set(key, window);
    this.forgetOldest();
    if (window.count >= (typeof this.limit === 'function' ? this.limit() : this.limit)) {
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((window.startedAt + this.windowMs - now) / 1000)) };
    }
    window.count += 1;
    return { allowed: true };
  }

  /** How many keys are remembered now. */
  get size(): number {
    return this.windows.size;
  }

  private forgetOldest(): void {
    while (this.windows.size > this.maxKeys) {
      const oldest = this.windows.keys().next();
      if (oldest.done) return;
      this.windows.delete(oldest.value);
    }
  }
}

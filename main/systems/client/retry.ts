// When the client tries again: exponential backoff with full jitter (a random wait between nothing
// and a doubling cap), a bounded number of attempts and a bounded total time for the whole call.

export interface RetrySettings {
  /** Attempts in all, the first included (default 3). */
  attempts?: number;
  /** The cap on the first wait; it doubles with each attempt (default 500 ms). */
  baseDelayMs?: number;
  /** The largest cap on a wait (default 5 s). */
  maxDelayMs?: number;
  /** The whole call, every attempt and wait included (default three times the timeout). */
  maxElapsedMs?: number;
  /** Tests inject these. */
  random?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export interface RetryPolicy {
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  maxElapsedMs: number;
  random: () => number;
  sleep: (ms: number) => Promise<void>;
}

/** An attempt is not started with less time than this left. */
export const SHORTEST_ATTEMPT_MS = 250;

export function retryPolicy(settings: RetrySettings = {}, timeoutMs: number): RetryPolicy {
  const policy: RetryPolicy = {
    attempts: settings.attempts ?? 3,
    baseDelayMs: settings.baseDelayMs ?? 500,
    maxDelayMs: settings.maxDelayMs ?? 5_000,
    maxElapsedMs: settings.maxElapsedMs ?? 3 * timeoutMs,
    random: settings.random ?? Math.random,
    sleep: settings.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
  };
  if (!Number.isInteger(policy.attempts) || policy.attempts < 1 || policy.attempts > 10) throw new RangeError('retry.attempts must be 1 to 10');
  if (!(policy.baseDelayMs >= 0) || !(policy.maxDelayMs >= 0) || !(policy.maxElapsedMs > 0)) throw new RangeError('retry delays must be positive');
  return policy;
}

/** The wait before attempt `failed + 1`: uniformly random up to base * 2^(failed - 1), capped. */
export function backoffMs(policy: RetryPolicy, failed: number): number {
  const cap = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (failed - 1));
  return Math.floor(Math.min(1, Math.max(0, policy.random())) * cap);
}

/** Retry-After as seconds (a number of seconds or an HTTP date), or undefined. */
export function retryAfterSeconds(header: string | undefined, now: number): number | undefined {
  if (header === undefined) return undefined;
  const text = header.trim();
  if (/^\d+$/.test(text)) return Number(text);
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, Math.ceil((at - now) / 1000));
}

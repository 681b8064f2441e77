// The per-address limiter the public server puts in front of the token and credential endpoints.
import { describe, expect, it } from 'vitest';
import { RateLimiter } from '../../main/platform/rate-limit.ts';

function clock(start = 1_800_000_000_000) {
  const state = { time: start };
  return { now: () => state.time, advance: (ms: number) => void (state.time += ms) };
}

describe('RateLimiter', () => {
  it('allows the limit, then refuses with the seconds left in the window', () => {
    const time = clock();
    const limiter = new RateLimiter({ limit: 3, windowMs: 60_000, now: time.now });
    expect([1, 2, 3].map(() => limiter.take('10.0.0.1'))).toEqual([{ allowed: true }, { allowed: true }, { allowed: true }]);
    expect(limiter.take('10.0.0.1')).toEqual({ allowed: false, retryAfterSeconds: 60 });
    time.advance(45_500);
    // 14.5 seconds left: rounded up, so a client that waits that long is let in.
    expect(limiter.take('10.0.0.1')).toEqual({ allowed: false, retryAfterSeconds: 15 });
    time.advance(14_000);
    expect(limiter.take('10.0.0.1')).toEqual({ allowed: false, retryAfterSeconds: 1 });
  });

  it('lets a key in again once its window has passed, with a fresh allowance', () => {
    const time = clock();
    const limiter = new RateLimiter({ limit: 2, windowMs: 10_000, now: time.now });
    limiter.take('a');
    limiter.take('a');
    expect(limiter.take('a').allowed).toBe(false);
    time.advance(10_000);
    expect(limiter.take('a')).toEqual({ allowed: true });
    expect(limiter.take('a')).toEqual({ allowed: true });
    expect(limiter.take('a')).toEqual({ allowed: false, retryAfterSeconds: 10 });
  });

  it('starts a new window when the clock goes backwards, rather than refusing for as long as it was wrong', () => {
    const time = clock();
    const limiter = new RateLimiter({ limit: 1, windowMs: 60_000, now: time.now });
    limiter.take('a');
    expect(limiter.take('a').allowed).toBe(false);
    time.advance(-3_600_000);
    expect(limiter.take('a')).toEqual({ allowed: true });
  });

  it('counts each key on its own', () => {
    const time = clock();
    const limiter = new RateLimiter({ limit: 1, windowMs: 60_000, now: time.now });
    expect(limiter.take('10.0.0.1')).toEqual({ allowed: true });
    expect(limiter.take('10.0.0.1').allowed).toBe(false);
    expect(limiter.take('10.0.0.2')).toEqual({ allowed: true });
    expect(limiter.take('2001:db8::1')).toEqual({ allowed: true });
    expect(limiter.take('10.0.0.2').allowed).toBe(false);
  });

  it('remembers at most maxKeys keys, forgetting the one seen longest ago', () => {
    const time = clock();
    const limiter = new RateLimiter({ limit: 1, windowMs: 60_000, now: time.now, maxKeys: 3 });
    limiter.take('a');
    limiter.take('b');
    limiter.take('c');
    // "a" comes back (refused): that makes "b" the one seen longest ago.
    expect(limiter.take('a').allowed).toBe(false);
    limiter.take('d');
    expect(limiter.size).toBe(3);
    // "b" was forgotten, so it starts afresh; "a", still hammering, is still refused.
    expect(limiter.take('b')).toEqual({ allowed: true });
    expect(limiter.take('a').allowed).toBe(false);
  });

  it('stays within maxKeys under a flood of addresses', () => {
    const limiter = new RateLimiter({ limit: 5, windowMs: 60_000, maxKeys: 100 });
    for (let n = 0; n < 10_000; n += 1) limiter.take(`10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`);
    expect(limiter.size).toBe(100);
  });

  it('refuses options that would limit nothing', () => {
    expect(() => new RateLimiter({ limit: 0, windowMs: 1000 })).toThrow(RangeError);
    expect(() => new RateLimiter({ limit: 1.5, windowMs: 1000 })).toThrow(RangeError);
    expect(() => new RateLimiter({ limit: 1, windowMs: 0 })).toThrow(RangeError);
    expect(() => new RateLimiter({ limit: 1, windowMs: 1000, maxKeys: 0 })).toThrow(RangeError);
  });
});

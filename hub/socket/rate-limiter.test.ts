import { describe, expect, it } from 'vitest';
import { createRateLimiter } from './rate-limiter.js';

describe('rate limiter', () => {
  it('allows the burst, then the rate, and refills with time', () => {
    let now = 0;
    const limiter = createRateLimiter({ ratePerSecond: 10, burst: 3, clock: () => now });
    expect([limiter.take(), limiter.take(), limiter.take(), limiter.take()]).toEqual(['ok', 'ok', 'ok', 'limited']);
    now += 100;
    expect([limiter.take(), limiter.take()]).toEqual(['ok', 'limited']);
    now += 10_000;
    expect(Array.from({ length: 4 }, () => limiter.take())).toEqual(['ok', 'ok', 'ok', 'limited']);
  });

  it('calls it a flood at floodFactor times the rate sustained over the window', () => {
    let now = 0;
    const limiter = createRateLimiter({ ratePerSecond: 10, burst: 10, floodFactor: 5, floodWindowMs: 2_000, clock: () => now });
    const verdicts: string[] = [];
    // 60 messages per second (6× the rate) for two seconds.
    for (let i = 0; i < 120 && !verdicts.includes('flood'); i++) {
      now = Math.round((i * 1000) / 60);
      verdicts.push(limiter.take());
    }
    expect(verdicts.at(-1)).toBe('flood');
    expect(now).toBeLessThanOrEqual(2_000);
  });

  it('is not a flood when the excess is short-lived', () => {
    let now = 0;
    const limiter = createRateLimiter({ ratePerSecond: 10, burst: 10, floodFactor: 5, floodWindowMs: 2_000, clock: () => now });
    for (let second = 0; second < 10; second++) {
      for (let i = 0; i < 25; i++) expect(limiter.take()).not.toBe('flood'); // 2.5× the rate, for ten seconds
      now += 1_000;
    }
  });
});

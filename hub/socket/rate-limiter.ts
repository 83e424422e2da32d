/**
 * Per-socket token bucket with flood detection.
 *
 *   tokens refill at `ratePerSecond` up to `burst`; each inbound message takes one
 *   ├ a token was there ──▶ 'ok'
 *   ├ none left        ──▶ 'limited'  (the message is refused with rate.limited)
 *   └ refusals within one window of `floodWindowMs` reach ratePerSecond × (floodFactor − 1) × window
 *                      ──▶ 'flood'    (the socket is ended: it keeps sending about floodFactor× the rate)
 *
 * Pure arithmetic on an injected clock, so it is exact in tests and costs nothing per message.
 */

/** How fast a socket may send and when it counts as flooding. */
export interface RateLimitOptions {
  ratePerSecond: number;
  burst: number;
  /** Default 5: sending five times the rate, sustained, ends the socket. */
  floodFactor?: number;
  /** Default 2000 ms. */
  floodWindowMs?: number;
  clock: () => number;
}

/** The verdict on one message. */
export type RateVerdict = 'ok' | 'limited' | 'flood';

/** One socket's limiter. */
export interface RateLimiter {
  take(): RateVerdict;
}

/** Creates a full bucket. */
export function createRateLimiter(options: RateLimitOptions): RateLimiter {
  const { ratePerSecond, burst, clock } = options;
  const floodWindowMs = options.floodWindowMs ?? 2_000;
  const floodThreshold = Math.max(1, ratePerSecond * ((options.floodFactor ?? 5) - 1) * (floodWindowMs / 1000));
  let tokens = burst;
  let last = clock();
  let windowStart = last;
  let refusedInWindow = 0;

  return {
    take() {
      const now = clock();
      tokens = Math.min(burst, tokens + ((now - last) / 1000) * ratePerSecond);
      last = now;
      if (tokens >= 1) {
        tokens -= 1;
        return 'ok';
      }
      if (now - windowStart >= floodWindowMs) {
        windowStart = now;
        refusedInWindow = 0;
      }
      refusedInWindow++;
      return refusedInWindow >= floodThreshold ? 'flood' : 'limited';
    },
  };
}

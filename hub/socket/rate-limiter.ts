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

/** The options worked out once and shared by every bucket of a hub (a bucket holds only its own four numbers). */
export interface RateLimitSettings {
  readonly ratePerSecond: number;
  readonly burst: number;
  readonly floodWindowMs: number;
  readonly floodThreshold: number;
  readonly clock: () => number;
}

/** Works the options out once, for every socket's bucket. */
export function rateLimitSettings(options: RateLimitOptions): RateLimitSettings {
  const floodWindowMs = options.floodWindowMs ?? 2_000;
  return {
    ratePerSecond: options.ratePerSecond,
    burst: options.burst,
    floodWindowMs,
    floodThreshold: Math.max(1, options.ratePerSecond * ((options.floodFactor ?? 5) - 1) * (floodWindowMs / 1000)),
    clock: options.clock,
  };
}

/** One socket's bucket: a plain object with its method on the prototype, so a socket costs a few numbers, not closures. */
export class TokenBucket implements RateLimiter {
  private tokens: number;
  private last: number;
  private windowStart: number;
  private refusedInWindow = 0;

  constructor(private readonly settings: RateLimitSettings) {
    this.tokens = settings.burst;
    this.last = settings.clock();
    this.windowStart = this.last;
  }

  take(): RateVerdict {
    const { ratePerSecond, burst, floodWindowMs, floodThreshold, clock } = this.settings;
    const now = clock();
    this.tokens = Math.min(burst, this.tokens + ((now - this.last) / 1000) * ratePerSecond);
    this.last = now;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return 'ok';
    }
    if (now - this.windowStart >= floodWindowMs) {
      this.windowStart = now;
      this.refusedInWindow = 0;
    }
    this.refusedInWindow++;
    return this.refusedInWindow >= floodThreshold ? 'flood' : 'limited';
  }
}

/** Creates a full bucket. */
export function createRateLimiter(options: RateLimitOptions): RateLimiter {
  return new TokenBucket(rateLimitSettings(options));
}

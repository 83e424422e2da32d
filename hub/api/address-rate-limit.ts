/**
 * A token bucket per client address for HTTP routes that attract guessing and spraying (sign-up,
 * codes, sign-in). The accounts service limits codes per address and failures per account; this
 * blunts one machine hammering many accounts or addresses.
 *
 *   bucket(address): refills at `perMinute` up to `burst`; each request takes one token
 *   ├ a token was there ─▶ the route runs
 *   └ empty             ─▶ 429 {code: rate.limited} with Retry-After (seconds)
 *
 * Buckets live in this process: several nodes behind a balancer each allow the full rate. The
 * table is bounded: when it grows past `maxAddresses`, buckets that are full again are dropped.
 */
import { refuse } from '../../machines/errors.js';
import type { HttpAnswer } from '../http/routes.js';
import { jsonAnswer } from '../http/routes.js';
import type { ApiHandler, ApiRequest } from './api-router.js';

/** How many requests an address may make. */
export interface AddressRateOptions {
  /** Sustained requests per minute. */
  perMinute: number;
  /** Requests allowed at once before the rate applies. */
  burst: number;
  /** Epoch milliseconds; default Date.now. */
  clock?: () => number;
  /** Buckets kept before full ones are evicted (default 10 000). */
  maxAddresses?: number;
}

/** Wraps handlers so that each address is held to the rate. */
export interface AddressRateLimit {
  /** The same handler, refusing with 429 `rate.limited` when the caller's bucket is empty. */
  guard(handler: ApiHandler): ApiHandler;
}

interface Bucket {
  tokens: number;
  last: number;
}

/** Requests without a known peer address share one bucket (they cannot be told apart). */
const UNKNOWN = 'unknown';

/** Creates the limiter; one instance per group of routes that share the budget. */
export function createAddressRateLimit(options: AddressRateOptions): AddressRateLimit {
  const clock = options.clock ?? Date.now;
  const maxAddresses = options.maxAddresses ?? 10_000;
  const perMs = options.perMinute / 60_000;
  const buckets = new Map<string, Bucket>();

  function refill(bucket: Bucket, now: number): void {
    bucket.tokens = Math.min(options.burst, bucket.tokens + (now - bucket.last) * perMs);
    bucket.last = now;
  }

  function evictFull(now: number): void {
    for (const [address, bucket] of buckets) {
      refill(bucket, now);
      if (bucket.tokens >= options.burst) buckets.delete(address);
    }
  }

  /** Takes a token; answers the milliseconds to wait when there was none. */
  function take(address: string): number {
    const now = clock();
    let bucket = buckets.get(address);
    if (bucket === undefined) {
      if (buckets.size >= maxAddresses) evictFull(now);
      bucket = { tokens: options.burst, last: now };
      buckets.set(address, bucket);
    }
    refill(bucket, now);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.ceil((1 - bucket.tokens) / perMs);
  }

  function limited(waitMs: number): HttpAnswer {
    const seconds = Math.max(1, Math.ceil(waitMs / 1000));
    const answer = jsonAnswer(429, refuse('rate.limited', `too many requests from this address; retry in ${seconds} s`));
    return { ...answer, headers: { ...answer.headers, 'retry-after': String(seconds) } };
  }

  return {
    guard: (handler) => async (req: ApiRequest) => {
      const waitMs = take(req.remoteAddress ?? UNKNOWN);
      return waitMs > 0 ? limited(waitMs) : handler(req);
    },
  };
}

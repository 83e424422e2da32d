/**
 * A budget per client address for HTTP routes that attract guessing and spraying (sign-up, codes,
 * sign-in), through rate-limiter-flexible. The accounts service limits codes per address and
 * failures per account; this blunts one machine hammering many accounts or addresses.
 *
 *   address (the client's: X-Forwarded-For only from a trusted proxy, hub/http/client-address.ts)
 *     ──consume 1──▶ with Redis: one counter per address in Redis, shared by every node
 *                    without:    a counter in this process
 *     ├ within the budget ─▶ the route runs
 *     └ spent            ─▶ 429 {code: rate.limited} with Retry-After (seconds)
 *
 * The budget is `burst` requests per `burst / perMinute` minutes (a fixed window per address), so
 * the sustained rate is `perMinute` and no more than `burst` pass at once. Shared through Redis,
 * visitors behind one load balancer keep one budget each, whichever node they reach; while Redis
 * is unreachable each node falls back to its own in-memory counter rather than refusing everyone.
 */
import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type { RateLimiterAbstract } from 'rate-limiter-flexible';
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
  /** Shares the counters with every node through this Redis connection; in-memory without it. */
  redis?: Redis;
  /** Names the budget in Redis (one per group of routes); default `auth`. */
  name?: string;
}

/** Wraps handlers so that each address is held to the rate. */
export interface AddressRateLimit {
  /** The same handler, refusing with 429 `rate.limited` when the caller's budget is spent. */
  guard(handler: ApiHandler): ApiHandler;
}

/** Requests without a known address share one budget (they cannot be told apart). */
const UNKNOWN = 'unknown';

/** Creates the limiter; one instance per group of routes that share the budget. */
export function createAddressRateLimit(options: AddressRateOptions): AddressRateLimit {
  const window = { points: options.burst, duration: Math.max(1, Math.round((options.burst * 60) / options.perMinute)) };
  const keyPrefix = `vh:rate:${options.name ?? 'auth'}`;
  const memory = new RateLimiterMemory({ ...window, keyPrefix });
  const limiter: RateLimiterAbstract =
    options.redis === undefined ? memory : new RateLimiterRedis({ ...window, keyPrefix, storeClient: options.redis, rejectIfRedisNotReady: true, insuranceLimiter: memory });

  function limited(waitMs: number): HttpAnswer {
    const seconds = Math.max(1, Math.ceil(waitMs / 1000));
    const answer = jsonAnswer(429, refuse('rate.limited', `too many requests from this address; retry in ${seconds} s`));
    return { ...answer, headers: { ...answer.headers, 'retry-after': String(seconds) } };
  }

  return {
    guard: (handler) => async (req: ApiRequest) => {
      const address = req.clientAddress ?? req.remoteAddress ?? UNKNOWN;
      try {
        await limiter.consume(address);
      } catch (rejection) {
        if (rejection instanceof RateLimiterRes) return limited(rejection.msBeforeNext);
        throw rejection;
      }
      return handler(req);
    },
  };
}

/**
 * The Redis connection a process without sockets publishes change notices on. Publishes fail fast
 * while Redis is away (no offline queue: a late burst of stale notices helps nobody), and
 * connection trouble is logged once per outage rather than once per retry.
 */
import { Redis } from 'ioredis';
import type { Logger } from '../logger.js';

/** Connects to `url`; rejects with a message naming the problem when Redis cannot be reached. */
export async function connectRedisPublisher(url: string, log: Logger): Promise<Redis> {
  const redis = new Redis(url, { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 1 });
  let down = false;
  let lastError: Error | undefined;
  redis.on('error', (error: Error) => {
    lastError = error;
    if (!down) log.warn('redis unavailable; reconnecting', { error: error.message });
    down = true;
  });
  redis.on('ready', () => {
    if (down) log.info('redis reconnected');
    down = false;
  });
  try {
    await redis.connect();
  } catch (error) {
    redis.disconnect();
    const why = lastError?.message ?? String(error);
    throw new Error(`cannot reach Redis (${why}); check REDIS_URL and that Redis is running`, { cause: error });
  }
  return redis;
}

/** Closes the connection after the commands already sent (QUIT), or at once if Redis is gone. */
export async function closeRedisPublisher(redis: Redis): Promise<void> {
  try {
    await redis.quit();
  } catch {
    redis.disconnect();
  }
}

/**
 * The Redis side of a scaled-out hub: `@socket.io/redis-adapter` on two ioredis connections, so a
 * room broadcast (and `disconnectSockets`) on one node reaches that room on every node.
 *
 *   publisher   no offline queue: while Redis is away a broadcast fails at once and is dropped
 *               (at most once by design; clients converge by version and resubscription), instead
 *               of piling up and arriving late as a burst of stale notices
 *   subscriber  waits for Redis however long it takes and re-subscribes on reconnect
 *
 * When either connection comes back after an outage, broadcasts may have been lost: the hub tells
 * every socket (`feed:resync`) to ask again from the cursors it holds.
 *
 * The adapter ignores the promise of every PUBLISH it sends, so a failed publish would surface as an
 * unhandled rejection and kill the process; the publisher it gets swallows (and logs) those, and the
 * node keeps serving its local sockets through an outage.
 */
import { createAdapter } from '@socket.io/redis-adapter';
import { Redis } from 'ioredis';
import type { ServerOptions } from 'socket.io';
import type { Logger } from '../workers/logger.js';

/** The adapter to give socket.io and how to let go of its connections. */
export interface RedisAdapterHandle {
  adapter: ServerOptions['adapter'];
  /** The command connection (fails fast while Redis is away), for shared counters such as rate limits. */
  client: Redis;
  /**
   * Calls `listener` each time a connection comes back after an outage: broadcasts between nodes
   * may have been lost meanwhile, so subscribers must resync from their cursors.
   */
  onRecovered(listener: () => void): () => void;
  /** Closes both connections (after the hub has closed socket.io). */
  close(): Promise<void>;
}

/** Connects both clients to `url`; rejects with a message naming REDIS_URL when Redis cannot be reached. */
export async function connectRedisAdapter(url: string, log: Logger): Promise<RedisAdapterHandle> {
  const pub = new Redis(url, { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 1 });
  const sub = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: null });
  const recovered = new Set<() => void>();
  let closing = false;
  const tell = () => {
    for (const listener of recovered) listener();
  };
  const pubErrors = reportOutages(pub, 'publisher', log, tell, () => closing);
  reportOutages(sub, 'subscriber', log, tell, () => closing);
  try {
    await Promise.all([pub.connect(), sub.connect()]);
  } catch (error) {
    pub.disconnect();
    sub.disconnect();
    throw new Error(`cannot reach Redis (${error instanceof Error ? error.message : String(error)}); check REDIS_URL and that Redis is running`, { cause: error });
  }
  return {
    adapter: createAdapter(guardPublish(pub, pubErrors), sub),
    client: pub,
    onRecovered(listener) {
      recovered.add(listener);
      return () => void recovered.delete(listener);
    },
    async close() {
      closing = true;
      await Promise.all([quit(pub), quit(sub)]);
    },
  };
}

/** Logs an outage once when it starts and once when it ends (then `recovered`); returns the publish-failure reporter. */
function reportOutages(client: Redis, role: string, log: Logger, recovered: () => void, closing: () => boolean): (error: unknown) => void {
  let down = false;
  const fail = (error: unknown) => {
    if (!down) log.warn(`redis ${role} unavailable; cross-node fan-out paused, local sockets still served`, { error: String(error) });
    down = true;
  };
  client.on('error', fail);
  // A restart quicker than the first reconnect attempt raises no error, only a closed connection;
  // broadcasts may still have been lost, so that counts as an outage too.
  client.on('close', () => {
    if (!closing()) fail(new Error('connection closed'));
  });
  client.on('ready', () => {
    if (!down) return;
    log.info(`redis ${role} reconnected; telling subscribers to resync`);
    down = false;
    recovered();
  });
  return fail;
}

/** The same client, except that `publish` never rejects. */
function guardPublish(pub: Redis, onError: (error: unknown) => void): Redis {
  const publish = (channel: string | Buffer, message: string | Buffer): Promise<number> =>
    pub.publish(channel, message).catch((error: unknown) => {
      onError(error);
      return 0;
    });
  return new Proxy(pub, {
    get: (target, property, receiver) => (property === 'publish' ? publish : Reflect.get(target, property, receiver)),
  });
}

async function quit(client: Redis): Promise<void> {
  try {
    await client.quit();
  } catch {
    client.disconnect();
  }
}

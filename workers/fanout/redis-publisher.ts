/**
 * The publisher of a process without sockets (a worker): every outbound message goes to the socket
 * rooms of every hub node through the Redis channels the hubs' socket.io Redis adapter reads,
 * routed by the same `routeOutbound` as the hub's own publisher.
 *
 *   Outbound ─▶ routeOutbound ─▶ PUBLISH socket.io#/#<room># per emit ─▶ Redis ─▶ every hub node ─▶ sockets
 *
 * Redis pub/sub is at most once and so is this: a message that cannot be published is logged and
 * dropped, never retried; subscribers re-read state from their cursor when they see a gap or
 * reconnect.
 */
import { Emitter } from '@socket.io/redis-emitter';
import type { ServerToClientEvents } from '../../machines/contract/wire.js';
import type { Logger } from '../logger.js';
import { emitTo, routeOutbound } from './outbound.js';
import type { Publisher } from './outbound.js';

/** The one Redis command the emitter needs (an ioredis client fits). */
export interface RedisPublishClient {
  publish(channel: string, message: Buffer | string): Promise<unknown>;
}

/** What the Redis publisher needs: a connected Redis client and somewhere to report failures. */
export interface RedisPublisherDeps {
  redis: RedisPublishClient;
  log: Logger;
  /** Channel prefix; must equal the hubs' adapter `key` (socket.io's default is `socket.io`). */
  key?: string;
}

/** Creates a publisher over Redis. */
export function createRedisPublisher(deps: RedisPublisherDeps): Publisher {
  let failing = false;
  // The library ignores the promise PUBLISH returns; a rejection there would be unhandled, so the
  // client it gets reports failures once per outage and otherwise swallows them (at most once).
  const guarded: RedisPublishClient = {
    publish(channel, message) {
      return deps.redis.publish(channel, message).then(
        (receivers) => {
          if (failing) deps.log.info('outbound messages are published again');
          failing = false;
          return receivers;
        },
        (error: unknown) => {
          if (!failing) deps.log.warn('outbound messages are being dropped: Redis publish failed', { error: String(error) });
          failing = true;
          return 0;
        },
      );
    },
  };
  const emitter = new Emitter<ServerToClientEvents>(guarded, deps.key === undefined ? {} : { key: deps.key });
  return {
    publish(message) {
      for (const emit of routeOutbound(message).emits) emitTo(emitter, emit);
    },
  };
}

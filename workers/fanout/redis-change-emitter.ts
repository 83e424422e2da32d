/**
 * Publishes change notices committed in a process without sockets (a worker) to the socket
 * rooms of every hub node, through the same Redis channels the hubs' socket.io Redis adapter reads.
 *
 *   runtime bus ──notice──▶ emitter ──PUBLISH socket.io#/#actor:<kind>:<id>#──▶ Redis ──▶ every hub node ──▶ sockets
 *                                   └─PUBLISH socket.io#/#feed:<feed>#───────────▶ (one room per emit: uWS fast path)
 *
 * Redis pub/sub is at most once and so is this: a notice that cannot be published is logged and
 * dropped, never retried; subscribers re-read state when they see a version gap or reconnect.
 */
import { Emitter } from '@socket.io/redis-emitter';
import type { LockerUnlock, ServerToClientEvents, SlotAvailability } from '../../machines/contract/wire.js';
import type { FloorAlert } from '../../machines/contract/floor-alert.js';
import { occupancyScope } from '../visits/visit-service.js';
import type { ChangeNotice } from '../actors/change-bus.js';
import type { Logger } from '../logger.js';
import type { NotificationAlert } from '../../machines/contract/notification-alert.js';
import { feedRoom, lockerZoneRoom, OCCUPANCY_SHARDS, occupancyRoom, slotRoom, userRoom } from './change-rooms.js';
import { roomMessages } from './change-routing.js';

/** The one Redis command the emitter needs (an ioredis client fits). */
export interface RedisPublishClient {
  publish(channel: string, message: Buffer | string): Promise<unknown>;
}

/** What the change emitter needs: a connected Redis client and somewhere to report failures. */
export interface RedisChangeEmitterDeps {
  redis: RedisPublishClient;
  log: Logger;
  /** Channel prefix; must equal the hubs' adapter `key` (socket.io's default is `socket.io`). */
  key?: string;
}

/** Sends change notices and in-app alerts to socket rooms on every hub node. */
export interface RedisChangeEmitter {
  publish(notice: ChangeNotice): void;
  /** An in-app alert to every socket of one person. */
  alert(userId: string, alert: NotificationAlert): void;
  /** A slot's places (or a zone's or slot's occupancy) to everyone watching it. */
  availability(level: SlotAvailability): void;
  /** A floor alert to staff on the dashboard feed. */
  floorAlert(alert: FloorAlert): void;
  /** Open a door: to the locker banks of the zone. */
  lockerUnlock(zone: string, unlock: LockerUnlock): void;
}

/** Creates an emitter of `actor:changed` and `feed:changed` over Redis. */
export function createRedisChangeEmitter(deps: RedisChangeEmitterDeps): RedisChangeEmitter {
  let failing = false;
  // The library ignores the promise PUBLISH returns; a rejection there would be unhandled, so the
  // client it gets reports failures once per outage and otherwise swallows them (at most once).
  const guarded: RedisPublishClient = {
    publish(channel, message) {
      return deps.redis.publish(channel, message).then(
        (receivers) => {
          if (failing) deps.log.info('change notices are published again');
          failing = false;
          return receivers;
        },
        (error: unknown) => {
          if (!failing) deps.log.warn('change notices are being dropped: Redis publish failed', { error: String(error) });
          failing = true;
          return 0;
        },
      );
    },
  };
  const emitter = new Emitter<ServerToClientEvents>(guarded, deps.key === undefined ? {} : { key: deps.key });
  return {
    publish(notice) {
      for (const message of roomMessages(notice)) {
        if (message.event === 'actor:changed') emitter.to(message.room).emit('actor:changed', message.payload);
        else emitter.to(message.room).emit('feed:changed', message.payload);
      }
    },
    alert(userId, alert) {
      emitter.to(userRoom(userId)).emit('notification:alert', alert);
    },
    availability(level) {
      const occupancy = occupancyScope(level.slotId);
      if (occupancy) {
        const message = { ...occupancy, inside: level.taken, at: level.at };
        for (let shard = 0; shard < OCCUPANCY_SHARDS; shard++) emitter.to(occupancyRoom(level.slotId, shard)).emit('occupancy:changed', message);
      } else emitter.to(slotRoom(level.slotId)).emit('slot:availability', level);
    },
    floorAlert(alert) {
      emitter.to(feedRoom('dashboard')).emit('floor:alert', alert);
    },
    lockerUnlock(zone, unlock) {
      emitter.to(lockerZoneRoom(zone)).emit('locker:unlock', unlock);
    },
  };
}

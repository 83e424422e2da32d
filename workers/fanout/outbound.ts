/**
 * Every message the product pushes to sockets, as one typed union, and the one function that
 * decides which rooms each goes to. Both publishers (the hub's in-process socket.io server and a
 * worker's Redis emitter) route with `routeOutbound`, so a message reaches the same sockets
 * whichever process sent it.
 *
 *   Outbound ─▶ routeOutbound ─▶ [{room, event, payload}, …]  ─▶ socket publisher (io.to(room).emit)
 *                                 paced: one emit per turn         └▶ Redis publisher (emitter.to(room).emit)
 *
 * The runtime's core routes its own messages here:
 *
 *   actor         ─▶ actor:changed  actor:<kind>:<id>, then feed:changed to each feed of the change
 *                                   (the sender placed it by the feeds' definitions: change-routing.ts)
 *   occupancy     ─▶ occupancy:changed  the 32 shard rooms of the zone or slot (paced)
 *   availability  ─▶ slot:availability  slot:<slotId>
 *   alert         ─▶ floor:alert    feed:dashboard
 *   summary       ─▶ dashboard:summary  feed:dashboard
 *
 * A module routes its own (`rooms`, built with `toRooms` in its folder and published through its
 * `publishes`): the equipment module's counts to `equipment:<typeId>`, the lockers module's unlocks
 * to `lockers:<zone>`, the notifications module's in-app alerts to `user:<userId>`, the food
 * module's menu changes to `menu`. The room is decided from the message alone there too.
 *
 * Each emit names exactly one room: on uWebSockets.js a single-room broadcast without `except` is
 * encoded once and published natively to the room's topic, with no per-socket JavaScript
 * (hub/socket/uws-publish.ts: socket.io's own uWS path also walked every socket of the room,
 * looking for long-polling clients this hub does not accept). On the `ws` engine, and for the Redis
 * publisher's receiving nodes on `ws`, every emit writes socket by socket.
 */
import type { FloorAlert } from '../../machines/contract/floor-alert.js';
import type { DashboardSummary, OccupancyLevel, ServerToClientEvents, SlotAvailability } from '../../machines/contract/wire.js';
import type { ChangeNotice } from '../actors/change-bus.js';
import { OCCUPANCY_SHARDS, actorRoom, feedRoom, occupancyRoom, slotRoom } from './change-rooms.js';
import { toActorChanged } from './change-routing.js';
import type { FeedTarget } from './change-routing.js';

/** One message to push, whatever produced it. */
export type Outbound =
  /** A committed actor change: to the actor's subscribers and to the feeds it belongs to (placed by the sender: `feedTargets`). */
  | { type: 'actor'; notice: ChangeNotice; feeds: readonly FeedTarget[] }
  /** How many are inside a zone or a slot. */
  | { type: 'occupancy'; level: OccupancyLevel }
  /** The places left in a slot. */
  | { type: 'availability'; level: SlotAvailability }
  /** A staff alert from the floor, to the dashboard. */
  | { type: 'alert'; alert: FloorAlert }
  /** The dashboard's counts moved. */
  | { type: 'summary'; summary: DashboardSummary }
  /** A module's own message, to the rooms the module named (`toRooms`). */
  | { type: 'rooms'; emits: readonly RoomEmit[] };

/** One emit to one room, typed by the server → client event it carries. */
export type RoomEmit = {
  [E in keyof ServerToClientEvents]: { room: string; event: E; payload: Parameters<ServerToClientEvents[E]>[0] };
}[keyof ServerToClientEvents];

/** Where a message goes; `paced` emits go out one per turn of the event loop (gate acks in between). */
export interface Routed {
  emits: RoomEmit[];
  paced: boolean;
}

const once = (emits: RoomEmit[]): Routed => ({ emits, paced: false });

/** The rooms (and events) one message goes to, decided from the message alone. */
export function routeOutbound(message: Outbound): Routed {
  switch (message.type) {
    case 'actor': {
      const change = toActorChanged(message.notice);
      return once([
        { room: actorRoom(change.kind, change.id), event: 'actor:changed', payload: change },
        ...message.feeds.map((target): RoomEmit => ({ room: feedRoom(target.feed, target.zone), event: 'feed:changed', payload: { ...target, change } })),
      ]);
    }
    case 'occupancy': {
      const { scope, id } = message.level;
      const emits: RoomEmit[] = [];
      for (let shard = 0; shard < OCCUPANCY_SHARDS; shard++) emits.push({ room: occupancyRoom(scope, id, shard), event: 'occupancy:changed', payload: message.level });
      return { emits, paced: true };
    }
    case 'availability':
      return once([{ room: slotRoom(message.level.slotId), event: 'slot:availability', payload: message.level }]);
    case 'alert':
      return once([{ room: feedRoom('dashboard'), event: 'floor:alert', payload: message.alert }]);
    case 'summary':
      return once([{ room: feedRoom('dashboard'), event: 'dashboard:summary', payload: message.summary }]);
    case 'rooms':
      return once([...message.emits]);
  }
}

/** A module's message: `event` with its payload to one room (publish it with `publisher.publish`). */
export function toRooms<E extends keyof ServerToClientEvents>(room: string, event: E, payload: Parameters<ServerToClientEvents[E]>[0]): Outbound {
  // RoomEmit pairs each event with its payload type; for one generic event the pair is this one.
  return { type: 'rooms', emits: [{ room, event, payload } as RoomEmit] };
}

/** Sends outbound messages to sockets (in-process or through Redis). At most once, like all fan-out. */
export interface Publisher {
  publish(message: Outbound): void;
}

/** What both adapters emit on: socket.io's server and the Redis emitter, typed by the contract. */
export interface RoomTarget {
  to(room: string): { emit<E extends keyof ServerToClientEvents>(event: E, ...args: Parameters<ServerToClientEvents[E]>): unknown };
}

/**
 * Emits one routed emit on a target. Every RoomEmit pairs its event with that event's payload type
 * (built by the routes above and `toRooms`), so one call emits any push of the contract: a push a
 * module adds to the contract needs no case here.
 */
export function emitTo(target: RoomTarget, emit: RoomEmit): void {
  const args = [emit.payload] as Parameters<ServerToClientEvents[RoomEmit['event']]>;
  target.to(emit.room).emit(emit.event, ...args);
}

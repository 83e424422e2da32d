/**
 * Socket room names for change notices. Rooms are derived from the change, never from a socket,
 * so any process that commits (a hub node or a worker) addresses the same subscribers.
 *
 *   actor:<kind>:<id>      everyone watching one actor (a visitor's booking, a locker)
 *   feed:<feed>[:<zone>]   staff screens and devices watching a feed (dashboard, a gate's zone)
 *   user:<userId>          every socket of one person (in-app alerts, revocation)
 *   device:<deviceId>      every socket of one device (revocation)
 *   slot:<slotId>          everyone watching a slot's places
 *   occupancy:<scope>:<id>#<shard>   watchers of a zone's or slot's occupancy, in 32 shards
 *   equipment:<typeId>     watchers of an equipment type's counts
 *   lockers:<zone>         the locker banks of a zone
 *   menu                   every screen showing the menu (86s)
 */
import type { FeedName } from '../../machines/contract/wire.js';

/** The room of one actor's subscribers, e.g. `actor:booking:b_123`. */
export function actorRoom(kind: string, id: string): string {
  return `actor:${kind}:${id}`;
}

/** The room of a feed's subscribers, e.g. `feed:dashboard` or `feed:zone:north-gate`. */
export function feedRoom(feed: FeedName | string, zone?: string): string {
  return zone === undefined ? `feed:${feed}` : `feed:${feed}:${zone}`;
}

/** The room holding every socket of one person. */
export function userRoom(userId: string): string {
  return `user:${userId}`;
}

/** The room holding every socket of one device. */
export function deviceRoom(deviceId: string): string {
  return `device:${deviceId}`;
}

/** The room of everyone watching one slot's places. */
export function slotRoom(slotId: string): string {
  return `slot:${slotId}`;
}

/** The room of the locker banks of a zone: `locker:unlock` goes there. */
export function lockerZoneRoom(zone: string): string {
  return `lockers:${zone}`;
}

/** The room of every screen showing the menu: `menu:changed` goes there. */
export function menuRoom(): string {
  return 'menu';
}

/**
 * Occupancy watchers are spread over this many rooms per zone or slot, so one reading goes out in
 * that many small broadcasts, each in its own turn of the event loop: gate scans answered in
 * between never wait behind thousands of visitor screens.
 */
export const OCCUPANCY_SHARDS = 32;

/** The shard of a socket (stable for its id). */
export function occupancyShardOf(socketId: string): number {
  let h = 0;
  for (let i = 0; i < socketId.length; i++) h = (h * 31 + socketId.charCodeAt(i)) >>> 0;
  return h % OCCUPANCY_SHARDS;
}

/** The room of one shard of the watchers of a zone's or a slot's occupancy (`occupancy:zone:<id>#<shard>`). */
export function occupancyRoom(scope: 'zone' | 'slot', id: string, shard: number): string {
  return `occupancy:${scope}:${id}#${String(shard)}`;
}

/** The room of everyone watching one equipment type's counts (rental desks, dashboards). */
export function equipmentRoom(typeId: string): string {
  return `equipment:${typeId}`;
}

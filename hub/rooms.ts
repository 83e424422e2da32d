/**
 * Every socket room name the hub uses, built here and nowhere else.
 *
 *   actor:<kind>:<id>      subscribers of one actor          (from the change; shared with workers)
 *   feed:<feed>[:<zone>]   subscribers of a feed             (from the change; shared with workers)
 *   user:<userId>          every socket of one person        (revocation, demotion)
 *   device:<deviceId>      every socket of one device        (revocation)
 *   slot:<slotId>          everyone watching a slot's places (booking screens)
 *
 * They are defined in `workers/fanout/change-rooms.ts` because worker processes publish to them
 * too; they are re-exported so hub code has one place to import room names from.
 */
import type { RevocationSubject } from '../machines/contract/wire.js';
import type { Principal } from './auth/tokens.js';

import { deviceRoom, userRoom } from '../workers/fanout/change-rooms.js';

export { actorRoom, deviceRoom, feedRoom, lockerZoneRoom, menuRoom, slotRoom, userRoom } from '../workers/fanout/change-rooms.js';

/**
 * The revocation subject of a principal (`user:<id>` / `device:<id>`): the key of the
 * revocation list and, by design, also the name of the room holding all its sockets.
 */
export function subjectOf(principal: Principal): RevocationSubject {
  return principal.kind === 'person' ? userRoom(principal.userId) : deviceRoom(principal.deviceId);
}

/** The room of every socket a revocation subject (`user:<id>` / `device:<id>`) holds. */
export function subjectRoom(subject: RevocationSubject): string {
  const split = subject.indexOf(':');
  const id = subject.slice(split + 1);
  return subject.startsWith('user:') ? userRoom(id) : deviceRoom(id);
}

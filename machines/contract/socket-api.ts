/**
 * The socket API in one place: every client → hub event (`{payload, ack}`) and every hub → client
 * push, gathered from the feature files. The hub's route table, the typed socket.io server, the
 * SDK and docs/asyncapi.json are derived from these two catalogs.
 */
import type { z } from 'zod';
import { ACTOR_EVENTS, ACTOR_PUSHES } from './actors.js';
import { BOOKING_EVENTS, BOOKING_PUSHES } from './bookings.js';
import type { ClientEventsOf, ServerEventsOf } from './contract.js';
import { FEED_EVENTS, FEED_PUSHES } from './feeds.js';
import { GATE_EVENTS } from './gates.js';
import { FOOD_EVENTS, FOOD_PUSHES } from './kitchen.js';
import { LOCKER_EVENTS, LOCKER_PUSHES } from './lockers.js';
import { OCCUPANCY_EVENTS, OCCUPANCY_PUSHES } from './occupancy.js';
import { RENTAL_EVENTS, RENTAL_PUSHES } from './rentals.js';
import { SESSION_EVENTS, SESSION_PUSHES } from './sessions.js';
import { WRISTBAND_EVENTS } from './wristbands.js';

/** Every client → hub event. */
export const SOCKET_EVENTS = {
  ...ACTOR_EVENTS,
  ...FEED_EVENTS,
  ...BOOKING_EVENTS,
  ...SESSION_EVENTS,
  ...GATE_EVENTS,
  ...RENTAL_EVENTS,
  ...OCCUPANCY_EVENTS,
  ...LOCKER_EVENTS,
  ...WRISTBAND_EVENTS,
  ...FOOD_EVENTS,
} as const;

/** Every hub → client push. */
export const SERVER_PUSHES = {
  ...ACTOR_PUSHES,
  ...FEED_PUSHES,
  ...BOOKING_PUSHES,
  ...SESSION_PUSHES,
  ...RENTAL_PUSHES,
  ...OCCUPANCY_PUSHES,
  ...LOCKER_PUSHES,
  ...FOOD_PUSHES,
} as const;

/** A client event's name. */
export type ClientEventName = keyof typeof SOCKET_EVENTS;
/** A push's name. */
export type ServerPushName = keyof typeof SERVER_PUSHES;

/** The parsed payload of a client event (what a hub handler receives). */
export type EventPayload<E extends ClientEventName> = z.output<(typeof SOCKET_EVENTS)[E]['payload']>;
/** What a client may send as the payload of an event (before defaults apply). */
export type EventInput<E extends ClientEventName> = z.input<(typeof SOCKET_EVENTS)[E]['payload']>;
/** The `data` of an event's accepted ack. */
export type EventAck<E extends ClientEventName> = z.output<(typeof SOCKET_EVENTS)[E]['ack']>;
/** The payload of a push. */
export type PushPayload<P extends ServerPushName> = z.output<(typeof SERVER_PUSHES)[P]['payload']>;

/** Catalog of client → server events and their payload schemas (the server parses with these). */
export const CLIENT_EVENTS = Object.fromEntries(Object.entries(SOCKET_EVENTS).map(([name, event]) => [name, event.payload])) as {
  [E in ClientEventName]: (typeof SOCKET_EVENTS)[E]['payload'];
};

/** Typed socket.io events, client → server (for `Server<ClientToServerEvents, …>` and the SDK). */
export type ClientToServerEvents = ClientEventsOf<typeof SOCKET_EVENTS>;

/** Typed socket.io events, server → client. */
export type ServerToClientEvents = ServerEventsOf<typeof SERVER_PUSHES>;

/**
 * The wire contract between the hub and every client (visitor screens, admin dashboards,
 * kitchen boards, gate and locker devices, the SDK), re-exported from the feature files
 * (actors, feeds, bookings, sessions, gates, rentals, occupancy, lockers, wristbands) and the
 * catalogs in socket-api.ts. One zod schema per socket event; the server parses every inbound
 * payload with these and clients share the same types.
 *
 *   client ──emit(event, payload, ack)──▶ hub        ack: {ok: true, data} | {ok: false, code, message}
 *   hub ──actor:changed / feed:changed / session:*──▶ client
 *
 * Wire events are `noun:verb`; machine events inside payloads are `noun.verb`.
 */
import type { Result } from '../errors.js';

export * from './common.js';
export * from './actors.js';
export * from './feeds.js';
export * from './bookings.js';
export * from './sessions.js';
export * from './gates.js';
export * from './rentals.js';
export * from './occupancy.js';
export * from './lockers.js';
export * from './wristbands.js';
export * from './food.js';
export * from './kitchen.js';
export * from './socket-api.js';

/** Every ack has this shape. */
export type Ack<T> = Result<T>;
export type AckFn<T> = (answer: Ack<T>) => void;

/**
 * The read models of the venue: what lists, searches, queues and dashboards read. Each keeps one
 * row per actor (its latest view) with the fields it is filtered by.
 *
 *   bookings   by day, slot, state, visitor; text: reference, visitor name, email, phone   (review queue: state under_review)
 *   payments   the transaction log: by venue day, method, state, booking
 *   tickets    by zone, slot, booking, state                                               (occupancy: state inside)
 *
 * The counts the dashboard asks for every second (bookings and payments of a day by state, tickets
 * inside by zone and slot, unresolved alerts) are kept counts (`counts`), moved as rows are written
 * instead of counting the rows on every read: 11 ms for 7,750 tickets inside.
 *   lockers    by zone, size, state, booking
 *   equipment  by type, state, booking, overdue
 *   alerts     by state, type, zone, severity
 *   devices    by kind, zone, state (tokens minted, last seen, revoked)
 *
 * Rows carry the actor's view (kind, id, version, state, status, tags, context, deadline): the same
 * shape as `actor:changed`, so a screen applies a pushed change to a row it listed.
 */
import type { ActorState } from '../../machines/contract/wire.js';
import { localDate } from '../catalog/venue-time.js';
import type { ChangeRecord } from '../store/actor-store.js';
import type { FieldValue, ReadModelSpec, ReadRow } from './read-model.js';
import { rowKey } from './read-model.js';

/** The view a row carries (the wire's ActorState). */
export function rowView(change: ChangeRecord): ActorState {
  const { kind, id, version, state, status, tags, context, deadline } = change;
  return { kind, id, version, state, status, tags, context, ...(deadline === undefined ? {} : { deadline }) };
}

type Context = Record<string, unknown>;

function contextOf(change: ChangeRecord): Context {
  return typeof change.context === 'object' && change.context !== null ? (change.context as Context) : {};
}

const str = (value: unknown): string | null => (typeof value === 'string' ? value : null);
const num = (value: unknown): number | null => (typeof value === 'number' ? value : null);

function row(change: ChangeRecord, fields: Record<string, FieldValue>, sort: number, text: string[] = []): ReadRow {
  return { key: rowKey(change), version: change.version, fields, sort, text: text.filter((t) => t !== '').join(' ').toLowerCase(), data: rowView(change) };
}

/** `<activity>-<yyyy-mm-dd>-<hhmm>`: the venue day and a sortable start (yyyymmddhhmm). */
export function slotParts(slotId: string): { day: string | null; start: number } {
  const match = /-(\d{4})-(\d{2})-(\d{2})-(\d{2})(\d{2})$/.exec(slotId);
  if (!match) return { day: null, start: 0 };
  const [, y, mo, d, h, mi] = match;
  return { day: `${y ?? ''}-${mo ?? ''}-${d ?? ''}`, start: Number(`${y ?? ''}${mo ?? ''}${d ?? ''}${h ?? ''}${mi ?? ''}`) };
}

/** Bookings: the bookings search, a day's list, a visitor's bookings and the review queue. */
export const bookingsProjection: ReadModelSpec = {
  name: 'bookings',
  version: 1,
  kinds: ['booking'],
  fields: ['day', 'slotId', 'state', 'visitorId'],
  // The dashboard's bookings of the day by state, every second.
  counts: [{ by: ['day', 'state'], where: {} }],
  row(change) {
    const context = contextOf(change);
    const slotId = str(context['slotId']) ?? '';
    const holder = typeof context['holder'] === 'object' && context['holder'] !== null ? (context['holder'] as Context) : {};
    const { day, start } = slotParts(slotId);
    return row(change, { day, slotId, state: change.state, visitorId: str(context['visitorId']) }, start, [
      change.id,
      str(holder['name']) ?? '',
      str(holder['email']) ?? '',
      str(holder['phone']) ?? '',
    ]);
  },
};

/** Payments and refunds: the transaction log, by venue day and method. */
export function paymentsProjection(timeZone: string): ReadModelSpec {
  return {
    name: 'payments',
    version: 1,
    kinds: ['payment'],
    fields: ['day', 'method', 'state', 'bookingId'],
    counts: [{ by: ['day', 'state'], where: {} }],
    row(change) {
      const context = contextOf(change);
      const createdAt = num(context['createdAt']) ?? change.at;
      return row(
        change,
        { day: localDate(createdAt, timeZone), method: str(context['capturedMethod']) ?? str(context['method']), state: change.state, bookingId: str(context['bookingId']) },
        createdAt,
        [change.id, str(context['bookingId']) ?? ''],
      );
    },
  };
}

/** Tickets: who is inside a zone or a slot, a booking's tickets. */
export const ticketsProjection: ReadModelSpec = {
  name: 'tickets',
  version: 1,
  kinds: ['ticket'],
  fields: ['zone', 'slotId', 'bookingId', 'state'],
  // Who is inside, by zone and slot: the dashboard every second, a zone feed's snapshot.
  counts: [{ by: ['zone', 'slotId'], where: { state: 'inside' } }],
  row(change) {
    const context = contextOf(change);
    const lastEntry = typeof context['lastEntry'] === 'object' && context['lastEntry'] !== null ? num((context['lastEntry'] as Context)['at']) : null;
    return row(
      change,
      { zone: str(context['zone']), slotId: str(context['slotId']), bookingId: str(context['bookingId']), state: change.state },
      lastEntry ?? num(context['issuedAt']) ?? change.at,
      [change.id, str(context['holderName']) ?? ''],
    );
  },
};

/** Lockers: in use and free by zone and size. */
export const lockersProjection: ReadModelSpec = {
  name: 'lockers',
  version: 1,
  kinds: ['locker'],
  fields: ['zone', 'size', 'state', 'bookingId'],
  row(change) {
    const context = contextOf(change);
    return row(change, { zone: str(context['zone']), size: str(context['size']), state: change.state, bookingId: str(context['bookingId']) }, num(context['since']) ?? 0, [
      change.id,
      str(context['bandUid']) ?? '',
    ]);
  },
};

/** Rental equipment: out, overdue, in maintenance, by type. */
export const equipmentProjection: ReadModelSpec = {
  name: 'equipment',
  version: 1,
  kinds: ['equipment'],
  fields: ['typeId', 'state', 'bookingId', 'overdue'],
  row(change) {
    const context = contextOf(change);
    return row(
      change,
      { typeId: str(context['typeId']), state: change.state, bookingId: str(context['bookingId']), overdue: context['overdue'] === true ? 1 : 0 },
      num(context['dueAt']) ?? 0,
      [change.id, str(context['bandUid']) ?? ''],
    );
  },
};

/** Staff alerts: open, acknowledged (by whom, when) and resolved. */
export const alertsProjection: ReadModelSpec = {
  name: 'alerts',
  version: 1,
  kinds: ['alert'],
  fields: ['state', 'unresolved', 'type', 'zone', 'severity'],
  counts: [{ by: ['unresolved'], where: {} }],
  row(change) {
    const context = contextOf(change);
    return row(
      change,
      { state: change.state, unresolved: change.tags.includes('unresolved') ? 1 : 0, type: str(context['type']), zone: str(context['zone']), severity: str(context['severity']) },
      num(context['raisedAt']) ?? change.at,
      [change.id, str(context['message']) ?? ''],
    );
  },
};

/** Devices the hub issued tokens to: by kind, zone and state, the last seen first. */
export const devicesProjection: ReadModelSpec = {
  name: 'devices',
  version: 1,
  kinds: ['device'],
  fields: ['deviceKind', 'zone', 'state'],
  row(change) {
    const context = contextOf(change);
    const scope = typeof context['scope'] === 'object' && context['scope'] !== null ? (context['scope'] as Context) : {};
    return row(
      change,
      { deviceKind: str(context['deviceKind']), zone: str(scope['zone']), state: change.state },
      num(context['lastSeenAt']) ?? num(context['issuedAt']) ?? change.at,
      [change.id, str(scope['gateId']) ?? '', str(scope['lockerBankId']) ?? ''],
    );
  },
};

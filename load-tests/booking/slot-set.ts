/**
 * The slot set bench:booking holds in, made through the staff API as a venue would make it: one
 * activity, one ticket type and a one-day schedule whose start times give `slots` measured slots
 * plus one warm-up slot, each with `capacity` places. The ledger check at the end compares every
 * slot's remaining places (GET …/slots, the live ledger) with the holds the bench was granted.
 */
import { unwrap } from '../../clients/sdk/hub-api.js';
import type { CatalogSlot, HubApi } from '../../clients/sdk/hub-api.js';

/** The measured slots and the warm-up slot of one run. */
export interface SlotSet {
  activityId: string;
  ticketTypeId: string;
  date: string;
  capacity: number;
  slots: CatalogSlot[];
  warmUp: CatalogSlot;
}

const EVERY_DAY = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
/** Start times every 30 minutes from 06:00: up to 32 slots fit in one day. */
export const MAX_SLOTS = 31;

function startTimes(count: number): string[] {
  return Array.from({ length: count }, (_, i) => {
    const minutes = 6 * 60 + i * 30;
    return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
  });
}

/** The venue-local date `days` from now, `yyyy-mm-dd`. */
export function venueDate(days: number, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(Date.now() + days * 86_400_000);
}

/** Creates the activity, ticket type and schedule; answers the generated slots. */
export async function createSlotSet(api: HubApi, adminToken: string, options: { slots: number; capacity: number; stamp: string }): Promise<SlotSet> {
  if (options.slots < 1 || options.slots > MAX_SLOTS) throw new RangeError(`SLOTS must be 1-${MAX_SLOTS}`);
  const { timeZone } = unwrap(await api.activities());
  const date = venueDate(1, timeZone);
  const activityId = `bench-${options.stamp}`;
  const ticketTypeId = `${activityId}-seat`;
  unwrap(await api.createCatalogItem('activity', { activityId, name: 'Bench slot set', zone: 'waterpark' }, adminToken));
  unwrap(await api.createCatalogItem('ticket_type', { ticketTypeId, activityId, name: 'Seat', price: 5_000, maxPerBooking: 1 }, adminToken));
  const times = startTimes(options.slots + 1);
  const days = Object.fromEntries(EVERY_DAY.map((d) => [d, times]));
  const schedule = { scheduleId: `${activityId}-day`, activityId, days, durationMinutes: 30, capacity: options.capacity, validFrom: date, validTo: date };
  unwrap(await api.createCatalogItem('schedule', schedule, adminToken));
  const generated = unwrap(await api.slots(activityId, date)).slots;
  const warmUp = generated.at(-1);
  if (generated.length !== options.slots + 1 || warmUp === undefined) throw new Error(`expected ${options.slots + 1} slots, the hub generated ${generated.length}`);
  return { activityId, ticketTypeId, date, capacity: options.capacity, slots: generated.slice(0, -1), warmUp };
}

/** One slot's figures after the run. */
export interface SlotLedger {
  slotId: string;
  capacity: number;
  granted: number;
  remaining: number;
}

/** What the ledger says against what the bench was granted. */
export interface LedgerCheck {
  slots: SlotLedger[];
  /** Some slot granted more holds than its capacity. */
  oversold: boolean;
  /** Every slot's remaining places equal capacity − holds granted. */
  consistent: boolean;
}

/** Reads every measured slot's live remaining capacity and compares it with `granted`. */
export async function checkLedger(api: HubApi, set: SlotSet, granted: ReadonlyMap<string, number>): Promise<LedgerCheck> {
  const now = unwrap(await api.slots(set.activityId, set.date)).slots;
  const slots = set.slots.map((s) => {
    const live = now.find((n) => n.slotId === s.slotId);
    return { slotId: s.slotId, capacity: live?.capacity ?? -1, granted: granted.get(s.slotId) ?? 0, remaining: live?.remaining ?? -1 };
  });
  return {
    slots,
    oversold: slots.some((s) => s.granted > s.capacity),
    consistent: slots.every((s) => s.capacity === set.capacity && s.remaining === s.capacity - s.granted),
  };
}

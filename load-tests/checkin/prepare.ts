/**
 * What bench:checkin scans, made the way a venue gets it: an activity open now in one zone, and
 * tickets bought by a visitor through the real flow (hold, submit, pay on the simulated provider's
 * page, tickets issued), in bookings of up to 50, several bookings at once.
 *
 *   openActivityNow ─▶ slots every 15 min round the clock ─▶ buyTickets × ⌈n / 50⌉ (concurrently)
 *   ─▶ wait until the hub is idle (the outbox relay has sent every confirmation) ─▶ stop the node
 *   ─▶ <dir>/checkin-prepared.json (the tickets' QR tokens) next to the node's data
 *
 * A hold must be made before its slot starts, and a long purchase run outlives one slot: each
 * booking takes the earliest slot starting at least SLOT_LEAD_MS from now. A ticket verifies from
 * an hour before its slot starts to an hour after it ends, so tickets of slots starting within the
 * next hour all scan now. The prepared directory is copied for each run (scans change it).
 */
import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createHubApi, unwrap } from '../../clients/sdk/hub-api.js';
import type { HubNode } from '../harness/hub-process.js';
import { buyTickets, openActivityNow } from '../harness/index.js';
import type { PaidTicket } from '../harness/index.js';
import { progress, round } from '../stats.js';

/** The largest booking the activity's ticket type allows. */
export const MAX_PER_BOOKING = 50;
/** A booking takes a slot that starts at least this much later (hold, submit and payment before it starts). */
const SLOT_LEAD_MS = 4 * 60_000;
const MANIFEST = 'checkin-prepared.json';

/** A prepared data directory's description. */
export interface PreparedTickets {
  activityId: string;
  zone: string;
  tickets: PaidTicket[];
  bookings: number;
  preparedAt: number;
  /** The earliest `exp` of the tickets (epoch ms): after it some no longer scan. */
  validUntil: number;
  /** The latest `nbf` (epoch ms): before it some do not scan yet. */
  validFrom: number;
  prepareS: number;
}

/** Options of `buyAll`. */
export interface BuyAllOptions {
  node: HubNode;
  zone: string;
  count: number;
  /** Bookings bought at once. */
  concurrency: number;
  /** Catalog id prefix, unique per run. */
  stamp: string;
}

/** `nbf` and `exp` of a ticket token, in epoch ms. */
function windowOf(token: string): { nbf: number; exp: number } {
  const claims = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as { nbf?: number; exp?: number };
  return { nbf: (claims.nbf ?? 0) * 1000, exp: (claims.exp ?? 0) * 1000 };
}

/** Buys `count` tickets of a fresh activity in `zone` on `node`; returns them in booking order. */
export async function buyAll(options: BuyAllOptions): Promise<Omit<PreparedTickets, 'preparedAt' | 'prepareS'>> {
  const { node, zone } = options;
  const adminToken = node.adminToken;
  const visitorToken = node.visitorToken;
  if (adminToken === undefined || visitorToken === undefined) throw new Error('the node printed no demo admin or visitor token (SEED_DEMO)');
  const activityId = `checkin-${options.stamp}`;
  // One slot may have to take every ticket when the run is short; the catalog allows 100,000.
  const activity = await openActivityNow({ url: node.url, adminToken, activityId, zone, capacity: Math.min(100_000, Math.max(500, options.count)) });
  const api = createHubApi({ url: node.url });
  const { timeZone } = unwrap(await api.activities());
  let slots: { slotId: string; startsAt: number }[] = [{ slotId: activity.slotId, startsAt: activity.startsAt }];
  let listedAt = 0;
  let listing: Promise<void> | undefined;

  /** Reads the bookable slots of today and tomorrow; concurrent callers share one reading. */
  const relist = (): Promise<void> =>
    (listing ??= (async () => {
      const days = [Date.now(), Date.now() + 86_400_000].map((t) => new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(t));
      const listed = await Promise.all(days.map(async (date) => unwrap(await api.slots(activityId, date)).slots));
      slots = listed.flat().filter((s) => s.bookable).map((s) => ({ slotId: s.slotId, startsAt: s.startsAt })).sort((a, b) => a.startsAt - b.startsAt);
      listedAt = Date.now();
    })().finally(() => (listing = undefined)));

  /** The earliest slot starting at least SLOT_LEAD_MS from now (the list is read again every minute). */
  const slotNow = async (): Promise<string> => {
    if (Date.now() - listedAt > 60_000) await relist();
    const slot = slots.find((s) => s.startsAt > Date.now() + SLOT_LEAD_MS);
    if (!slot) throw new Error(`no bookable ${activityId} slot starting after ${new Date(Date.now() + SLOT_LEAD_MS).toISOString()} (${String(slots.length)} listed)`);
    return slot.slotId;
  };

  const sizes: number[] = [];
  for (let left = options.count; left > 0; left -= MAX_PER_BOOKING) sizes.push(Math.min(MAX_PER_BOOKING, left));
  const bought: PaidTicket[][] = new Array<PaidTicket[]>(sizes.length);
  const started = performance.now();
  let next = 0;
  let done = 0;
  let ticketsDone = 0;
  let shownAt = 0;
  const worker = async () => {
    while (next < sizes.length) {
      const i = next++;
      const qty = sizes[i] ?? 0;
      const slotId = await slotNow();
      bought[i] = await buyTickets({ url: node.url, visitorToken, bookingId: `ck-${options.stamp}-${i}`, slotId, ticketTypeId: activity.ticketTypeId, qty, timeoutMs: 900_000 });
      done++;
      ticketsDone += qty;
      const elapsed = (performance.now() - started) / 1000;
      if (elapsed - shownAt >= 10 || done === sizes.length) {
        shownAt = elapsed;
        const perSec = ticketsDone / Math.max(elapsed, 0.001);
        const eta = (options.count - ticketsDone) / Math.max(perSec, 0.001);
        progress(`${ticketsDone}/${options.count} tickets bought (${done}/${sizes.length} bookings) in ${round(elapsed, 0)} s, ${round(perSec, 0)} tickets/s, ~${round(eta, 0)} s to go`);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency, sizes.length) }, worker));
  const tickets = bought.flat();
  const windows = tickets.map((t) => windowOf(t.token));
  return {
    activityId,
    zone,
    tickets,
    bookings: sizes.length,
    validFrom: Math.max(...windows.map((w) => w.nbf)),
    validUntil: Math.min(...windows.map((w) => w.exp)),
  };
}

/**
 * Waits until the node's CPU stays under `idlePct` of one core for two samples in a row (the
 * outbox relay has nothing left: confirmations rendered and sent), printing the load meanwhile.
 */
export async function waitUntilIdle(node: HubNode, options: { idlePct?: number; sampleMs?: number; limitMs?: number } = {}): Promise<number> {
  const idlePct = options.idlePct ?? 5;
  const sampleMs = options.sampleMs ?? 2_000;
  const started = performance.now();
  const deadline = started + (options.limitMs ?? 60 * 60_000);
  let quiet = 0;
  let shownAt = 0;
  while (quiet < 2) {
    const before = node.cpuSeconds() ?? 0;
    await new Promise((resolve) => setTimeout(resolve, sampleMs));
    const pct = (((node.cpuSeconds() ?? 0) - before) / (sampleMs / 1000)) * 100;
    quiet = pct < idlePct ? quiet + 1 : 0;
    const elapsed = (performance.now() - started) / 1000;
    if (elapsed - shownAt >= 10) {
      shownAt = elapsed;
      progress(`hub still working off the purchases (confirmation emails with a QR image per ticket): ${round(pct, 0)} % CPU, ${round(elapsed, 0)} s so far`);
    }
    if (performance.now() > deadline) throw new Error(`the hub did not go idle within ${round((options.limitMs ?? 0) / 1000, 0)} s`);
  }
  return (performance.now() - started) / 1000;
}

/** Writes the manifest into a prepared data directory. */
export function savePrepared(dir: string, prepared: PreparedTickets): void {
  writeFileSync(join(dir, MANIFEST), JSON.stringify(prepared));
}

/** The manifest of a prepared directory, or undefined when there is none. */
export function loadPrepared(dir: string): PreparedTickets | undefined {
  const file = join(dir, MANIFEST);
  if (!existsSync(file)) return undefined;
  return JSON.parse(readFileSync(file, 'utf8')) as PreparedTickets;
}

/** Copies a prepared directory (the node using it is stopped) to `to`. */
export function copyPrepared(from: string, to: string): void {
  cpSync(from, to, { recursive: true, filter: (src) => !src.endsWith(MANIFEST) });
}

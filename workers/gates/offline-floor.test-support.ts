/**
 * A venue floor for offline gate tests, all real: a runtime on a temp SQLite file with ticket
 * issuing (catalog slot windows, an Ed25519 ticket key ring) and floor alerts collected, the
 * catalog store on the same file with one activity in zone `pool` and slots running today, and the
 * gates module wired with the ticket verifier and the offline bundle's keys, slots and time zone:
 * its online scan service, offline bundle and sync services.
 *
 *   pool-day   now − 30 min … now + 90 min     re-entry `adult` and single-entry `single` tickets
 *   pool-early now − 5 h … now − 3 h            (its tokens no longer verify now, grace included)
 *
 * The venue's time zone is one where it is about midday when the floor module loads, so both
 * slots fall inside today's venue day whatever hour the suite runs at (in Riyadh at 00:10 the
 * early slot would belong to yesterday and leave the offline bundle).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FloorAlert } from '../../machines/contract/floor-alert.js';
import type { TicketJwk } from '../../machines/contract/wire.js';
import { bookingsRuntime } from '../bookings/bookings.module.js';
import { createCatalogService } from '../catalog/catalog-service.js';
import type { CatalogStore } from '../catalog/catalog-store.js';
import { openSqliteCatalogStore } from '../catalog/sqlite-catalog-store.js';
import { localDate } from '../catalog/venue-time.js';
import { equipmentRuntime } from '../equipment/equipment.module.js';
import { lockersRuntime } from '../lockers/lockers.module.js';
import { silentLogger } from '../logger.js';
import { wire } from '../modules/runtime-module.js';
import type { Runtime } from '../runtime.js';
import { startRuntime } from '../runtime.js';
import type { ActorStore } from '../store/actor-store.js';
import { openSqliteActorStore } from '../store/sqlite-actor-store.js';
import { catalogSlotWindows } from '../tickets/catalog-slot-windows.js';
import { ticketIdOf } from '../tickets/ticket-service.js';
import type { TicketTokens } from '../tickets/ticket-token.js';
import { createTicketTokens } from '../tickets/ticket-token.js';
import { createTestTicketKeys } from '../tickets/tickets.test-support.js';
import { ticketsRuntime } from '../tickets/tickets.module.js';
import { createSqliteAgendaBackend } from '../timers/sqlite-job-repository.js';
import { visitsRuntime } from '../visits/visits.module.js';
import { wristbandsRuntime } from '../wristbands/wristbands.module.js';
import { gatesRuntime } from './gates.module.js';
import type { ScanService } from './scan-service.js';
import type { OfflineBundles } from './offline-bundle.js';
import type { OfflineSync } from './offline-sync.js';

export const TIME_ZONE = middayZone(Date.now());

export const ISSUER = 'venue-hub';
const HOUR = 3_600_000;

/** A fixed-offset IANA zone (`Etc/GMT±n`, whose sign is inverted) where `at` falls near 12:00. */
function middayZone(at: number): string {
  const offset = 12 - new Date(at).getUTCHours();
  if (offset === 0) return 'Etc/UTC';
  return `Etc/GMT${offset > 0 ? '-' : '+'}${Math.abs(offset)}`;
}

/** One offline-gate test floor. */
export interface OfflineFloor {
  readonly rt: Runtime;
  /** The store the runtime was started on (the runtime hands it to nobody). */
  readonly store: ActorStore;
  readonly catalog: CatalogStore;
  readonly tokens: TicketTokens;
  readonly jwks: { keys: TicketJwk[] };
  readonly scans: ScanService;
  readonly bundles: OfflineBundles;
  readonly sync: OfflineSync;
  /** Every floor alert raised (double entries through the relay, refused offline admissions by the sync). */
  readonly alerts: FloorAlert[];
  readonly dir: string;
  /** Today's running slot and the one that ended hours ago. */
  readonly slots: { day: string; early: string };
  /** A confirmed booking of `qty` tickets of a type in a slot; answers the ticket ids and QR tokens once issued. */
  confirmedBooking(bookingId: string, options?: { qty?: number; ticketTypeId?: 'adult' | 'single'; slot?: 'day' | 'early' }): Promise<Array<{ ticketId: string; token: string }>>;
  /** A booking held but not paid (it has no tickets). */
  heldBooking(bookingId: string): Promise<void>;
  /** Resolves with the first alert matching, waiting up to `timeoutMs`. */
  waitForAlert(match: (alert: FloorAlert) => boolean, timeoutMs?: number): Promise<FloorAlert>;
  stop(): Promise<void>;
}

/** Starts a floor on a fresh temp directory. */
/** The display name every visitor of the floor has (as an account would give it); none for ids ending in `-anon`. */
export function visitorNameOf(visitorId: string): string | undefined {
  return visitorId.endsWith('-anon') ? undefined : `Guest ${visitorId}`;
}

export async function startOfflineFloor(): Promise<OfflineFloor> {
  const dir = mkdtempSync(join(tmpdir(), 'vh-offline-'));
  const file = join(dir, 'venue-hub.db');
  const alerts: FloorAlert[] = [];
  const waiters = new Set<() => void>();
  const alert = (a: FloorAlert) => {
    alerts.push(a);
    for (const wake of waiters) wake();
  };
  const keys = await createTestTicketKeys('ticket-key-1');
  const tokens = createTicketTokens({ keys, issuer: ISSUER });
  const catalog = openSqliteCatalogStore({ file });
  const jwks = { keys: [{ kty: 'OKP' as const, crv: 'Ed25519' as const, x: String(keys.publicJwk.x), kid: keys.active.kid, alg: 'EdDSA' as const, use: 'sig' as const }] };
  const store = openSqliteActorStore({ file });
  const rt = await startRuntime({
    store,
    jobsBackend: createSqliteAgendaBackend({ file }),
    log: silentLogger,
    timerPollMs: 50,
    modules: [bookingsRuntime, ticketsRuntime, wristbandsRuntime, lockersRuntime, equipmentRuntime, visitsRuntime, gatesRuntime],
    onAlert: alert,
    wiring: [
      wire(bookingsRuntime, { timings: { holdMs: 600_000, reviewMs: 600_000, paymentMs: 600_000 } }),
      wire(ticketsRuntime, { slots: catalogSlotWindows(catalog), tokens }),
      wire(gatesRuntime, { tickets: tokens, visitorName: async (visitorId) => visitorNameOf(visitorId), offline: { slots: catalog.slots, jwks: () => jwks, issuer: ISSUER, timeZone: TIME_ZONE } }),
    ],
  });
  // The gates module's services, as the hub's routes get them.
  const { scans, bundles, sync } = rt.service(gatesRuntime);
  if (scans === undefined || bundles === undefined || sync === undefined) throw new Error('the gates module started without its wiring');

  const service = createCatalogService({ store: catalog, ledger: store.ledger, audit: store.audit, timeZone: TIME_ZONE, log: silentLogger });
  const type = (ticketTypeId: string, reentry: boolean) => ({ ticketTypeId, activityId: 'pool', name: ticketTypeId, price: 1_000, requiresApproval: false, minPerBooking: 0, maxPerBooking: 10, admits: 1, reentry, active: true });
  await service.seed({
    activity: [{ activityId: 'pool', name: 'Pool', description: '', zone: 'pool', active: true }],
    ticket_type: [type('adult', true), type('single', false)],
  });
  const now = Date.now();
  const slot = (hhmm: string, startsAt: number, endsAt: number) => {
    const date = localDate(startsAt, TIME_ZONE);
    return { slotId: `pool-${date}-${hhmm}`, activityId: 'pool', scheduleId: 'pool-schedule', date, startTime: `${hhmm.slice(0, 2)}:${hhmm.slice(2)}`, startsAt, endsAt, capacity: 100 };
  };
  const day = slot('1000', now - HOUR / 2, now + 1.5 * HOUR);
  const early = slot('0600', now - 5 * HOUR, now - 3 * HOUR);
  await catalog.slots.insertMissing([day, early]);
  for (const s of [day, early]) await store.ledger.defineSlot(s.slotId, s.capacity);

  const meta = { who: 'test', eventId: null };

  async function hold(bookingId: string, qty: number, ticketTypeId: string, slotId: string): Promise<void> {
    const lines = [{ ticketTypeId, qty, unitPrice: 1_000 }];
    const held = await rt.bookings.hold({ bookingId, visitorId: `vis-${bookingId}`, slotId, lines, requiresApproval: false }, 'user:test');
    if (!held.ok) throw new Error(held.message);
  }

  return {
    rt,
    store,
    catalog,
    tokens,
    jwks,
    scans,
    bundles,
    sync,
    alerts,
    dir,
    slots: { day: day.slotId, early: early.slotId },
    async confirmedBooking(bookingId, options = {}) {
      const qty = options.qty ?? 1;
      await hold(bookingId, qty, options.ticketTypeId ?? 'adult', options.slot === 'early' ? early.slotId : day.slotId);
      const submitted = await rt.host.send('booking', bookingId, { type: 'booking.submit' }, meta);
      if (!submitted.ok) throw new Error(submitted.message);
      const total = (submitted.data.context as { total: number }).total;
      const confirmed = await rt.host.send('booking', bookingId, { type: 'payment.captured', paymentId: `pay-${bookingId}`, amount: total }, meta);
      if (!confirmed.ok) throw new Error(confirmed.message);
      const out: Array<{ ticketId: string; token: string }> = [];
      for (let seq = 1; seq <= qty; seq++) out.push(await issued(ticketIdOf(bookingId, seq)));
      return out;
    },
    heldBooking: (bookingId) => hold(bookingId, 1, 'adult', day.slotId),
    waitForAlert(match, timeoutMs = 5_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = alerts.find(match);
          if (!found) return;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(found);
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no matching floor alert within ${timeoutMs} ms (have ${JSON.stringify(alerts)})`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    async stop() {
      await rt.stop();
      await catalog.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };

  /** Waits for the relay to issue a ticket (tickets.issue runs after the booking's confirmation commits). */
  async function issued(ticketId: string): Promise<{ ticketId: string; token: string }> {
    const deadline = Date.now() + 5_000;
    for (;;) {
      const view = await rt.tickets?.ticket(ticketId);
      if (view?.ok && view.data.token !== undefined) return { ticketId, token: view.data.token };
      if (Date.now() > deadline) throw new Error(`ticket ${ticketId} was not issued`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }
}

/**
 * The runtime end to end on the embedded store: holds take capacity, durable timers expire
 * bookings through real agenda jobs, the relay gives capacity back, stale timers are no-ops.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ChangeNotice } from './actors/change-bus.js';
import { bookingsRuntime } from './bookings/bookings.module.js';
import { silentLogger } from './logger.js';
import { wire } from './modules/runtime-module.js';
import type { Runtime } from './runtime.js';
import { startRuntime } from './runtime.js';
import type { ActorStore } from './store/actor-store.js';
import { openSqliteActorStore } from './store/sqlite-actor-store.js';
import { createSqliteAgendaBackend } from './timers/sqlite-job-repository.js';

const hold = (bookingId: string, qty = 1, requiresApproval = false) => ({
  bookingId,
  visitorId: 'vis_1',
  slotId: 'slot_1',
  lines: [{ ticketTypeId: 'adult', qty, unitPrice: 5_000 }],
  requiresApproval,
});

describe('actor runtime on SQLite', () => {
  let dir: string;
  let rt: Runtime;
  /** The store `rt` was started on (the runtime hands it to nobody). */
  let store: ActorStore;
  let notices: ChangeNotice[];

  async function start(timings = { holdMs: 400, reviewMs: 60_000, paymentMs: 400 }) {
    const file = join(dir, 'venue-hub.db');
    store = openSqliteActorStore({ file });
    rt = await startRuntime({
      store,
      jobsBackend: createSqliteAgendaBackend({ file }),
      log: silentLogger,
      wiring: [wire(bookingsRuntime, { timings })],
      timerPollMs: 50,
      modules: [bookingsRuntime],
    });
    notices = [];
    rt.bus.subscribe((n) => notices.push(n));
  }

  /** Resolves with the first notice that matches (or one already seen). */
  function noticeOf(id: string, state: string): Promise<ChangeNotice> {
    const seen = notices.find((n) => n.id === id && n.state === state);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve) => {
      const off = rt.bus.subscribe((n) => {
        if (n.id === id && n.state === state) {
          off();
          resolve(n);
        }
      });
    });
  }

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vh-runtime-'));
    await start();
    await store.ledger.defineSlot('slot_1', 3);
  });
  afterEach(async () => {
    await rt.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("lends the edge the store's revocations and audit log through the access port, and probes the store for readiness", async () => {
    await rt.access.revocations.revoke('user:u1', 1_000, 'demoted', 'user:adm', 2_000);
    expect(await store.revocations.revokedBefore('user:u1')).toBe(1_000);
    const entry = { at: 3_000, who: 'user:adm', role: 'super_admin', action: 'session.revoke', target: 'user/u1', outcome: 'allowed' as const, code: null, detail: null };
    await rt.access.audit.append(entry);
    expect(await store.audit.list({ limit: 10 })).toEqual([entry]);
    await expect(rt.access.probe()).resolves.toBeUndefined();
    // A runtime whose store is closed fails the probe (the edge answers /readyz with store.unavailable).
    const other = join(dir, 'other.db');
    const stopped = await startRuntime({
      store: openSqliteActorStore({ file: other }),
      jobsBackend: createSqliteAgendaBackend({ file: other }),
      log: silentLogger,
      wiring: [wire(bookingsRuntime, { timings: { holdMs: 400, reviewMs: 60_000, paymentMs: 400 } })],
      timerPollMs: 50,
      modules: [bookingsRuntime],
    });
    await stopped.stop();
    await expect(stopped.access.probe()).rejects.toThrow();
  });

  it('takes capacity on hold and refuses the slot once it is sold out', async () => {
    expect(await rt.bookings.hold(hold('b1', 2), 'v')).toMatchObject({ ok: true, data: { state: 'held' } });
    expect(await rt.bookings.hold(hold('b2', 2), 'v')).toMatchObject({ ok: false, code: 'slot.sold_out' });
    expect(await rt.bookings.hold({ ...hold('b3'), slotId: 'nope' }, 'v')).toMatchObject({ ok: false, code: 'slot.not_found' });
    expect(await rt.bookings.hold({ ...hold('b4'), lines: [] }, 'v')).toMatchObject({ ok: false, code: 'input.invalid' });
    expect(await store.ledger.level('slot_1')).toMatchObject({ taken: 2, remaining: 1 });
    expect(await store.load('booking', 'b2')).toBeNull();
  });

  it('a ticket that admits several people takes a place for each of them', async () => {
    const family = { ...hold('fam'), lines: [{ ticketTypeId: 'family', qty: 1, unitPrice: 42_000, admits: 3 }] };
    expect(await rt.bookings.hold(family, 'v')).toMatchObject({ ok: true, data: { context: { quantity: 3 } } });
    expect(await store.ledger.level('slot_1')).toMatchObject({ taken: 3, remaining: 0 });
    expect(await rt.bookings.hold(hold('b2'), 'v')).toMatchObject({ ok: false, code: 'slot.sold_out' });
  });

  it('retrying a hold with the same booking id neither takes twice nor fails', async () => {
    const first = await rt.bookings.hold(hold('b1', 2), 'v');
    const again = await rt.bookings.hold(hold('b1', 2), 'v');
    expect(first.ok && again.ok).toBe(true);
    expect(await store.ledger.level('slot_1')).toMatchObject({ taken: 2 });
  });

  it('expires an unpaid hold at its deadline through a durable job and gives the seats back', async () => {
    await rt.bookings.hold(hold('b1', 3), 'v');
    const dueAt = (await store.load('booking', 'b1'))?.timers['xstate.after.hold.booking.held']?.dueAt ?? 0;
    const expired = await noticeOf('b1', 'expired');
    expect(expired.at).toBeGreaterThanOrEqual(dueAt);
    await rt.relay.drain();
    expect(await store.ledger.level('slot_1')).toMatchObject({ taken: 0, remaining: 3 });
  });

  it('confirms on capture, keeps the seats, and a stale hold timer does nothing', async () => {
    await rt.bookings.hold(hold('b1', 2), 'v');
    await rt.host.send('booking', 'b1', { type: 'booking.submit' }, { who: 'v' });
    const confirmed = await rt.host.send('booking', 'b1', { type: 'payment.captured', paymentId: 'p1', amount: 10_000 }, { who: 'gw', eventId: 'evt_1' });
    expect(confirmed).toMatchObject({ ok: true, data: { state: 'confirmed' } });
    expect(await rt.host.fireTimer({ kind: 'booking', id: 'b1', key: 'xstate.after.hold.booking.held', gen: 1 })).toEqual({ ok: true, data: null });
    await rt.relay.drain();
    await new Promise((r) => setTimeout(r, 600)); // past both the hold and payment deadlines
    expect(await rt.host.read('booking', 'b1')).toMatchObject({ ok: true, data: { state: 'confirmed' } });
    expect(await store.ledger.level('slot_1')).toMatchObject({ taken: 2 });
    expect(await store.ledger.orphanHolds('booking', Date.now() + 1, 10)).toEqual([]);
  });

  it('releases capacity when a booking admin rejects', async () => {
    await rt.bookings.hold(hold('b1', 3, true), 'v');
    await rt.host.send('booking', 'b1', { type: 'booking.submit' }, { who: 'v' });
    const rejected = await rt.host.send('booking', 'b1', { type: 'booking.reject', adminId: 'adm', reason: 'members only' }, { who: 'admin:adm' });
    expect(rejected).toMatchObject({ ok: true, data: { state: 'rejected' } });
    await rt.relay.drain();
    expect(await store.ledger.level('slot_1')).toMatchObject({ taken: 0 });
  });

  it('gives back a hold whose booking was never created (crash between take and create)', async () => {
    await store.ledger.take('slot_1', 'lost_hold', 2, Date.now() - 120_000);
    expect(await rt.bookings.releaseOrphans(60_000)).toBe(1);
    expect(await store.ledger.level('slot_1')).toMatchObject({ taken: 0 });
  });

  it('the sweeper fires timers whose job was lost', async () => {
    await rt.stop();
    await start({ holdMs: 60_000, reviewMs: 60_000, paymentMs: 60_000 });
    await rt.bookings.hold(hold('b1'), 'v');
    const record = await store.load('booking', 'b1');
    // Simulate a timer that came due while its job was missing: rewrite the due time into the past.
    const timers = { ...record!.timers };
    const key = 'xstate.after.hold.booking.held';
    timers[key] = { ...timers[key]!, dueAt: Date.now() - 10_000 };
    await store.commit({
      kind: 'booking', id: 'b1', expectedVersion: 1, machineVersion: 1, state: record!.state, timers, eventId: null, effects: [], at: Date.now(),
      log: { kind: 'booking', id: 'b1', version: 2, eventId: null, eventType: 'test.rewind', who: 'test', at: Date.now(), from: 'held', to: 'held' },
    });
    expect(await rt.timers.sweep()).toBe(1);
    expect(await rt.host.read('booking', 'b1')).toMatchObject({ ok: true, data: { state: 'expired' } });
  });

  it('a node without background work commits and answers, and leaves effects and timers to a worker on the same store', async () => {
    await rt.stop();
    const file = join(dir, 'venue-hub.db');
    const delivered: string[] = [];
    const runtime = (background: boolean, on: ActorStore) =>
      startRuntime({
        store: on,
        jobsBackend: createSqliteAgendaBackend({ file }),
        log: silentLogger,
        wiring: [wire(bookingsRuntime, { timings: { holdMs: 300, reviewMs: 60_000, paymentMs: 60_000 } })],
        timerPollMs: 50,
        modules: [bookingsRuntime],
        background,
        effectHandlers: { notify: async (effect) => void delivered.push(`${background ? 'worker' : 'front'}:${effect.effectId}`) },
      });
    const frontStore = openSqliteActorStore({ file });
    const front = await runtime(false, frontStore);
    try {
      expect(await front.bookings.hold(hold('b1'), 'v')).toMatchObject({ ok: true, data: { state: 'held' } });
      await new Promise((resolve) => setTimeout(resolve, 600));
      // Past the hold's deadline: nobody here relayed the notification or fired the expiry.
      expect(delivered).toEqual([]);
      expect(await frontStore.pendingEffects(10)).toHaveLength(1);
      expect(await front.host.read('booking', 'b1')).toMatchObject({ ok: true, data: { state: 'held' } });
      store = openSqliteActorStore({ file });
      rt = await runtime(true, store);
      await until(() => delivered.length === 2 && delivered.every((d) => d.startsWith('worker:')));
      // The worker fired the hold's expiry (the second notification is booking.expired).
      expect(await front.host.read('booking', 'b1')).toMatchObject({ ok: true, data: { state: 'expired' } });
    } finally {
      await front.stop();
    }
  });
});

/** Polls until `check` answers something truthy (5 s at most). */
async function until<T>(check: () => T | Promise<T>): Promise<T> {
  const deadline = Date.now() + 5_000;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/**
 * The front desks' feeds on a started runtime with SQLite actors, read models and agenda timers:
 * `lockers` (every locker, or a zone's) and `rentals` (the items out). Each answers a snapshot
 * and its cursor; every live change is placed in the feed with its cursor and membership; a
 * subscriber that comes back from its cursor gets exactly the feed's changes it missed, in order,
 * and a fresh snapshot equals what the first one plus those changes show.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FeedChanged, FeedSubscribed } from '../../machines/contract/wire.js';
import { createChangeBus } from '../actors/change-bus.js';
import { bookingsRuntime } from '../bookings/bookings.module.js';
import { equipmentRuntime } from '../equipment/equipment.module.js';
import type { ChangeNotice } from '../actors/change-bus.js';
import { feedTargets } from '../fanout/change-routing.js';
import { lockersRuntime } from '../lockers/lockers.module.js';
import { silentLogger } from '../logger.js';
import { wire } from '../modules/runtime-module.js';
import { paymentsRuntime } from '../payments/payments.module.js';
import type { Runtime } from '../runtime.js';
import { feedDefinitionsOf, startRuntime } from '../runtime.js';
import type { ActorStore } from '../store/actor-store.js';
import { openSqliteActorStore } from '../store/sqlite-actor-store.js';
import { ticketsRuntime } from '../tickets/tickets.module.js';
import { createSqliteAgendaBackend } from '../timers/sqlite-job-repository.js';
import { wristbandsRuntime } from '../wristbands/wristbands.module.js';
import { openSqliteReadModels } from './sqlite-read-models.js';

const T0 = Date.now();
const RENTAL_MS = 600;
const meta = { who: 'system:test', eventId: null };

describe('the lockers and rentals feeds', () => {
  let dir: string;
  let rt: Runtime;
  /** The store `rt` was started on (the runtime hands it to nobody). */
  let store: ActorStore;
  /** Where each live change went in the module feeds, in commit order. */
  const placed: Array<{ feed: string; zone?: string; member?: boolean; id: string; state: string; cursor: number; overdue: boolean }> = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vh-desk-feeds-'));
    const file = join(dir, 'venue-hub.db');
    const bus = createChangeBus();
    store = openSqliteActorStore({ file });
    rt = await startRuntime({
      store,
      jobsBackend: createSqliteAgendaBackend({ file }),
      log: silentLogger,
      bus,
      timerPollMs: 50,
      modules: [bookingsRuntime, ticketsRuntime, paymentsRuntime, wristbandsRuntime, lockersRuntime, equipmentRuntime],
      wiring: [wire(equipmentRuntime, { rentalMs: RENTAL_MS })],
      readSide: { readModels: openSqliteReadModels({ file }), timeZone: 'Asia/Riyadh', pollMs: 100 },
    });
    const feeds = feedDefinitionsOf(rt.modules);
    bus.subscribe((notice: ChangeNotice) => {
      const overdue = (notice.context as { overdue?: boolean }).overdue === true;
      for (const target of feedTargets(feeds, notice)) {
        if (target.feed !== 'lockers' && target.feed !== 'rentals') continue;
        placed.push({ ...target, id: notice.id, state: notice.state, cursor: notice.cursor, overdue });
      }
    });
    expect(await rt.lockers.defineLockers('waterpark', 'large', ['L-01', 'L-02', 'L-03'])).toMatchObject({ ok: true });
    expect(await rt.lockers.defineLockers('kids', 'small', ['K-01', 'K-02'])).toMatchObject({ ok: true });
    expect(await rt.equipment.defineItems('tube-rental', [{ itemId: 'TUBE-001' }, { itemId: 'TUBE-002' }])).toMatchObject({ ok: true });
    // A band linked to a ticket of booking bk_1: the rental desk hands items out against it.
    const ticket = { ticketId: 'bk_1-t1', bookingId: 'bk_1', visitorId: 'vis_1', ticketTypeId: 'adult', slotId: 'slot_1', seq: 1, validFrom: T0, validUntil: T0 + 3_600_000, issuedAt: T0 };
    expect(await rt.host.create('ticket', ticket.ticketId, ticket, meta)).toMatchObject({ ok: true });
    expect(await rt.wristbands.link('BAND-1', ticket.ticketId)).toMatchObject({ ok: true });
  });
  afterAll(async () => {
    await rt?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  async function subscribe(request: { feed: string; zone?: string; cursor?: number }): Promise<FeedSubscribed> {
    const answer = await rt.feeds?.subscribe(request);
    if (!answer?.ok) throw new Error(`subscribe refused: ${JSON.stringify(answer)}`);
    return answer.data;
  }
  const brief = (changes: readonly FeedChanged[] | undefined) => (changes ?? []).map((c) => `${c.change.id}@${c.change.version}:${c.change.state}:${String(c.member)}`);
  const rowsOf = (answer: FeedSubscribed) => (answer.snapshot?.rows ?? []).map((r) => `${r.id}:${r.state}`).sort();

  it('lockers: every locker first, a zone its own; then each change, and what a subscriber missed from its cursor', async () => {
    const all = await subscribe({ feed: 'lockers' });
    expect(rowsOf(all)).toEqual(['K-01:free', 'K-02:free', 'L-01:free', 'L-02:free', 'L-03:free']);
    const kids = await subscribe({ feed: 'lockers', zone: 'kids' });
    expect(rowsOf(kids)).toEqual(['K-01:free', 'K-02:free']);
    expect(kids.cursor).toBe(all.cursor);
    // The lockers defined above were pushed too (a new locker shows on the counter at once).
    expect(placed.filter((p) => p.feed === 'lockers' && p.zone === undefined && p.state === 'free')).toHaveLength(5);
    const from = placed.length;

    const claimed = await rt.lockers.claim({ zone: 'waterpark', size: 'large', bandUid: 'BAND-1', bookingId: 'bk_1', visitorId: 'vis_1' }, 'asg-1', 'user:desk');
    if (!claimed.ok) throw new Error(claimed.message);
    const lockerId = claimed.data.id;
    expect(await rt.lockers.outOfService('K-02', 'user:desk')).toMatchObject({ ok: true });
    expect(await rt.lockers.release(lockerId, 'user:desk')).toMatchObject({ ok: true, data: { state: 'free' } });

    // Live: each change is a row of the whole venue's feed and of its zone's, with its cursor.
    const live = placed.slice(from).filter((p) => p.feed === 'lockers');
    expect(live.map((p) => `${p.zone ?? '*'}:${p.id}:${p.state}:${String(p.member)}`)).toEqual([
      `*:${lockerId}:assigned:true`,
      `waterpark:${lockerId}:assigned:true`,
      '*:K-02:out_of_service:true',
      'kids:K-02:out_of_service:true',
      `*:${lockerId}:free:true`,
      `waterpark:${lockerId}:free:true`,
    ]);
    expect(live.every((p) => p.cursor > all.cursor)).toBe(true);

    // Back from the first cursor: the three changes of the feed, in order (no band or ticket changes).
    const since = await subscribe({ feed: 'lockers', cursor: all.cursor });
    expect(since.snapshot).toBeUndefined();
    expect(brief(since.changes)).toEqual([`${lockerId}@2:assigned:true`, 'K-02@2:out_of_service:true', `${lockerId}@3:free:true`]);
    expect(since.changes?.map((c) => c.change.cursor)).toEqual(live.filter((p) => p.zone === undefined).map((p) => p.cursor));
    expect(since.cursor).toBeGreaterThanOrEqual(live.at(-1)?.cursor ?? Infinity);
    const kidsSince = await subscribe({ feed: 'lockers', zone: 'kids', cursor: kids.cursor });
    expect(brief(kidsSince.changes)).toEqual(['K-02@2:out_of_service:true']);
    expect(kidsSince.changes?.[0]).toMatchObject({ feed: 'lockers', zone: 'kids' });

    // A fresh snapshot is the first one with those changes applied.
    const again = await subscribe({ feed: 'lockers' });
    expect(rowsOf(again)).toEqual(['K-01:free', 'K-02:out_of_service', 'L-01:free', 'L-02:free', 'L-03:free']);
    expect(again.cursor).toBeGreaterThanOrEqual(since.cursor);
    // Nothing changed since: an empty catch-up.
    expect((await subscribe({ feed: 'lockers', cursor: again.cursor })).changes).toEqual([]);
  });

  it('rentals: the items out; a pickup joins, overdue moves it, a return leaves; a repair concerns no desk', async () => {
    const first = await subscribe({ feed: 'rentals' });
    expect(first.snapshot?.rows).toEqual([]);
    await expect(subscribe({ feed: 'rentals', zone: 'anywhere' })).resolves.toMatchObject({ snapshot: { rows: [] } });
    const from = placed.length;

    const out = await rt.equipment.pickup({ bandUid: 'BAND-1', typeId: 'tube-rental', itemId: 'TUBE-001' }, 'user:desk');
    expect(out).toMatchObject({ ok: true, data: { state: 'in_use' } });
    const outNow = await subscribe({ feed: 'rentals' });
    expect(outNow.snapshot?.rows.map((r) => [r.id, (r.context as { bandUid?: string }).bandUid])).toEqual([['TUBE-001', 'BAND-1']]);

    // Its due time passes: the durable timer marks it overdue, still out.
    const deadline = Date.now() + 15_000;
    while (!placed.some((p) => p.feed === 'rentals' && p.overdue)) {
      if (Date.now() > deadline) throw new Error('the rental never went overdue');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(await rt.equipment.return({ itemId: 'TUBE-001', condition: 'damaged', note: 'torn valve' }, 'user:desk')).toMatchObject({ ok: true, data: { state: 'maintenance' } });
    expect(await rt.equipment.repaired('TUBE-001', 'user:desk')).toMatchObject({ ok: true, data: { state: 'available' } });

    const live = placed.slice(from).filter((p) => p.feed === 'rentals');
    expect(live.map((p) => `${p.id}:${p.state}:${String(p.member)}:${String(p.overdue)}`)).toEqual([
      'TUBE-001:in_use:true:false',
      'TUBE-001:in_use:true:true',
      'TUBE-001:maintenance:false:false',
    ]);

    const since = await subscribe({ feed: 'rentals', cursor: first.cursor });
    expect(brief(since.changes)).toEqual(['TUBE-001@2:in_use:true', 'TUBE-001@3:in_use:true', 'TUBE-001@4:maintenance:false', 'TUBE-001@5:available:false']);
    expect(since.changes?.[1]?.change.context).toMatchObject({ overdue: true });
    expect((await subscribe({ feed: 'rentals' })).snapshot?.rows).toEqual([]);
  });

  it('a desk whose cursor is older than the log keeps is answered a fresh snapshot', async () => {
    // The log drops changes a later change of the same locker supersedes: a cursor of 0 may have missed some.
    expect(await store.changes.prune(Date.now() + 1)).toBeGreaterThan(0);
    expect(await store.changes.horizon()).toBeGreaterThan(0);
    const fresh = await subscribe({ feed: 'lockers', cursor: 0 });
    expect(fresh.changes).toBeUndefined();
    expect(rowsOf(fresh)).toEqual(['K-01:free', 'K-02:out_of_service', 'L-01:free', 'L-02:free', 'L-03:free']);
    expect((await subscribe({ feed: 'rentals', cursor: 0 })).snapshot?.rows).toEqual([]);
  });
});

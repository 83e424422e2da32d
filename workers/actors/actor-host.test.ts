import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bookingDefinition } from '../../machines/booking.machine.js';
import type { ActorStore } from '../store/actor-store.js';
import { openSqliteActorStore } from '../store/sqlite-actor-store.js';
import type { ActorHost } from './actor-host.js';
import { createActorHost } from './actor-host.js';
import type { ChangeNotice } from './change-bus.js';

const input = (bookingId: string, extra: Record<string, unknown> = {}) => ({
  bookingId,
  visitorId: 'vis_1',
  slotId: 'slot_1',
  lines: [{ ticketTypeId: 'adult', qty: 2, unitPrice: 5_000 }],
  requiresApproval: false,
  holdMs: 60_000,
  reviewMs: 3_600_000,
  paymentMs: 900_000,
  ...extra,
});

describe('actor host on the embedded store', () => {
  let dir: string;
  let store: ActorStore;
  let now: number;
  let notices: ChangeNotice[];
  let host: ActorHost;
  const newHost = () =>
    createActorHost({ store, definitions: [bookingDefinition], clock: () => now, publish: (n) => notices.push(n) });

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'vh-host-'));
    store = openSqliteActorStore({ file: join(dir, 'store.db') });
    now = 1_800_000_000_000;
    notices = [];
    host = newHost();
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads a typed view with the state tags of the machine', async () => {
    await host.create('booking', 'b1', input('b1'), { who: 'visitor:vis_1' });
    const held = await host.read(bookingDefinition, 'b1');
    if (!held.ok) throw new Error(held.message);
    // Typed: the context is a BookingContext and the tags are booking tags.
    expect([held.data.state, held.data.context.total, held.data.tags]).toEqual(['held', 10_000, ['pending', 'cancellable']]);
    await host.send('booking', 'b1', { type: 'booking.submit' }, { who: 'visitor:vis_1' });
    expect(notices.at(-1)?.tags).toEqual(['pending', 'payable', 'cancellable']);
    expect(await host.read(bookingDefinition, 'nope')).toMatchObject({ ok: false, code: 'actor.not_found' });
  });

  it('creates, transitions and logs who did what with versions', async () => {
    const created = await host.create('booking', 'b1', input('b1'), { who: 'visitor:vis_1' });
    expect(created).toMatchObject({ ok: true, data: { version: 1, state: 'held', deadline: now + 60_000 } });
    now += 1000;
    const submitted = await host.send('booking', 'b1', { type: 'booking.submit' }, { who: 'visitor:vis_1' });
    expect(submitted).toMatchObject({ ok: true, data: { version: 2, state: 'awaiting_payment', deadline: now + 900_000 } });
    const log = await store.eventLog('booking', 'b1');
    expect(log.map((e) => [e.version, e.eventType, e.who, e.from, e.to])).toEqual([
      [1, 'booking.created', 'visitor:vis_1', null, 'held'],
      [2, 'booking.submit', 'visitor:vis_1', 'held', 'awaiting_payment'],
    ]);
    expect(notices.map((n) => [n.version, n.state])).toEqual([
      [1, 'held'],
      [2, 'awaiting_payment'],
    ]);
  });

  it('stores the hold deadline as an absolute durable timer and replaces it on the next state', async () => {
    await host.create('booking', 'b1', input('b1'), { who: 'v' });
    const record = await store.load('booking', 'b1');
    expect(record?.timers).toEqual({
      'xstate.after.hold.booking.held': { event: { type: 'xstate.after.hold.booking.held' }, dueAt: now + 60_000, gen: 1 },
    });
    now += 5_000;
    await host.send('booking', 'b1', { type: 'booking.submit' }, { who: 'v' });
    const after = await store.load('booking', 'b1');
    expect(Object.keys(after?.timers ?? {})).toEqual(['xstate.after.payment.booking.awaiting_payment']);
    expect(after?.timers['xstate.after.payment.booking.awaiting_payment']).toMatchObject({ dueAt: now + 900_000, gen: 2 });
    expect(await store.dueTimers(now + 900_000, 10)).toEqual([
      { kind: 'booking', id: 'b1', key: 'xstate.after.payment.booking.awaiting_payment', gen: 2, dueAt: now + 900_000 },
    ]);
  });

  it('fires a timer only while its generation matches', async () => {
    await host.create('booking', 'b1', input('b1'), { who: 'v' });
    const key = 'xstate.after.hold.booking.held';
    expect(await host.fireTimer({ kind: 'booking', id: 'b1', key, gen: 7 })).toEqual({ ok: true, data: null });
    expect((await store.load('booking', 'b1'))?.version).toBe(1);
    now += 60_000;
    const fired = await host.fireTimer({ kind: 'booking', id: 'b1', key, gen: 1 });
    expect(fired).toMatchObject({ ok: true, data: { state: 'expired', version: 2 } });
    expect(await host.fireTimer({ kind: 'booking', id: 'b1', key, gen: 1 })).toEqual({ ok: true, data: null });
    const effects = await store.pendingEffects(10);
    expect(effects.map((e) => [e.effectId, e.type])).toEqual([
      ['booking/b1@1#0', 'notify'],
      ['booking/b1@2#0', 'capacity.release'],
      ['booking/b1@2#1', 'notify'],
    ]);
    expect((await store.eventLog('booking', 'b1')).at(-1)).toMatchObject({ who: 'timer', from: 'held', to: 'expired' });
  });

  it('answers bad commands with codes and writes nothing', async () => {
    await host.create('booking', 'b1', input('b1'), { who: 'v' });
    const before = await store.load('booking', 'b1');
    expect(await host.send('booking', 'nope', { type: 'booking.submit' }, { who: 'v' })).toMatchObject({ ok: false, code: 'actor.not_found' });
    expect(await host.send('ticket', 'b1', { type: 'x' }, { who: 'v' })).toMatchObject({ ok: false, code: 'actor.kind_unknown' });
    expect(await host.send('booking', 'b1', { type: 'booking.teleport' }, { who: 'v' })).toMatchObject({ ok: false, code: 'event.unknown' });
    expect(await host.send('booking', 'b1', { type: 'xstate.after.hold.booking.held' }, { who: 'v' })).toMatchObject({ ok: false, code: 'event.unknown' });
    expect(await host.send('booking', 'b1', null, { who: 'v' })).toMatchObject({ ok: false, code: 'event.unknown' });
    expect(await host.send('booking', 'b1', { type: 'booking.reject', adminId: 'a' }, { who: 'v' })).toMatchObject({ ok: false, code: 'event.invalid' });
    expect(await host.send('booking', 'b1', { type: 'booking.check_in', at: Date.now() }, { who: 'v' })).toMatchObject({ ok: false, code: 'event.rejected' });
    expect(await host.create('booking', 'b1', input('b1'), { who: 'v' })).toMatchObject({ ok: false, code: 'actor.exists' });
    expect(await host.create('booking', 'b2', { ...input('b2'), lines: [] }, { who: 'v' })).toMatchObject({ ok: false, code: 'input.invalid' });
    expect(await host.create('booking', 'bad id!', input('bad'), { who: 'v' })).toMatchObject({ ok: false, code: 'input.invalid' });
    expect(await store.load('booking', 'b1')).toEqual(before);
    expect(await store.load('booking', 'b2')).toBeNull();
    expect(await store.eventLog('booking', 'b1')).toHaveLength(1);
  });

  it('drops a duplicate event id, even once the state would refuse the event', async () => {
    await host.create('booking', 'b1', input('b1'), { who: 'v' });
    await host.send('booking', 'b1', { type: 'booking.submit' }, { who: 'v' });
    const capture = { type: 'payment.captured', paymentId: 'p1', amount: 10_000 };
    const first = await host.send('booking', 'b1', capture, { who: 'gateway', eventId: 'evt_1' });
    expect(first).toMatchObject({ ok: true, data: { state: 'confirmed', version: 3 } });
    const again = await host.send('booking', 'b1', capture, { who: 'gateway', eventId: 'evt_1' });
    expect(again).toMatchObject({ ok: true, data: { state: 'confirmed', version: 3, duplicate: true } });
    expect(await store.eventLog('booking', 'b1')).toHaveLength(3);
  });

  it('serialises concurrent commands to one actor on one node', async () => {
    await host.create('booking', 'b1', input('b1'), { who: 'v' });
    await host.send('booking', 'b1', { type: 'booking.submit' }, { who: 'v' });
    const results = await Promise.all(
      Array.from({ length: 25 }, (_, i) => host.send('booking', 'b1', { type: 'payment.failed', paymentId: `p${i}` }, { who: 'gw' })),
    );
    expect(results.every((r) => r.ok)).toBe(true);
    const view = await host.read('booking', 'b1');
    expect(view).toMatchObject({ ok: true, data: { version: 27, context: { paymentAttempts: 25 } } });
  });

  it('resolves version conflicts between two hosts on one store by reloading and re-applying', async () => {
    const other = newHost();
    await host.create('booking', 'b1', input('b1'), { who: 'v' });
    await host.send('booking', 'b1', { type: 'booking.submit' }, { who: 'v' });
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        (i % 2 ? host : other).send('booking', 'b1', { type: 'payment.failed', paymentId: `p${i}` }, { who: 'gw' }),
      ),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(20);
    const log = await store.eventLog('booking', 'b1');
    expect(log.map((e) => e.version)).toEqual(Array.from({ length: 22 }, (_, i) => i + 1));
  });

  it('never answers from a stale cached snapshot when another node moved the actor on', async () => {
    const other = newHost();
    await host.create('booking', 'b1', input('b1'), { who: 'v' }); // host caches 'held'
    await other.send('booking', 'b1', { type: 'booking.submit' }, { who: 'v' });
    // 'held' would refuse a capture; the stored 'awaiting_payment' accepts it.
    const captured = await host.send('booking', 'b1', { type: 'payment.captured', paymentId: 'p1', amount: 10_000 }, { who: 'gw' });
    expect(captured).toMatchObject({ ok: true, data: { state: 'confirmed', version: 3 } });
    await other.send('booking', 'b1', { type: 'booking.check_in', at: now }, { who: 'gate' });
    // host's cache says 'confirmed' (accepts cancel) but the store says checked_in: the CAS catches it.
    expect(await host.send('booking', 'b1', { type: 'booking.cancel', refundAmount: 0, at: now }, { who: 'v' })).toMatchObject({
      ok: false,
      code: 'event.rejected',
    });
    expect((await store.load('booking', 'b1'))?.version).toBe(4);
  });

  it('refuses snapshots from a newer or unknown machine version and unreadable ones, writing nothing', async () => {
    const base = {
      kind: 'booking',
      expectedVersion: 0,
      timers: {},
      eventId: null,
      effects: [],
      at: now,
    };
    const fixture = JSON.parse(readFileSync('machines/fixtures/booking.v1.held.json', 'utf8')) as unknown;
    await store.commit({ ...base, id: 'future', machineVersion: 99, state: fixture, log: logRow('future') });
    await store.commit({ ...base, id: 'junk', machineVersion: 1, state: { value: 'limbo', context: {} }, log: logRow('junk') });
    expect(await host.read('booking', 'future')).toMatchObject({ ok: false, code: 'snapshot.unsupported_version' });
    expect(await host.send('booking', 'future', { type: 'booking.submit' }, { who: 'v' })).toMatchObject({ ok: false, code: 'snapshot.unsupported_version' });
    expect(await host.send('booking', 'junk', { type: 'booking.submit' }, { who: 'v' })).toMatchObject({ ok: false, code: 'snapshot.invalid' });
    expect((await store.load('booking', 'future'))?.version).toBe(1);
    expect((await store.load('booking', 'junk'))?.version).toBe(1);
  });

  it('restores every stored fixture of machine version 1 and keeps running it', async () => {
    const files = readdirSync('machines/fixtures').filter((f) => f.startsWith('booking.v1.'));
    expect(files.length).toBeGreaterThanOrEqual(10);
    for (const file of files) {
      const id = file.replace(/[^a-z0-9]/gi, '_');
      const state = JSON.parse(readFileSync(join('machines/fixtures', file), 'utf8')) as unknown;
      await store.commit({ kind: 'booking', id, expectedVersion: 0, machineVersion: 1, state, timers: {}, eventId: null, effects: [], at: now, log: logRow(id) });
      const read = await host.read('booking', id);
      expect(read, file).toMatchObject({ ok: true, data: { state: file.split('.')[2] } });
    }
    const held = 'booking_v1_held_json';
    expect(await host.send('booking', held, { type: 'booking.submit' }, { who: 'v' })).toMatchObject({ ok: true, data: { state: 'awaiting_payment' } });
  });
});

function logRow(id: string) {
  return { kind: 'booking', id, version: 1, eventId: null, eventType: 'fixture.loaded', who: 'test', at: 0, from: null, to: 'held' };
}

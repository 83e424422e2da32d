/**
 * The read side through a real hub: feeds answer a snapshot and its cursor, then stream changes
 * that carry cursors; a subscriber that comes back from its cursor gets exactly what it missed;
 * lists page by cursor; a rebuilt read model equals the live one.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FeedChanged, FeedSubscribed } from '../machines/contract/wire.js';
import { rebuildProjection } from '../workers/projections/projector.js';
import { bookingsProjection } from '../workers/projections/venue-projections.js';
import { connectHub } from '../clients/sdk/index.js';
import type { ClientSocket, TestHub } from './hub.test-support.js';
import { TEST_SLOT, holdOf, nextEvent, startTestHub } from './hub.test-support.js';

const bookingInput = (bookingId: string, requiresApproval = true) => ({
  bookingId,
  visitorId: 'vis_rs',
  slotId: TEST_SLOT,
  lines: [{ ticketTypeId: 'adult', qty: 1, unitPrice: 5_000 }],
  requiresApproval,
});

async function until(done: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function subscribed(answer: { ok: boolean; data?: FeedSubscribed }): FeedSubscribed {
  if (!answer.ok || !answer.data) throw new Error(`subscribe refused: ${JSON.stringify(answer)}`);
  return answer.data;
}

describe('read side: snapshot, then stream', () => {
  let t: TestHub;
  let admin: ClientSocket;
  const sys = { who: 'system:test', eventId: null };

  beforeAll(async () => {
    t = await startTestHub();
    admin = await t.connect(await t.person('adm_rs', 'super_admin'));
  });
  afterAll(async () => {
    admin.close();
    await t.stop();
  });

  it('a screen that subscribes after 1,000 changes finds them in the snapshot, and pages the rest by cursor', async () => {
    for (let i = 0; i < 500; i++) {
      await t.runtime.host.create('booking', `rv-${i}`, bookingInput(`rv-${i}`), sys);
      await t.runtime.host.send('booking', `rv-${i}`, { type: 'booking.submit' }, sys);
    }
    const first = subscribed(await admin.emitWithAck('feed:subscribe', { feed: 'reviews', limit: 300 }));
    expect(first.snapshot?.rows).toHaveLength(300);
    expect(first.snapshot?.rows.every((row) => row.state === 'under_review' && row.tags.includes('in_review'))).toBe(true);
    expect(first.cursor).toBeGreaterThanOrEqual(1_000);
    const rest = await admin.emitWithAck('list:page', { list: 'bookings', filters: { state: 'under_review' }, after: first.snapshot?.next ?? '', limit: 500 });
    if (!rest.ok) throw new Error(rest.message);
    const ids = new Set([...(first.snapshot?.rows ?? []), ...rest.data.rows].map((row) => row.id));
    expect(ids.size).toBe(500);
    expect(rest.data.next).toBeUndefined();
  });

  it('a subscriber cut off while 50 changes are committed gets all 50 from its cursor, once and in order', async () => {
    const watcher = await t.connect(await t.person('adm_rs2', 'booking_admin'));
    const before = subscribed(await watcher.emitWithAck('feed:subscribe', { feed: 'dashboard' }));
    watcher.close();
    for (let i = 0; i < 25; i++) {
      await t.runtime.host.create('booking', `gap-${i}`, bookingInput(`gap-${i}`, false), sys);
      await t.runtime.host.send('booking', `gap-${i}`, { type: 'booking.submit' }, sys);
    }
    const back = await t.connect(await t.person('adm_rs2', 'booking_admin'));
    const again = subscribed(await back.emitWithAck('feed:subscribe', { feed: 'dashboard', cursor: before.cursor }));
    back.close();
    expect(again.snapshot).toBeUndefined();
    const changes = again.changes ?? [];
    expect(changes).toHaveLength(50);
    expect(changes.map((c) => `${c.change.id}@${c.change.version}`)).toEqual(
      Array.from({ length: 25 }, (_, i) => [`gap-${i}@1`, `gap-${i}@2`]).flat(),
    );
    const cursors = changes.map((c) => c.change.cursor);
    expect(cursors.every((cursor, i) => cursor > (cursors[i - 1] ?? before.cursor))).toBe(true);
    expect(again.cursor).toBe(cursors.at(-1));
  });

  it('the SDK resubscribes from its cursor after its socket is dropped: each missed change once, in order', async () => {
    const hub = connectHub({ url: t.url, token: await t.person('adm_sdk', 'booking_admin'), backoffMinMs: 20, backoffMaxMs: 50 });
    const got: string[] = [];
    let snapshots = 0;
    const sub = hub.subscribeFeed({ feed: 'dashboard' }, (c) => got.push(`${c.change.id}@${c.change.version}`), () => snapshots++);
    await sub.ready;
    const reconnected = new Promise<void>((resolve) => {
      let dropped = false;
      hub.onStatus((status) => {
        if (status === 'reconnecting') dropped = true;
        if (status === 'connected' && dropped) resolve();
      });
    });
    t.hub.io.in('user:adm_sdk').disconnectSockets(true);
    for (let i = 0; i < 10; i++) await t.runtime.host.create('booking', `sdk-${i}`, bookingInput(`sdk-${i}`, false), sys);
    await reconnected;
    await until(() => got.length >= 10);
    expect(got).toEqual(Array.from({ length: 10 }, (_, i) => `sdk-${i}@1`));
    expect(snapshots).toBe(1);
    expect(sub.cursor()).toBeGreaterThan(0);
    hub.close();
  });

  it('a cursor older than what is kept gets a fresh snapshot, never silence', async () => {
    await t.runtime.host.send('booking', 'gap-0', { type: 'booking.cancel', at: Date.now() }, sys);
    expect(await t.store.changes.prune(Date.now() + 60_000)).toBeGreaterThan(0);
    const old = subscribed(await admin.emitWithAck('feed:subscribe', { feed: 'dashboard', cursor: 1 }));
    expect(old.changes).toBeUndefined();
    expect(old.snapshot?.summary).toBeDefined();
  });

  it('a socket on dashboard, reviews, zone:<z> and a slot sees the current state first, then every change', async () => {
    // What is already true: a booking in review, an open alert, a visitor inside the north zone, places taken.
    await t.runtime.host.create('booking', 'dw-1', bookingInput('dw-1'), sys);
    await t.runtime.host.send('booking', 'dw-1', { type: 'booking.submit' }, sys);
    await t.runtime.alerts.raise({ alertId: 'dw-alert-1', type: 'test', severity: 'warning', message: 'first', details: {} });
    const ticket = {
      ticketId: 'dw-1-t1',
      bookingId: 'dw-1',
      visitorId: 'vis_rs',
      ticketTypeId: 'adult',
      slotId: TEST_SLOT,
      seq: 1,
      validFrom: 0,
      validUntil: 4_000_000_000_000,
      issuedAt: 1,
      zone: 'north',
    };
    await t.runtime.host.create('ticket', 'dw-1-t1', ticket, sys);
    await t.runtime.host.send('ticket', 'dw-1-t1', { type: 'ticket.scan', direction: 'entry', gateId: 'g1', nonce: 'nonce-dw-1', at: Date.now() }, sys);
    const visitor = await t.connect(await t.person('vis_dw', 'visitor'));
    await visitor.emitWithAck('booking:hold', holdOf('dw-hold-1'));

    const screen = await t.connect(await t.person('adm_dw', 'super_admin'));
    const dashboard = subscribed(await screen.emitWithAck('feed:subscribe', { feed: 'dashboard' }));
    const reviews = subscribed(await screen.emitWithAck('feed:subscribe', { feed: 'reviews', limit: 500 }));
    const zone = subscribed(await screen.emitWithAck('feed:subscribe', { feed: 'zone', zone: 'north' }));
    const slot = await screen.emitWithAck('availability:subscribe', { slotIds: [TEST_SLOT] });
    expect(dashboard.snapshot?.rows.map((r) => r.id)).toContain('dw-alert-1');
    expect(dashboard.snapshot?.summary?.openAlerts).toBeGreaterThanOrEqual(1);
    expect(dashboard.snapshot?.summary?.inside['north']).toBe(1);
    expect(reviews.snapshot?.rows.map((r) => r.id)).toContain('dw-1');
    expect(zone.snapshot?.rows.map((r) => r.id)).toEqual(['dw-1-t1']);
    expect(slot).toMatchObject({ ok: true, data: { slots: [{ slotId: TEST_SLOT }] } });
    const taken = slot.ok ? (slot.data.slots[0]?.taken ?? 0) : 0;

    // Then every change, each with a cursor past the snapshot's.
    const seen = (feed: string, id: string) => nextEvent(screen, 'feed:changed', (c: FeedChanged) => c.feed === feed && c.change.id === id);
    const approved = seen('reviews', 'dw-1');
    const alerted = seen('dashboard', 'dw_alert_2');
    const left = seen('zone', 'dw-1-t1');
    const places = nextEvent(screen, 'slot:availability', (l) => l.slotId === TEST_SLOT && l.taken > taken);
    await t.runtime.host.send('booking', 'dw-1', { type: 'booking.approve', adminId: 'adm_dw' }, sys);
    await t.runtime.alerts.raise({ alertId: 'dw_alert_2', type: 'test', severity: 'info', message: 'second', details: {} });
    await t.runtime.host.send('ticket', 'dw-1-t1', { type: 'ticket.scan', direction: 'exit', gateId: 'g1', nonce: 'nonce-dw-2', at: Date.now() }, sys);
    await visitor.emitWithAck('booking:hold', holdOf('dw-hold-2'));
    expect(await approved).toMatchObject({ member: false, change: { state: 'awaiting_payment' } });
    expect((await approved).change.cursor).toBeGreaterThan(reviews.cursor);
    expect(await alerted).toMatchObject({ member: true, change: { state: 'open' } });
    expect(await left).toMatchObject({ zone: 'north', member: false, change: { state: 'valid' } });
    expect((await places).taken).toBeGreaterThan(taken);
    const summary = await nextEvent(screen, 'dashboard:summary', () => true, 5_000);
    expect(summary.openAlerts).toBeGreaterThanOrEqual(2);
    visitor.close();
    screen.close();
  });

  it('staff acknowledge and resolve an alert; who and when are kept; visitors may not', async () => {
    const visitor = await t.connect(await t.person('vis_al', 'visitor'));
    expect(await visitor.emitWithAck('alert:acknowledge', { alertId: 'dw-alert-1' })).toMatchObject({ ok: false, code: 'auth.forbidden' });
    visitor.close();
    const acked = await admin.emitWithAck('alert:acknowledge', { alertId: 'dw-alert-1' });
    expect(acked).toMatchObject({ ok: true, data: { state: 'acknowledged', context: { acknowledgedBy: 'user:adm_rs' } } });
    const resolved = await admin.emitWithAck('alert:resolve', { alertId: 'dw-alert-1', note: 'checked' });
    expect(resolved).toMatchObject({ ok: true, data: { state: 'resolved', context: { resolvedBy: 'user:adm_rs', note: 'checked' } } });
    const audit = await t.store.audit.list({ limit: 10, who: 'user:adm_rs' });
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['alert.acknowledge', 'alert.resolve']));
  });

  it('lists page by cursor with filters and search; a visitor lists only their own bookings', async () => {
    const page = await admin.emitWithAck('list:page', { list: 'bookings', filters: { state: 'awaiting_payment' }, text: 'gap-1', limit: 5 });
    expect(page).toMatchObject({ ok: true });
    if (!page.ok) return;
    expect(page.data.rows.every((r) => r.state === 'awaiting_payment' && r.id.includes('gap-1'))).toBe(true);
    expect(await admin.emitWithAck('list:page', { list: 'bookings', filters: { colour: 'red' } })).toMatchObject({ ok: false, code: 'event.invalid' });
    const visitor = await t.connect(await t.person('vis_dw', 'visitor'));
    const mine = await visitor.emitWithAck('list:page', { list: 'bookings', filters: { visitorId: 'vis_rs' } });
    expect(mine.ok && mine.data.rows.every((r) => (r.context as { visitorId: string }).visitorId === 'vis_dw')).toBe(true);
    expect(await visitor.emitWithAck('list:page', { list: 'payments' })).toMatchObject({ ok: false, code: 'auth.forbidden' });
    visitor.close();
  });

  it('a read model rebuilt from the change log equals the live one', async () => {
    const models = t.runtime.readModels;
    if (!models) throw new Error('no read models');
    await t.runtime.projector?.catchUp();
    const all = async () => (await models.list(bookingsProjection, { limit: 5_000 })).rows;
    const live = await all();
    const progress: number[] = [];
    await rebuildProjection({ changes: t.store.changes, models }, bookingsProjection, (p) => progress.push(p.applied), 200);
    expect(progress.length).toBeGreaterThan(1);
    await t.runtime.projector?.catchUp();
    expect(await all()).toEqual(live);
  });
});

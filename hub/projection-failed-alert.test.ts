/**
 * A projection that cannot fold a change raises a kept alert, through a real hub on a real store:
 * a module's read model throws on one booking, the projector stops that read model at the change
 * before it (the others keep moving) and raises `projection_failed`, an alert actor an admin's
 * dashboard feed shows as a row of its snapshot and then streams through acknowledged (by whom,
 * when) to resolved; the alerts list keeps the whole story.
 *
 *   booking bk-poison ─▶ projector ─▶ fragile_bookings row() throws ─▶ alert projection:fragile_bookings:<seq>
 *                                                                      └▶ dashboard: pushed (member), in the snapshot
 *   alert:acknowledge ─▶ acknowledged {by, at} ─▶ pushed      alert:resolve ─▶ resolved {by, at, note} ─▶ pushed (leaves)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ActorState, FeedChanged, FeedSubscribed } from '../machines/contract/wire.js';
import type { Result } from '../machines/errors.js';
import { alertDefinition } from '../machines/alert.machine.js';
import type { ReadModelSpec } from '../workers/projections/read-model.js';
import { rowKey } from '../workers/projections/read-model.js';
import { rowView } from '../workers/projections/venue-projections.js';
import type { ClientSocket, TestHub } from './hub.test-support.js';
import { TEST_SLOT, startTestHub } from './hub.test-support.js';
import { VENUE_MODULES } from './modules/index.js';
import type { VenueModule } from './modules/venue-module.js';

const POISON = 'bk-poison';

/** A read model of bookings that cannot fold one of them (as a bug in a projection would). */
const fragileBookings: ReadModelSpec = {
  name: 'fragile_bookings',
  version: 1,
  kinds: ['booking'],
  fields: ['state'],
  row(change) {
    if (change.id === POISON) throw new Error(`cannot fold booking ${change.id}`);
    return { key: rowKey(change), version: change.version, fields: { state: change.state }, sort: change.at, text: change.id, data: rowView(change) };
  },
};

/** The module that keeps it: nothing but the read model. */
const fragileModule: VenueModule<undefined> = {
  name: 'fragile-report',
  projections: () => [fragileBookings],
  start: () => ({ service: undefined }),
};

const booking = (bookingId: string) => ({
  bookingId,
  visitorId: 'vis_pf',
  slotId: TEST_SLOT,
  lines: [{ ticketTypeId: 'adult', qty: 1, unitPrice: 5_000 }],
  requiresApproval: true,
});

async function until<T>(read: () => T | Promise<T>, done: (value: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`condition not met in time: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function data<T>(answer: Result<T>): T {
  if (!answer.ok) throw new Error(`${answer.code}: ${answer.message}`);
  return answer.data;
}

describe('a projection that fails on a change', () => {
  let t: TestHub;
  let first: ClientSocket;
  let second: ClientSocket;
  const pushed: { first: FeedChanged[]; second: FeedChanged[] } = { first: [], second: [] };
  const alertsOf = (changes: readonly FeedChanged[]) => changes.filter((c) => c.feed === 'dashboard' && c.change.kind === 'alert' && (c.change.context as { type?: unknown }).type === 'projection_failed');
  const sys = { who: 'system:test', eventId: null };

  beforeAll(async () => {
    t = await startTestHub({ modules: [...VENUE_MODULES, fragileModule] });
    first = await t.connect(await t.person('adm_pf1', 'super_admin'));
    second = await t.connect(await t.person('adm_pf2', 'super_admin'));
    first.on('feed:changed', (change) => pushed.first.push(change));
    second.on('feed:changed', (change) => pushed.second.push(change));
  });
  afterAll(async () => {
    first?.close();
    second?.close();
    await t?.stop();
  });

  it('raises a kept alert that the dashboard snapshots and streams from raised, through acknowledged by whom and when, to resolved', async () => {
    // Before: an admin's dashboard with no alert, and a booking the fragile read model folds.
    data(await t.runtime.host.create('booking', 'bk-fine', booking('bk-fine'), sys));
    const before = data((await first.emitWithAck('feed:subscribe', { feed: 'dashboard' })) as Result<FeedSubscribed>);
    expect(before.snapshot?.rows.filter((row) => row.kind === 'alert')).toEqual([]);
    expect(before.snapshot?.summary?.openAlerts).toBe(0);

    // The change it cannot fold.
    let poisonedAt = 0;
    const stopWatching = t.runtime.bus.subscribe((notice) => {
      if (notice.kind === 'booking' && notice.id === POISON) poisonedAt = notice.cursor;
    });
    data(await t.runtime.host.create('booking', POISON, booking(POISON), sys));
    stopWatching();
    expect(poisonedAt).toBeGreaterThan(before.cursor);
    const [raised] = await until(() => alertsOf(pushed.first), (found) => found.length > 0);
    const alertId = `projection:fragile_bookings:${String(poisonedAt)}`;
    expect(raised).toMatchObject({
      feed: 'dashboard',
      member: true,
      change: {
        kind: 'alert',
        id: alertId,
        state: 'open',
        tags: expect.arrayContaining(['unresolved', 'unseen']),
        context: { type: 'projection_failed', severity: 'critical', details: { code: 'projection.failed', projection: 'fragile_bookings', seq: poisonedAt, message: `cannot fold booking ${POISON}` } },
      },
    });
    expect(raised?.change.cursor).toBeGreaterThan(before.cursor);

    // Kept, not only pushed: the alert is an actor, and a dashboard opened now shows it in its snapshot.
    expect(data(await t.runtime.host.read(alertDefinition, alertId))).toMatchObject({ state: 'open', context: { raisedAt: expect.any(Number) } });
    const late = data((await second.emitWithAck('feed:subscribe', { feed: 'dashboard' })) as Result<FeedSubscribed>);
    expect(late.snapshot?.rows.filter((row) => row.kind === 'alert').map((row) => `${row.id}:${row.state}`)).toEqual([`${alertId}:open`]);
    expect(late.snapshot?.summary?.openAlerts).toBe(1);
    expect(late.cursor).toBeGreaterThanOrEqual(raised?.change.cursor ?? Infinity);

    // Only the fragile read model stopped: the others folded the same booking.
    const reviews = data(await first.emitWithAck('list:page', { list: 'bookings', filters: { state: 'held' } }));
    expect(reviews.rows.map((row) => row.id).sort()).toEqual(['bk-fine', POISON]);

    // Acknowledged by the second admin: who and when, streamed to both dashboards.
    const ackFrom = Date.now();
    const acknowledged = data((await second.emitWithAck('alert:acknowledge', { alertId })) as Result<ActorState>);
    const ackTo = Date.now();
    expect(acknowledged).toMatchObject({ state: 'acknowledged', context: { acknowledgedBy: 'user:adm_pf2' } });
    const acknowledgedAt = (acknowledged.context as { acknowledgedAt: number }).acknowledgedAt;
    expect(acknowledgedAt).toBeGreaterThanOrEqual(ackFrom);
    expect(acknowledgedAt).toBeLessThanOrEqual(ackTo);
    for (const socket of ['first', 'second'] as const) {
      const seen = await until(() => alertsOf(pushed[socket]), (found) => found.some((c) => c.change.state === 'acknowledged'));
      expect(seen.find((c) => c.change.state === 'acknowledged'), socket).toMatchObject({ member: true, change: { id: alertId, context: { acknowledgedBy: 'user:adm_pf2', acknowledgedAt } } });
    }

    // Resolved by the first admin with a note: it leaves the dashboard's rows.
    const resolved = data((await first.emitWithAck('alert:resolve', { alertId, note: 'projection fixed and rebuilt' })) as Result<ActorState>);
    expect(resolved).toMatchObject({ state: 'resolved', context: { acknowledgedBy: 'user:adm_pf2', resolvedBy: 'user:adm_pf1', resolvedAt: expect.any(Number), note: 'projection fixed and rebuilt' } });
    for (const socket of ['first', 'second'] as const) {
      const seen = await until(() => alertsOf(pushed[socket]), (found) => found.some((c) => c.change.state === 'resolved'));
      expect(seen.map((c) => [c.change.state, c.member]), socket).toEqual([
        ...(socket === 'first' ? [['open', true]] : []),
        ['acknowledged', true],
        ['resolved', false],
      ]);
      // Each push carries a cursor past the one before.
      const cursors = seen.map((c) => c.change.cursor);
      expect(cursors.every((cursor, i) => i === 0 || cursor > (cursors[i - 1] ?? 0))).toBe(true);
    }
    const after = data((await second.emitWithAck('feed:subscribe', { feed: 'dashboard' })) as Result<FeedSubscribed>);
    expect(after.snapshot?.rows.filter((row) => row.kind === 'alert')).toEqual([]);
    expect(after.snapshot?.summary?.openAlerts).toBe(0);

    // The alerts list keeps it with who did what and when.
    const listed = data(await first.emitWithAck('list:page', { list: 'alerts', filters: { type: 'projection_failed' } }));
    expect(listed.rows).toEqual([
      expect.objectContaining({
        id: alertId,
        state: 'resolved',
        context: expect.objectContaining({ acknowledgedBy: 'user:adm_pf2', acknowledgedAt, resolvedBy: 'user:adm_pf1', resolvedAt: (resolved.context as { resolvedAt: number }).resolvedAt }),
      }),
    ]);
  });
});

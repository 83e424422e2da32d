import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BookingHistory } from '../../machines/contract/bookings.js';
import type { Permissions } from '../../machines/contract/accounts.js';
import type { ActorState } from '../../machines/contract/wire.js';
import { holdOf, TEST_SLOT, TEST_TICKETS } from '../hub.test-support.js';
import type { ApiHub } from './api.test-support.js';
import { data, startApiHub } from './api.test-support.js';

const OTHER_SLOT = 'test-pool-2099-01-01-1400';

describe('the routes staff screens read', () => {
  let t: ApiHub;
  beforeAll(async () => {
    t = await startApiHub({ accountLimits: { resendGapMs: 0 }, slots: { [TEST_SLOT]: 1_000, [OTHER_SLOT]: 4 } });
  });
  afterAll(() => t.stop());

  it('answers what each role may do from the policy table', async () => {
    const permissions = async (token: string) => data(await t.call<Permissions>('GET', '/api/me/permissions', undefined, token));
    const booking = await permissions(await t.person('perm-booking', 'booking_admin'));
    expect(booking.role).toBe('booking_admin');
    expect(booking.actions).toEqual(expect.arrayContaining(['feed.dashboard', 'feed.reviews', 'booking.approve', 'list.bookings']));
    expect(booking.actions).not.toContain('payment.refund');
    expect(booking.actions).not.toContain('transactions.list');
    const finance = await permissions(await t.person('perm-finance', 'finance_admin'));
    expect(finance.actions).toEqual(expect.arrayContaining(['payment.refund', 'transactions.list', 'audit.read']));
    expect(finance.actions).not.toContain('booking.approve');
    const support = await permissions(await t.person('perm-support', 'support_admin'));
    expect(support.actions).toContain('account.suspend');
    expect(support.actions).not.toContain('payment.refund');
    // A visitor gets their own rows only (hold, list their own bookings), nothing of staff.
    const visitor = await permissions(await t.person('perm-visitor', 'visitor'));
    expect(visitor.actions).toContain('booking.hold');
    expect(visitor.actions).not.toContain('feed.dashboard');
    expect((await t.call('GET', '/api/me/permissions')).body).toMatchObject({ ok: false, code: 'auth.missing' });
  });

  it('gives staff a booking’s history (every event, who, when, from and to) and refuses visitors, even the owner', async () => {
    const visitorToken = await t.person('hist-visitor', 'visitor');
    const socket = await t.connect(visitorToken);
    const held = await socket.emitWithAck('booking:hold', holdOf('bk-hist-1', true));
    expect(held.ok).toBe(true);
    const submitted = await socket.emitWithAck('actor:command', { kind: 'booking', id: 'bk-hist-1', event: { type: 'booking.submit' } });
    expect(submitted.ok).toBe(true);
    socket.close();
    const support = await t.person('hist-support', 'support_admin');
    const history = data(await t.call<BookingHistory>('GET', '/api/admin/bookings/bk-hist-1/history', undefined, support));
    expect(history.events.map((e) => `${e.version} ${e.eventType} ${e.from ?? '-'}→${e.to}`)).toEqual(['1 booking.created -→held', '2 booking.submit held→under_review']);
    expect(history.events[1]?.who).toBe('user:hist-visitor');
    expect((await t.call('GET', '/api/admin/bookings/bk-hist-1/history', undefined, visitorToken)).body).toMatchObject({ ok: false, code: 'auth.forbidden' });
    expect((await t.call('GET', '/api/admin/bookings/bk-nobody/history', undefined, support)).body).toMatchObject({ ok: false, code: 'actor.not_found' });
  });

  it('moves a booking to another slot and changes its party, priced again, with the places of both slots following, paid or not', async () => {
    const visitorToken = await t.person('move-visitor', 'visitor');
    const socket = await t.connect(visitorToken);
    expect((await socket.emitWithAck('booking:hold', holdOf('bk-move-1'))).ok).toBe(true);
    const level = async (slotId: string) => (await t.store.ledger.level(slotId))?.taken;
    const fromBefore = await level(TEST_SLOT);
    const admin = await t.person('move-admin', 'booking_admin');
    const body = { slotId: OTHER_SLOT, items: [{ ticketTypeId: TEST_TICKETS.adult.ticketTypeId, qty: 2 }, { ticketTypeId: TEST_TICKETS.child.ticketTypeId, qty: 1 }], changeId: 'change-bk-move-1' };
    const moved = data(await t.call<ActorState>('POST', '/api/admin/bookings/bk-move-1/change', body, admin));
    expect(moved.state).toBe('held');
    expect(moved.context).toMatchObject({ slotId: OTHER_SLOT, quantity: 3, total: 2 * TEST_TICKETS.adult.price + TEST_TICKETS.child.price });
    expect(await level(OTHER_SLOT)).toBe(3);
    expect(await level(TEST_SLOT)).toBe((fromBefore ?? 0) - 1);
    // The same form again: one change.
    expect(data(await t.call<ActorState>('POST', '/api/admin/bookings/bk-move-1/change', body, admin)).version).toBe(moved.version);
    expect(await level(OTHER_SLOT)).toBe(3);
    // A party the slot has no room for changes nothing.
    const tooMany = await t.call('POST', '/api/admin/bookings/bk-move-1/change', { ...body, items: [{ ticketTypeId: TEST_TICKETS.adult.ticketTypeId, qty: 5 }], changeId: 'change-bk-move-2' }, admin);
    expect(tooMany.body).toMatchObject({ ok: false, code: 'slot.sold_out' });
    expect(await level(OTHER_SLOT)).toBe(3);
    // Other roles are refused by the policy (and audited).
    const finance = await t.person('move-finance', 'finance_admin');
    expect((await t.call('POST', '/api/admin/bookings/bk-move-1/change', body, finance)).body).toMatchObject({ ok: false, code: 'auth.forbidden' });
    expect((await t.call('POST', '/api/admin/bookings/bk-move-1/change', { ...body, items: [] }, admin)).body).toMatchObject({ ok: false, code: 'event.invalid' });
    const meta = { who: 'test', eventId: null };
    expect((await socket.emitWithAck('actor:command', { kind: 'booking', id: 'bk-move-1', event: { type: 'booking.submit' } })).ok).toBe(true);
    const paid = await t.runtime.host.send('booking', 'bk-move-1', { type: 'payment.captured', paymentId: 'pay-move-1', amount: moved.context ? (moved.context as { total: number }).total : 0 }, meta);
    expect(paid.ok && paid.data.state).toBe('confirmed');
    // Paid, it changes under the money rule: back to its first slot at the same price, so only the places move.
    const afterPaid = data(await t.call<ActorState>('POST', '/api/admin/bookings/bk-move-1/change', { ...body, slotId: TEST_SLOT, changeId: 'change-bk-move-3' }, admin));
    expect(afterPaid).toMatchObject({ state: 'confirmed', context: { slotId: TEST_SLOT, ticketBase: 3, changes: [{ changeId: 'change-bk-move-3', difference: 0, settlement: 'none' }] } });
    expect(await level(OTHER_SLOT)).toBe(0);
    // The history shows who changed it, from where to where, and the money.
    const history = data(await t.call<BookingHistory>('GET', '/api/admin/bookings/bk-move-1/history', undefined, admin));
    const changed = history.events.find((e) => e.change !== undefined);
    expect(changed).toMatchObject({ eventType: 'booking.change', who: 'user:move-admin', change: { from: { slotId: OTHER_SLOT, people: 3 }, to: { slotId: TEST_SLOT, people: 3 }, difference: 0 } });
    // Checked in, it is not changed any more, and nothing moves.
    expect((await t.runtime.host.send('booking', 'bk-move-1', { type: 'booking.check_in', at: Date.now() }, meta)).ok).toBe(true);
    const inside = await t.call('POST', '/api/admin/bookings/bk-move-1/change', { ...body, changeId: 'change-bk-move-4' }, admin);
    expect(inside.body).toMatchObject({ ok: false, code: 'event.rejected' });
    expect(await level(OTHER_SLOT)).toBe(0);
    socket.close();
  });

  it('lets super and support admins look a person up by a verified address, and nobody else', async () => {
    const signedUp = await t.signUp('find.me@example.com', 'Findable Person');
    const support = await t.person('find-support', 'support_admin');
    const found = data(await t.call<{ account: { userId: string; name: string } }>('GET', '/api/admin/users?email=find.me%40example.com', undefined, support));
    expect(found.account).toMatchObject({ userId: signedUp.account.userId, name: 'Findable Person' });
    expect((await t.call('GET', '/api/admin/users?email=nobody%40example.com', undefined, support)).body).toMatchObject({ ok: false, code: 'account.invalid' });
    expect((await t.call('GET', '/api/admin/users', undefined, support)).body).toMatchObject({ ok: false, code: 'event.invalid' });
    const booking = await t.person('find-booking', 'booking_admin');
    expect((await t.call('GET', '/api/admin/users?email=find.me%40example.com', undefined, booking)).body).toMatchObject({ ok: false, code: 'auth.forbidden' });
  });
});

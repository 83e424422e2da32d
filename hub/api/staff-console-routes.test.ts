import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BookingHistory } from '../../machines/contract/bookings.js';
import type { Permissions } from '../../machines/contract/accounts.js';
import { holdOf } from '../hub.test-support.js';
import type { ApiHub } from './api.test-support.js';
import { data, startApiHub } from './api.test-support.js';

describe('the routes staff screens read', () => {
  let t: ApiHub;
  beforeAll(async () => {
    t = await startApiHub({ accountLimits: { resendGapMs: 0 } });
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
});

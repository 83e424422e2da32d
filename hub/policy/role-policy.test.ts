import { describe, expect, it } from 'vitest';
import { PERSON_ROLES } from '../../machines/contract/wire.js';
import type { PersonRole } from '../../machines/contract/wire.js';
import type { DevicePrincipal, GuestPrincipal, PersonPrincipal } from '../auth/tokens.js';
import { POLICY, decide } from './policy-table.js';
import type { PolicyAction } from './policy-table.js';
import { mayCommand, mayHold, mayRent, mayRevoke, mayWatchActor, mayWatchCounts, mayWatchFeed } from './role-policy.js';

const person = (role: PersonRole, userId = 'u1'): PersonPrincipal => ({ kind: 'person', userId, role, jti: 'j', iat: 0, exp: 1 });
const device = (deviceKind: DevicePrincipal['deviceKind'], zone?: string): DevicePrincipal => ({
  kind: 'device',
  deviceId: 'd1',
  deviceKind,
  scope: zone === undefined ? {} : { zone },
  jti: 'j',
  iat: 0,
  exp: 1,
});
const booking = (visitorId: string) => ({ context: { visitorId } });
const allowed = (d: { allowed: boolean }) => d.allowed;

describe('role policy', () => {
  it('lets visitors watch only their own bookings and every admin watch any', () => {
    expect(allowed(mayWatchActor(person('visitor'), 'booking', booking('u1')))).toBe(true);
    expect(allowed(mayWatchActor(person('visitor'), 'booking', booking('u2')))).toBe(false);
    expect(allowed(mayWatchActor(person('visitor'), 'booking', null))).toBe(false);
    expect(allowed(mayWatchActor(person('visitor'), 'booking', { context: null }))).toBe(false);
    for (const role of ['super_admin', 'finance_admin', 'booking_admin', 'support_admin'] as const) {
      expect(allowed(mayWatchActor(person(role), 'booking', booking('u2'))), role).toBe(true);
    }
    expect(allowed(mayWatchActor(person('kitchen_staff'), 'booking', booking('u2')))).toBe(false);
    expect(allowed(mayWatchActor(device('gate'), 'booking', booking('u2')))).toBe(false);
  });

  it('gives each feed to its audience', () => {
    const who = (feed: 'dashboard' | 'reviews' | 'kitchen') => PERSON_ROLES.filter((r) => allowed(mayWatchFeed(person(r), feed, undefined)));
    expect(who('dashboard')).toEqual(['super_admin', 'finance_admin', 'booking_admin', 'support_admin']);
    expect(who('reviews')).toEqual(['super_admin', 'booking_admin']);
    expect(who('kitchen')).toEqual(['super_admin', 'kitchen_staff']);
    expect(allowed(mayWatchFeed(device('kitchen_board'), 'kitchen', undefined))).toBe(true);
    expect(allowed(mayWatchFeed(device('gate', 'north'), 'zone', 'north'))).toBe(true);
    expect(allowed(mayWatchFeed(device('gate', 'north'), 'zone', 'south'))).toBe(false);
    expect(allowed(mayWatchFeed(device('gate'), 'zone', 'north'))).toBe(false);
    expect(allowed(mayWatchFeed(device('locker', 'north'), 'zone', 'north'))).toBe(false);
    expect(allowed(mayWatchFeed(person('visitor'), 'zone', 'north'))).toBe(false);
  });

  it('gives a guest session (a signed-out visitor) the menu and nothing else of the policy', () => {
    const guest: GuestPrincipal = { kind: 'person', userId: 'guest_1', role: 'guest', jti: 'j', iat: 0, exp: 1 };
    expect(Object.keys(POLICY).filter((action) => decide(guest, action as PolicyAction).allowed)).toEqual(['menu.watch']);
    expect(allowed(mayWatchCounts(guest))).toBe(false);
    expect(allowed(mayWatchFeed(guest, 'food_orders', 'guest_1'))).toBe(false);
    expect(allowed(mayWatchActor(guest, 'food_order', { context: { visitorId: 'guest_1' } }))).toBe(false);
  });

  it("gives a visitor's food orders to that visitor (zone = their user id) and to the kitchen", () => {
    expect(allowed(mayWatchFeed(person('visitor', 'u1'), 'food_orders', 'u1'))).toBe(true);
    expect(allowed(mayWatchFeed(person('visitor', 'u1'), 'food_orders', 'u2'))).toBe(false);
    expect(allowed(mayWatchFeed(person('visitor', 'u1'), 'food_orders', undefined))).toBe(false);
    expect(PERSON_ROLES.filter((r) => allowed(mayWatchFeed(person(r, 'staff'), 'food_orders', 'u2')))).toEqual(['super_admin', 'kitchen_staff']);
    expect(allowed(mayWatchFeed(device('kitchen_board'), 'food_orders', 'u2'))).toBe(false);
  });

  it('lets visitors submit and cancel (without refund) their own bookings only', () => {
    const own = booking('u1');
    expect(mayCommand(person('visitor'), 'booking', { type: 'booking.submit' }, own)).toMatchObject({ allowed: true, privileged: false });
    expect(mayCommand(person('visitor'), 'booking', { type: 'booking.cancel', refundAmount: 0 }, own)).toMatchObject({ allowed: true });
    expect(mayCommand(person('visitor'), 'booking', { type: 'booking.cancel', refundAmount: 1 }, own)).toMatchObject({ allowed: false });
    expect(mayCommand(person('visitor'), 'booking', { type: 'booking.submit' }, booking('u2'))).toMatchObject({ allowed: false });
    expect(mayCommand(person('visitor'), 'booking', { type: 'booking.approve' }, own)).toMatchObject({ allowed: false });
  });

  it('lets booking admins review as themselves, privileged', () => {
    const decision = mayCommand(person('booking_admin', 'adm'), 'booking', { type: 'booking.reject', adminId: 'forged', reason: 'full' }, booking('u2'));
    expect(decision).toEqual({ allowed: true, privileged: true, event: { type: 'booking.reject', adminId: 'adm', reason: 'full' } });
    expect(mayCommand(person('finance_admin'), 'booking', { type: 'booking.approve' }, null)).toMatchObject({ allowed: false });
  });

  it('takes no payment or check-in events and no device commands from sockets', () => {
    for (const type of ['payment.captured', 'payment.failed', 'payment.refunded', 'booking.check_in', 'booking.check_out']) {
      expect(mayCommand(person('super_admin'), 'booking', { type }, booking('u1')), type).toMatchObject({ allowed: false, code: 'auth.forbidden' });
    }
    expect(mayCommand(device('gate', 'north'), 'booking', { type: 'booking.submit' }, booking('u1'))).toMatchObject({ allowed: false });
    expect(mayCommand(person('super_admin'), 'locker', { type: 'locker.open' }, null)).toMatchObject({ allowed: false });
  });

  it('holds are for visitors, revocation for super admins', () => {
    expect(PERSON_ROLES.filter((r) => allowed(mayHold(person(r))))).toEqual(['visitor']);
    expect(allowed(mayHold(device('gate')))).toBe(false);
    expect(PERSON_ROLES.filter((r) => allowed(mayRevoke(person(r))))).toEqual(['super_admin']);
    expect(mayRevoke(person('super_admin'))).toEqual({ allowed: true, privileged: true });
  });

  it('equipment is handed out by rental desks and front-desk staff only', () => {
    expect(PERSON_ROLES.filter((r) => allowed(mayRent(person(r))))).toEqual(['super_admin', 'booking_admin', 'support_admin']);
    expect(mayRent(device('rental_desk'))).toEqual({ allowed: true, privileged: false });
    for (const kind of ['gate', 'locker', 'kitchen_board'] as const) expect(mayRent(device(kind))).toMatchObject({ allowed: false, code: 'auth.forbidden' });
  });
});

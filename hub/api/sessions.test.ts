import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccountView } from '../../workers/accounts/account-service.js';
import { disconnected, holdOf, nextEvent, SOCKET_ENGINES } from '../hub.test-support.js';
import type { RefreshedAnswer, SignedInAnswer } from './account-routes.js';
import type { ApiHub } from './api.test-support.js';
import { data, startApiHub } from './api.test-support.js';

describe('sessions over HTTP', () => {
  let t: ApiHub;
  beforeAll(async () => {
    // Sign-up and sign-in follow each other at once here; the resend gap has its own tests.
    t = await startApiHub({ accountLimits: { resendGapMs: 0 } });
  });
  afterAll(() => t.stop());

  /** Signs in a returning person by email code. */
  async function signIn(email: string): Promise<SignedInAnswer> {
    const { verificationId } = data(await t.call<{ verificationId: string }>('POST', '/api/auth/sign-in', { email }));
    const { message } = await t.services.codeFor(email, verificationId);
    return data(await t.call<SignedInAnswer>('POST', '/api/auth/sign-in/complete', { verificationId, code: message.code }));
  }

  it('sign-out ends the open socket, refuses the old tokens, and a sign-in right after works', async () => {
    const first = await t.signUp('leaver@example.com');
    const socket = await t.connect(first.accessToken);
    const ended = nextEvent(socket, 'session:ended');
    const gone = disconnected(socket);

    const out = await t.call<{ signedOut: true; revokedBefore: number }>('POST', '/api/auth/sign-out', { refreshToken: first.refreshToken });
    expect(data(out)).toMatchObject({ signedOut: true, revokedBefore: expect.any(Number) });
    expect(await ended).toMatchObject({ code: 'auth.revoked' });
    expect(await gone).toBe('io server disconnect');

    await expect(t.connect(first.accessToken)).rejects.toMatchObject({ data: { code: 'auth.revoked' } });
    const me = await t.call('GET', '/api/me', undefined, first.accessToken);
    expect(me.status).toBe(401);
    expect(me.body).toMatchObject({ ok: false, code: 'auth.revoked' });
    expect((await t.call('POST', '/api/auth/refresh', { refreshToken: first.refreshToken })).body).toMatchObject({ ok: false, code: 'session.invalid' });

    // Signed in again within the revocation's second: the new token must not be born revoked.
    const again = await signIn('leaver@example.com');
    expect(again.account.userId).toBe(first.account.userId);
    const fresh = await t.connect(again.accessToken);
    expect(fresh.connected).toBe(true);
    fresh.close();
  });

  it('signs out everywhere with a bearer token', async () => {
    const a = await t.signUp('everywhere@example.com');
    const b = await signIn('everywhere@example.com');
    const socket = await t.connect(b.accessToken);
    const ended = nextEvent(socket, 'session:ended');
    expect((await t.call('POST', '/api/auth/sign-out', { everywhere: true })).body).toMatchObject({ ok: false, code: 'auth.missing' });
    expect(data(await t.call('POST', '/api/auth/sign-out', { everywhere: true }, a.accessToken))).toMatchObject({ signedOut: true });
    expect(await ended).toMatchObject({ code: 'auth.revoked' });
    for (const refreshToken of [a.refreshToken, b.refreshToken]) {
      expect((await t.call('POST', '/api/auth/refresh', { refreshToken })).body).toMatchObject({ ok: false, code: 'session.invalid' });
    }
  });

  it('rotates refresh tokens, and a reused one ends the whole sign-in and its access tokens', async () => {
    const start = await t.signUp('rotor@example.com');
    const second = data(await t.call<RefreshedAnswer>('POST', '/api/auth/refresh', { refreshToken: start.refreshToken }));
    expect(second.refreshToken).not.toBe(start.refreshToken);
    expect(data(await t.call<AccountView>('GET', '/api/me', undefined, second.accessToken)).userId).toBe(start.account.userId);
    const third = data(await t.call<RefreshedAnswer>('POST', '/api/auth/refresh', { refreshToken: second.refreshToken }));

    const reused = await t.call('POST', '/api/auth/refresh', { refreshToken: start.refreshToken });
    expect(reused.status).toBe(401);
    expect(reused.body).toMatchObject({ ok: false, code: 'session.invalid' });
    expect((await t.call('POST', '/api/auth/refresh', { refreshToken: third.refreshToken })).body).toMatchObject({ ok: false, code: 'session.invalid' });
    expect((await t.call('GET', '/api/me', undefined, third.accessToken)).body).toMatchObject({ ok: false, code: 'auth.revoked' });
  });

  it('reads and changes the signed-in account', async () => {
    const me = await t.signUp('prefs@example.com', 'Prefs');
    expect(data(await t.call<AccountView>('PATCH', '/api/me/preferences', { sms: false }, me.accessToken)).preferences).toEqual({ email: true, sms: false, push: true, in_app: true });
    expect((await t.call('PATCH', '/api/me/preferences', { fax: true }, me.accessToken)).body).toMatchObject({ ok: false, code: 'event.invalid' });
    const added = data(await t.call<{ verificationId: string }>('POST', '/api/me/addresses', { phone: '+966 50 123 4567' }, me.accessToken));
    const { message } = await t.services.codeFor('+966501234567');
    expect(data(await t.call<SignedInAnswer>('POST', '/api/auth/verify', { verificationId: added.verificationId, code: message.code })).account).toMatchObject({
      userId: me.account.userId,
      phone: '+966501234567',
      phoneVerified: true,
    });
    expect((await t.call('GET', '/api/me')).body).toMatchObject({ ok: false, code: 'auth.missing' });
    const device = await t.device('gate-1', 'gate', { zone: 'north' });
    expect((await t.call('GET', '/api/me', undefined, device)).body).toMatchObject({ ok: false, code: 'auth.wrong_type' });
  });

  it('refuses malformed bodies with event.invalid and a field-level message', async () => {
    const bad = await t.call('POST', '/api/auth/register', { name: 'X', email: 'not-an-email', admin: true });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ ok: false, code: 'event.invalid' });
    expect((await t.call('POST', '/api/auth/verify', { verificationId: 'v_x', code: '12' })).body).toMatchObject({ ok: false, code: 'event.invalid' });
    expect((await t.call('POST', '/api/auth/sign-out', { refreshToken: 'short', everywhere: true })).body).toMatchObject({ ok: false, code: 'event.invalid' });
  });

  it("opens a guest session for a signed-out visitor: the policy lets it follow the menu and nothing else, and no person's route takes it", async () => {
    const guest = data(await t.call<{ accessToken: string; accessExpiresAt: number }>('POST', '/api/auth/guest', {}));
    expect(guest.accessExpiresAt).toBeGreaterThan(Date.now());
    expect((await t.call('POST', '/api/auth/guest', { role: 'super_admin' })).body).toMatchObject({ ok: false, code: 'event.invalid' });
    // No account behind it: the routes of a person refuse it.
    expect((await t.call('GET', '/api/me', undefined, guest.accessToken)).body).toMatchObject({ ok: false, code: 'auth.wrong_type' });
    expect((await t.call('GET', '/api/me/permissions', undefined, guest.accessToken)).body).toMatchObject({ ok: false, code: 'auth.wrong_type' });
    expect((await t.call('POST', '/api/admin/catalog/menu_item', { itemId: 'x' }, guest.accessToken)).body).toMatchObject({ ok: false, code: 'auth.wrong_type' });

    const socket = await t.connect(guest.accessToken);
    try {
      // The menu is the policy's to give (this hub runs none); every other read or command is refused, audited.
      expect(await socket.emitWithAck('menu:subscribe', {})).toMatchObject({ ok: false, code: 'menu.unavailable' });
      const refused = [
        await socket.emitWithAck('booking:hold', holdOf('guest-b1')),
        await socket.emitWithAck('actor:subscribe', { kind: 'booking', id: 'b1' }),
        await socket.emitWithAck('actor:subscribe', { kind: 'food_order', id: 'fo_1' }),
        await socket.emitWithAck('feed:subscribe', { feed: 'dashboard' }),
        await socket.emitWithAck('list:page', { list: 'bookings' }),
        await socket.emitWithAck('availability:subscribe', { slotIds: ['slot_1'] }),
        await socket.emitWithAck('occupancy:subscribe', { zones: ['north'] }),
        await socket.emitWithAck('equipment:subscribe', { typeIds: ['tube'] }),
      ];
      for (const answer of refused) expect(answer).toMatchObject({ ok: false, code: 'auth.forbidden' });
      const denials = await t.store.audit.list({ limit: 50 });
      expect(denials.filter((row) => row.role === 'guest' && row.outcome === 'denied').length).toBeGreaterThanOrEqual(refused.length);
    } finally {
      socket.close();
    }
  });
});

describe.each(SOCKET_ENGINES)('the auth rate limit per address on the %s engine', (engine) => {
  let t: ApiHub;
  beforeAll(async () => {
    t = await startApiHub({ config: { SOCKET_ENGINE: engine }, authRate: { perMinute: 6, burst: 3 } });
  });
  afterAll(() => t.stop());

  it('answers rate.limited with Retry-After once the bucket is empty, and leaves other routes alone', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await t.call('POST', '/api/auth/sign-in', { email: `nobody${i}@example.com` })).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    const limited = await t.call('POST', '/api/auth/register', { name: 'Late', email: 'late@example.com' });
    expect(limited.body).toMatchObject({ ok: false, code: 'rate.limited' });
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect((await t.call('GET', '/api/catalog/activities')).status).toBe(200);
    // Guest sessions have a budget of their own, as large: the spent sign-in budget leaves it whole.
    const guests: number[] = [];
    for (let i = 0; i < 4; i++) guests.push((await t.call('POST', '/api/auth/guest', {})).status);
    expect(guests).toEqual([200, 200, 200, 429]);
  });
});

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openAccountsHarness, type AccountsHarness } from './account-service.test-support.js';

let h: AccountsHarness;
beforeEach(async () => {
  h = await openAccountsHarness();
});
afterEach(async () => {
  await h.close();
});

async function session(userId: string): Promise<string> {
  const created = await h.service.createSession(userId);
  if (!created.ok) throw new Error(created.message);
  expect(created.data.refreshToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
  return created.data.refreshToken;
}

describe('sign-in of a returning visitor', () => {
  it('sends a code to the verified address and answers who signed in', async () => {
    const userId = await h.verifiedVisitor('back@example.test');
    h.advance(31_000);
    const started = await h.service.startSignIn({ email: 'BACK@example.test' });
    const { message } = await h.lastSent('back@example.test');
    expect(message.kind).toBe('signin');
    expect(await h.service.completeSignIn({ verificationId: started.ok ? started.data.verificationId : '', code: message.code })).toEqual({ ok: true, data: { userId, role: 'visitor' } });
  });
});

describe('refresh sessions', () => {
  it('rotates on every use; reusing a rotated token ends the family and revokes access tokens', async () => {
    const userId = await h.verifiedVisitor('r@example.test');
    const first = await session(userId);
    const rotated = await h.service.refresh(first);
    expect(rotated).toMatchObject({ ok: true, data: { userId, role: 'visitor' } });
    const second = rotated.ok ? rotated.data.newRefreshToken : '';
    expect(second).not.toBe(first);
    expect(await h.actors.revocations.revokedBefore(`user:${userId}`)).toBeNull();

    h.advance(5_000);
    expect(await h.service.refresh(first)).toMatchObject({ ok: false, code: 'session.invalid' });
    expect(await h.service.refresh(second)).toMatchObject({ ok: false, code: 'session.invalid' });
    expect(await h.actors.revocations.revokedBefore(`user:${userId}`)).toBe(Math.floor(h.now.value / 1000));
  });

  it('lets exactly one of two concurrent refreshes with the same token win', async () => {
    const userId = await h.verifiedVisitor('twice@example.test');
    const token = await session(userId);
    const results = await Promise.all([h.service.refresh(token), h.service.refresh(token)]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
  });

  it('refuses expired, unknown and malformed tokens', async () => {
    const userId = await h.verifiedVisitor('old@example.test');
    const token = await session(userId);
    expect(await h.service.refresh('x'.repeat(43))).toMatchObject({ code: 'session.invalid' });
    expect(await h.service.refresh({ token })).toMatchObject({ code: 'session.invalid' });
    h.advance(31 * 24 * 3_600_000);
    expect(await h.service.refresh(token)).toMatchObject({ code: 'session.invalid' });
  });

  it('signs out: ends the sign-in and writes the revocation the hub checks', async () => {
    const userId = await h.verifiedVisitor('out@example.test');
    const token = await session(userId);
    const other = await session(userId);
    h.advance(2_000);
    const out = await h.service.signOut({ refreshToken: token });
    expect(out).toEqual({ ok: true, data: { userId, subject: `user:${userId}`, revokedBefore: Math.floor(h.now.value / 1000) } });
    expect(await h.actors.revocations.revokedBefore(`user:${userId}`)).toBe(Math.floor(h.now.value / 1000));
    expect(await h.service.refresh(token)).toMatchObject({ code: 'session.invalid' });
    // The other device keeps its refresh session and gets a fresh access token from it.
    expect(await h.service.refresh(other)).toMatchObject({ ok: true });
    expect(await h.service.signOut({ refreshToken: 'nonsense' })).toMatchObject({ code: 'session.invalid' });
  });
});

describe('admin actions', () => {
  it('suspends: sessions end, tokens are revoked, booking and sign-in stop, all audited', async () => {
    const admin = await h.service.bootstrapAdmin({ email: 'boss@example.test', name: 'Boss' });
    const userId = await h.verifiedVisitor('bad@example.test');
    const token = await session(userId);
    const by = { userId: admin.userId, role: admin.role };

    const suspended = await h.service.suspend(userId, 'chargeback fraud', by);
    expect(suspended).toMatchObject({ ok: true, data: { subject: `user:${userId}` } });
    expect(await h.actors.revocations.revokedBefore(`user:${userId}`)).toBe(Math.floor(h.now.value / 1000));
    expect(await h.service.refresh(token)).toMatchObject({ code: 'session.invalid' });
    expect(await h.service.assertCanBook(userId)).toMatchObject({ ok: false, code: 'account.suspended' });
    expect(await h.service.createSession(userId)).toMatchObject({ ok: false, code: 'account.suspended' });
    expect(await h.service.contacts.contact(userId)).toBeNull();

    const rows = await h.actors.audit.list({ limit: 10, who: `user:${admin.userId}` });
    expect(rows[0]).toMatchObject({ action: 'account.suspend', target: `account/${userId}`, outcome: 'allowed', role: 'super_admin' });
    expect((await h.service.reinstate(userId, by)).ok).toBe(true);
    expect(await h.service.canBook(userId)).toBe(true);
  });

  it('refuses and audits what a role may not do', async () => {
    const admin = await h.service.bootstrapAdmin({ email: 'boss@example.test', name: 'Boss' });
    const supportId = await h.verifiedVisitor('support@example.test');
    const staffId = await h.verifiedVisitor('staff@example.test');
    const superBy = { userId: admin.userId, role: admin.role };
    await h.service.setRole(supportId, 'support_admin', superBy);
    await h.service.setRole(staffId, 'booking_admin', superBy);
    const supportBy = { userId: supportId, role: 'support_admin' as const };

    expect(await h.service.suspend(staffId, 'no reason', supportBy)).toMatchObject({ ok: false, code: 'auth.forbidden' });
    expect(await h.service.setRole(staffId, 'super_admin', supportBy)).toMatchObject({ ok: false, code: 'auth.forbidden' });
    expect(await h.service.setRole(admin.userId, 'visitor', superBy)).toMatchObject({ ok: false, code: 'auth.forbidden' });
    const denied = await h.actors.audit.list({ limit: 10, who: `user:${supportId}` });
    expect(denied.map((r) => [r.action, r.outcome, r.code])).toEqual([
      ['account.set_role', 'denied', 'auth.forbidden'],
      ['account.suspend', 'denied', 'auth.forbidden'],
    ]);
  });

  it('revokes tokens on a demotion but not on promoting a visitor', async () => {
    const admin = await h.service.bootstrapAdmin({ email: 'boss@example.test', name: 'Boss' });
    const by = { userId: admin.userId, role: admin.role };
    const userId = await h.verifiedVisitor('staff@example.test');
    const promoted = await h.service.setRole(userId, 'booking_admin', by);
    expect(promoted).toMatchObject({ ok: true, data: { user: { role: 'booking_admin' }, revoked: null } });
    expect(await h.actors.revocations.revokedBefore(`user:${userId}`)).toBeNull();
    const token = await session(userId);
    expect(await h.service.refresh(token)).toMatchObject({ ok: true, data: { role: 'booking_admin' } });

    h.advance(1_000);
    const demoted = await h.service.setRole(userId, 'visitor', by);
    expect(demoted).toMatchObject({ ok: true, data: { user: { role: 'visitor' }, revoked: { subject: `user:${userId}` } } });
    expect(await h.actors.revocations.revokedBefore(`user:${userId}`)).toBe(Math.floor(h.now.value / 1000));
    const rows = await h.actors.audit.list({ limit: 10, who: `user:${admin.userId}` });
    expect(rows.map((r) => r.detail)).toEqual([{ from: 'booking_admin', to: 'visitor' }, { from: 'visitor', to: 'booking_admin' }]);
    expect(await h.service.bootstrapAdmin({ email: 'boss@example.test', name: 'Boss' })).toMatchObject({ userId: admin.userId });
  });
});

describe('profile, preferences, push and contacts', () => {
  it('gives notifications only verified addresses and the chosen channels', async () => {
    const r = await h.service.register({ name: 'Lina', email: 'lina@example.test', phone: '+966500000009' });
    const { message } = await h.lastSent('lina@example.test');
    const verified = await h.service.verify({ verificationId: r.ok ? r.data.verificationId : '', code: message.code });
    const userId = verified.ok ? verified.data.userId : '';
    expect(await h.service.contacts.contact(userId)).toMatchObject({ email: 'lina@example.test', phone: null });

    expect(await h.service.updatePreferences(userId, { sms: false, push: false })).toMatchObject({ ok: true, data: { preferences: { email: true, sms: false, push: false, in_app: true } } });
    expect(await h.service.updatePreferences(userId, { fax: true })).toMatchObject({ ok: false, code: 'input.invalid' });
    const sub = { endpoint: 'https://fcm.googleapis.com/fcm/send/abc', keys: { p256dh: 'BPk', auth: 'xyz' } };
    expect(await h.service.addPushSubscription(userId, sub)).toMatchObject({ ok: true, data: { pushEndpoints: 1 } });
    expect(await h.service.addPushSubscription(userId, { ...sub, endpoint: 'http://fcm.googleapis.com/x' })).toMatchObject({ code: 'input.invalid' });
    expect(await h.service.addPushSubscription(userId, { ...sub, endpoint: 'https://169.254.169.254/latest' })).toMatchObject({ code: 'input.invalid' });
    expect((await h.service.contacts.contact(userId))?.pushSubscriptions).toEqual([sub]);
    expect(await h.service.removePushSubscription(userId, sub.endpoint)).toMatchObject({ ok: true, data: { pushEndpoints: 0 } });

    // The phone given at sign-up is verified later by its own code.
    h.advance(31_000);
    const add = await h.service.addAddress(userId, { phone: '+966500000009' });
    const sms = await h.lastSent('+966500000009');
    expect(await h.service.verify({ verificationId: add.ok ? add.data.verificationId : '', code: sms.message.code })).toMatchObject({ ok: true, data: { phoneVerified: true } });
    expect(await h.service.contacts.contact(userId)).toMatchObject({ phone: '+966500000009', preferences: { sms: false } });
  });
});

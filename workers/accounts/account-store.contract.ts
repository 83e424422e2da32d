/**
 * The contract every AccountStore adapter passes: `describeAccountStoreContract(name, open)` is
 * called from each adapter's test file. Each test opens a fresh, empty store and closes it.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_PREFERENCES, type AccountStore, type ChallengeRecord, type SessionRecord, type UserRecord } from './account-store.js';

/** A well-formed unverified visitor. */
export function userRecord(userId: string, fields: Partial<UserRecord> = {}): UserRecord {
  return {
    userId,
    name: `Person ${userId}`,
    email: `${userId}@example.test`,
    phone: null,
    emailVerified: false,
    phoneVerified: false,
    role: 'visitor',
    status: 'active',
    preferences: { ...DEFAULT_PREFERENCES },
    language: 'en',
    pushSubscriptions: [],
    createdAt: 1,
    updatedAt: 1,
    ...fields,
  };
}

/** A well-formed open challenge. */
export function challengeRecord(verificationId: string, fields: Partial<ChallengeRecord> = {}): ChallengeRecord {
  return {
    verificationId,
    subject: 'user:u1',
    userId: 'u1',
    purpose: 'register',
    channel: 'email',
    address: 'u1@example.test',
    codeHash: `code-${verificationId}`,
    linkHash: null,
    attempts: 0,
    state: 'open',
    createdAt: 10,
    expiresAt: 1_000,
    ...fields,
  };
}

function sessionRecord(sessionId: string, fields: Partial<SessionRecord> = {}): SessionRecord {
  return { sessionId, familyId: 'f1', userId: 'u1', tokenHash: `hash-${sessionId}`, createdAt: 1, expiresAt: 100, rotatedAt: null, revokedAt: null, ...fields };
}

const push = (n: number) => ({ endpoint: `https://push.example/${n}`, keys: { p256dh: `p${n}`, auth: `a${n}` } });

/** Registers the shared contract tests for one adapter. */
export function describeAccountStoreContract(name: string, open: () => Promise<AccountStore>): void {
  describe(`AccountStore contract: ${name}`, () => {
    let store: AccountStore;
    beforeEach(async () => {
      store = await open();
    });
    afterEach(async () => {
      await store.close();
    });

    it('creates users with a challenge; only verified addresses are found and they stay unique', async () => {
      await store.challenges.open(challengeRecord('v1'), userRecord('u1'), 10);
      await store.challenges.open(challengeRecord('v2', { subject: 'user:u2', userId: 'u2', address: 'u1@example.test' }), userRecord('u2', { email: 'u1@example.test' }), 11);
      expect(await store.users.get('u1')).toEqual(userRecord('u1'));
      expect(await store.users.findVerified('email', 'u1@example.test')).toBeNull();

      expect(await store.users.markVerified('u1', 'email', 'u1@example.test', 20)).toBe('ok');
      expect(await store.users.findVerified('email', 'u1@example.test')).toEqual(userRecord('u1', { emailVerified: true, updatedAt: 20 }));
      expect(await store.users.markVerified('u2', 'email', 'u1@example.test', 21)).toBe('taken');
      expect(await store.users.markVerified('nobody', 'email', 'x@example.test', 22)).toBe('not_found');
      expect(await store.users.markVerified('u2', 'phone', '+966500000001', 23)).toBe('ok');
      expect(await store.users.findVerified('phone', '+966500000001')).toMatchObject({ userId: 'u2', phone: '+966500000001', phoneVerified: true, emailVerified: false });
      expect(await store.users.create(userRecord('u3', { email: 'u1@example.test', emailVerified: true }))).toBe(false);
      expect(await store.users.create(userRecord('u3', { email: 'u3@example.test', emailVerified: true }))).toBe(true);
    });

    it('keeps each person\'s language from creation, and a patch changes it without touching the rest', async () => {
      await store.challenges.open(challengeRecord('v1'), userRecord('u1', { language: 'ar' }), 10);
      expect(await store.users.get('u1')).toEqual(userRecord('u1', { language: 'ar' }));
      expect(await store.users.update('u1', { language: 'en' }, 11)).toEqual(userRecord('u1', { language: 'en', updatedAt: 11 }));
      expect(await store.users.update('u1', { preferences: { ...DEFAULT_PREFERENCES, sms: false } }, 12)).toMatchObject({ language: 'en' });
      expect(await store.users.update('u1', { language: 'ar' }, 13)).toMatchObject({ language: 'ar', preferences: { sms: false } });
      await store.users.create(userRecord('u2', { email: 'u2@example.test', emailVerified: true, language: 'ar' }));
      expect(await store.users.findVerified('email', 'u2@example.test')).toMatchObject({ userId: 'u2', language: 'ar' });
    });

    it('updates roles, status and preferences and keeps push subscriptions unique by endpoint', async () => {
      await store.users.create(userRecord('u1'));
      const updated = await store.users.update('u1', { role: 'booking_admin', status: 'suspended', preferences: { ...DEFAULT_PREFERENCES, sms: false }, name: undefined }, 5);
      expect(updated).toEqual(userRecord('u1', { role: 'booking_admin', status: 'suspended', preferences: { ...DEFAULT_PREFERENCES, sms: false }, updatedAt: 5 }));
      expect(await store.users.update('nobody', { role: 'visitor' }, 6)).toBeNull();

      await store.users.addPush('u1', push(1), 2, 7);
      await store.users.addPush('u1', push(2), 2, 8);
      await store.users.addPush('u1', { ...push(1), keys: { p256dh: 'new', auth: 'new' } }, 2, 9);
      expect((await store.users.get('u1'))?.pushSubscriptions).toEqual([push(2), { ...push(1), keys: { p256dh: 'new', auth: 'new' } }]);
      await store.users.addPush('u1', push(3), 2, 10);
      expect((await store.users.get('u1'))?.pushSubscriptions.map((s) => s.endpoint)).toEqual([push(1).endpoint, push(3).endpoint]);
      expect((await store.users.removePush('u1', push(1).endpoint, 11))?.pushSubscriptions).toEqual([push(3)]);
      expect(await store.users.addPush('nobody', push(1), 2, 12)).toBeNull();
    });

    it('keeps one open challenge per subject: a new one supersedes the older ones', async () => {
      await store.users.create(userRecord('u1'));
      await store.challenges.open(challengeRecord('v1'), null, 10);
      await store.challenges.open(challengeRecord('v2'), null, 11);
      await store.challenges.open(challengeRecord('v3', { subject: 'addr:other', userId: null }), null, 12);
      expect((await store.challenges.get('v1'))?.state).toBe('superseded');
      expect(await store.challenges.get('v2')).toEqual(challengeRecord('v2'));
      expect((await store.challenges.get('v3'))?.state).toBe('open');
      expect(await store.challenges.get('missing')).toBeNull();
    });

    it('reserves attempts up to the limit and consumes a challenge exactly once', async () => {
      await store.challenges.open(challengeRecord('v1', { userId: null }), null, 10);
      expect((await store.challenges.reserveAttempt('v1', 2))?.attempts).toBe(1);
      expect((await store.challenges.reserveAttempt('v1', 2))?.attempts).toBe(2);
      expect(await store.challenges.reserveAttempt('v1', 2)).toBeNull();

      await store.challenges.open(challengeRecord('v2', { subject: 'user:u9', userId: null }), null, 11);
      const racers = await Promise.all([store.challenges.consume('v2', 12), store.challenges.consume('v2', 12)]);
      expect(racers.filter(Boolean)).toHaveLength(1);
      expect(await store.challenges.reserveAttempt('v2', 5)).toBeNull();
      expect(await store.challenges.consume('missing', 13)).toBe(false);
    });

    it('stores guards under compare-and-set', async () => {
      const g = { key: 'fail:user:u1', rev: 0, windowStart: 5, count: 1, lastAt: 5, lockedUntil: null };
      expect(await store.guards.get(g.key)).toBeNull();
      expect(await store.guards.put(g, 0)).toBe(true);
      expect(await store.guards.put(g, 0)).toBe(false);
      expect(await store.guards.get(g.key)).toEqual({ ...g, rev: 1 });
      expect(await store.guards.put({ ...g, count: 2, lockedUntil: 99 }, 1)).toBe(true);
      expect(await store.guards.put({ ...g, count: 3 }, 1)).toBe(false);
      expect(await store.guards.get(g.key)).toEqual({ ...g, rev: 2, count: 2, lockedUntil: 99 });
    });

    it('rotates a session once, and revokes by family and by user', async () => {
      await store.sessions.insert(sessionRecord('s1'));
      expect(await store.sessions.findByTokenHash('hash-s1')).toEqual(sessionRecord('s1'));
      const results = await Promise.all([store.sessions.rotate('s1', sessionRecord('s2'), 5), store.sessions.rotate('s1', sessionRecord('s2b', { tokenHash: 'hash-s2b' }), 5)]);
      expect(results.filter(Boolean)).toHaveLength(1);
      expect((await store.sessions.get('s1'))?.rotatedAt).toBe(5);
      await store.sessions.insert(sessionRecord('s9', { familyId: 'f2', tokenHash: 'hash-s9' }));
      await store.sessions.insert(sessionRecord('s8', { familyId: 'f3', userId: 'u2', tokenHash: 'hash-s8' }));
      expect(await store.sessions.revokeFamily('f1', 6)).toBe(2);
      const rotatedNew = (await store.sessions.get('s2')) ?? (await store.sessions.get('s2b'));
      expect(rotatedNew?.revokedAt).toBe(6);
      expect(await store.sessions.rotate(rotatedNew?.sessionId ?? '', sessionRecord('s3', { tokenHash: 'hash-s3' }), 7)).toBe(false);
      expect(await store.sessions.revokeUser('u1', 8)).toBe(1);
      expect((await store.sessions.get('s9'))?.revokedAt).toBe(8);
      expect((await store.sessions.get('s8'))?.revokedAt).toBeNull();
      expect(await store.sessions.get('nope')).toBeNull();
    });
  });
}

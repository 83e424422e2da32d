/**
 * The accounts store on MongoDB through mongoose. Every decision that must be atomic is one
 * conditional single-document update (attempt reservation, consumption, guard compare-and-set,
 * session rotation); nothing needs a multi-document transaction:
 *
 *   open        insert challenge, then supersede the subject's other open challenges
 *               (the last supersede to run sees every earlier insert: at most one stays open)
 *   reserve     findOneAndUpdate({_id, state: open, attempts < max}, {$inc: attempts})
 *   rotate      updateOne({_id, rotatedAt: null, revokedAt: null}, {$set: rotatedAt}) ─ won ─▶ insert next
 */
import { Language } from '../../machines/contract/accounts.js';
import { createConnection } from 'mongoose';
import { isDuplicateKey } from '../store/mongo-models.js';
import { definedFields } from './account-store.js';
import type { AccountStore, ChallengeRecord, GuardRecord, SessionRecord, UserRecord } from './account-store.js';
import { defineAccountModels } from './mongo-account-models.js';
import type { ChallengeDoc, GuardDoc, SessionDoc, UserDoc } from './mongo-account-models.js';

/** Where the accounts live. */
export interface MongoAccountStoreOptions {
  url: string;
  /** Database name; defaults to the one in the URL. */
  dbName?: string;
}

/** Connects, ensures the indexes and returns the accounts store over that database. */
export async function connectMongoAccountStore(options: MongoAccountStoreOptions): Promise<AccountStore> {
  const connection = createConnection(options.url, options.dbName === undefined ? {} : { dbName: options.dbName });
  await connection.asPromise();
  const m = await defineAccountModels(connection).catch(async (err: unknown) => {
    await connection.close();
    throw err;
  });
  const after = { returnDocument: 'after' } as const;

  return {
    name: 'mongo',
    users: {
      async create(user) {
        const { userId, ...rest } = user;
        try {
          await m.users.create({ _id: userId, ...rest, lastChallengeAt: null });
          return true;
        } catch (err) {
          if (isDuplicateKey(err)) return false;
          throw err;
        }
      },
      async get(userId) {
        return toUser(await m.users.findById(userId).lean<UserDoc>());
      },
      async findVerified(field, address) {
        const filter = field === 'email' ? { email: address, emailVerified: true } : { phone: address, phoneVerified: true };
        return toUser(await m.users.findOne(filter).lean<UserDoc>());
      },
      async update(userId, patch, at) {
        return toUser(await m.users.findOneAndUpdate({ _id: userId }, { $set: { ...definedFields(patch), updatedAt: at } }, after).lean<UserDoc>());
      },
      async markVerified(userId, field, address, at) {
        const set = field === 'email' ? { email: address, emailVerified: true } : { phone: address, phoneVerified: true };
        try {
          const result = await m.users.updateOne({ _id: userId }, { $set: { ...set, updatedAt: at } });
          return result.matchedCount === 1 ? 'ok' : 'not_found';
        } catch (err) {
          if (isDuplicateKey(err)) return 'taken';
          throw err;
        }
      },
      async addPush(userId, subscription, max, at) {
        // $pull and $push cannot touch one field in one update; replacing by endpoint takes two.
        await m.users.updateOne({ _id: userId }, { $pull: { pushSubscriptions: { endpoint: subscription.endpoint } } });
        const doc = await m.users
          .findOneAndUpdate({ _id: userId }, { $push: { pushSubscriptions: { $each: [subscription], $slice: -max } }, $set: { updatedAt: at } }, after)
          .lean<UserDoc>();
        return toUser(doc);
      },
      async removePush(userId, endpoint, at) {
        const doc = await m.users
          .findOneAndUpdate({ _id: userId }, { $pull: { pushSubscriptions: { endpoint } }, $set: { updatedAt: at } }, after)
          .lean<UserDoc>();
        return toUser(doc);
      },
    },
    challenges: {
      async open(challenge, newUser, at) {
        if (newUser) {
          const { userId, ...rest } = newUser;
          await m.users.create({ _id: userId, ...rest, lastChallengeAt: at });
        } else if (challenge.userId !== null) {
          await m.users.updateOne({ _id: challenge.userId }, { $set: { lastChallengeAt: at } });
        }
        const { verificationId, ...rest } = challenge;
        await m.challenges.create({ _id: verificationId, ...rest });
        await m.challenges.updateMany({ subject: challenge.subject, state: 'open', _id: { $ne: verificationId } }, { $set: { state: 'superseded' } });
      },
      async get(verificationId) {
        return toChallenge(await m.challenges.findById(verificationId).lean<ChallengeDoc>());
      },
      async reserveAttempt(verificationId, max) {
        const doc = await m.challenges
          .findOneAndUpdate({ _id: verificationId, state: 'open', attempts: { $lt: max } }, { $inc: { attempts: 1 } }, after)
          .lean<ChallengeDoc>();
        return toChallenge(doc);
      },
      async consume(verificationId) {
        const result = await m.challenges.updateOne({ _id: verificationId, state: 'open' }, { $set: { state: 'consumed' } });
        return result.modifiedCount === 1;
      },
    },
    guards: {
      async get(key) {
        const doc = await m.guards.findById(key).lean<GuardDoc>();
        return doc ? toGuard(doc) : null;
      },
      async put(next, expectedRev) {
        const fields = { windowStart: next.windowStart, count: next.count, lastAt: next.lastAt, lockedUntil: next.lockedUntil };
        if (expectedRev === 0) {
          try {
            await m.guards.create({ _id: next.key, rev: 1, ...fields });
            return true;
          } catch (err) {
            if (isDuplicateKey(err)) return false;
            throw err;
          }
        }
        const result = await m.guards.updateOne({ _id: next.key, rev: expectedRev }, { $set: { rev: expectedRev + 1, ...fields } });
        return result.modifiedCount === 1;
      },
    },
    sessions: {
      async insert(session) {
        const { sessionId, ...rest } = session;
        await m.sessions.create({ _id: sessionId, ...rest });
      },
      async get(sessionId) {
        return toSession(await m.sessions.findById(sessionId).lean<SessionDoc>());
      },
      async findByTokenHash(tokenHash) {
        return toSession(await m.sessions.findOne({ tokenHash }).lean<SessionDoc>());
      },
      async rotate(sessionId, next, at) {
        const won = await m.sessions.updateOne({ _id: sessionId, rotatedAt: null, revokedAt: null }, { $set: { rotatedAt: at } });
        if (won.modifiedCount !== 1) return false;
        const { sessionId: id, ...rest } = next;
        await m.sessions.create({ _id: id, ...rest });
        return true;
      },
      async revokeFamily(familyId, at) {
        return (await m.sessions.updateMany({ familyId, revokedAt: null }, { $set: { revokedAt: at } })).modifiedCount;
      },
      async revokeUser(userId, at) {
        return (await m.sessions.updateMany({ userId, revokedAt: null }, { $set: { revokedAt: at } })).modifiedCount;
      },
    },
    async close() {
      await connection.close();
    },
  };
}

function toUser(doc: UserDoc | null): UserRecord | null {
  if (!doc) return null;
  const { _id, lastChallengeAt: _stamp, ...rest } = doc;
  // Documents written before languages existed have none: those people read English.
  const stored: unknown = (doc as { language?: unknown }).language;
  const language = stored === undefined ? 'en' : Language.parse(stored);
  return { userId: _id, ...rest, language, pushSubscriptions: rest.pushSubscriptions.map(({ endpoint, keys }) => ({ endpoint, keys: { p256dh: keys.p256dh, auth: keys.auth } })) };
}

function toChallenge(doc: ChallengeDoc | null): ChallengeRecord | null {
  if (!doc) return null;
  const { _id, ...rest } = doc;
  return { verificationId: _id, ...rest };
}

function toGuard(doc: GuardDoc): GuardRecord {
  return { key: doc._id, rev: doc.rev, windowStart: doc.windowStart, count: doc.count, lastAt: doc.lastAt, lockedUntil: doc.lockedUntil };
}

function toSession(doc: SessionDoc | null): SessionRecord | null {
  if (!doc) return null;
  const { _id, ...rest } = doc;
  return { sessionId: _id, ...rest };
}

/**
 * Document shapes and models of the accounts store on MongoDB, bound to one connection:
 *
 *   account_users       { _id: userId, email, phone, emailVerified, phoneVerified, role, status, … }
 *   account_challenges  { _id: verificationId, subject, state, attempts, codeHash, linkHash, … }
 *   account_guards      { _id: key, rev, windowStart, count, lastAt, lockedUntil }
 *   account_sessions    { _id: sessionId, familyId, userId, tokenHash (unique), rotatedAt, revokedAt }
 *
 * Verified addresses are unique through partial unique indexes, mirroring the SQLite adapter.
 * `minimize` is off so empty preference maps survive; `versionKey` is off: guards use our `rev`.
 */
import { Schema, type Connection, type Model } from 'mongoose';
import type { ChallengeRecord, SessionRecord, UserRecord } from './account-store.js';
import type { PushSubscriptionRecord } from './contact-directory.js';

/** A user as stored. */
export type UserDoc = Omit<UserRecord, 'userId'> & { _id: string; lastChallengeAt: number | null };
/** A challenge as stored. */
export type ChallengeDoc = Omit<ChallengeRecord, 'verificationId'> & { _id: string };
/** A guard as stored. */
export interface GuardDoc {
  _id: string;
  rev: number;
  windowStart: number;
  count: number;
  lastAt: number | null;
  lockedUntil: number | null;
}
/** A session as stored. */
export type SessionDoc = Omit<SessionRecord, 'sessionId'> & { _id: string };

/** The four models of the accounts store. */
export interface AccountModels {
  users: Model<UserDoc>;
  challenges: Model<ChallengeDoc>;
  guards: Model<GuardDoc>;
  sessions: Model<SessionDoc>;
}

const options = (collection: string) => ({ minimize: false, versionKey: false, id: false, collection }) as const;
const nullableNumber = { type: Number, default: null };
const nullableString = { type: String, default: null };

const pushSchema = new Schema<PushSubscriptionRecord>(
  { endpoint: String, keys: { p256dh: String, auth: String } },
  { _id: false, versionKey: false },
);

const userSchema = new Schema<UserDoc>(
  {
    _id: String,
    name: String,
    email: nullableString,
    phone: nullableString,
    emailVerified: Boolean,
    phoneVerified: Boolean,
    role: String,
    status: { type: String, enum: ['active', 'suspended'] },
    preferences: { type: Schema.Types.Mixed },
    language: { type: String, enum: ['en', 'ar'], default: 'en' },
    pushSubscriptions: { type: [pushSchema], default: [] },
    lastChallengeAt: nullableNumber,
    createdAt: Number,
    updatedAt: Number,
  },
  options('account_users'),
);
userSchema.index({ email: 1 }, { unique: true, partialFilterExpression: { emailVerified: true } });
userSchema.index({ phone: 1 }, { unique: true, partialFilterExpression: { phoneVerified: true } });

const challengeSchema = new Schema<ChallengeDoc>(
  {
    _id: String,
    subject: String,
    userId: nullableString,
    purpose: String,
    channel: String,
    address: String,
    codeHash: String,
    linkHash: nullableString,
    attempts: Number,
    state: { type: String, enum: ['open', 'consumed', 'superseded'] },
    createdAt: Number,
    expiresAt: Number,
  },
  options('account_challenges'),
);
challengeSchema.index({ subject: 1, state: 1 });

const guardSchema = new Schema<GuardDoc>(
  { _id: String, rev: Number, windowStart: Number, count: Number, lastAt: nullableNumber, lockedUntil: nullableNumber },
  options('account_guards'),
);

const sessionSchema = new Schema<SessionDoc>(
  {
    _id: String,
    familyId: String,
    userId: String,
    tokenHash: String,
    createdAt: Number,
    expiresAt: Number,
    rotatedAt: nullableNumber,
    revokedAt: nullableNumber,
  },
  options('account_sessions'),
);
sessionSchema.index({ tokenHash: 1 }, { unique: true });
sessionSchema.index({ familyId: 1 });
sessionSchema.index({ userId: 1 });

/** Registers the models on `connection` and waits until their indexes exist. */
export async function defineAccountModels(connection: Connection): Promise<AccountModels> {
  const models: AccountModels = {
    users: connection.model<UserDoc>('AccountUser', userSchema),
    challenges: connection.model<ChallengeDoc>('AccountChallenge', challengeSchema),
    guards: connection.model<GuardDoc>('AccountGuard', guardSchema),
    sessions: connection.model<SessionDoc>('AccountSession', sessionSchema),
  };
  await Promise.all([models.users.init(), models.challenges.init(), models.guards.init(), models.sessions.init()]);
  return models;
}

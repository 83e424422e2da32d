/**
 * The accounts persistence port: people, their verification challenges (OTP / email link),
 * attempt guards and refresh sessions. Two adapters (SQLite embedded default, MongoDB) pass one
 * contract suite (`account-store.contract.ts`).
 *
 *   register / sign-in ──challenges.open(challenge, newUser?)──▶ store (supersedes older codes)
 *   verify ──challenges.reserveAttempt ─▶ compare ─▶ challenges.consume ─▶ users.markVerified
 *   limits ──guards.get / guards.put (compare-and-set on rev)──▶ store
 *   refresh ──sessions.findByTokenHash ─▶ sessions.rotate (old → rotated, new inserted)
 *
 * An address belongs to a user only once it is verified: uniqueness is enforced on verified
 * addresses alone, so nobody can pre-claim someone else's email by registering it unverified.
 */
import type { PersonRole } from '../../machines/contract/wire.js';
import type { Channel, PushSubscriptionRecord } from './contact-directory.js';
import { OTP_CHANNELS, type Language } from '../../machines/contract/accounts.js';

/** Where a one-time code can be delivered. */
export { OTP_CHANNELS };
/** Where a one-time code can be delivered. */
export type OtpChannel = (typeof OTP_CHANNELS)[number];

/** The user field an OTP channel verifies. */
export type AddressField = 'email' | 'phone';

/** The user field holding the address of a channel. */
export function fieldOf(channel: OtpChannel): AddressField {
  return channel === 'email' ? 'email' : 'phone';
}

/** Whether an account may act: suspended accounts cannot sign in, refresh or book. */
export type AccountStatus = 'active' | 'suspended';

/** One person. `email` is lower case, `phone` is E.164; either may be null, not both. */
export interface UserRecord {
  userId: string;
  name: string;
  email: string | null;
  phone: string | null;
  emailVerified: boolean;
  phoneVerified: boolean;
  role: PersonRole;
  status: AccountStatus;
  preferences: Record<Channel, boolean>;
  /** The language of the person's messages (set at sign-up, changed when they switch). */
  language: Language;
  pushSubscriptions: PushSubscriptionRecord[];
  createdAt: number;
  updatedAt: number;
}

/** Fields an update may change; verification goes through `markVerified` instead. */
export type UserPatch = Partial<Pick<UserRecord, 'name' | 'role' | 'status' | 'preferences' | 'language'>>;

/** What a redeemed challenge does: verify a new account, sign in, or verify an added address. */
export type ChallengePurpose = 'register' | 'signin' | 'add_channel';

/** `open` until redeemed (`consumed`) or replaced by a newer code (`superseded`). */
export type ChallengeState = 'open' | 'consumed' | 'superseded';

/** One issued code (and, by email, link). Secrets are stored only as keyed hashes. */
export interface ChallengeRecord {
  verificationId: string;
  /**
   * Whose limits and supersession this counts against: `user:<id>`, or `addr:<hash>` for an
   * address without an account (a decoy that behaves like a real challenge but never redeems).
   */
  subject: string;
  userId: string | null;
  purpose: ChallengePurpose;
  channel: OtpChannel;
  /** The normalised address the code was sent to. */
  address: string;
  codeHash: string;
  linkHash: string | null;
  attempts: number;
  state: ChallengeState;
  createdAt: number;
  expiresAt: number;
}

/**
 * A rate or failure counter under compare-and-set: `rev` 0 means "not stored yet"; every
 * successful put stores `rev + 1`.
 */
export interface GuardRecord {
  key: string;
  rev: number;
  windowStart: number;
  count: number;
  lastAt: number | null;
  lockedUntil: number | null;
}

/** One refresh token of a sign-in family; rotation marks it used and adds its successor. */
export interface SessionRecord {
  sessionId: string;
  /** Every rotation of one sign-in shares the family; reuse of a rotated token ends the family. */
  familyId: string;
  userId: string;
  tokenHash: string;
  createdAt: number;
  expiresAt: number;
  rotatedAt: number | null;
  revokedAt: number | null;
}

/** Outcome of marking an address verified. */
export type MarkVerifiedResult = 'ok' | 'taken' | 'not_found';

/** People. */
export interface UserRepository {
  /** Inserts an account directly (bootstrap of the first admin); false when a verified address is taken. */
  create(user: UserRecord): Promise<boolean>;
  get(userId: string): Promise<UserRecord | null>;
  /** The user holding this address VERIFIED, or null (unverified holders do not count). */
  findVerified(field: AddressField, address: string): Promise<UserRecord | null>;
  /** Applies the patch; null when the user does not exist. */
  update(userId: string, patch: UserPatch, at: number): Promise<UserRecord | null>;
  /** Sets the address on the user and marks it verified; `taken` when another user verified it first. */
  markVerified(userId: string, field: AddressField, address: string, at: number): Promise<MarkVerifiedResult>;
  /** Adds or replaces (by endpoint) a push subscription, keeping the newest `max`. */
  addPush(userId: string, subscription: PushSubscriptionRecord, max: number, at: number): Promise<UserRecord | null>;
  removePush(userId: string, endpoint: string, at: number): Promise<UserRecord | null>;
}

/** Issued codes. */
export interface ChallengeRepository {
  /**
   * Inserts the challenge (creating `newUser` first when given), then supersedes every other
   * open challenge of the same subject. Insert-then-supersede leaves at most one open challenge
   * per subject even when two opens race.
   */
  open(challenge: ChallengeRecord, newUser: UserRecord | null, at: number): Promise<void>;
  get(verificationId: string): Promise<ChallengeRecord | null>;
  /** Counts one attempt if the challenge is open and below `max`; returns it, or null when refused. */
  reserveAttempt(verificationId: string, max: number): Promise<ChallengeRecord | null>;
  /** Open → consumed; true only for the one caller that made the change. */
  consume(verificationId: string, at: number): Promise<boolean>;
}

/** Rate and failure counters. */
export interface GuardRepository {
  get(key: string): Promise<GuardRecord | null>;
  /** Stores `next` with `rev = expectedRev + 1` if the stored rev still is `expectedRev` (0: absent). */
  put(next: GuardRecord, expectedRev: number): Promise<boolean>;
}

/** Refresh sessions. */
export interface SessionRepository {
  insert(session: SessionRecord): Promise<void>;
  get(sessionId: string): Promise<SessionRecord | null>;
  findByTokenHash(tokenHash: string): Promise<SessionRecord | null>;
  /** Marks `sessionId` rotated and inserts `next`, only if it was neither rotated nor revoked. */
  rotate(sessionId: string, next: SessionRecord, at: number): Promise<boolean>;
  /** Revokes every not yet revoked session of the family; returns how many. */
  revokeFamily(familyId: string, at: number): Promise<number>;
  /** Revokes every not yet revoked session of the user; returns how many. */
  revokeUser(userId: string, at: number): Promise<number>;
}

/** The accounts store. */
export interface AccountStore {
  readonly name: string;
  readonly users: UserRepository;
  readonly challenges: ChallengeRepository;
  readonly guards: GuardRepository;
  readonly sessions: SessionRepository;
  close(): Promise<void>;
}

/** Everyone starts with every channel on; people switch channels off in their preferences. */
export const DEFAULT_PREFERENCES: Readonly<Record<Channel, boolean>> = { email: true, sms: true, push: true, in_app: true };

/** The patch without keys whose value is undefined, so an adapter never blanks a field by accident. */
export function definedFields(patch: UserPatch): UserPatch {
  return Object.fromEntries(Object.entries(patch).filter(([, value]) => value !== undefined)) as UserPatch;
}

/**
 * One-time codes (and emailed confirmation links): issuing and redeeming.
 *
 *   issue(plan) ─▶ throttle send:<address hash> ─▶ look up owners ─▶ draw ids + secrets ─▶ hash
 *              ─▶ challenges.open (supersedes the subject's older code) ─▶ send in the background
 *
 *   redeem ─▶ subject locked? ─▶ open? not expired? ─▶ reserve an attempt (atomic, ≤ per-code max)
 *          ─▶ compare in constant time ── wrong ─▶ count a failure for the subject (lock at max)
 *                                       └ right ─▶ consume (single use) ─▶ caller applies it
 *
 * No enumeration: every plan does the same work whether or not the address has an account
 * (same hashes, same store calls, one background send or none) and answers the same shape.
 * An address without an account gets a decoy challenge under `addr:<hash>`, which counts
 * attempts and locks like a real one but can never be redeemed.
 */
import type { Language } from '../../machines/contract/accounts.js';
import { refuse, type Refusal } from '../../machines/errors.js';
import type { Logger } from '../logger.js';
import { fieldOf, type AccountStore, type ChallengePurpose, type ChallengeRecord, type OtpChannel, type UserRecord } from './account-store.js';
import type { Guards } from './guards.js';
import type { RandomSource, SecretHasher } from './secrets.js';
import { opaqueToken, otpCode, randomId } from './secrets.js';

/** Limits of codes, attempts, sends and sessions. */
export interface AccountLimits {
  /** How long a code stays valid; at most 10 minutes. */
  otpTtlMs: number;
  /** Wrong attempts allowed on one code. */
  attemptsPerOtp: number;
  /** Wrong attempts per account (across all its codes) inside `failureWindowMs` before a lock. */
  failuresPerWindow: number;
  failureWindowMs: number;
  /** The cool-down after too many failures. */
  lockMs: number;
  /** Minimum time between two codes to one address. */
  resendGapMs: number;
  /** Codes per address inside `sendWindowMs`. */
  sendsPerWindow: number;
  sendWindowMs: number;
  /** How long a refresh token lives (each rotation starts a new lifetime). */
  sessionTtlMs: number;
  /** Push subscriptions kept per person (newest win). */
  maxPushSubscriptions: number;
}

/** The defaults: 10-minute codes, 5 tries a code, 10 failures an hour, 1 send per 30 s and 5 an hour. */
export const DEFAULT_ACCOUNT_LIMITS: Readonly<AccountLimits> = {
  otpTtlMs: 10 * 60_000,
  attemptsPerOtp: 5,
  failuresPerWindow: 10,
  failureWindowMs: 60 * 60_000,
  lockMs: 30 * 60_000,
  resendGapMs: 30_000,
  sendsPerWindow: 5,
  sendWindowMs: 60 * 60_000,
  sessionTtlMs: 30 * 24 * 3_600_000,
  maxPushSubscriptions: 10,
};

/** What the message is for, so the notification layer can pick its template. */
export type OtpMessageKind = 'verify' | 'signin' | 'account_exists';

/**
 * What is sent: the code, the link (email only, when links are configured) and when both expire,
 * in the language of the account it is for (of the sign-up request when the account is new).
 */
export interface OtpMessage {
  kind: OtpMessageKind;
  language: Language;
  code: string;
  link: string | null;
  expiresAt: number;
}

/** Delivers a code; called in the background, never awaited by the request. */
export type SendOtp = (channel: OtpChannel, to: string, message: OtpMessage) => Promise<void>;

/** A registration's new account: name, addresses and the language the sign-up was made in. */
export type NewUserDraft = Pick<UserRecord, 'name' | 'email' | 'phone'> & { language?: Language };

/** Who a new code is for. */
export type IssuePlan =
  | { kind: 'register'; channel: OtpChannel; address: string; draft: NewUserDraft }
  | { kind: 'signin'; channel: OtpChannel; address: string }
  | { kind: 'add_channel'; channel: OtpChannel; address: string; userId: string }
  | { kind: 'resend'; previous: ChallengeRecord };

/** What the challenge engine needs. */
export interface ChallengeDeps {
  store: AccountStore;
  guards: Guards;
  hasher: SecretHasher;
  random: RandomSource;
  clock: () => number;
  limits: AccountLimits;
  sendOtp: SendOtp;
  /** Base of the confirmation link (e.g. `https://venue.example/verify`); null: codes only. */
  linkBase: string | null;
  /** Builds a new account from a registration draft (defaults live with the service). */
  newUser: (userId: string, draft: NewUserDraft, at: number) => UserRecord;
  log: Logger;
}

/** A redeemed challenge: the caller applies its purpose. */
export interface Redeemed {
  challenge: ChallengeRecord;
  userId: string;
}

/** What an issued code is for, whose it is, and whether it goes out. */
interface Resolution {
  purpose: ChallengePurpose;
  subject: string;
  userId: string | null;
  newUser: UserRecord | null;
  kind: OtpMessageKind;
  send: boolean;
  /** The language of the message: the owner's, or the sign-up's for a new account. */
  language: Language;
}

/** Issuing and redeeming codes. */
export interface Challenges {
  issue(plan: IssuePlan): Promise<{ ok: true; verificationId: string } | Refusal>;
  redeem(verificationId: string, secret: string, via: 'code' | 'link'): Promise<{ ok: true; redeemed: Redeemed } | Refusal>;
}

/** Creates the challenge engine. */
export function createChallenges(deps: ChallengeDeps): Challenges {
  const { store, guards, hasher, random, clock, limits } = deps;
  const sendRule = { gapMs: limits.resendGapMs, max: limits.sendsPerWindow, windowMs: limits.sendWindowMs };
  const lockRule = { max: limits.failuresPerWindow, windowMs: limits.failureWindowMs, lockMs: limits.lockMs };
  const secretInput = (verificationId: string, secret: string) => `${verificationId}:${secret}`;
  const until = (at: number) => new Date(at).toISOString();

  /**
   * Who a plan's code is for and whether it is sent. Registration and sign-in make the same store
   * calls whether or not the address has an owner.
   */
  async function resolve(plan: IssuePlan, addressKey: string, draftUserId: string, at: number): Promise<Resolution> {
    if (plan.kind === 'resend') {
      const p = plan.previous;
      const owner = p.userId === null ? null : await store.users.get(p.userId);
      const send = owner !== null && owner.status === 'active';
      return { purpose: p.purpose, subject: p.subject, userId: p.userId, newUser: null, kind: p.purpose === 'signin' ? 'signin' : 'verify', send, language: owner?.language ?? 'en' };
    }
    if (plan.kind === 'add_channel') {
      const owner = await store.users.get(plan.userId);
      const send = owner !== null && owner.status === 'active';
      return { purpose: 'add_channel', subject: `user:${plan.userId}`, userId: plan.userId, newUser: null, kind: 'verify', send, language: owner?.language ?? 'en' };
    }
    // Only the address the code goes to may match: a code for an account must reach its owner.
    const owner = await store.users.findVerified(fieldOf(plan.channel), plan.address);
    // A fresh account is built on both paths so that both do the same work.
    const draftUser = plan.kind === 'register' ? deps.newUser(draftUserId, plan.draft, at) : null;
    if (owner !== null) {
      const kind = plan.kind === 'register' ? 'account_exists' : 'signin';
      return { purpose: 'signin', subject: `user:${owner.userId}`, userId: owner.userId, newUser: null, kind, send: owner.status === 'active', language: owner.language };
    }
    if (draftUser !== null) {
      return { purpose: 'register', subject: `addr:${addressKey}`, userId: draftUserId, newUser: draftUser, kind: 'verify', send: true, language: draftUser.language };
    }
    return { purpose: 'signin', subject: `addr:${addressKey}`, userId: null, newUser: null, kind: 'signin', send: false, language: 'en' };
  }

  return {
    async issue(plan) {
      const at = clock();
      const channel = plan.kind === 'resend' ? plan.previous.channel : plan.channel;
      const address = plan.kind === 'resend' ? plan.previous.address : plan.address;
      const addressKey = hasher.hash('address', `${channel}:${address}`);
      const throttled = await guards.throttle(`send:${addressKey}`, sendRule, at);
      if (!throttled.allowed) return refuse('otp.throttled', `too many codes to this address; try again after ${until(throttled.retryAt)}`);

      const verificationId = randomId(random, 'v');
      const draftUserId = randomId(random, 'u');
      const code = otpCode(random);
      const linkToken = opaqueToken(random);
      const r = await resolve(plan, addressKey, draftUserId, at);
      const codeHash = hasher.hash('otp', secretInput(verificationId, code));
      const withLink = channel === 'email' && deps.linkBase !== null;
      const linkHash = withLink ? hasher.hash('link', secretInput(verificationId, linkToken)) : null;
      const expiresAt = at + limits.otpTtlMs;
      const challenge: ChallengeRecord = {
        verificationId, subject: r.subject, userId: r.userId, purpose: r.purpose, channel, address,
        codeHash, linkHash, attempts: 0, state: 'open', createdAt: at, expiresAt,
      };
      await store.challenges.open(challenge, r.newUser, at);
      if (r.send) {
        // The fragment (#) keeps the token out of server and proxy logs; the page posts it back.
        const link = withLink ? `${deps.linkBase}#v=${verificationId}&t=${linkToken}` : null;
        const message: OtpMessage = { kind: r.kind, language: r.language, code, link, expiresAt };
        setImmediate(() => {
          deps.sendOtp(channel, address, message).catch((error: unknown) => deps.log.error('sending a one-time code failed', { channel, error: String(error) }));
        });
      }
      return { ok: true, verificationId };
    },

    async redeem(verificationId, secret, via) {
      const at = clock();
      const challenge = await store.challenges.get(verificationId);
      if (!challenge) return refuse('otp.invalid', 'unknown verification; start again');
      const failKey = `fail:${challenge.subject}`;
      const locked = await guards.lockedUntil(failKey, at);
      if (locked !== null) return refuse('otp.locked', `too many wrong codes; try again after ${until(locked)}`);
      if (challenge.state !== 'open') return refuse('otp.invalid', 'this code was used or replaced by a newer one; use the newest code');
      if (challenge.expiresAt <= at) return refuse('otp.expired', 'the code expired; ask for a new one');
      const reserved = await store.challenges.reserveAttempt(verificationId, limits.attemptsPerOtp);
      if (!reserved) {
        // Refused by a concurrent request: read again to tell "used up" from "used / replaced".
        const now = await store.challenges.get(verificationId);
        return now?.state === 'open' && now.attempts >= limits.attemptsPerOtp
          ? refuse('otp.locked', 'too many wrong tries for this code; ask for a new one')
          : refuse('otp.invalid', 'this code was used or replaced by a newer one; use the newest code');
      }
      const stored = via === 'code' ? reserved.codeHash : reserved.linkHash;
      const right = stored !== null && hasher.matches(via === 'code' ? 'otp' : 'link', secretInput(verificationId, secret), stored);
      if (!right || reserved.userId === null) {
        const lockedUntil = await guards.fail(failKey, lockRule, at);
        if (lockedUntil !== null) return refuse('otp.locked', `too many wrong codes; try again after ${until(lockedUntil)}`);
        if (reserved.attempts >= limits.attemptsPerOtp) return refuse('otp.locked', 'too many wrong tries for this code; ask for a new one');
        return refuse('otp.invalid', 'wrong code');
      }
      if (!(await store.challenges.consume(verificationId, at))) return refuse('otp.invalid', 'this code was already used');
      return { ok: true, redeemed: { challenge: reserved, userId: reserved.userId } };
    },
  };
}

/** Whether a purpose verifies an address (rather than signing in with an already verified one). */
export function verifiesAddress(purpose: ChallengePurpose): boolean {
  return purpose !== 'signin';
}

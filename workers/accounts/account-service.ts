/**
 * The accounts service: sign-up, verification by code or link, sign-in of returning people,
 * refresh sessions, profile, channel preferences and push subscriptions, and who may book.
 * Access tokens are the hub's business: `verify` and `completeSignIn` say who signed in and the
 * hub signs; `createSession` / `refresh` hand out the refresh tokens.
 *
 *   register ──▶ {verificationId} ──code / link──▶ verify ──▶ user ──▶ hub: access token + createSession
 *   startSignIn ──▶ {verificationId} ──code──▶ completeSignIn ──▶ {userId, role} ──▶ (same)
 *   refresh(token) ──▶ {userId, role, newRefreshToken}      signOut / suspend ──▶ revocation user:<id>
 *
 * Every public method takes untrusted input and parses it; answers are `Result`s with codes.
 */
import type { BookingInput } from '../../machines/booking.schemas.js';
import type { z } from 'zod';
import type { PersonRole } from '../../machines/contract/wire.js';
import { refuse, type Result } from '../../machines/errors.js';
import type { Logger } from '../logger.js';
import { DEFAULT_PUSH_HOSTS, isAllowedPushEndpoint } from '../notifications/push-registry.js';
import type { AuditLog, RevocationList } from '../store/actor-store.js';
import { createAccountAdmin, type AccountAdmin } from './account-admin.js';
import { AddAddressInput, CodeRedeem, issuesText, LanguageInput, LinkRedeem, PreferencesPatch, PushSubscriptionInput, RefreshToken, RegisterInput, ResendInput, SignInStart } from './account-schemas.js';
import { DEFAULT_PREFERENCES, fieldOf, type AccountStore, type UserRecord } from './account-store.js';
import type { ContactDirectory } from './contact-directory.js';
import { createGuards } from './guards.js';
import { createChallenges, DEFAULT_ACCOUNT_LIMITS, verifiesAddress, type AccountLimits, type NewUserDraft, type SendOtp } from './otp-challenges.js';
import { createRefreshSessions, type IssuedSession, type Refreshed, type Revoked } from './refresh-sessions.js';
import { cryptoRandom, randomId, type RandomSource, type SecretHasher } from './secrets.js';
import { createStoreContactDirectory } from './store-contact-directory.js';

/** What the accounts service needs. */
export interface AccountServiceDeps {
  store: AccountStore;
  /** The actor store's audit log and revocation list (the ones the hub reads). */
  access: { audit: AuditLog; revocations: Pick<RevocationList, 'revoke'> };
  hasher: SecretHasher;
  sendOtp: SendOtp;
  clock?: () => number;
  random?: RandomSource;
  limits?: Partial<AccountLimits>;
  /** Base URL of the email confirmation page; omit to send codes only. */
  linkBase?: string | null;
  /** Hosts a push subscription endpoint may be on (default: the browsers' push services). */
  pushHosts?: readonly string[];
  log: Logger;
}

/** What clients see of an account. */
export interface AccountView {
  userId: string;
  name: string;
  email: string | null;
  phone: string | null;
  emailVerified: boolean;
  phoneVerified: boolean;
  role: PersonRole;
  status: UserRecord['status'];
  preferences: UserRecord['preferences'];
  language: UserRecord['language'];
  pushEndpoints: number;
}

/** Who signed in; the hub signs an access token for them. */
export interface SignedIn {
  userId: string;
  role: PersonRole;
}

/** The accounts service. */
export interface AccountService extends AccountAdmin {
  register(input: unknown): Promise<Result<{ verificationId: string }>>;
  startSignIn(input: unknown): Promise<Result<{ verificationId: string }>>;
  /** A fresh code for an earlier verification (the older code stops working). */
  resend(input: unknown): Promise<Result<{ verificationId: string }>>;
  /** Redeems a code: verifies the address (sign-up) or signs in, and returns the account. */
  verify(input: unknown): Promise<Result<AccountView>>;
  /** Redeems the token of an emailed confirmation link; same rules as a code. */
  verifyLink(input: unknown): Promise<Result<AccountView>>;
  completeSignIn(input: unknown): Promise<Result<SignedIn>>;
  /** Starts verification of another address on a signed-in account. */
  addAddress(userId: string, input: unknown): Promise<Result<{ verificationId: string }>>;
  createSession(userId: string): Promise<Result<IssuedSession>>;
  refresh(refreshToken: unknown): Promise<Result<Refreshed>>;
  signOut(target: { refreshToken: unknown } | { sessionId: string; userId: string }): Promise<Result<Revoked>>;
  /** Ends every session of the caller on every device. */
  signOutEverywhere(userId: string): Promise<Revoked>;
  me(userId: string): Promise<Result<AccountView>>;
  /** The account that owns this verified email or phone (staff look a person up by it). */
  find(input: unknown): Promise<Result<AccountView>>;
  updatePreferences(userId: string, input: unknown): Promise<Result<AccountView>>;
  /** Sets the language of the person's messages (`{language: 'en' | 'ar'}`). */
  setLanguage(userId: string, input: unknown): Promise<Result<AccountView>>;
  addPushSubscription(userId: string, input: unknown): Promise<Result<AccountView>>;
  removePushSubscription(userId: string, endpoint: string): Promise<Result<AccountView>>;
  canBook(userId: string): Promise<boolean>;
  /** ok, or account.invalid / account.suspended / account.unverified. */
  /** May this person book? Answers who they are (the booking keeps it for staff searches). */
  assertCanBook(userId: string): Promise<Result<BookingHolder>>;
  readonly contacts: ContactDirectory;
}

/** Who holds a booking, as staff search for it (name, email, phone). */
export type BookingHolder = NonNullable<BookingInput['holder']>;

/** The view of an account that its owner and admins see. */
export function accountView(user: UserRecord): AccountView {
  const { userId, name, email, phone, emailVerified, phoneVerified, role, status, preferences, language } = user;
  return { userId, name, email, phone, emailVerified, phoneVerified, role, status, preferences, language, pushEndpoints: user.pushSubscriptions.length };
}

function parse<S extends z.ZodType>(schema: S, input: unknown): { ok: true; data: z.output<S> } | ReturnType<typeof refuse> {
  const parsed = schema.safeParse(input);
  return parsed.success ? { ok: true, data: parsed.data } : refuse('input.invalid', issuesText(parsed.error));
}

/** Creates the accounts service. */
export function createAccountService(deps: AccountServiceDeps): AccountService {
  const clock = deps.clock ?? Date.now;
  const random = deps.random ?? cryptoRandom;
  const limits: AccountLimits = { ...DEFAULT_ACCOUNT_LIMITS, ...deps.limits };
  if (limits.otpTtlMs <= 0 || limits.otpTtlMs > 10 * 60_000) throw new RangeError('otpTtlMs must be between 1 ms and 10 minutes');
  const { store, hasher, log } = deps;
  const newUser = (userId: string, draft: NewUserDraft, at: number): UserRecord => ({
    userId, name: draft.name, email: draft.email, phone: draft.phone, emailVerified: false, phoneVerified: false, role: 'visitor', status: 'active',
    preferences: { ...DEFAULT_PREFERENCES }, language: draft.language ?? 'en', pushSubscriptions: [], createdAt: at, updatedAt: at,
  });
  const guards = createGuards(store.guards);
  const challenges = createChallenges({ store, guards, hasher, random, clock, limits, sendOtp: deps.sendOtp, linkBase: deps.linkBase ?? null, newUser, log });
  const sessions = createRefreshSessions({ store, revocations: deps.access.revocations, hasher, random, clock, sessionTtlMs: limits.sessionTtlMs, log });
  const admin = createAccountAdmin({
    store, audit: deps.access.audit, sessions, clock, newUser, newUserId: () => randomId(random, 'u'),
    guards, addressKey: (channel, address) => hasher.hash('address', `${channel}:${address}`),
  });
  const issued = (r: { ok: true; verificationId: string } | ReturnType<typeof refuse>): Result<{ verificationId: string }> =>
    r.ok ? { ok: true, data: { verificationId: r.verificationId } } : r;

  /** Redeems a code or link and applies what it was for. */
  async function redeem(verificationId: string, secret: string, via: 'code' | 'link'): Promise<Result<UserRecord>> {
    const result = await challenges.redeem(verificationId, secret, via);
    if (!result.ok) return result;
    const { challenge, userId } = result.redeemed;
    if (verifiesAddress(challenge.purpose)) {
      const marked = await store.users.markVerified(userId, fieldOf(challenge.channel), challenge.address, clock());
      if (marked === 'taken') return refuse('account.invalid', 'this address is already verified on another account; sign in with it instead');
      if (marked === 'not_found') return refuse('account.invalid', 'no such account');
    }
    const user = await store.users.get(userId);
    if (!user) return refuse('account.invalid', 'no such account');
    if (user.status !== 'active') return refuse('account.suspended', 'this account is suspended');
    return { ok: true, data: user };
  }

  /** Loads an account and applies a change to it, answering with the new view. */
  async function withUser(userId: string, change: () => Promise<UserRecord | null>): Promise<Result<AccountView>> {
    const updated = await change();
    return updated ? { ok: true, data: accountView(updated) } : refuse('account.invalid', 'no such account');
  }

  async function assertCanBook(userId: string): Promise<Result<BookingHolder>> {
    const user = await store.users.get(userId);
    if (!user) return refuse('account.invalid', 'no such account');
    if (user.status !== 'active') return refuse('account.suspended', 'this account is suspended');
    if (!user.emailVerified && !user.phoneVerified) return refuse('account.unverified', 'verify your email address or phone number before booking');
    return { ok: true, data: { name: user.name, ...(user.email ? { email: user.email } : {}), ...(user.phone ? { phone: user.phone } : {}) } };
  }

  return {
    ...admin,

    async register(input) {
      const p = parse(RegisterInput, input);
      if (!p.ok) return p;
      const { name, email = null, phone = null, language = 'en' } = p.data;
      const channel = p.data.channel ?? (email !== null ? 'email' : 'sms');
      const address = channel === 'email' ? email : phone;
      if (address === null) return refuse('input.invalid', 'no address for the chosen channel');
      return issued(await challenges.issue({ kind: 'register', channel, address, draft: { name, email, phone, language } }));
    },

    async startSignIn(input) {
      const p = parse(SignInStart, input);
      if (!p.ok) return p;
      const plan = 'email' in p.data ? { channel: 'email' as const, address: p.data.email } : { channel: 'sms' as const, address: p.data.phone };
      return issued(await challenges.issue({ kind: 'signin', ...plan }));
    },

    async resend(input) {
      const p = parse(ResendInput, input);
      if (!p.ok) return p;
      const previous = await store.challenges.get(p.data.verificationId);
      if (!previous || previous.state === 'consumed') return refuse('otp.invalid', 'nothing to resend; start again');
      return issued(await challenges.issue({ kind: 'resend', previous }));
    },

    async verify(input) {
      const p = parse(CodeRedeem, input);
      if (!p.ok) return p;
      const user = await redeem(p.data.verificationId, p.data.code, 'code');
      return user.ok ? { ok: true, data: accountView(user.data) } : user;
    },

    async verifyLink(input) {
      const p = parse(LinkRedeem, input);
      if (!p.ok) return p;
      const user = await redeem(p.data.verificationId, p.data.token, 'link');
      return user.ok ? { ok: true, data: accountView(user.data) } : user;
    },

    async completeSignIn(input) {
      const p = parse(CodeRedeem, input);
      if (!p.ok) return p;
      const user = await redeem(p.data.verificationId, p.data.code, 'code');
      return user.ok ? { ok: true, data: { userId: user.data.userId, role: user.data.role } } : user;
    },

    async addAddress(userId, input) {
      const p = parse(AddAddressInput, input);
      if (!p.ok) return p;
      const user = await store.users.get(userId);
      if (!user) return refuse('account.invalid', 'no such account');
      const plan = 'email' in p.data ? { channel: 'email' as const, address: p.data.email } : { channel: 'sms' as const, address: p.data.phone };
      return issued(await challenges.issue({ kind: 'add_channel', userId, ...plan }));
    },

    createSession: (userId) => sessions.create(userId),

    async refresh(refreshToken) {
      const p = parse(RefreshToken, refreshToken);
      return p.ok ? sessions.refresh(p.data) : refuse('session.invalid', 'the session ended or the token is not valid; sign in again');
    },

    async signOut(target) {
      if (!('refreshToken' in target)) return sessions.signOut(target);
      const p = parse(RefreshToken, target.refreshToken);
      return p.ok ? sessions.signOut({ refreshToken: p.data }) : refuse('session.invalid', 'the session ended or the token is not valid');
    },

    signOutEverywhere: (userId) => sessions.endAll(userId, 'signed out everywhere', `user:${userId}`),

    async me(userId) {
      return withUser(userId, () => store.users.get(userId));
    },

    async find(input) {
      const p = parse(SignInStart, input);
      if (!p.ok) return p;
      const user = 'email' in p.data ? await store.users.findVerified('email', p.data.email) : await store.users.findVerified('phone', p.data.phone);
      return user ? { ok: true, data: accountView(user) } : refuse('account.invalid', 'no account has this verified address');
    },

    async updatePreferences(userId, input) {
      const p = parse(PreferencesPatch, input);
      if (!p.ok) return p;
      const user = await store.users.get(userId);
      if (!user) return refuse('account.invalid', 'no such account');
      return withUser(userId, () => store.users.update(userId, { preferences: { ...user.preferences, ...p.data } }, clock()));
    },

    async setLanguage(userId, input) {
      const p = parse(LanguageInput, input);
      if (!p.ok) return p;
      return withUser(userId, () => store.users.update(userId, { language: p.data.language }, clock()));
    },

    async addPushSubscription(userId, input) {
      const p = parse(PushSubscriptionInput, input);
      if (!p.ok) return p;
      // The hub will POST to this URL later: only hosts of real push services are accepted.
      if (!isAllowedPushEndpoint(p.data.endpoint, deps.pushHosts ?? DEFAULT_PUSH_HOSTS)) return refuse('input.invalid', 'the endpoint is not on a known push service');
      const subscription = { endpoint: p.data.endpoint, keys: { p256dh: p.data.keys.p256dh, auth: p.data.keys.auth } };
      return withUser(userId, () => store.users.addPush(userId, subscription, limits.maxPushSubscriptions, clock()));
    },

    async removePushSubscription(userId, endpoint) {
      return withUser(userId, () => store.users.removePush(userId, endpoint, clock()));
    },

    async canBook(userId) {
      return (await assertCanBook(userId)).ok;
    },

    assertCanBook,
    contacts: createStoreContactDirectory(store),
  };
}

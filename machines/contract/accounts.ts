/**
 * Accounts in the contract: what callers send to sign up, verify, sign in and manage their
 * account (the hub parses HTTP bodies with these; workers/accounts re-exports them). Addresses are normalised here, once: emails trimmed and lower-cased, phones
 * reduced to E.164 (`+` and 8–15 digits; spaces, dashes, dots, brackets and a leading `00` are
 * accepted on input).
 */
import { z } from 'zod';
import { PERSON_ROLES } from './common.js';
import { httpRoute } from './contract.js';

/** The channels a person is notified on. */
export const CHANNELS = ['email', 'sms', 'push', 'in_app'] as const;
/** The channels a verification code goes by. */
export const OTP_CHANNELS = ['email', 'sms'] as const;

/** The languages the hub writes in: every page and every message (email, SMS, push, in-app). */
export const LANGUAGES = ['en', 'ar'] as const;
/** A person's language: what their emails, SMS, push and in-app alerts are written in. */
export const Language = z.enum(LANGUAGES, { error: 'a language the hub writes in: en or ar' });
/** A person's language. */
export type Language = z.infer<typeof Language>;

/** An email address, trimmed and lower case. */
export const Email = z
  .string()
  .trim()
  .max(254)
  .toLowerCase()
  .pipe(z.email({ error: 'an email address like name@example.com' }));

/** A phone number in E.164 form. */
export const Phone = z
  .string()
  .max(32)
  .transform((raw) => raw.replace(/[\s().-]/g, '').replace(/^00/, '+'))
  .pipe(z.string().regex(/^\+[1-9]\d{7,14}$/, { error: 'a phone number in international form, e.g. +966501234567' }));

/** A display name. */
export const PersonName = z.string().trim().min(1).max(100);

/**
 * Sign-up: a name and at least one address; the code goes to `channel` (default: email if given),
 * written in `language` (default en), which the new account keeps for every later message.
 */
export const RegisterInput = z
  .strictObject({ name: PersonName, email: Email.optional(), phone: Phone.optional(), channel: z.enum(OTP_CHANNELS).optional(), language: Language.optional() })
  .refine((v) => v.email !== undefined || v.phone !== undefined, { error: 'give an email address or a phone number' })
  .refine((v) => v.channel !== 'email' || v.email !== undefined, { error: 'channel email needs an email address', path: ['channel'] })
  .refine((v) => v.channel !== 'sms' || v.phone !== undefined, { error: 'channel sms needs a phone number', path: ['channel'] });
/** Sign-up: a name and at least one address. */
export type RegisterInput = z.infer<typeof RegisterInput>;

/** Sign-in of a returning user: exactly one address. */
export const SignInStart = z.union([z.strictObject({ email: Email }), z.strictObject({ phone: Phone })], {
  error: 'give either an email address or a phone number',
});
/** Sign-in of a returning user. */
export type SignInStart = z.infer<typeof SignInStart>;

/** The id a code was issued under. */
export const VerificationId = z.string().regex(/^v_[A-Za-z0-9_-]{16,64}$/, { error: 'the verificationId from the sign-up or sign-in answer' });

/** A typed code. */
export const CodeRedeem = z.strictObject({ verificationId: VerificationId, code: z.string().trim().regex(/^\d{6}$/, { error: 'the 6-digit code' }) });
/** A typed code. */
export type CodeRedeem = z.infer<typeof CodeRedeem>;

/** The token of an emailed confirmation link. */
export const LinkRedeem = z.strictObject({ verificationId: VerificationId, token: z.string().regex(/^[A-Za-z0-9_-]{43}$/, { error: 'the token from the link' }) });
/** The token of an emailed confirmation link. */
export type LinkRedeem = z.infer<typeof LinkRedeem>;

/** Asks for a fresh code for an earlier verification. */
export const ResendInput = z.strictObject({ verificationId: VerificationId });

/** Adds (and verifies) an address on a signed-in account. */
export const AddAddressInput = z.union([z.strictObject({ email: Email }), z.strictObject({ phone: Phone })], {
  error: 'give either an email address or a phone number',
});
/** Adds an address on a signed-in account. */
export type AddAddressInput = z.infer<typeof AddAddressInput>;

/** A refresh token as issued (32 bytes, base64url). */
export const RefreshToken = z.string().regex(/^[A-Za-z0-9_-]{43}$/, { error: 'the refresh token from the sign-in answer' });

/** Channel preferences; omitted channels keep their setting. */
export const PreferencesPatch = z.partialRecord(z.enum(CHANNELS), z.boolean());
/** Channel preferences; omitted channels keep their setting. */
export type PreferencesPatch = z.infer<typeof PreferencesPatch>;

/** The language a person's messages are written in (the app sends it when they switch). */
export const LanguageInput = z.strictObject({ language: Language });
/** The language a person's messages are written in. */
export type LanguageInput = z.infer<typeof LanguageInput>;

/** A browser push subscription as `PushSubscription.toJSON()` gives it. */
export const PushSubscriptionInput = z.object({
  endpoint: z.url({ protocol: /^https$/, error: 'an https push service endpoint' }).max(2048),
  keys: z.object({ p256dh: z.string().min(1).max(256), auth: z.string().min(1).max(64) }),
});

/** A role change by an admin. */
export const RoleChange = z.strictObject({ role: z.enum(PERSON_ROLES) });

/** A person's account as the hub shows it to them (and to staff). */
export const AccountView = z.object({
  userId: z.string(),
  name: z.string(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  emailVerified: z.boolean(),
  phoneVerified: z.boolean(),
  role: z.enum(PERSON_ROLES),
  status: z.enum(['active', 'suspended']),
  preferences: z.record(z.enum(CHANNELS), z.boolean()).describe('Which channels the person is notified on.'),
  language: Language.describe('The language of the person\'s emails, SMS, push and in-app alerts.'),
  pushEndpoints: z.number().int().nonnegative(),
});
export type AccountView = z.infer<typeof AccountView>;

/** The policy actions a role may take (ownership rules included: a visitor's own bookings). */
export const Permissions = z.object({
  role: z.enum(PERSON_ROLES),
  actions: z.array(z.string()).describe('Policy action names, e.g. booking.approve, payment.refund (docs/roles.md).'),
});
export type Permissions = z.infer<typeof Permissions>;

/** A code went out: type it (or open the emailed link) under this id. */
export const VerificationStarted = z.object({ verificationId: z.string().describe('Send it back with the 6-digit code (POST /api/auth/verify or /api/auth/sign-in/complete).') });

/** Tokens of a fresh sign-in; times are epoch ms. */
export const Tokens = z.object({
  accessToken: z.string().describe('A short-lived JWT: send it as `Authorization: Bearer <token>` and as the socket handshake\'s `auth.token`.'),
  accessExpiresAt: z.number().int(),
  refreshToken: z.string().describe('Trade it for a new access token at POST /api/auth/refresh before accessExpiresAt; it rotates on every use, and a reused one ends the whole sign-in.'),
  refreshExpiresAt: z.number().int(),
});
/** A completed verification or sign-in. */
export const SignedIn = Tokens.extend({ account: AccountView });

export const RefreshBody = z.strictObject({ refreshToken: RefreshToken });
export const SignOutBody = z.union([z.strictObject({ refreshToken: RefreshToken }), z.strictObject({ everywhere: z.literal(true) })], {
  error: 'send {"refreshToken": "…"} to end this sign-in, or {"everywhere": true} with a bearer token to end all of them',
});
/** Open a guest session: nothing to send. */
export const GuestSessionRequest = z.strictObject({});
/** A signed-out visitor's session: a short-lived access token with the role `guest` and no account. */
export const GuestSession = z.object({
  accessToken: z.string().describe("The socket handshake's `auth.token`: it may follow the menu live (menu:subscribe) and nothing an account may do."),
  accessExpiresAt: z.number().int().describe('Epoch ms; open another guest session after it.'),
});

export const SignedOut = z.object({ signedOut: z.literal(true), revokedBefore: z.number().int().describe('Epoch seconds: tokens issued at or before it are refused.') });

const UserParams = z.strictObject({ id: z.string().regex(/^[A-Za-z0-9_.:-]{1,128}$/, { error: 'a user id' }) });
export const Suspension = z.strictObject({ reason: z.string().trim().min(1).max(500) });

const RATE = 'Held to a per-address budget (AUTH_RATE_PER_MINUTE, bursts of AUTH_RATE_BURST): rate.limited with status 429 past it.';

/** The HTTP routes of accounts and sessions. */
export const ACCOUNT_ROUTES = {
  register: httpRoute({ method: 'POST', path: '/api/auth/register', body: RegisterInput, answer: VerificationStarted, auth: 'none', by: 'anyone', summary: 'Sign up: a name and an email or phone; a 6-digit code goes there.', description: RATE }),
  resend: httpRoute({ method: 'POST', path: '/api/auth/resend', body: ResendInput, answer: VerificationStarted, auth: 'none', by: 'anyone', summary: 'Send a fresh code for an earlier verification.', description: RATE }),
  verify: httpRoute({ method: 'POST', path: '/api/auth/verify', body: CodeRedeem, answer: SignedIn, auth: 'none', by: 'anyone', summary: 'Redeem the sign-up code: the account is verified and signed in.', description: RATE }),
  verifyLink: httpRoute({ method: 'POST', path: '/api/auth/verify-link', body: LinkRedeem, answer: SignedIn, auth: 'none', by: 'anyone', summary: 'Redeem the emailed confirmation link instead of typing the code.', description: RATE }),
  signIn: httpRoute({ method: 'POST', path: '/api/auth/sign-in', body: SignInStart, answer: VerificationStarted, auth: 'none', by: 'anyone', summary: 'Sign in a returning person: a code goes to the address given.', description: RATE }),
  signInComplete: httpRoute({ method: 'POST', path: '/api/auth/sign-in/complete', body: CodeRedeem, answer: SignedIn, auth: 'none', by: 'anyone', summary: 'Redeem the sign-in code.', description: RATE }),
  refresh: httpRoute({ method: 'POST', path: '/api/auth/refresh', body: RefreshBody, answer: Tokens, auth: 'none', by: 'anyone holding a refresh token', summary: 'A new access token (with the person\'s current role) and the refresh token that replaces the one sent.', description: RATE }),
  signOut: httpRoute({ method: 'POST', path: '/api/auth/sign-out', body: SignOutBody, answer: SignedOut, auth: 'none', by: 'the person', summary: 'End this sign-in (refresh token) or every sign-in (everywhere, with a bearer token); open sockets get session:ended.', description: RATE }),
  guest: httpRoute({
    method: 'POST',
    path: '/api/auth/guest',
    body: GuestSessionRequest,
    answer: GuestSession,
    auth: 'none',
    by: 'anyone',
    summary: "A signed-out visitor's session for the public feeds: a short-lived access token with the role guest, no account.",
    description:
      'The role policy gives a guest session what anyone may follow (the menu: menu:subscribe, then menu:changed and menu:updated) and nothing else; every HTTP route that needs a person refuses it (auth.wrong_type). Held to a per-address budget of its own, as large as the other auth routes\' (AUTH_RATE_PER_MINUTE, bursts of AUTH_RATE_BURST): rate.limited with status 429 past it.',
  }),
  me: httpRoute({ method: 'GET', path: '/api/me', answer: AccountView, auth: 'bearer', by: 'people', summary: 'The signed-in person\'s account.' }),
  permissions: httpRoute({
    method: 'GET',
    path: '/api/me/permissions',
    answer: Permissions,
    auth: 'bearer',
    by: 'people',
    summary: 'What the signed-in person\'s role may do: the actions of the policy table (docs/roles.md) it allows.',
    description: 'Staff screens show only what these allow; the hub still decides every call by the same table and refuses the rest.',
  }),
  preferences: httpRoute({ method: 'PATCH', path: '/api/me/preferences', body: PreferencesPatch, answer: AccountView, auth: 'bearer', by: 'people', summary: 'Switch notification channels on or off; omitted channels keep their setting.' }),
  language: httpRoute({ method: 'PATCH', path: '/api/me/language', body: LanguageInput, answer: AccountView, auth: 'bearer', by: 'people', summary: 'Set the language of the person\'s messages (en or ar); the next email, SMS, push or alert is written in it.', description: 'The visitor app and the admin console send it when the person switches language; sign-up sets it first (register\'s language).' }),
  addAddress: httpRoute({ method: 'POST', path: '/api/me/addresses', body: AddAddressInput, answer: VerificationStarted, auth: 'bearer', by: 'people', summary: 'Add an email or phone; a code goes there to verify it.' }),
  findUser: httpRoute({
    method: 'GET',
    path: '/api/admin/users',
    query: z.strictObject({ email: Email.optional(), phone: Phone.optional() }).describe('Exactly one of them.'),
    answer: z.object({ account: AccountView }),
    auth: 'bearer',
    by: 'super and support admins',
    summary: 'Look a person up by their verified email address or phone number (account.invalid when nobody has it).',
  }),
  setRole: httpRoute({ method: 'POST', path: '/api/admin/users/:id/role', params: UserParams, body: RoleChange, answer: z.object({ account: AccountView, revokedBefore: z.number().int().nullable() }), auth: 'bearer', by: 'super admins', summary: 'Change a person\'s role (audited); a demotion ends their sessions.' }),
  suspend: httpRoute({ method: 'POST', path: '/api/admin/users/:id/suspend', params: UserParams, body: Suspension, answer: z.object({ userId: z.string(), status: z.literal('suspended'), revokedBefore: z.number().int() }), auth: 'bearer', by: 'super admins; support admins for visitors', summary: 'Suspend an account and end its sessions (audited).' }),
  unlock: httpRoute({
    method: 'POST',
    path: '/api/admin/users/:id/unlock',
    params: UserParams,
    answer: z.object({
      userId: z.string(),
      lockedUntil: z.number().int().nullable().describe('Epoch ms the wrong-code lock would have lasted until; null when the account was not locked.'),
      addressesReset: z.number().int().nonnegative().describe('How many of the person\'s verified addresses had their code-send limit reset.'),
    }),
    auth: 'bearer',
    by: 'super admins; support admins for visitors',
    summary: 'Unlock an account (audited): clear the lock after too many wrong codes (otp.locked) and the code-send limit of its verified email and phone (otp.throttled), so the person can ask for a code and sign in now.',
  }),
  reinstate: httpRoute({ method: 'POST', path: '/api/admin/users/:id/reinstate', params: UserParams, answer: z.object({ account: AccountView }), auth: 'bearer', by: 'super admins; support admins for visitors', summary: 'Lift a suspension (audited).' }),
} as const;

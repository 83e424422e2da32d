/**
 * Zod catalog of what callers send the accounts service (the hub parses HTTP bodies with the
 * same schemas). Addresses are normalised here, once: emails trimmed and lower-cased, phones
 * reduced to E.164 (`+` and 8–15 digits; spaces, dashes, dots, brackets and a leading `00` are
 * accepted on input).
 */
import { z } from 'zod';
import { PERSON_ROLES } from '../../machines/contract/wire.js';
import { CHANNELS } from './contact-directory.js';
import { OTP_CHANNELS } from './account-store.js';

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

/** Sign-up: a name and at least one address; the code goes to `channel` (default: email if given). */
export const RegisterInput = z
  .strictObject({ name: PersonName, email: Email.optional(), phone: Phone.optional(), channel: z.enum(OTP_CHANNELS).optional() })
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

/** A browser push subscription as `PushSubscription.toJSON()` gives it. */
export const PushSubscriptionInput = z.object({
  endpoint: z.url({ protocol: /^https$/, error: 'an https push service endpoint' }).max(2048),
  keys: z.object({ p256dh: z.string().min(1).max(256), auth: z.string().min(1).max(64) }),
});

/** A role change by an admin. */
export const RoleChange = z.strictObject({ role: z.enum(PERSON_ROLES) });

/** Turns a failed parse into one readable line. */
export function issuesText(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.length > 0 ? i.path.join('.') + ': ' : ''}${i.message}`).join('; ');
}

/**
 * The names every feature shares: roles, device kinds, ids, wristband UIDs and the translations of
 * a catalog or menu entity's name.
 */
import { z } from 'zod';

/** Roles a person can hold. */
export const PERSON_ROLES = ['visitor', 'super_admin', 'finance_admin', 'booking_admin', 'support_admin', 'kitchen_staff'] as const;
export const PersonRole = z.enum(PERSON_ROLES);
export type PersonRole = z.infer<typeof PersonRole>;

/**
 * A signed-out visitor's session (`POST /api/auth/guest`): a short-lived access token with this
 * role and no account behind it, for what the role policy gives anyone (following the menu).
 */
export const GUEST_ROLE = 'guest';
/** The roles an access token may carry: an account's, or a guest session's. */
export const SESSION_ROLES = [...PERSON_ROLES, GUEST_ROLE] as const;
export const SessionRole = z.enum(SESSION_ROLES);
export type SessionRole = z.infer<typeof SessionRole>;

/** Kinds of venue device holding a socket. */
export const DEVICE_KINDS = ['gate', 'locker', 'kitchen_board', 'rental_desk'] as const;
export const DeviceKind = z.enum(DEVICE_KINDS);
export type DeviceKind = z.infer<typeof DeviceKind>;

/** An id: letters, digits and _ . : -, 1–128 characters. */
export const Id = z.string().regex(/^[A-Za-z0-9_.:-]{1,128}$/, 'letters, digits and _ . : - only, 1–128 characters');

/** The UID of an RFID wristband. */
export const BandUid = z.string().regex(/^[A-Za-z0-9:-]{4,64}$/, 'letters, digits, : and - only, 4–64 characters');

/** The ack of every `*:unsubscribe`. */
export const Unsubscribed = z.object({ unsubscribed: z.literal(true) });
export type Unsubscribed = z.infer<typeof Unsubscribed>;

/**
 * An entity's name and description in another language than its own (English), for visitors who
 * chose that language: `{ ar: { name, description } }`. Pages fall back to the entity's own text.
 */
export const Translations = z
  .strictObject({
    ar: z.strictObject({ name: z.string().trim().min(1).max(100), description: z.string().trim().max(2000).optional() }).optional(),
  })
  .describe('Names and descriptions in other languages, by language code (ar): shown to visitors who chose that language.');
/** Translations of an entity's name and description. */
export type Translations = z.infer<typeof Translations>;

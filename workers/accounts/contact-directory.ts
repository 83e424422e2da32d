/**
 * What the notification service needs to know about a person: where to reach them and how
 * they want to be reached. Implemented by the accounts service; read-only for everyone else.
 */
import { CHANNELS, type Language } from '../../machines/contract/accounts.js';

/** Notification channels a person can switch on or off. */
export { CHANNELS };
export type Channel = (typeof CHANNELS)[number];

/** A browser's Web Push subscription (as `PushSubscription.toJSON()` gives it). */
export interface PushSubscriptionRecord {
  endpoint: string;
  keys: { p256dh: string; auth: string };
}

/** One person's contact details and channel preferences. */
export interface Contact {
  userId: string;
  name: string;
  email: string | null;
  phone: string | null;
  /** Per channel: whether the person wants notifications there. */
  preferences: Record<Channel, boolean>;
  /** The language their messages are written in. */
  language: Language;
  pushSubscriptions: PushSubscriptionRecord[];
}

/** Looks up contacts by user id. */
export interface ContactDirectory {
  contact(userId: string): Promise<Contact | null>;
}

/**
 * What the notifier keeps: send receipts (the idempotency record), the local mailbox of the
 * embedded deployment, and the Web Push subscriptions of each person. One port, a SQLite and a
 * MongoDB adapter, one contract suite (`notification-store.contract.ts`).
 *
 *   receipts            (effectId, channel) ─▶ sending | sent | skipped | failed
 *   mailbox             messages the embedded email / SMS channels "delivered", newest first
 *   pushSubscriptions   endpoint ─▶ {userId, keys}; a gone endpoint (404/410) is removed
 */
import type { PushSubscriptionRecord } from '../accounts/contact-directory.js';

/** The channels a notification goes out on. */
export const NOTIFY_CHANNELS = ['email', 'sms', 'push', 'in_app'] as const;
/** One notification channel. */
export type NotifyChannel = (typeof NOTIFY_CHANNELS)[number];

/** The idempotency key of one send: one effect on one channel. */
export interface ReceiptKey {
  effectId: string;
  channel: NotifyChannel;
}

/**
 * How a send ended: `sending` is a claim in progress (or a sender that crashed in the middle),
 * `released` a claim given back after a transient failure; the other three are settled.
 */
export type ReceiptStatus = 'sending' | 'released' | 'sent' | 'skipped' | 'failed';

/** The statuses a claim settles in. */
export type SettledStatus = Extract<ReceiptStatus, 'sent' | 'skipped' | 'failed'>;

/** One receipt as stored. */
export interface Receipt extends ReceiptKey {
  status: ReceiptStatus;
  /** How many times a sender claimed it. */
  attempts: number;
  /** Why it was skipped or failed, or the provider's id once sent. */
  detail: string | null;
  updatedAt: number;
}

/**
 * The answer to a claim: `claimed` means send now; `done` means it was sent (or settled) already;
 * `busy` means another sender claimed it less than a lease ago and may still be sending.
 */
export type ClaimResult = 'claimed' | 'done' | 'busy';

/** Receipts per (effectId, channel): the record that makes a re-delivered effect send nothing twice. */
export interface ReceiptStore {
  /**
   * Claims the key for sending at `at`. A missing receipt, a released one, or a `sending` claim
   * taken before `at - leaseMs` (its sender crashed) is claimed; anything settled is `done`.
   */
  claim(key: ReceiptKey, at: number, leaseMs: number): Promise<ClaimResult>;
  /** Settles a claim. */
  settle(key: ReceiptKey, status: SettledStatus, detail: string | null, at: number): Promise<void>;
  /** Gives a claim back after a transient failure, so the next delivery claims it at once. */
  release(key: ReceiptKey): Promise<void>;
  /** All receipts of one effect (for operators and tests). */
  ofEffect(effectId: string): Promise<Receipt[]>;
}

/** An attachment kept with a mailbox message (the QR images of a ticket email). */
export interface MailboxAttachment {
  filename: string;
  contentType: string;
  /** Content-ID the HTML refers to as `cid:<cid>`, for inline images. */
  cid: string | null;
  contentBase64: string;
}

/** A message the embedded email or SMS channel delivered into the local mailbox. */
export interface MailboxMessage {
  /** Unique per message; a second delivery with the same id is ignored. */
  id: string;
  channel: 'email' | 'sms';
  from: string;
  /** An email address or a phone number. */
  to: string;
  subject: string | null;
  text: string;
  html: string | null;
  attachments: MailboxAttachment[];
  at: number;
}

/** What a mailbox listing may be narrowed to. */
export interface MailboxQuery {
  limit: number;
  to?: string;
  channel?: MailboxMessage['channel'];
}

/** The local mailbox of the embedded deployment: an append-only message list. */
export interface Mailbox {
  /** Stores the message; false when a message with its id is already there. */
  deliver(message: MailboxMessage): Promise<boolean>;
  /** Newest first. */
  list(query: MailboxQuery): Promise<MailboxMessage[]>;
}

/** A stored push subscription with its owner. */
export interface StoredPushSubscription extends PushSubscriptionRecord {
  userId: string;
  createdAt: number;
}

/** Web Push subscriptions per person; one endpoint belongs to one person (the browser's latest). */
export interface PushSubscriptions {
  /** Adds or moves the endpoint to `userId` with fresh keys. */
  save(userId: string, subscription: PushSubscriptionRecord, at: number): Promise<void>;
  /** Removes the endpoint; with `userId`, only when it is that person's. True when one was removed. */
  remove(endpoint: string, userId?: string): Promise<boolean>;
  /** Oldest first. */
  list(userId: string): Promise<StoredPushSubscription[]>;
}

/** Everything the notifier stores. The caller that opens it closes it, after the runtime stopped. */
export interface NotificationStore {
  readonly name: string;
  readonly receipts: ReceiptStore;
  readonly mailbox: Mailbox;
  readonly pushSubscriptions: PushSubscriptions;
  close(): Promise<void>;
}

/**
 * SMS out through a provider port. The embedded default writes into the same local mailbox as
 * email (channel `sms`); a real provider (Unifonic, Twilio, …) implements `SmsProvider` and
 * throws `PermanentDeliveryError` for numbers it will never reach.
 */
import type { Mailbox } from './notification-store.js';

/** One text message; `id` is stable per notification so a provider that dedupes can use it. */
export interface OutgoingSms {
  id: string;
  /** E.164, e.g. +966500000001. */
  to: string;
  text: string;
}

/** Sends SMS; resolves with the provider's message id. */
export interface SmsProvider {
  readonly kind: string;
  send(sms: OutgoingSms): Promise<string>;
}

/** Stores every SMS in the local mailbox, sender `from` (the venue's sender name). */
export function createMailboxSmsProvider(options: { mailbox: Mailbox; from: string; clock: () => number }): SmsProvider {
  return {
    kind: 'mailbox',
    async send(sms) {
      await options.mailbox.deliver({
        id: sms.id,
        channel: 'sms',
        from: options.from,
        to: sms.to,
        subject: null,
        text: sms.text,
        html: null,
        attachments: [],
        at: options.clock(),
      });
      return sms.id;
    },
  };
}

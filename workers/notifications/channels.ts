/**
 * Builds the notification channels from configuration, for a `main`:
 *
 *   SMTP_URL set      email through that SMTP server      unset: the local mailbox
 *   sms given         that provider                       unset: the local mailbox (channel sms)
 *   VAPID keys set    those keys                          unset: generated once into DATA_DIR/keys
 */
import type { Agent } from 'node:https';
import type { Logger } from '../logger.js';
import { createMailboxEmailSender, createSmtpEmailSender } from './email.js';
import type { EmailSender } from './email.js';
import type { NotificationStore } from './notification-store.js';
import { createMailboxSmsProvider } from './sms.js';
import type { SmsProvider } from './sms.js';
import { createWebPushSender, loadOrCreateVapidKeys } from './web-push.js';
import type { PushSender, VapidKeys } from './web-push.js';

/** What the channels are built from (the hub maps its configuration onto this). */
export interface NotificationChannelConfig {
  dataDir: string;
  store: NotificationStore;
  /** SMTP_URL, e.g. `smtps://user:pass@smtp.example.com:465`; unset means the local mailbox. */
  smtpUrl?: string | undefined;
  /** MAIL_FROM, e.g. `Venue Hub <no-reply@venue.example>`. */
  mailFrom: string;
  /** SMS_SENDER: the sender name shown on texts. */
  smsSender?: string | undefined;
  /** A real SMS provider adapter; unset means the local mailbox. */
  sms?: SmsProvider | undefined;
  /** VAPID_PUBLIC_KEY + VAPID_PRIVATE_KEY; unset means generated and kept in the data directory. */
  vapid?: VapidKeys | undefined;
  /** VAPID_SUBJECT: mailto: or https: contact for push services. */
  vapidSubject: string;
  /** For push services behind a private CA. */
  pushAgent?: Agent | undefined;
  clock: () => number;
  log: Logger;
}

/** The built channels; `close` ends the SMTP connection pool. */
export interface NotificationChannels {
  email: EmailSender;
  sms: SmsProvider;
  push: PushSender;
  /** For the VAPID public key endpoint (browsers subscribe with it). */
  vapidPublicKey: string;
  close(): void;
}

/** Builds email, SMS and push from configuration. */
export async function createNotificationChannels(config: NotificationChannelConfig): Promise<NotificationChannels> {
  const email =
    config.smtpUrl === undefined
      ? createMailboxEmailSender({ mailbox: config.store.mailbox, from: config.mailFrom, clock: config.clock })
      : createSmtpEmailSender({ url: config.smtpUrl, from: config.mailFrom });
  const sms = config.sms ?? createMailboxSmsProvider({ mailbox: config.store.mailbox, from: config.smsSender ?? 'VenueHub', clock: config.clock });
  const keys = await loadOrCreateVapidKeys({ dataDir: config.dataDir, configured: config.vapid });
  const push = createWebPushSender({
    keys,
    subject: config.vapidSubject,
    subscriptions: config.store.pushSubscriptions,
    log: config.log.child({ part: 'push' }),
    ...(config.pushAgent === undefined ? {} : { agent: config.pushAgent }),
  });
  return { email, sms, push, vapidPublicKey: keys.publicKey, close: () => email.close() };
}

/**
 * Email out: an `EmailSender` port with two implementations.
 *
 *   production  nodemailer SMTP transport, configured by one URL (smtp:// or smtps://, credentials inside)
 *   embedded    the local mailbox table, listed by a page on the hub (no mail server needed)
 *
 * SMTP replies in the 5xx range are permanent (the address is refused: retrying cannot help);
 * everything else (connection refused, timeouts, 4xx greylisting) is transient and retried.
 */
import { createTransport } from 'nodemailer';
import type { Transporter } from 'nodemailer';
import type { Mailbox } from './notification-store.js';
import { PermanentDeliveryError } from './send-once.js';

/** A file attached to an email; with `cid` it is an inline image the HTML shows as `cid:<cid>`. */
export interface EmailAttachment {
  filename: string;
  contentType: string;
  cid: string | null;
  content: Buffer;
}

/** One email, fully rendered. `messageId` is stable per notification so a resend is recognisable. */
export interface OutgoingEmail {
  messageId: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  attachments: EmailAttachment[];
}

/** Sends email; resolves with the id the transport gave the message. */
export interface EmailSender {
  readonly kind: 'smtp' | 'mailbox';
  /** The From address, e.g. `Venue Hub <no-reply@venue.example>`. */
  readonly from: string;
  send(email: OutgoingEmail): Promise<string>;
  close(): void;
}

/** SMTP timeouts, all well under the send lease (see send-once.ts). */
const SMTP_TIMEOUTS = { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000, dnsTimeout: 10_000 };

/** Sends through an SMTP server given by URL, e.g. `smtps://user:pass@smtp.example.com:465`. */
export function createSmtpEmailSender(options: { url: string; from: string }): EmailSender {
  const transport: Transporter = createTransport({ url: options.url, ...SMTP_TIMEOUTS });
  return {
    kind: 'smtp',
    from: options.from,
    async send(email) {
      try {
        const info: unknown = await transport.sendMail({
          from: options.from,
          to: email.to,
          subject: email.subject,
          text: email.text,
          html: email.html,
          messageId: email.messageId,
          attachments: email.attachments.map((a) => ({
            filename: a.filename,
            contentType: a.contentType,
            content: a.content,
            ...(a.cid === null ? {} : { cid: a.cid }),
          })),
        });
        const id = (info as { messageId?: unknown }).messageId;
        return typeof id === 'string' ? id : email.messageId;
      } catch (error) {
        throw classifySmtpError(error);
      }
    },
    close: () => transport.close(),
  };
}

/** A 5xx reply becomes a PermanentDeliveryError; anything else is returned as is (transient). */
export function classifySmtpError(error: unknown): unknown {
  const code = (error as { responseCode?: unknown } | null)?.responseCode;
  if (typeof code === 'number' && code >= 500 && code < 600) {
    return new PermanentDeliveryError(`SMTP server refused the message: ${error instanceof Error ? error.message : String(code)}`);
  }
  return error;
}

/** "Delivers" into the local mailbox: the embedded default, and what the mailbox page lists. */
export function createMailboxEmailSender(options: { mailbox: Mailbox; from: string; clock: () => number }): EmailSender {
  return {
    kind: 'mailbox',
    from: options.from,
    async send(email) {
      await options.mailbox.deliver({
        id: email.messageId,
        channel: 'email',
        from: options.from,
        to: email.to,
        subject: email.subject,
        text: email.text,
        html: email.html,
        attachments: email.attachments.map((a) => ({
          filename: a.filename,
          contentType: a.contentType,
          cid: a.cid,
          contentBase64: a.content.toString('base64'),
        })),
        at: options.clock(),
      });
      return email.messageId;
    },
    close: () => {},
  };
}

/**
 * Verification and sign-in codes out through the same channels as every other message: the
 * accounts service's `SendOtp`, implemented over the email sender and the SMS provider. On the
 * embedded default the codes land in the local mailbox; with SMTP_URL they are real email.
 *
 * Codes are not effects (they are sent in the background of a request and never retried), so
 * there is no receipt: a lost code is replaced by asking for a new one.
 */
import { randomUUID } from 'node:crypto';
import type { OtpMessage, SendOtp } from '../accounts/otp-challenges.js';
import type { EmailSender } from './email.js';
import { MESSAGE_ID_DOMAIN } from './message-id.js';
import type { SmsProvider } from './sms.js';
import { escapeHtml } from './templates.js';

const SUBJECTS: Record<OtpMessage['kind'], string> = {
  verify: 'Your Venue Hub verification code',
  signin: 'Your Venue Hub sign-in code',
  account_exists: 'Your Venue Hub sign-in code',
};

function minutesLeft(message: OtpMessage, now: number): number {
  return Math.max(1, Math.round((message.expiresAt - now) / 60_000));
}

/** Creates the `SendOtp` the accounts service takes. */
export function createOtpSender(deps: { email: EmailSender; sms: SmsProvider; clock: () => number }): SendOtp {
  return async (channel, to, message) => {
    const minutes = minutesLeft(message, deps.clock());
    const lead =
      message.kind === 'account_exists'
        ? 'Someone tried to register with this address, which already has an account. To sign in instead, use'
        : 'Use';
    const sentence = `${lead} code ${message.code} within ${minutes} minute${minutes === 1 ? '' : 's'}. If you did not ask for it, ignore this message.`;
    if (channel === 'sms') {
      await deps.sms.send({ id: randomUUID(), to, text: `Venue Hub: ${sentence}` });
      return;
    }
    const link = message.link === null ? '' : `\n\nOr open this link: ${message.link}`;
    await deps.email.send({
      messageId: `<otp.${randomUUID()}@${MESSAGE_ID_DOMAIN}>`,
      to,
      subject: SUBJECTS[message.kind],
      text: `${sentence}${link}\n\nVenue Hub`,
      html:
        '<!doctype html><html><body style="font:15px/1.5 sans-serif;color:#222">' +
        `<p>${escapeHtml(sentence)}</p>` +
        `<p style="font-size:28px;letter-spacing:6px"><b>${escapeHtml(message.code)}</b></p>` +
        (message.link === null ? '' : `<p><a href="${escapeHtml(message.link)}">Confirm my address</a></p>`) +
        '<p style="color:#777;font-size:12px">Venue Hub</p></body></html>',
      attachments: [],
    });
  };
}

/**
 * Verification and sign-in codes out through the same channels as every other message: the
 * accounts service's `SendOtp`, implemented over the email sender and the SMS provider. On the
 * embedded default the codes land in the local mailbox; with SMTP_URL they are real email.
 *
 * Each code is written in the language of the account it is for; a code for an account that does
 * not exist yet (sign-up) in the language the sign-up request carried.
 *
 * Codes are not effects (they are sent in the background of a request and never retried), so
 * there is no receipt: a lost code is replaced by asking for a new one.
 */
import { randomUUID } from 'node:crypto';
import type { OtpMessage, SendOtp } from '../accounts/otp-challenges.js';
import type { EmailSender } from './email.js';
import { MESSAGE_ID_DOMAIN } from './message-id.js';
import type { SmsProvider } from './sms.js';
import { ARABIC_LOCALE, escapeHtml } from './templates.js';

/** The words of a code message, per language. */
const WORDS = {
  en: {
    subjects: { verify: 'Your Venue Hub verification code', signin: 'Your Venue Hub sign-in code', account_exists: 'Your Venue Hub sign-in code' } satisfies Record<OtpMessage['kind'], string>,
    sentence(kind: OtpMessage['kind'], code: string, minutes: number): string {
      const lead =
        kind === 'account_exists' ? 'Someone tried to register with this address, which already has an account. To sign in instead, use' : 'Use';
      return `${lead} code ${code} within ${minutes} minute${minutes === 1 ? '' : 's'}. If you did not ask for it, ignore this message.`;
    },
    orLink: 'Or open this link',
    confirm: 'Confirm my address',
    lang: 'en',
    dir: 'ltr',
  },
  ar: {
    subjects: { verify: 'رمز التحقق من Venue Hub', signin: 'رمز تسجيل الدخول إلى Venue Hub', account_exists: 'رمز تسجيل الدخول إلى Venue Hub' } satisfies Record<OtpMessage['kind'], string>,
    sentence(kind: OtpMessage['kind'], code: string, minutes: number): string {
      const lead = kind === 'account_exists' ? 'حاول أحدهم التسجيل بهذا العنوان، وله حساب من قبل. لتسجيل الدخول بدلًا من ذلك، استخدم' : 'استخدم';
      return `${lead} الرمز ${code} خلال ${arabicCount.format(minutes)} ${minutes === 1 ? 'دقيقة' : minutes === 2 ? 'دقيقتين' : minutes <= 10 ? 'دقائق' : 'دقيقة'}. إن لم تطلبه فتجاهل هذه الرسالة.`;
    },
    orLink: 'أو افتح هذا الرابط',
    confirm: 'تأكيد عنواني',
    lang: 'ar',
    dir: 'rtl',
  },
} as const;

/** Minutes in Arabic digits, built once. The code itself stays in Western digits: people type it. */
const arabicCount = new Intl.NumberFormat(ARABIC_LOCALE);

function minutesLeft(message: OtpMessage, now: number): number {
  return Math.max(1, Math.round((message.expiresAt - now) / 60_000));
}

/** Creates the `SendOtp` the accounts service takes; each code goes out in the message's language. */
export function createOtpSender(deps: { email: EmailSender; sms: SmsProvider; clock: () => number }): SendOtp {
  return async (channel, to, message) => {
    const words = WORDS[message.language];
    const sentence = words.sentence(message.kind, message.code, minutesLeft(message, deps.clock()));
    if (channel === 'sms') {
      await deps.sms.send({ id: randomUUID(), to, text: `Venue Hub: ${sentence}` });
      return;
    }
    const link = message.link === null ? '' : `\n\n${words.orLink}: ${message.link}`;
    await deps.email.send({
      messageId: `<otp.${randomUUID()}@${MESSAGE_ID_DOMAIN}>`,
      to,
      subject: words.subjects[message.kind],
      text: `${sentence}${link}\n\nVenue Hub`,
      html:
        `<!doctype html><html lang="${words.lang}" dir="${words.dir}"><body style="font:15px/1.5 sans-serif;color:#222">` +
        `<p>${escapeHtml(sentence)}</p>` +
        `<p style="font-size:28px;letter-spacing:6px" dir="ltr"><b>${escapeHtml(message.code)}</b></p>` +
        (message.link === null ? '' : `<p><a href="${escapeHtml(message.link)}">${escapeHtml(words.confirm)}</a></p>`) +
        '<p style="color:#777;font-size:12px">Venue Hub</p></body></html>',
      attachments: [],
    });
  };
}

/**
 * A real SMTP server on 127.0.0.1 for tests and benches: the hub sends to it with
 * `SMTP_URL=<inbox.url>` and the caller waits for what arrives, parsed with mailparser.
 *
 *   hub ──SMTP (plain, no AUTH, no STARTTLS)──▶ smtp-server ──simpleParser──▶ received[]
 *   waitFor(to, match) resolves with the first message (past or future) to that address that matches.
 *
 * STARTTLS is not offered: nodemailer upgrades opportunistically when a server offers it, and this
 * server has no certificate a client would trust. AUTH is optional, so a URL with or without
 * credentials works.
 */
import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import type { ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/** One inline image or attached file of a received message. */
export interface ReceivedAttachment {
  filename: string | undefined;
  contentType: string;
  /** Content-ID without angle brackets, as `cid:` URLs in the HTML name it. */
  cid: string | undefined;
  content: Buffer;
}

/** One message as the server received it. */
export interface ReceivedMail {
  /** Envelope recipients, lower case. */
  to: string[];
  from: string;
  subject: string;
  text: string;
  html: string;
  messageId: string | undefined;
  attachments: ReceivedAttachment[];
  receivedAt: number;
}

/** A running inbox. */
export interface SmtpInbox {
  /** e.g. `smtp://127.0.0.1:40123` */
  readonly url: string;
  readonly port: number;
  /** Everything received so far, oldest first. */
  received(): readonly ReceivedMail[];
  /**
   * The next `count` messages to `to` are refused with a temporary failure (451), as a mail server
   * that is struggling answers: a sender that retries gets them through afterwards. Each refusal
   * is counted in `refused()`.
   */
  refuseNext(to: string, count: number): void;
  /** How many messages to `to` were refused so far. */
  refused(to: string): number;
  /** The first message to `to` for which `match` holds, waiting up to `timeoutMs` (default 15 000). */
  waitFor(to: string, match?: (mail: ReceivedMail) => boolean, timeoutMs?: number): Promise<ReceivedMail>;
  close(): Promise<void>;
}

interface Waiter {
  to: string;
  match: (mail: ReceivedMail) => boolean;
  resolve: (mail: ReceivedMail) => void;
}

function toReceived(parsed: ParsedMail, envelopeTo: string[]): ReceivedMail {
  return {
    to: envelopeTo,
    from: parsed.from?.text ?? '',
    subject: parsed.subject ?? '',
    text: parsed.text ?? '',
    html: typeof parsed.html === 'string' ? parsed.html : '',
    messageId: parsed.messageId,
    attachments: parsed.attachments.map((a) => ({ filename: a.filename, contentType: a.contentType, cid: a.cid ?? a.contentId?.replace(/^<|>$/g, ''), content: a.content })),
    receivedAt: Date.now(),
  };
}

/** Starts the server on a free loopback port. */
export async function startSmtpInbox(): Promise<SmtpInbox> {
  const mails: ReceivedMail[] = [];
  const waiters = new Set<Waiter>();
  /** Per address: refusals still to give, and given. */
  const toRefuse = new Map<string, number>();
  const refusedSoFar = new Map<string, number>();

  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    size: 10 * 1024 * 1024,
    onData(stream, session, callback) {
      const envelopeTo = session.envelope.rcptTo.map((r) => r.address.toLowerCase());
      const refusing = envelopeTo.find((address) => (toRefuse.get(address) ?? 0) > 0);
      if (refusing !== undefined) {
        toRefuse.set(refusing, (toRefuse.get(refusing) ?? 1) - 1);
        refusedSoFar.set(refusing, (refusedSoFar.get(refusing) ?? 0) + 1);
        stream.on('end', () => callback(Object.assign(new Error('Mailbox busy, try again later'), { responseCode: 451 })));
        stream.resume();
        return;
      }
      simpleParser(stream, { skipImageLinks: true })
        .then((parsed) => {
          const mail = toReceived(parsed, envelopeTo);
          mails.push(mail);
          for (const waiter of waiters) {
            if (mail.to.includes(waiter.to) && waiter.match(mail)) {
              waiters.delete(waiter);
              waiter.resolve(mail);
            }
          }
          callback();
        })
        .catch((error: unknown) => callback(error instanceof Error ? error : new Error(String(error))));
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.server.address() as AddressInfo;

  return {
    url: `smtp://127.0.0.1:${port}`,
    port,
    received: () => mails,
    refuseNext(to, count) {
      toRefuse.set(to.toLowerCase(), count);
    },
    refused: (to) => refusedSoFar.get(to.toLowerCase()) ?? 0,
    waitFor(to, match = () => true, timeoutMs = 15_000) {
      const address = to.toLowerCase();
      const found = mails.find((m) => m.to.includes(address) && match(m));
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          const seen = mails.filter((m) => m.to.includes(address)).map((m) => m.subject);
          reject(new Error(`no matching mail to ${address} within ${timeoutMs} ms (received for it: ${JSON.stringify(seen)})`));
        }, timeoutMs);
        const waiter: Waiter = {
          to: address,
          match,
          resolve: (mail) => {
            clearTimeout(timer);
            resolve(mail);
          },
        };
        waiters.add(waiter);
      });
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The 6-digit code of a verification or sign-in email. */
export function otpCodeOf(mail: ReceivedMail): string {
  // English "code 123456", Arabic "الرمز 123456" (the code stays in Western digits: people type it).
  const code = /(?:\bcode|الرمز) (\d{6})\b/.exec(mail.text)?.[1];
  if (code === undefined) throw new Error(`no 6-digit code in mail "${mail.subject}": ${mail.text.slice(0, 200)}`);
  return code;
}

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMailboxEmailSender, createSmtpEmailSender } from './email.js';
import type { NotificationStore } from './notification-store.js';
import { startSmtpCapture } from './notifications.test-support.js';
import type { SmtpCapture } from './notifications.test-support.js';
import { createOtpSender } from './otp-sender.js';
import { createMailboxSmsProvider } from './sms.js';
import { openSqliteNotificationStore } from './sqlite-notification-store.js';

describe('OTP sender', () => {
  let dir: string;
  let store: NotificationStore;
  let smtp: SmtpCapture;
  const now = 1_000_000;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vh-otp-'));
    store = openSqliteNotificationStore({ file: join(dir, 'n.db') });
    smtp = await startSmtpCapture();
  });
  afterEach(async () => {
    await smtp.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('emails the code (and the link) through SMTP, where a test can read it', async () => {
    const email = createSmtpEmailSender({ url: smtp.url, from: 'Venue Hub <no-reply@venue.test>' });
    const sms = createMailboxSmsProvider({ mailbox: store.mailbox, from: 'VenueHub', clock: () => now });
    const send = createOtpSender({ email, sms, clock: () => now });
    await send('email', 'new@example.test', { kind: 'verify', language: 'en', code: '042917', link: 'https://hub.venue.test/verify?t=abc', expiresAt: now + 600_000 });
    email.close();
    const mail = await smtp.waitFor((m) => m.subject === 'Your Venue Hub verification code');
    expect(mail.text).toContain('Use code 042917 within 10 minutes.');
    expect(mail.text).toContain('https://hub.venue.test/verify?t=abc');
    expect(mail.html).toContain('<b>042917</b>');
  });

  it('texts the code into the local mailbox on the embedded default', async () => {
    const email = createMailboxEmailSender({ mailbox: store.mailbox, from: 'Venue Hub <no-reply@venue.test>', clock: () => now });
    const sms = createMailboxSmsProvider({ mailbox: store.mailbox, from: 'VenueHub', clock: () => now });
    const send = createOtpSender({ email, sms, clock: () => now });
    await send('sms', '+966500000009', { kind: 'signin', language: 'en', code: '777001', link: null, expiresAt: now + 60_000 });
    await send('email', 'old@example.test', { kind: 'account_exists', language: 'en', code: '123123', link: null, expiresAt: now + 300_000 });
    const [mail, text] = await store.mailbox.list({ limit: 5 });
    expect(text).toMatchObject({ channel: 'sms', to: '+966500000009', text: expect.stringContaining('code 777001 within 1 minute.') });
    expect(mail).toMatchObject({ channel: 'email', to: 'old@example.test', subject: 'Your Venue Hub sign-in code' });
    expect(mail?.text).toContain('already has an account');
  });
});

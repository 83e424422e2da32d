/**
 * The embedded default: with no SMTP_URL, email and SMS land in the local mailbox, which the hub
 * lists and renders as a page.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { verifyTicketToken } from '../tickets/ticket-token.js';
import { decodeQrPng } from '../tickets/tickets.test-support.js';
import { inlineImages, listMailbox, renderMailboxPage } from './mailbox-page.js';
import { mailboxMessage } from './notification-store.contract.js';
import { contactOf } from './notifications.test-support.js';
import { ISSUER, SLOT_START, startNotifyRuntime } from './notify-runtime.test-support.js';
import type { NotifyRuntime } from './notify-runtime.test-support.js';

describe('local mailbox (embedded default)', () => {
  let dir: string;
  let h: NotifyRuntime;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vh-mailbox-'));
    h = await startNotifyRuntime({ dir, relay: true });
  });
  afterEach(async () => {
    await h.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps the confirmation email with its QR images and the SMS, newest first, filterable by recipient', async () => {
    h.contacts.set(contactOf('vis_1', { email: 'sara@example.test', preferences: { push: false } }));
    h.contacts.set(contactOf('vis_2', { email: 'omar@example.test', phone: null, preferences: { push: false } }));
    await h.confirm('bk_1', 'vis_1', 2);
    await h.confirm('bk_2', 'vis_2', 1);
    await h.rt.relay.drain();

    const all = await listMailbox(h.store, { limit: 50 });
    // The two bookings' effects are delivered concurrently, so only the set and the order by time are fixed.
    expect(all.map((m) => [m.channel, m.to]).sort()).toEqual([
      ['email', 'omar@example.test'],
      ['email', 'sara@example.test'],
      ['sms', '+966500000001'],
    ]);
    expect(all.map((m) => m.at)).toEqual(all.map((m) => m.at).sort((a, b) => b - a));
    const [sara] = await listMailbox(h.store, { limit: 50, to: 'sara@example.test' });
    expect(sara).toMatchObject({ subject: 'Your booking is confirmed · booking bk_1', from: 'Venue Hub <no-reply@venue.test>' });
    expect(sara?.attachments.map((a) => [a.filename, a.contentType])).toEqual([
      ['ticket-bk_1-t1.png', 'image/png'],
      ['ticket-bk_1-t2.png', 'image/png'],
    ]);
    const token = decodeQrPng(Buffer.from(sara?.attachments[0]?.contentBase64 ?? '', 'base64'));
    expect(await verifyTicketToken(token, { keys: h.keys, issuer: ISSUER, at: SLOT_START })).toMatchObject({ ok: true, claims: { ticketId: 'bk_1-t1' } });

    const page = renderMailboxPage(all);
    expect(page).toContain('Your booking is confirmed · booking bk_1');
    expect(page).toContain('data:image/png;base64,');
    expect(page).toContain('<iframe sandbox srcdoc=');
    expect(page).not.toContain('cid:qr-');
  });
});

describe('mailbox page', () => {
  it('escapes everything that came from outside and shows inline images as data URLs', () => {
    const evil = mailboxMessage({
      id: 'm1',
      to: '<script>alert(1)</script>@x.test',
      subject: '"><img src=x onerror=alert(1)>',
      html: '<p>QR</p><img src="cid:qr-1">',
      attachments: [{ filename: 'qr.png', contentType: 'image/png', cid: 'qr-1', contentBase64: 'AAAA' }],
    });
    expect(inlineImages(evil)).toBe('<p>QR</p><img src="data:image/png;base64,AAAA">');
    const page = renderMailboxPage([evil, mailboxMessage({ id: 's1', channel: 'sms', subject: null, html: null, text: 'code <b>123456</b>' })], { to: 'a&b' });
    expect(page).not.toContain('<script>alert(1)');
    expect(page).not.toContain('"><img src=x');
    expect(page).toContain('code &#60;b&#62;123456&#60;/b&#62;');
    expect(page).toContain('for a&#38;b');
    expect(renderMailboxPage([])).toContain('No messages yet.');
  });
});

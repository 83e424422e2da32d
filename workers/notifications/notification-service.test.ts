/**
 * Notifications through the real runtime: booking effects reach a real SMTP server (nodemailer),
 * a real HTTPS push service (web-push, VAPID, decrypted on arrival), the local mailbox (SMS) and
 * the in-app callback; duplicates of an effect send nothing twice.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EffectRow } from '../store/actor-store.js';
import { verifyTicketToken } from '../tickets/ticket-token.js';
import { decodeQrPng } from '../tickets/tickets.test-support.js';
import { messageIdOf } from './message-id.js';
import { contactOf, startPushService, startSmtpCapture } from './notifications.test-support.js';
import type { PushServiceStub, SmtpCapture } from './notifications.test-support.js';
import { ISSUER, SLOT_START, startNotifyRuntime } from './notify-runtime.test-support.js';
import type { NotifyRuntime } from './notify-runtime.test-support.js';
import { subscribePush } from './push-registry.js';

describe('notifications through the runtime', () => {
  let dir: string;
  let smtp: SmtpCapture;
  let push: PushServiceStub;
  let h: NotifyRuntime;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vh-notify-'));
    smtp = await startSmtpCapture({ reject: (address) => address.startsWith('bounce') });
    push = await startPushService();
  });
  afterEach(async () => {
    await h.stop();
    await smtp.close();
    await push.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const start = async (relay = false, smtpUrl = smtp.url) => {
    h = await startNotifyRuntime({ dir, smtpUrl, pushAgent: push.agent, relay });
  };
  const subscribe = async (userId: string, name: string): Promise<string> => {
    const saved = await subscribePush(h.store.pushSubscriptions, userId, push.subscribe(name).subscription, { at: Date.now(), allowedHosts: ['127.0.0.1'] });
    if (!saved.ok) throw new Error(saved.message);
    return saved.data.endpoint;
  };
  /** The pending rows, in commit order. */
  const pending = () => h.actors.pendingEffects(200);
  const handlerOf = (row: EffectRow) => ({ ...h.rt.bookings.effectHandlers, ...h.rt.tickets?.effectHandlers, ...h.rt.notifications?.effectHandlers })[row.type];
  const notifyRow = async (template: string): Promise<EffectRow> => {
    const row = (await pending()).find((r) => r.type === 'notify' && r.payload['template'] === template);
    if (!row) throw new Error(`no pending notify ${template}`);
    return row;
  };

  it('mails the confirmation once with inline QR codes that verify, and alerts, texts and pushes once, despite duplicate deliveries', async () => {
    await start(false);
    h.contacts.set(contactOf('vis_1', { email: 'sara@example.test' }));
    await subscribe('vis_1', 'sara-phone');
    await h.confirm('bk_1', 'vis_1', 2);
    const confirmedRow = await notifyRow('booking.confirmed');

    // Every effect delivered twice (a crash before each ack), then the relay delivers them a third time.
    for (const row of await pending()) {
      await handlerOf(row)?.(row);
      await handlerOf(row)?.(row);
    }
    await h.rt.relay.drain();

    expect(smtp.messages).toHaveLength(1); // booking.held goes in-app and push only
    const mail = smtp.messages[0];
    expect(mail?.subject).toBe('Your booking is confirmed · booking bk_1');
    expect(mail?.messageId).toBe(`<${messageIdOf(confirmedRow.effectId, 'email')}>`);
    expect(mail?.text).toContain('bk_1-t2');
    const images = mail?.attachments.filter((a) => a.contentType === 'image/png') ?? [];
    expect(images).toHaveLength(2);
    const decoded: string[] = [];
    for (const image of images) {
      expect(image.contentDisposition).toBe('inline');
      expect(mail?.html).toContain(`cid:${image.cid}`);
      const token = decodeQrPng(image.content);
      const verified = await verifyTicketToken(token, { keys: h.keys, issuer: ISSUER, at: SLOT_START });
      expect(verified).toMatchObject({ ok: true, claims: { bookingId: 'bk_1' } });
      if (verified.ok) decoded.push(verified.claims.ticketId);
      if (token) decoded.push(token);
    }
    expect(decoded.filter((d) => d.startsWith('bk_1-t')).sort()).toEqual(['bk_1-t1', 'bk_1-t2']);

    const confirmedAlerts = h.alerts.filter((a) => a.alert.template === 'booking.confirmed');
    expect(confirmedAlerts).toHaveLength(1);
    expect(confirmedAlerts[0]).toMatchObject({ userId: 'vis_1', alert: { id: confirmedRow.effectId, bookingId: 'bk_1', url: 'https://hub.venue.test/bookings/bk_1/tickets' } });
    expect(confirmedAlerts[0]?.alert.tickets?.map((t) => t.token).every((t) => decoded.includes(t))).toBe(true);
    expect(h.alerts.map((a) => a.alert.template)).toEqual(['booking.held', 'booking.confirmed']);

    const texts = await h.store.mailbox.list({ limit: 10, channel: 'sms' });
    expect(texts.map((m) => [m.to, m.text])).toEqual([
      ['+966500000001', 'Venue Hub: Your booking is confirmed (booking bk_1). View tickets: https://hub.venue.test/bookings/bk_1/tickets'],
    ]);

    expect(push.deliveries.map((d) => JSON.parse(d.payload ?? '{}').title)).toEqual(['Your places are held', 'Your booking is confirmed']);
    expect(push.deliveries[1]?.headers['authorization']).toMatch(/^vapid t=.+, k=.+$/);
    expect(push.deliveries[1]?.headers['topic']).toMatch(/^[A-Za-z0-9_-]{32}$/);

    expect((await h.store.receipts.ofEffect(confirmedRow.effectId)).map((r) => [r.channel, r.status, r.attempts])).toEqual([
      ['email', 'sent', 1],
      ['in_app', 'sent', 1],
      ['push', 'sent', 1],
      ['sms', 'sent', 1],
    ]);
  });

  it("respects the person's channel preferences and settles channels without an address as skipped", async () => {
    await start(true);
    h.contacts.set(contactOf('vis_2', { phone: null, preferences: { email: false, in_app: false } }));
    await h.confirm('bk_2', 'vis_2', 1);
    const confirmedRow = await notifyRow('booking.confirmed');
    await h.rt.relay.drain();
    expect(smtp.messages).toEqual([]);
    expect(h.alerts).toEqual([]);
    expect((await h.store.receipts.ofEffect(confirmedRow.effectId)).map((r) => [r.channel, r.status, r.detail])).toEqual([
      ['push', 'skipped', 'no push subscription'],
      ['sms', 'skipped', 'no phone number'],
    ]);
  });

  it('removes a push subscription the push service reports gone (410) and keeps delivering to the others', async () => {
    await start(true);
    h.contacts.set(contactOf('vis_3', { preferences: { email: false, sms: false } }));
    await subscribe('vis_3', 'old-laptop');
    const phone = await subscribe('vis_3', 'phone');
    push.answer('old-laptop', 410);
    await h.confirm('bk_3', 'vis_3', 1);
    await h.rt.relay.drain();
    await push.waitFor((d) => d.name === 'phone' && d.payload?.includes('Your booking is confirmed') === true);
    expect((await h.store.pushSubscriptions.list('vis_3')).map((s) => s.endpoint)).toEqual([phone]);
    expect(push.deliveries.filter((d) => d.name === 'old-laptop')).toHaveLength(1); // gone after the first try
  });

  it('retries only the channel that failed transiently; the email is not sent again', async () => {
    await start(false);
    h.contacts.set(contactOf('vis_4', { phone: null }));
    await subscribe('vis_4', 'flaky');
    push.answer('flaky', 503);
    const notify = h.rt.notifications;
    if (!notify) throw new Error('notifications are not wired');
    await h.confirm('bk_4', 'vis_4', 1);
    for (const row of (await pending()).filter((r) => r.type !== 'notify')) await handlerOf(row)?.(row);
    const row = await notifyRow('booking.confirmed');
    await expect(notify.deliver(row)).rejects.toThrow();
    expect(smtp.messages).toHaveLength(1);
    expect((await h.store.receipts.ofEffect(row.effectId)).find((r) => r.channel === 'push')).toMatchObject({ status: 'released' });
    push.answer('flaky', 201);
    expect(await notify.deliver(row)).toEqual({ email: 'already', sms: 'already', push: 'sent', in_app: 'already' });
    expect(smtp.messages).toHaveLength(1);
  });

  it('settles a refused address (SMTP 550) as failed without retrying, and a person without contact is skipped', async () => {
    await start(false);
    h.contacts.set(contactOf('vis_5', { email: 'bounce@example.test', phone: null, preferences: { push: false, in_app: false } }));
    await h.confirm('bk_5', 'vis_5', 1);
    await h.confirm('bk_6', 'nobody', 1);
    const bounced = await notifyRow('booking.confirmed');
    await h.rt.relay.drain();
    expect(await pending()).toEqual([]);
    expect(smtp.messages).toEqual([]);
    expect(await h.store.receipts.ofEffect(bounced.effectId)).toMatchObject([
      { channel: 'email', status: 'failed', attempts: 1, detail: expect.stringMatching(/^SMTP server refused the message/) },
      { channel: 'sms', status: 'skipped' },
    ]);
  });

  it('throws while the SMTP server is down and sends once it is back', async () => {
    const down = await startSmtpCapture();
    const port = Number(new URL(down.url).port);
    await down.close();
    await start(false, down.url);
    h.contacts.set(contactOf('vis_7', { phone: null, preferences: { push: false, in_app: false } }));
    await h.confirm('bk_7', 'vis_7', 1);
    for (const row of (await pending()).filter((r) => r.type !== 'notify')) await handlerOf(row)?.(row);
    const row = await notifyRow('booking.confirmed');
    const notify = h.rt.notifications;
    if (!notify) throw new Error('notifications are not wired');
    await expect(notify.deliver(row)).rejects.toThrow(/ECONNREFUSED|connect/i);
    const back = await startSmtpCapture({ port });
    try {
      expect(await notify.deliver(row)).toEqual({ email: 'sent', sms: 'already' });
      expect((await back.waitFor((m) => m.subject?.startsWith('Your booking is confirmed') === true)).attachments).toHaveLength(1);
    } finally {
      await back.close();
    }
  });

  it('tells the visitor once, by email and in the app, in their language, when a change waiting for its difference lapses', async () => {
    await start(true);
    h.contacts.set(contactOf('vis_8', { email: 'layla@example.test', language: 'ar', preferences: { sms: false, push: false } }));
    await h.actors.ledger.defineSlot('slot_2', 10);
    await h.confirm('bk_8', 'vis_8', 2);
    const lines = [{ ticketTypeId: 'adult', qty: 3, unitPrice: 5_000 }];
    const asked = await h.rt.bookings.change('bk_8', { slotId: 'slot_2', lines, requiresApproval: false }, { who: 'user:adm_1', adminId: 'adm_1', changeId: 'change-bk8-0001' });
    expect(asked).toMatchObject({ ok: true, data: { context: { pendingChange: { due: 5_000 } } } });
    await h.rt.relay.drain();
    const before = smtp.messages.length;

    // The deadline's timer fires as its agenda job would (gen and key from the store), and again (a re-run job).
    const [due] = (await h.actors.dueTimers(Number.MAX_SAFE_INTEGER, 50)).filter((t) => t.id === 'bk_8' && t.key === 'change_due');
    if (!due) throw new Error('the change has no deadline timer');
    expect(await h.rt.host.fireTimer(due)).toMatchObject({ ok: true, data: { context: { changes: [{ settlement: 'lapsed' }] } } });
    await h.rt.host.fireTimer(due);
    await h.rt.relay.drain();

    const lapsed = h.alerts.filter((a) => a.alert.template === 'booking.change_lapsed');
    expect(lapsed).toHaveLength(1);
    expect(lapsed[0]).toMatchObject({ userId: 'vis_8', alert: { bookingId: 'bk_8', title: 'انتهت مهلة تعديل حجزك' } });
    const mails = smtp.messages.slice(before);
    expect(mails.map((m) => m.subject)).toEqual(['انتهت مهلة تعديل حجزك · الحجز \u2068bk_8\u2069']);
    expect(mails[0]?.html).toContain('dir="rtl"');
    expect(mails[0]?.text).toContain('وتذاكرك ما زالت صالحة للدخول');
  });
});

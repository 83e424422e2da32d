/**
 * The contract every NotificationStore adapter passes: `describeNotificationStoreContract(name,
 * open)` is called from each adapter's test file. Each test opens a fresh, empty store.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MailboxMessage, NotificationStore, ReceiptKey } from './notification-store.js';

const key: ReceiptKey = { effectId: 'booking/b1@4#2', channel: 'email' };
const LEASE = 60_000;

/** A mailbox message with sensible defaults. */
export function mailboxMessage(overrides: Partial<MailboxMessage> & { id: string }): MailboxMessage {
  return {
    channel: 'email',
    from: 'Venue Hub <no-reply@venue-hub.test>',
    to: 'sara@example.test',
    subject: 'Your booking',
    text: 'Hello',
    html: '<p>Hello</p>',
    attachments: [],
    at: 1_000,
    ...overrides,
  };
}

/** Registers the contract tests for one adapter. */
export function describeNotificationStoreContract(name: string, open: () => Promise<NotificationStore>): void {
  describe(`NotificationStore contract: ${name}`, () => {
    let store: NotificationStore;
    beforeEach(async () => {
      store = await open();
    });
    afterEach(async () => {
      await store.close();
    });

    describe('receipts', () => {
      it('claims once; a settled receipt is done for every later claim', async () => {
        expect(await store.receipts.claim(key, 1_000, LEASE)).toBe('claimed');
        expect(await store.receipts.claim(key, 1_001, LEASE)).toBe('busy');
        await store.receipts.settle(key, 'sent', '<m1@venue-hub>', 1_002);
        expect(await store.receipts.claim(key, 1_000_000, LEASE)).toBe('done');
        expect(await store.receipts.ofEffect(key.effectId)).toEqual([
          { ...key, status: 'sent', attempts: 1, detail: '<m1@venue-hub>', updatedAt: 1_002 },
        ]);
      });

      it('keeps channels of one effect apart', async () => {
        expect(await store.receipts.claim(key, 1_000, LEASE)).toBe('claimed');
        expect(await store.receipts.claim({ ...key, channel: 'sms' }, 1_000, LEASE)).toBe('claimed');
        await store.receipts.settle({ ...key, channel: 'sms' }, 'skipped', 'no phone number', 1_001);
        const receipts = await store.receipts.ofEffect(key.effectId);
        expect(receipts.map((r) => [r.channel, r.status])).toEqual([
          ['email', 'sending'],
          ['sms', 'skipped'],
        ]);
      });

      it('lets a released claim be taken again at once, counting attempts', async () => {
        await store.receipts.claim(key, 1_000, LEASE);
        await store.receipts.release(key);
        expect(await store.receipts.claim(key, 1_001, LEASE)).toBe('claimed');
        expect((await store.receipts.ofEffect(key.effectId))[0]).toMatchObject({ status: 'sending', attempts: 2 });
      });

      it('takes over a claim older than the lease (its sender crashed), not a fresh one', async () => {
        await store.receipts.claim(key, 1_000, LEASE);
        expect(await store.receipts.claim(key, 1_000 + LEASE - 1, LEASE)).toBe('busy');
        expect(await store.receipts.claim(key, 1_000 + LEASE, LEASE)).toBe('claimed');
        expect((await store.receipts.ofEffect(key.effectId))[0]).toMatchObject({ attempts: 2 });
      });

      it('gives exactly one of many concurrent claims', async () => {
        const results = await Promise.all(Array.from({ length: 10 }, () => store.receipts.claim(key, 5_000, LEASE)));
        expect(results.filter((r) => r === 'claimed')).toHaveLength(1);
        expect(results.filter((r) => r === 'busy')).toHaveLength(9);
      });

      it('does not settle or release what is not claimed', async () => {
        await store.receipts.settle(key, 'sent', null, 1);
        await store.receipts.release(key);
        expect(await store.receipts.ofEffect(key.effectId)).toEqual([]);
        await store.receipts.claim(key, 1_000, LEASE);
        await store.receipts.settle(key, 'failed', 'mailbox refused', 1_001);
        await store.receipts.release(key);
        expect((await store.receipts.ofEffect(key.effectId))[0]).toMatchObject({ status: 'failed', detail: 'mailbox refused' });
      });
    });

    describe('mailbox', () => {
      it('stores each message once and lists newest first, by recipient and channel', async () => {
        const png = { filename: 'ticket-1.png', contentType: 'image/png', cid: 'qr-1', contentBase64: 'iVBORw0KGgo=' };
        expect(await store.mailbox.deliver(mailboxMessage({ id: 'm1', at: 1, attachments: [png] }))).toBe(true);
        expect(await store.mailbox.deliver(mailboxMessage({ id: 'm1', at: 9, subject: 'changed' }))).toBe(false);
        await store.mailbox.deliver(mailboxMessage({ id: 'm2', at: 2, to: 'omar@example.test', html: null }));
        await store.mailbox.deliver(mailboxMessage({ id: 's1', at: 3, channel: 'sms', to: '+966500000001', subject: null, html: null }));

        const all = await store.mailbox.list({ limit: 10 });
        expect(all.map((m) => m.id)).toEqual(['s1', 'm2', 'm1']);
        expect(all[2]).toEqual(mailboxMessage({ id: 'm1', at: 1, attachments: [png] }));
        expect(all[0]).toMatchObject({ channel: 'sms', subject: null, html: null, attachments: [] });
        expect((await store.mailbox.list({ limit: 10, to: 'sara@example.test' })).map((m) => m.id)).toEqual(['m1']);
        expect((await store.mailbox.list({ limit: 10, channel: 'email' })).map((m) => m.id)).toEqual(['m2', 'm1']);
        expect((await store.mailbox.list({ limit: 10, channel: 'sms', to: 'sara@example.test' })).map((m) => m.id)).toEqual([]);
        expect(await store.mailbox.list({ limit: 1 })).toHaveLength(1);
      });
    });

    describe('push subscriptions', () => {
      const sub = (n: number) => ({ endpoint: `https://push.example.test/s/${n}`, keys: { p256dh: `p${n}`, auth: `a${n}` } });

      it('saves per person, moves an endpoint to its latest owner, removes once', async () => {
        await store.pushSubscriptions.save('u1', sub(1), 10);
        await store.pushSubscriptions.save('u1', sub(2), 20);
        await store.pushSubscriptions.save('u2', sub(3), 30);
        expect(await store.pushSubscriptions.list('u1')).toEqual([
          { ...sub(1), userId: 'u1', createdAt: 10 },
          { ...sub(2), userId: 'u1', createdAt: 20 },
        ]);
        await store.pushSubscriptions.save('u2', { ...sub(1), keys: { p256dh: 'new', auth: 'new' } }, 40);
        expect((await store.pushSubscriptions.list('u1')).map((s) => s.endpoint)).toEqual([sub(2).endpoint]);
        expect((await store.pushSubscriptions.list('u2')).map((s) => [s.endpoint, s.keys.p256dh])).toEqual([
          [sub(3).endpoint, 'p3'],
          [sub(1).endpoint, 'new'],
        ]);
        expect(await store.pushSubscriptions.remove(sub(3).endpoint, 'u1')).toBe(false);
        expect(await store.pushSubscriptions.remove(sub(3).endpoint, 'u2')).toBe(true);
        expect(await store.pushSubscriptions.remove(sub(2).endpoint)).toBe(true);
        expect(await store.pushSubscriptions.remove(sub(2).endpoint)).toBe(false);
        expect(await store.pushSubscriptions.list('u1')).toEqual([]);
      });
    });
  });
}

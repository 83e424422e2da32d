/**
 * The crash window of `sendOnce`, on the real SQLite store with a simulated clock.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { NotificationStore, ReceiptKey } from './notification-store.js';
import { PermanentDeliveryError, sendOnce } from './send-once.js';
import type { SendOutcome } from './send-once.js';
import { openSqliteNotificationStore } from './sqlite-notification-store.js';

const key: ReceiptKey = { effectId: 'booking/bk_1@4#2', channel: 'email' };
const LEASE = 60_000;

describe('sendOnce', () => {
  let dir: string;
  let store: NotificationStore;
  let now: number;
  let sends: number;
  const options = () => ({ clock: () => now, leaseMs: LEASE });
  const send = async (): Promise<SendOutcome> => {
    sends++;
    return { status: 'sent', detail: `msg-${sends}` };
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'vh-send-once-'));
    store = openSqliteNotificationStore({ file: join(dir, 'n.db') });
    now = 1_000_000;
    sends = 0;
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('sends once; later deliveries are answered "already"', async () => {
    expect(await sendOnce(store, key, options(), send)).toBe('sent');
    expect(await sendOnce(store, key, options(), send)).toBe('already');
    expect(sends).toBe(1);
  });

  it('a sender that crashed after claiming: others wait while the lease runs, then send again', async () => {
    await store.receipts.claim(key, now, LEASE); // the crashed sender's claim; whether it sent is unknown
    now += LEASE - 1;
    await expect(sendOnce(store, key, options(), send)).rejects.toThrow(/being sent by another worker/);
    now += 1;
    expect(await sendOnce(store, key, options(), send)).toBe('sent');
    expect(sends).toBe(1);
    expect((await store.receipts.ofEffect(key.effectId))[0]).toMatchObject({ status: 'sent', attempts: 2, detail: 'msg-1' });
  });

  it('a transient failure releases the claim and rethrows; the retry sends', async () => {
    await expect(sendOnce(store, key, options(), () => Promise.reject(new Error('ECONNRESET')))).rejects.toThrow('ECONNRESET');
    expect((await store.receipts.ofEffect(key.effectId))[0]).toMatchObject({ status: 'released' });
    expect(await sendOnce(store, key, options(), send)).toBe('sent');
  });

  it('a permanent failure is settled as failed and never retried', async () => {
    expect(await sendOnce(store, key, options(), () => Promise.reject(new PermanentDeliveryError('550 no such user')))).toBe('failed');
    expect(await sendOnce(store, key, options(), send)).toBe('already');
    expect(sends).toBe(0);
    expect((await store.receipts.ofEffect(key.effectId))[0]).toMatchObject({ status: 'failed', detail: '550 no such user' });
  });
});

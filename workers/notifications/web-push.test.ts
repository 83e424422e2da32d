import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMailboxSmsProvider } from './sms.js';
import { isAllowedPushEndpoint, subscribePush, unsubscribePush } from './push-registry.js';
import { loadOrCreateVapidKeys, vapidKeyFile } from './web-push.js';
import { openSqliteNotificationStore } from './sqlite-notification-store.js';
import type { NotificationStore } from './notification-store.js';

let dir: string;
let store: NotificationStore;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'vh-webpush-'));
  store = openSqliteNotificationStore({ file: join(dir, 'venue-hub.db') });
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('VAPID keys', () => {
  it('are generated once into the data directory (0600) and read back; concurrent first starts agree', async () => {
    const [a, b] = await Promise.all([loadOrCreateVapidKeys({ dataDir: dir }), loadOrCreateVapidKeys({ dataDir: dir })]);
    expect(a).toEqual(b);
    expect(a.publicKey).toHaveLength(87);
    expect(statSync(vapidKeyFile(dir)).mode & 0o777).toBe(0o600);
    expect(await loadOrCreateVapidKeys({ dataDir: dir })).toEqual(a);
    expect(JSON.parse(readFileSync(vapidKeyFile(dir), 'utf8'))).toEqual(a);
  });

  it('come from configuration when given, and bad ones are refused with config.invalid', async () => {
    const configured = await loadOrCreateVapidKeys({ dataDir: join(dir, 'other') });
    expect(await loadOrCreateVapidKeys({ dataDir: dir, configured })).toEqual(configured);
    await expect(loadOrCreateVapidKeys({ dataDir: dir, configured: { publicKey: 'short', privateKey: configured.privateKey } })).rejects.toMatchObject({
      code: 'config.invalid',
    });
    await loadOrCreateVapidKeys({ dataDir: dir });
    writeFileSync(vapidKeyFile(dir), '{not json');
    await expect(loadOrCreateVapidKeys({ dataDir: dir })).rejects.toMatchObject({ code: 'config.invalid' });
  });
});

describe('push subscription registry', () => {
  const body = {
    endpoint: 'https://fcm.googleapis.com/fcm/send/abc123',
    expirationTime: null,
    keys: { p256dh: 'B'.repeat(87), auth: 'A'.repeat(22) },
  };

  it('saves a valid browser subscription and removes only the owner’s', async () => {
    expect(await subscribePush(store.pushSubscriptions, 'u1', body, { at: 5 })).toEqual({ ok: true, data: { endpoint: body.endpoint } });
    expect(await store.pushSubscriptions.list('u1')).toEqual([{ endpoint: body.endpoint, keys: body.keys, userId: 'u1', createdAt: 5 }]);
    expect(await unsubscribePush(store.pushSubscriptions, 'u2', body.endpoint)).toEqual({ ok: true, data: { removed: false } });
    expect(await unsubscribePush(store.pushSubscriptions, 'u1', body.endpoint)).toEqual({ ok: true, data: { removed: true } });
    expect(await unsubscribePush(store.pushSubscriptions, 'u1', 42)).toMatchObject({ ok: false, code: 'input.invalid' });
  });

  it('refuses endpoints that are not https or not on a push service, and malformed keys', async () => {
    const refused = async (b: unknown) => expect(await subscribePush(store.pushSubscriptions, 'u1', b, { at: 1 })).toMatchObject({ ok: false, code: 'input.invalid' });
    await refused({ ...body, endpoint: 'http://fcm.googleapis.com/fcm/send/x' });
    await refused({ ...body, endpoint: 'https://169.254.169.254/latest/meta-data' });
    await refused({ ...body, endpoint: 'https://fcm.googleapis.com.evil.test/x' });
    await refused({ ...body, keys: { p256dh: 'short', auth: body.keys.auth } });
    await refused({ endpoint: body.endpoint });
    await refused(null);
    expect(await store.pushSubscriptions.list('u1')).toEqual([]);
    expect(isAllowedPushEndpoint('https://wns2-par02p.notify.windows.com/w/?token=1', ['notify.windows.com'])).toBe(true);
    expect(isAllowedPushEndpoint('not a url', ['notify.windows.com'])).toBe(false);
  });
});

describe('mailbox SMS provider', () => {
  it('stores a text once per id', async () => {
    const sms = createMailboxSmsProvider({ mailbox: store.mailbox, from: 'VenueHub', clock: () => 7 });
    await sms.send({ id: 's1', to: '+966500000001', text: 'Your code is 123456' });
    await sms.send({ id: 's1', to: '+966500000001', text: 'Your code is 123456' });
    expect(await store.mailbox.list({ limit: 5, channel: 'sms' })).toMatchObject([{ id: 's1', from: 'VenueHub', to: '+966500000001', at: 7 }]);
  });
});

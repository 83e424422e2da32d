/**
 * Web Push with VAPID through the `web-push` package.
 *
 *   VAPID_PUBLIC_KEY + VAPID_PRIVATE_KEY (production)    DATA_DIR/keys/vapid-keys.json (embedded default)
 *                 \                                      /  mode 0600, created once, exclusively
 *                  PushSender ──▶ every subscription of the person (store-backed registry)
 *                                   201 ok · 404/410 gone: removed · 429/5xx/network: retry · other 4xx: logged
 *
 * Each notification carries a Topic derived from its id, so a push service that still holds an
 * undelivered copy replaces it instead of showing two (relevant when a send is retried).
 */
import { createHash, randomBytes } from 'node:crypto';
import { link, mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import type { Agent } from 'node:https';
import { dirname, join } from 'node:path';
import webpush from 'web-push';
import { z } from 'zod';
import { CodedError } from '../../machines/errors.js';
import type { Logger } from '../logger.js';
import type { PushSubscriptions } from './notification-store.js';
import { PermanentDeliveryError } from './send-once.js';
import type { SendOutcome } from './send-once.js';

const base64url = z.string().regex(/^[A-Za-z0-9_-]+$/, { error: 'must be base64url' });

/** A VAPID key pair as web-push and browsers use it (base64url, uncompressed P-256 public key). */
export const VapidKeys = z.object({
  publicKey: base64url.length(87, { error: 'the VAPID public key is 87 base64url characters (65 bytes)' }),
  privateKey: base64url.length(43, { error: 'the VAPID private key is 43 base64url characters (32 bytes)' }),
});
export type VapidKeys = z.infer<typeof VapidKeys>;

/** Where the embedded deployment keeps its VAPID keys. */
export function vapidKeyFile(dataDir: string): string {
  return join(dataDir, 'keys', 'vapid-keys.json');
}

/**
 * The VAPID keys: the configured pair when given, else the pair in the data directory, generated
 * and written exclusively on first start (concurrent first starts agree on one pair).
 * Throws CodedError('config.invalid') for a malformed pair; never replaces a bad key file.
 */
export async function loadOrCreateVapidKeys(options: { dataDir: string; configured?: VapidKeys | undefined }): Promise<VapidKeys> {
  if (options.configured !== undefined) return parseKeys(options.configured, 'VAPID_PUBLIC_KEY / VAPID_PRIVATE_KEY');
  const file = vapidKeyFile(options.dataDir);
  const existing = await readKeys(file);
  if (existing) return existing;
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  const fresh = parseKeys(webpush.generateVAPIDKeys(), 'generated keys');
  const temp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  await writeFile(temp, `${JSON.stringify(fresh, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
  try {
    await link(temp, file);
    return fresh;
  } catch (error) {
    if (!(error instanceof Error && 'code' in error && error.code === 'EEXIST')) throw error;
    const winner = await readKeys(file);
    if (winner) return winner;
    throw error;
  } finally {
    await unlink(temp);
  }
}

function parseKeys(value: unknown, where: string): VapidKeys {
  const parsed = VapidKeys.safeParse(value);
  if (!parsed.success) throw new CodedError('config.invalid', `${where}: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

async function readKeys(file: string): Promise<VapidKeys | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if (error instanceof Error && 'code' in error && error.code === 'ENOENT') return undefined;
    throw error;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new CodedError('config.invalid', `VAPID key file ${file} is not valid JSON; restore it or delete it (browsers must then subscribe again)`);
  }
  return parseKeys(json, `VAPID key file ${file}`);
}

/** What a push shows: the service worker turns it into a notification. */
export interface PushMessage {
  title: string;
  body: string;
  url?: string;
  /** Same tag replaces an earlier notification on the device. */
  tag?: string;
  /** The language it is written in: the device shows Arabic right to left. */
  lang?: 'en' | 'ar';
}

/** Sends a push to every subscription a person has. */
export interface PushSender {
  /** The VAPID public key browsers pass as `applicationServerKey` when subscribing. */
  readonly publicKey: string;
  /** `skipped` when the person has no subscription left; throws when any send should be retried. */
  sendToUser(userId: string, message: PushMessage, notificationId: string): Promise<SendOutcome>;
}

/** What the Web Push sender needs. */
export interface WebPushSenderDeps {
  keys: VapidKeys;
  /** A mailto: or https: URL the push service can reach the operator at. */
  subject: string;
  subscriptions: PushSubscriptions;
  log: Logger;
  /** An https.Agent for push services behind a private CA (tests use one trusting their own). */
  agent?: Agent;
  ttlSeconds?: number;
  timeoutMs?: number;
}

/** Creates the Web Push sender. */
export function createWebPushSender(deps: WebPushSenderDeps): PushSender {
  const vapidDetails = { subject: deps.subject, publicKey: deps.keys.publicKey, privateKey: deps.keys.privateKey };
  return {
    publicKey: deps.keys.publicKey,
    async sendToUser(userId, message, notificationId) {
      const subscriptions = await deps.subscriptions.list(userId);
      if (subscriptions.length === 0) return { status: 'skipped', detail: 'no push subscription' };
      // Topic: at most 32 base64url characters, so a digest of the notification id.
      const topic = createHash('sha256').update(notificationId).digest('base64url').slice(0, 32);
      let sent = 0;
      let gone = 0;
      const transient: unknown[] = [];
      const refused: string[] = [];
      for (const subscription of subscriptions) {
        try {
          await webpush.sendNotification(subscription, JSON.stringify(message), {
            vapidDetails,
            TTL: deps.ttlSeconds ?? 24 * 3600,
            topic,
            urgency: 'normal',
            timeout: deps.timeoutMs ?? 15_000,
            ...(deps.agent === undefined ? {} : { agent: deps.agent }),
          });
          sent++;
        } catch (error) {
          const status = error instanceof webpush.WebPushError ? error.statusCode : undefined;
          if (status === 404 || status === 410) {
            await deps.subscriptions.remove(subscription.endpoint);
            gone++;
            deps.log.info('push subscription is gone; removed', { userId, status });
          } else if (status === undefined || status === 429 || status >= 500) {
            transient.push(error);
          } else {
            refused.push(`HTTP ${status}`);
            deps.log.warn('push service refused a notification', { userId, status });
          }
        }
      }
      if (transient.length > 0) throw transient[0];
      if (sent > 0) return { status: 'sent', detail: `${sent} of ${subscriptions.length} subscription(s)` };
      if (refused.length > 0) throw new PermanentDeliveryError(`push refused: ${refused.join(', ')}`);
      return { status: 'skipped', detail: `all ${gone} subscription(s) gone` };
    },
  };
}

/**
 * End-to-end journeys against a real `hub/main.ts` process, driven as a client drives it: HTTP
 * through the SDK's `createHubApi`, sockets through `connectHub`, the payer's browser through
 * plain fetch on the hosted page, and mail through a real SMTP server this process runs.
 *
 *   test ──HTTP / socket.io──▶ hub child (temp DATA_DIR, SEED_DEMO, PORT chosen up front)
 *     ▲                          │ SMTP_URL ──▶ smtp inbox (this process)
 *     └──── emails, webhooks ────┘ SIMPAY_WEBHOOK_URL = the hub's own /webhooks/payments/simulated
 *
 * The port is picked before the start so PUBLIC_URL (links, hosted page, return page) and the
 * simulated provider's webhook URL can name it: webhooks cross real HTTP, as a provider's would.
 * Nothing waits on a fixed sleep: helpers wait for socket changes, alerts and mail.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import jsQRModule from 'jsqr';
import { PNG } from 'pngjs';
import { createHubApi } from '../clients/sdk/hub-api.js';
import type { HubApi } from '../clients/sdk/hub-api.js';
import type { HubClient } from '../clients/sdk/hub-client.js';
import { freePort, startHubNode, startSmtpInbox } from '../load-tests/harness/index.js';
import type { HubNode, SmtpInbox } from '../load-tests/harness/index.js';
import type { NotificationAlert } from '../machines/contract/notification-alert.js';
import type { ActorState, FeedChanged, FeedSubscribe } from '../machines/contract/wire.js';
import { loadOrCreateKeyRing } from './auth/keys.js';
import type { KeyRing } from './auth/keys.js';

// jsqr ships CommonJS with `export default` typings: depending on the loader the default import
// is the function itself or the module object holding it.
const jsQR: typeof jsQRModule.default = typeof jsQRModule === 'function' ? jsQRModule : jsQRModule.default;

/** The simulated provider's published test cards (listed on its hosted page). */
export const SUCCESS_CARD = '4111111111111111';
export const DECLINED_CARD = '4000000000000002';

/** A hub process with its inbox and an HTTP client. */
export interface JourneyHub {
  readonly node: HubNode;
  readonly inbox: SmtpInbox;
  readonly url: string;
  readonly dataDir: string;
  /** PAYMENT_WEBHOOK_SECRET the node was given (the provider signs with it). */
  readonly webhookSecret: string;
  readonly api: HubApi;
  /** The demo super_admin token the node printed at start. */
  readonly adminToken: string;
  stop(): Promise<void>;
}

/**
 * Starts the inbox and a hub node that mails through it, with the auth routes' per-address budget
 * out of the way (AUTH_RATE_*); `env` adds or overrides variables.
 */
export async function startJourneyHub(env: Record<string, string> = {}): Promise<JourneyHub> {
  const inbox = await startSmtpInbox();
  const dataDir = mkdtempSync(join(tmpdir(), 'vh-journey-'));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const webhookSecret = randomBytes(24).toString('hex');
  let node: HubNode;
  try {
    node = await startHubNode({
      dataDir,
      port,
      env: {
        SMTP_URL: inbox.url,
        PUBLIC_URL: url,
        SIMPAY_WEBHOOK_URL: `${url}/webhooks/payments/simulated`,
        PAYMENT_WEBHOOK_SECRET: webhookSecret,
        // Every person of a test file signs up and in from this one address: the per-address budget
        // of the auth routes is sized for a venue's visitors, not for a whole file's cast at once.
        AUTH_RATE_PER_MINUTE: '100000',
        AUTH_RATE_BURST: '100000',
        ...env,
      },
    });
  } catch (error) {
    await inbox.close();
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
  if (node.adminToken === undefined) throw new Error('the node printed no demo admin token');
  return {
    node,
    inbox,
    url,
    dataDir,
    webhookSecret,
    api: createHubApi({ url }),
    adminToken: node.adminToken,
    async stop() {
      await node.kill();
      await inbox.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The venue-local date `days` from now, `yyyy-mm-dd`. */
export function venueDate(days: number, timeZone = 'Asia/Riyadh'): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(Date.now() + days * 86_400_000);
}

/** One booking followed over the socket: every newer state, in version order. */
export interface BookingWatch {
  /** States in the order they were seen (one entry per version). */
  readonly seen: ActorState[];
  reach(state: string, timeoutMs?: number): Promise<ActorState>;
  stop(): void;
}

/** Subscribes to a booking and records each newer state. */
export async function watchBooking(hub: HubClient, bookingId: string): Promise<BookingWatch> {
  const states = collector<ActorState>();
  const subscription = hub.subscribeActor({ kind: 'booking', id: bookingId }, (state) => states.push(state));
  const first = await subscription.ready;
  if (!first.ok) throw new Error(`subscribe to booking ${bookingId}: ${first.code} ${first.message}`);
  return {
    seen: states.all,
    reach: (state, timeoutMs) => states.next((s) => s.state === state, `booking ${bookingId} in ${state}`, timeoutMs),
    stop: () => subscription.unsubscribe(),
  };
}

/** The distinct states a watch saw, consecutive repeats folded: held → under_review → … */
export function statePath(watch: BookingWatch): string[] {
  return watch.seen.map((s) => s.state).filter((state, i, all) => i === 0 || all[i - 1] !== state);
}

/** Items pushed as they arrive, and a wait for the first (past or future) that matches. */
export interface Collector<T> {
  readonly all: T[];
  push(item: T): void;
  next(match: (item: T) => boolean, what: string, timeoutMs?: number): Promise<T>;
}

/** Creates an empty collector. */
export function collector<T>(): Collector<T> {
  const all: T[] = [];
  const waiters = new Set<{ match: (item: T) => boolean; resolve: (item: T) => void }>();
  return {
    all,
    push(item) {
      all.push(item);
      for (const w of waiters) {
        if (!w.match(item)) continue;
        waiters.delete(w);
        w.resolve(item);
      }
    },
    next(match, what, timeoutMs = 20_000) {
      const found = all.find(match);
      if (found !== undefined) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const waiter = {
          match,
          resolve: (item: T) => {
            clearTimeout(timer);
            resolve(item);
          },
        };
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          reject(new Error(`no ${what} within ${timeoutMs} ms (${all.length} other items)`));
        }, timeoutMs);
        waiters.add(waiter);
      });
    },
  };
}

/** The in-app alerts a client receives. */
export function collectAlerts(hub: HubClient): Collector<NotificationAlert> {
  const alerts = collector<NotificationAlert>();
  hub.onAlert((alert) => alerts.push(alert));
  return alerts;
}

/** The changes a feed subscription delivers; resolves once the hub accepted the subscription. */
export async function collectFeed(hub: HubClient, feed: FeedSubscribe): Promise<Collector<FeedChanged>> {
  const changes = collector<FeedChanged>();
  const subscription = hub.subscribeFeed(feed, (change) => changes.push(change));
  const ready = await subscription.ready;
  if (!ready.ok) throw new Error(`feed:subscribe ${feed.feed}: ${ready.code} ${ready.message}`);
  return changes;
}

/** What the payer's browser sees after submitting the hosted page. */
export interface HostedPageOutcome {
  /** The page listed the test cards the test uses. */
  listsTestCards: boolean;
  status: number;
  location: string | null;
}

/** Opens the hosted page like a browser, then submits its form with `fields` (no redirect followed). */
export async function payOnHostedPage(redirectUrl: string, fields: Record<string, string>): Promise<HostedPageOutcome> {
  const page = await fetch(redirectUrl);
  const html = await page.text();
  if (page.status !== 200) throw new Error(`hosted page answered ${page.status}: ${html.slice(0, 200)}`);
  const action = /<form method="post" action="([^"]+)"/.exec(html)?.[1];
  if (action === undefined) throw new Error(`the hosted page has no payment form: ${html.slice(0, 300)}`);
  const spaced = (card: string) => card.replace(/(\d{4})(?=\d)/g, '$1 ');
  const listsTestCards = html.includes(spaced(SUCCESS_CARD)) && html.includes(spaced(DECLINED_CARD));
  const submitted = await fetch(action.replace(/&amp;/g, '&'), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
    redirect: 'manual',
  });
  await submitted.arrayBuffer();
  return { listsTestCards, status: submitted.status, location: submitted.headers.get('location') };
}

/** The text a QR code in a PNG carries. */
export function decodeQrPng(png: Buffer): string {
  const image = PNG.sync.read(png);
  const code = jsQR(new Uint8ClampedArray(image.data.buffer, image.data.byteOffset, image.data.byteLength), image.width, image.height);
  if (code === null) throw new Error(`no QR code found in a ${image.width}x${image.height} PNG`);
  return code.data;
}

/** The node's ticket key ring, read from its data directory (the node created it at start). */
export function ticketKeyRing(dataDir: string): Promise<KeyRing> {
  return loadOrCreateKeyRing({ dataDir, purpose: 'ticket' });
}

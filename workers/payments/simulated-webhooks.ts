/**
 * Webhook delivery of the simulated provider, with the faults real providers show.
 *
 *   enqueue(event) ──▶ delivery #1 (+ delivery #2 with probability `duplicateProbability`)
 *   each delivery: wait jitter (0..jitterMs: later events may overtake earlier ones)
 *     ──▶ sign now (x-simpay-timestamp, x-simpay-signature) ──▶ POST url / inline sink
 *          2xx ──▶ done │ otherwise ──▶ retry after min(retryMaxMs, retryBaseMs·2^n) + jitter, up to maxAttempts
 *
 * Randomness comes from a seeded generator, so a test that fixes the seed gets the same
 * duplicates and the same order every run. `autoDeliver: false` parks deliveries until the test
 * releases them, in the order it chooses. The queue lives in memory: a restart loses what was not
 * delivered yet, which is exactly the missed webhook the reconciliation job repairs.
 */
import type { Logger } from '../logger.js';
import { signatureHeaders } from './webhook-signature.js';

/** Where deliveries go: the hub's public URL, or a function in the same process. */
export type WebhookSink =
  | { kind: 'url'; url: string }
  | { kind: 'inline'; deliver: (rawBody: Buffer, headers: Record<string, string>) => Promise<{ status: number }> };

/** One event body as the provider sends it. */
export interface SimWebhookBody {
  id: string;
  type: 'payment.paid' | 'payment.failed' | 'payment.pending' | 'refund.succeeded';
  created: number;
  data: Record<string, unknown>;
}

/** One delivery of one event (duplicates are separate deliveries of the same event). */
export interface Delivery {
  deliveryId: number;
  eventId: string;
  eventType: SimWebhookBody['type'];
  attempts: number;
  /** HTTP status of each attempt (0: no answer). */
  statuses: number[];
  state: 'parked' | 'waiting' | 'sending' | 'delivered' | 'abandoned';
}

/** Secret, target and fault settings of the delivery queue (defaults: no faults, 10 attempts). */
export interface WebhookDispatcherOptions {
  secret: string;
  sink?: WebhookSink;
  clock: () => number;
  log: Logger;
  seed?: number;
  duplicateProbability?: number;
  jitterMs?: number;
  retryBaseMs?: number;
  retryMaxMs?: number;
  maxAttempts?: number;
  autoDeliver?: boolean;
  timeoutMs?: number;
}

/** The provider's delivery queue. */
export interface WebhookDispatcher {
  enqueue(body: SimWebhookBody): void;
  setSink(sink: WebhookSink): void;
  /** Every delivery so far, oldest first. */
  deliveries(): readonly Delivery[];
  /** Manual mode: sends the parked deliveries with these ids (all parked ones when omitted), in that order. */
  release(ids?: readonly number[]): void;
  /** Resolves once nothing is parked-and-released, waiting or in flight. Parked deliveries do not count. */
  idle(): Promise<void>;
  stop(): void;
}

/** mulberry32: a tiny seeded generator, enough for test-reproducible faults. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Creates the dispatcher; nothing is sent until a sink is set. */
export function createWebhookDispatcher(options: WebhookDispatcherOptions): WebhookDispatcher {
  const random = seededRandom(options.seed ?? Date.now());
  const jitterMs = options.jitterMs ?? 0;
  const retryBaseMs = options.retryBaseMs ?? 500;
  const retryMaxMs = options.retryMaxMs ?? 60_000;
  const maxAttempts = options.maxAttempts ?? 10;
  const timeoutMs = options.timeoutMs ?? 10_000;
  let sink = options.sink;
  let nextId = 1;
  let stopped = false;
  const all: Delivery[] = [];
  const bodies = new Map<number, Buffer>();
  const timers = new Set<NodeJS.Timeout>();
  let waiters: Array<() => void> = [];

  const busy = () => all.some((d) => d.state === 'waiting' || d.state === 'sending');
  function settleWaiters(): void {
    if (busy()) return;
    const ready = waiters;
    waiters = [];
    for (const resolve of ready) resolve();
  }

  async function send(delivery: Delivery): Promise<number> {
    const raw = bodies.get(delivery.deliveryId)!;
    // Signed at send time, as real providers do: a retry carries a fresh timestamp.
    const headers = { 'content-type': 'application/json', ...signatureHeaders(options.secret, Math.floor(options.clock() / 1000), raw) };
    if (!sink) return 0;
    try {
      if (sink.kind === 'inline') return (await sink.deliver(raw, headers)).status;
      const response = await fetch(sink.url, { method: 'POST', body: raw, headers, signal: AbortSignal.timeout(timeoutMs) });
      await response.arrayBuffer();
      return response.status;
    } catch (error) {
      options.log.debug('webhook delivery got no answer', { eventId: delivery.eventId, error: String(error) });
      return 0;
    }
  }

  function schedule(delivery: Delivery, delayMs: number): void {
    if (stopped) return;
    delivery.state = 'waiting';
    const timer = setTimeout(() => {
      timers.delete(timer);
      void attempt(delivery);
    }, delayMs);
    timer.unref();
    timers.add(timer);
  }

  async function attempt(delivery: Delivery): Promise<void> {
    if (stopped) return;
    delivery.state = 'sending';
    delivery.attempts += 1;
    const status = await send(delivery);
    delivery.statuses.push(status);
    if (status >= 200 && status < 300) {
      delivery.state = 'delivered';
      bodies.delete(delivery.deliveryId);
    } else if (delivery.attempts >= maxAttempts) {
      delivery.state = 'abandoned';
      options.log.warn('webhook abandoned after retries', { eventId: delivery.eventId, statuses: delivery.statuses });
    } else {
      const backoff = Math.min(retryMaxMs, retryBaseMs * 2 ** (delivery.attempts - 1));
      schedule(delivery, backoff + Math.floor(random() * jitterMs));
    }
    settleWaiters();
  }

  function add(body: SimWebhookBody, raw: Buffer): void {
    const delivery: Delivery = { deliveryId: nextId++, eventId: body.id, eventType: body.type, attempts: 0, statuses: [], state: 'parked' };
    all.push(delivery);
    bodies.set(delivery.deliveryId, raw);
    if (options.autoDeliver !== false) schedule(delivery, Math.floor(random() * jitterMs));
  }

  return {
    enqueue(body) {
      const raw = Buffer.from(JSON.stringify(body), 'utf8');
      add(body, raw);
      if (random() < (options.duplicateProbability ?? 0)) add(body, raw);
    },
    setSink(next) {
      sink = next;
    },
    deliveries: () => all,
    release(ids) {
      const chosen = ids ?? all.filter((d) => d.state === 'parked').map((d) => d.deliveryId);
      // Sent one after another in the given order, so a test controls the order exactly.
      let chain = Promise.resolve();
      for (const id of chosen) {
        const delivery = all.find((d) => d.deliveryId === id && d.state === 'parked');
        if (!delivery) continue;
        delivery.state = 'waiting';
        chain = chain.then(() => attempt(delivery));
      }
    },
    idle() {
      if (!busy()) return Promise.resolve();
      return new Promise((resolve) => waiters.push(resolve));
    },
    stop() {
      stopped = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      for (const d of all) if (d.state === 'waiting') d.state = 'abandoned';
      settleWaiters();
    },
  };
}

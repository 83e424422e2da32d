/**
 * The simulated provider's delivery faults, through an in-process sink: retries with backoff
 * until 2xx, duplicates, seeded reordering, giving up; plus the signature it puts on each try.
 */
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../logger.js';
import { createWebhookDispatcher } from './simulated-webhooks.js';
import type { SimWebhookBody, WebhookSink } from './simulated-webhooks.js';
import { verifySignature } from './webhook-signature.js';

const event = (n: number): SimWebhookBody => ({ id: `evt_${n}`, type: 'payment.paid', created: 1, data: { n } });

function recordingSink(statuses: number[] = []): { sink: WebhookSink; seen: Array<{ id: string; raw: Buffer; headers: Record<string, string> }> } {
  const seen: Array<{ id: string; raw: Buffer; headers: Record<string, string> }> = [];
  return {
    seen,
    sink: {
      kind: 'inline',
      deliver: async (raw, headers) => {
        seen.push({ id: (JSON.parse(raw.toString()) as SimWebhookBody).id, raw, headers });
        return { status: statuses.shift() ?? 200 };
      },
    },
  };
}

describe('simulated webhook delivery', () => {
  it('retries with backoff until a 2xx, signing each try afresh', async () => {
    const { sink, seen } = recordingSink([500, 0, 200]);
    const dispatcher = createWebhookDispatcher({ secret: 's', sink, clock: Date.now, log: silentLogger, retryBaseMs: 5 });
    dispatcher.enqueue(event(1));
    await dispatcher.idle();
    expect(dispatcher.deliveries()).toMatchObject([{ eventId: 'evt_1', attempts: 3, statuses: [500, 0, 200], state: 'delivered' }]);
    for (const { raw, headers } of seen) expect(verifySignature(raw, headers, { secrets: ['s'], now: Date.now() }).ok).toBe(true);
  });

  it('gives up after maxAttempts', async () => {
    const { sink } = recordingSink([503, 503, 503, 503]);
    const dispatcher = createWebhookDispatcher({ secret: 's', sink, clock: Date.now, log: silentLogger, retryBaseMs: 1, maxAttempts: 3 });
    dispatcher.enqueue(event(1));
    await dispatcher.idle();
    expect(dispatcher.deliveries()).toMatchObject([{ attempts: 3, state: 'abandoned' }]);
  });

  it('duplicates each event with the configured probability', async () => {
    const { sink, seen } = recordingSink();
    const dispatcher = createWebhookDispatcher({ secret: 's', sink, clock: Date.now, log: silentLogger, duplicateProbability: 1 });
    for (let n = 0; n < 5; n++) dispatcher.enqueue(event(n));
    await dispatcher.idle();
    expect(seen.map((s) => s.id).sort()).toEqual(['evt_0', 'evt_0', 'evt_1', 'evt_1', 'evt_2', 'evt_2', 'evt_3', 'evt_3', 'evt_4', 'evt_4']);
  });

  it('reorders with jitter, the same way for the same seed', async () => {
    async function arrivalOrder(seed: number): Promise<string[]> {
      const { sink, seen } = recordingSink();
      // Seed 7 spreads these five deliveries at least 50 ms apart, so timer skew on a busy machine
      // cannot swap two of them; a seed with near-equal delays would make the order a coin toss.
      const dispatcher = createWebhookDispatcher({ secret: 's', sink, clock: Date.now, log: silentLogger, jitterMs: 1000, seed });
      for (let n = 0; n < 5; n++) dispatcher.enqueue(event(n));
      await dispatcher.idle();
      return seen.map((s) => s.id);
    }
    const first = await arrivalOrder(7);
    expect(first).toHaveLength(5);
    expect(first).not.toEqual(Array.from({ length: 5 }, (_, n) => `evt_${n}`));
    expect(await arrivalOrder(7)).toEqual(first);
  });

  it('parks deliveries in manual mode until released, in the order the test picks', async () => {
    const { sink, seen } = recordingSink();
    const dispatcher = createWebhookDispatcher({ secret: 's', sink, clock: Date.now, log: silentLogger, autoDeliver: false });
    for (let n = 0; n < 3; n++) dispatcher.enqueue(event(n));
    await dispatcher.idle();
    expect(seen).toEqual([]);
    dispatcher.release([3, 1, 2]);
    await dispatcher.idle();
    expect(seen.map((s) => s.id)).toEqual(['evt_2', 'evt_0', 'evt_1']);
  });
});

describe('webhook signatures', () => {
  const raw = Buffer.from('{"id":"e"}');
  const now = 1_800_000_000_000;
  // Computed here independently of the signer, over `${timestamp}.${raw body}`.
  const hmac = (secret: string, seconds: number) => createHmac('sha256', secret).update(`${seconds}.`).update(raw).digest('hex');
  const headersAt = (secret: string, ms: number) => {
    const seconds = Math.floor(ms / 1000);
    return { 'x-simpay-timestamp': String(seconds), 'x-simpay-signature': `v1=${hmac(secret, seconds)}` };
  };

  it('accepts the current or a previous secret, any of several v1 entries, within ±tolerance', () => {
    expect(verifySignature(raw, headersAt('new', now), { secrets: ['new', 'old'], now })).toEqual({ ok: true, data: now });
    expect(verifySignature(raw, headersAt('old', now), { secrets: ['new', 'old'], now }).ok).toBe(true);
    const both = { ...headersAt('new', now), 'x-simpay-signature': `v1=${'0'.repeat(64)}, v1=${hmac('new', now / 1000)}` };
    expect(verifySignature(raw, both, { secrets: ['new'], now }).ok).toBe(true);
    expect(verifySignature(raw, headersAt('new', now - 299_000), { secrets: ['new'], now }).ok).toBe(true);
    expect(verifySignature(raw, headersAt('new', now + 299_000), { secrets: ['new'], now }).ok).toBe(true);
  });

  it('refuses a wrong secret before looking at the clock, then stale and future-dated ones', () => {
    expect(verifySignature(raw, headersAt('guess', now - 3_600_000), { secrets: ['new'], now })).toMatchObject({ ok: false, code: 'payment.signature' });
    expect(verifySignature(Buffer.from('{"id":"f"}'), headersAt('new', now), { secrets: ['new'], now })).toMatchObject({ ok: false, code: 'payment.signature' });
    expect(verifySignature(raw, headersAt('new', now - 301_000), { secrets: ['new'], now })).toMatchObject({ ok: false, code: 'payment.stale' });
    expect(verifySignature(raw, headersAt('new', now + 301_000), { secrets: ['new'], now })).toMatchObject({ ok: false, code: 'payment.stale' });
    expect(verifySignature(raw, { 'x-simpay-timestamp': 'soon', 'x-simpay-signature': 'v1=00' }, { secrets: ['new'], now })).toMatchObject({ ok: false, code: 'payment.signature' });
  });
});

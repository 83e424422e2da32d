/**
 * Webhook faults over real HTTP: duplicates (sequential, concurrent, provider-made), reordering,
 * forged, stale and future-dated deliveries, events for unknown payments, and outcomes that
 * arrive in the wrong order.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { signatureHeaders } from './webhook-signature.js';
import type { PayStack, StackOptions } from './payments.test-support.js';
import { SECRET, bookAwaitingPayment, payWith, startPayStack, until, view } from './payments.test-support.js';

type SimType = 'payment.paid' | 'payment.failed' | 'refund.succeeded';

function body(type: SimType, ref: string, merchantRef: string, extra: Record<string, unknown> = {}) {
  const id = type === 'refund.succeeded' ? `evt_${String(extra['refundRef'] ?? 'rf')}_refunded` : `evt_${ref}_${type === 'payment.paid' ? 'paid' : 'failed'}`;
  const data: Record<string, unknown> = { ref, merchant_ref: merchantRef, amount: 10_000, currency: 'SAR', method: 'card', refunded: 0, failure: type === 'payment.failed' ? 'DECLINED' : null };
  if (type === 'refund.succeeded') Object.assign(data, { refunded: 1_000, refund: { ref: extra['refundRef'] ?? 'rf', amount: 1_000, idempotency_key: 'rf_someone' } });
  return Buffer.from(JSON.stringify({ id, type, created: Math.floor(Date.now() / 1000), data }));
}

async function post(stack: PayStack, raw: Buffer, options: { secret?: string; offsetMs?: number; headers?: Record<string, string> } = {}) {
  const headers = options.headers ?? signatureHeaders(options.secret ?? SECRET, Math.floor((Date.now() + (options.offsetMs ?? 0)) / 1000), raw);
  const response = await fetch(stack.webhookUrl, { method: 'POST', body: raw, headers: { 'content-type': 'application/json', ...headers } });
  return { status: response.status, body: (await response.json()) as { ok: boolean; code?: string; data?: { outcome: string } } };
}

describe('payments: webhooks', () => {
  let stack: PayStack;
  const start = async (options: StackOptions = {}) => {
    stack = await startPayStack(options);
  };
  afterEach(async () => {
    await stack.stop();
  });

  it('applies an event id once: twice in a row, ten times at once, then the provider’s own delivery', async () => {
    await start({ webhooks: { autoDeliver: false } });
    await bookAwaitingPayment(stack, 'b1', 2);
    const { paymentId, ref } = await payWith(stack, 'b1', '4111111111111111');
    const raw = body('payment.paid', ref, paymentId);
    expect((await post(stack, raw)).body).toMatchObject({ ok: true, data: { outcome: 'applied' } });
    expect((await post(stack, raw)).body).toMatchObject({ ok: true, data: { outcome: 'duplicate' } });
    const burst = await Promise.all(Array.from({ length: 10 }, () => post(stack, raw)));
    expect(burst.map((r) => [r.status, r.body.data?.outcome])).toEqual(Array.from({ length: 10 }, () => [200, 'duplicate']));
    stack.gateway.webhooks.release();
    await stack.gateway.webhooks.idle();
    expect(stack.answers.at(-1)).toEqual({ status: 200, outcome: 'duplicate' });
    await until(stack.rt, 'booking', 'b1', 'confirmed');
    await stack.rt.relay.drain();
    const paymentLog = await stack.store.eventLog('payment', paymentId);
    expect(paymentLog.filter((e) => e.eventType === 'payment.captured')).toHaveLength(1);
    const bookingLog = await stack.store.eventLog('booking', 'b1');
    expect(bookingLog.filter((e) => e.eventType === 'payment.captured')).toHaveLength(1);
  });

  it('every event delivered twice at jittered times (out of order across payments) still confirms each booking once', async () => {
    await start({ webhooks: { duplicateProbability: 1, jitterMs: 40, seed: 7 } });
    const ids = ['b1', 'b2', 'b3', 'b4', 'b5'];
    for (const id of ids) await bookAwaitingPayment(stack, id, 1);
    const paid = await Promise.all(ids.map((id, i) => payWith(stack, id, i % 2 ? '4201320111111010' : '4111111111111111', i % 2 ? 'mada' : 'card')));
    await Promise.all(ids.map((id) => until(stack.rt, 'booking', id, 'confirmed')));
    await stack.gateway.webhooks.idle();
    expect(stack.gateway.webhooks.deliveries()).toHaveLength(10);
    expect(stack.answers.filter((a) => a.outcome === 'applied')).toHaveLength(5);
    expect(stack.answers.filter((a) => a.outcome === 'duplicate')).toHaveLength(5);
    for (const { paymentId } of paid) {
      const log = await stack.store.eventLog('payment', paymentId);
      expect(log.filter((e) => e.eventType === 'payment.captured')).toHaveLength(1);
    }
    expect(await stack.store.ledger.level('slot_1')).toMatchObject({ taken: 5 });
  });

  it('refuses forged, tampered, stale, future-dated, unreadable and foreign deliveries and changes nothing', async () => {
    await start({ webhooks: { autoDeliver: false } });
    await bookAwaitingPayment(stack, 'b1', 2);
    const { paymentId, ref } = await payWith(stack, 'b1', '4111111111111111');
    const before = await view(stack, 'payment', paymentId);
    const raw = body('payment.paid', ref, paymentId);
    const tampered = Buffer.from(raw.toString().replace('"amount":10000', '"amount":1'));
    const signedOriginal = signatureHeaders(SECRET, Math.floor(Date.now() / 1000), raw);
    const cases = [
      [await post(stack, raw, { secret: 'whsec_guess' }), 401, 'payment.signature'],
      [await post(stack, tampered, { headers: signedOriginal }), 401, 'payment.signature'],
      [await post(stack, raw, { headers: {} }), 401, 'payment.signature'],
      [await post(stack, raw, { offsetMs: -10 * 60_000 }), 400, 'payment.stale'],
      [await post(stack, raw, { offsetMs: +10 * 60_000 }), 400, 'payment.stale'],
      [await post(stack, Buffer.from('{"id":')), 400, 'event.invalid'],
      [await post(stack, Buffer.from(JSON.stringify({ id: 'e', type: 'payment.paid', created: 1, data: {} }))), 400, 'event.invalid'],
      [await post(stack, body('payment.paid', 'sim_nope', 'nobody-p1')), 404, 'payment.unknown'],
      // A real payment id with someone else's gateway reference is not believed.
      [await post(stack, body('payment.paid', 'sim_other', paymentId)), 404, 'payment.unknown'],
    ] as const;
    for (const [answer, status, code] of cases) expect([answer.status, answer.body.code]).toEqual([status, code]);
    expect(await view(stack, 'payment', paymentId)).toEqual(before);
    expect(await view(stack, 'booking', 'b1')).toMatchObject({ state: 'awaiting_payment' });
    expect(await stack.store.eventLog('payment', paymentId)).toHaveLength(2);
  });

  it('a failure reported after the capture is acknowledged and ignored', async () => {
    await start();
    await bookAwaitingPayment(stack, 'b1', 2);
    const { paymentId, ref } = await payWith(stack, 'b1', '4111111111111111');
    await until(stack.rt, 'booking', 'b1', 'confirmed');
    const late = await post(stack, body('payment.failed', ref, paymentId));
    expect(late).toMatchObject({ status: 200, body: { ok: true, data: { outcome: 'ignored' } } });
    expect(await view(stack, 'payment', paymentId)).toMatchObject({ state: 'captured' });
    expect(await view(stack, 'booking', 'b1')).toMatchObject({ state: 'confirmed' });
  });

  it('a refund reported before its capture is refused for a later retry; the late capture webhook is a duplicate', async () => {
    await start({ webhooks: { autoDeliver: false } });
    await bookAwaitingPayment(stack, 'b1', 2);
    const { paymentId, ref } = await payWith(stack, 'b1', '4111111111111111');
    const early = await post(stack, body('refund.succeeded', ref, paymentId, { refundRef: 'simrf_x' }));
    expect(early).toMatchObject({ status: 409, body: { ok: false, code: 'event.rejected' } });
    expect(await view(stack, 'payment', paymentId)).toMatchObject({ state: 'pending', version: 2 });

    // The payer comes back to the return page before any webhook: we ask the gateway.
    expect(await stack.rt.payments!.service.refreshPayment(paymentId, 'return')).toMatchObject({ ok: true, data: { kind: 'applied' } });
    await until(stack.rt, 'booking', 'b1', 'confirmed');
    await stack.rt.host.send('booking', 'b1', { type: 'booking.cancel', refundAmount: 10_000, at: Date.now() }, { who: 'user:vis_1' });
    await until(stack.rt, 'booking', 'b1', 'refunded');
    // Now the provider's parked deliveries arrive, refund first, capture last.
    const parked = [...stack.gateway.webhooks.deliveries()].reverse().map((d) => d.deliveryId);
    stack.gateway.webhooks.release(parked);
    await stack.gateway.webhooks.idle();
    expect(stack.answers.slice(-2).map((a) => a.outcome)).toEqual(['ignored', 'duplicate']);
    expect(await view(stack, 'payment', paymentId)).toMatchObject({ state: 'refunded', context: { refundedAmount: 10_000 } });
  });
});

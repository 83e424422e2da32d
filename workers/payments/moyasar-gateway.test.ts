/**
 * The Moyasar adapter against a local replay of Moyasar's documented API (no internet here):
 * the requests it makes, how it reads the answers and webhooks, and the whole pay → refund flow
 * through the runtime with webhooks over real HTTP.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../logger.js';
import { startMoyasarReplay } from './fixtures/moyasar-replay-server.js';
import type { MoyasarReplay } from './fixtures/moyasar-replay-server.js';
import type { PaymentGateway } from './gateway.js';
import { createMoyasarGateway } from './moyasar-gateway.js';
import { bookAwaitingPayment, startStackWith, until, view } from './payments.test-support.js';

const KEY = 'sk_test_replay';
const TOKEN = 'whtoken_replay';
const request = { paymentId: 'b1-p1', amount: 10_000, currency: 'SAR' as const, method: 'mada' as const, description: 'Booking b1', callbackUrl: 'https://venue.test/pay/return?payment=b1-p1', idempotencyKey: 'b1-p1' };

describe('moyasar adapter against the replay server', () => {
  let replay: MoyasarReplay;
  let gateway: PaymentGateway;
  beforeEach(async () => {
    replay = await startMoyasarReplay(KEY);
    gateway = createMoyasarGateway({ secretKey: KEY, webhookSecret: TOKEN, baseUrl: replay.baseUrl, log: silentLogger });
  });
  afterEach(async () => {
    await replay.close();
  });

  it('opens a hosted invoice with basic auth, halalas, return URLs and our payment id in metadata', async () => {
    const created = await gateway.createPayment(request);
    expect(created).toMatchObject({ ok: true, data: { redirectUrl: expect.stringMatching(/^https:\/\/checkout\.moyasar\.com\/invoices\//) } });
    expect(replay.requests[0]).toEqual({
      method: 'POST',
      path: '/v1/invoices',
      authorization: `Basic ${Buffer.from(`${KEY}:`).toString('base64')}`,
      body: {
        amount: 10_000, currency: 'SAR', description: 'Booking b1', success_url: request.callbackUrl, back_url: request.callbackUrl,
        metadata: { venue_payment_id: 'b1-p1', idempotency_key: 'b1-p1' },
      },
    });
    const wrongKey = createMoyasarGateway({ secretKey: 'sk_test_wrong', webhookSecret: TOKEN, baseUrl: replay.baseUrl, log: silentLogger });
    expect(await wrongKey.createPayment(request)).toMatchObject({ ok: false, code: 'payment.gateway' });
    replay.failNext(1);
    expect(await gateway.createPayment(request)).toMatchObject({ ok: false, code: 'payment.gateway' });
  });

  it('fetches: pending while the invoice is open (a declined attempt included), captured once paid', async () => {
    const created = await gateway.createPayment(request);
    if (!created.ok) throw new Error(created.message);
    const ref = created.data.gatewayRef;
    expect(await gateway.fetchPayment(ref)).toEqual({ ok: true, data: { status: 'pending', amount: 10_000, refunded: 0, event: null } });
    replay.pay(ref, { company: 'visa', outcome: 'failed' });
    expect(await gateway.fetchPayment(ref)).toMatchObject({ ok: true, data: { status: 'pending' } });
    replay.pay(ref, { company: 'mada', outcome: 'paid' });
    expect(await gateway.fetchPayment(ref)).toMatchObject({
      ok: true,
      data: { status: 'captured', amount: 10_000, event: { eventId: `moyasar:${ref}:paid`, type: 'captured', gatewayRef: ref, amount: 10_000, method: 'mada' } },
    });
    expect(await gateway.fetchPayment('00000000-0000-0000-0000-000000000000')).toMatchObject({ ok: false, code: 'payment.unknown' });
  });

  it('refunds in parts, skips a refund already made, reports a refund beyond the payment as failed', async () => {
    const created = await gateway.createPayment(request);
    if (!created.ok) throw new Error(created.message);
    const ref = created.data.gatewayRef;
    const paid = replay.pay(ref, { company: 'mada', outcome: 'paid' });
    expect(await gateway.refund({ gatewayRef: ref, amount: 3_000, idempotencyKey: 'rf_a', refundedBefore: 0 })).toEqual({ ok: true, data: { refundRef: `${paid.id}:3000`, status: 'succeeded' } });
    const posts = () => replay.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/refund'));
    expect(posts()).toEqual([expect.objectContaining({ path: `/v1/payments/${paid.id}/refund`, body: { amount: 3_000 } })]);
    // The answer was lost and the handler asks again: Moyasar already shows it, nothing is posted.
    expect(await gateway.refund({ gatewayRef: ref, amount: 3_000, idempotencyKey: 'rf_a', refundedBefore: 0 })).toMatchObject({ ok: true, data: { status: 'succeeded' } });
    expect(posts()).toHaveLength(1);
    expect(await gateway.refund({ gatewayRef: ref, amount: 8_000, idempotencyKey: 'rf_b', refundedBefore: 3_000 })).toMatchObject({ ok: true, data: { status: 'failed', reason: expect.stringContaining('400') } });
    replay.failNext(1);
    expect(await gateway.refund({ gatewayRef: ref, amount: 1_000, idempotencyKey: 'rf_c', refundedBefore: 3_000 })).toMatchObject({ ok: false, code: 'payment.gateway' });
  });

  it('verifies webhooks by secret token and date window, and maps paid / failed / refunded', async () => {
    const created = await gateway.createPayment(request);
    if (!created.ok) throw new Error(created.message);
    const ref = created.data.gatewayRef;
    const failed = replay.pay(ref, { company: 'visa', outcome: 'failed' });
    const paid = replay.pay(ref, { company: 'mada', outcome: 'paid' });
    expect(await gateway.verifyWebhook(replay.webhook('payment_paid', paid.id, TOKEN), {})).toMatchObject({ ok: true, data: { eventId: `moyasar:${ref}:paid`, type: 'captured', amount: 10_000 } });
    expect(await gateway.verifyWebhook(replay.webhook('payment_failed', failed.id, TOKEN), {})).toMatchObject({ ok: true, data: { eventId: `moyasar:${ref}:failed:${failed.id}`, type: 'failed', reason: 'DECLINED' } });
    await gateway.refund({ gatewayRef: ref, amount: 2_500, idempotencyKey: 'rf_a', refundedBefore: 0 });
    expect(await gateway.verifyWebhook(replay.webhook('payment_refunded', paid.id, TOKEN), {})).toMatchObject({ ok: true, data: { type: 'refunded', refundedTotal: 2_500 } });
    expect(await gateway.verifyWebhook(replay.webhook('payment_voided', paid.id, TOKEN), {})).toEqual({ ok: true, data: null });
    expect(await gateway.verifyWebhook(replay.webhook('payment_paid', paid.id, 'guess'), {})).toMatchObject({ ok: false, code: 'payment.signature' });
    expect(await gateway.verifyWebhook(replay.webhook('payment_paid', paid.id, TOKEN, new Date(Date.now() + 10 * 60_000)), {})).toMatchObject({ ok: false, code: 'payment.stale' });
    expect(await gateway.verifyWebhook(replay.webhook('payment_paid', paid.id, TOKEN, new Date(Date.now() - 25 * 3_600_000)), {})).toMatchObject({ ok: false, code: 'payment.stale' });
    expect(await gateway.verifyWebhook(Buffer.from('nope'), {})).toMatchObject({ ok: false, code: 'event.invalid' });
  });

  it('pays and refunds a booking end to end through the runtime, webhooks over HTTP', async () => {
    const stack = await startStackWith(() => Object.assign(createMoyasarGateway({ secretKey: KEY, webhookSecret: TOKEN, baseUrl: replay.baseUrl, log: silentLogger }), { close() {} }), {}, 'moyasar');
    try {
      await bookAwaitingPayment(stack, 'b1', 2);
      const started = await stack.rt.payments!.service.startPayment('b1', 'mada', 'user:vis_1');
      if (!started.ok) throw new Error(started.message);
      const paid = replay.pay(started.data.gatewayRef, { company: 'mada', outcome: 'paid' });
      const post = (raw: Buffer) => fetch(stack.webhookUrl, { method: 'POST', body: raw, headers: { 'content-type': 'application/json' } });
      expect((await post(replay.webhook('payment_paid', paid.id, 'forged'))).status).toBe(401);
      expect((await post(replay.webhook('payment_paid', paid.id, TOKEN))).status).toBe(200);
      await until(stack.rt, 'booking', 'b1', 'confirmed');
      expect(await view(stack, 'payment', started.data.paymentId)).toMatchObject({ state: 'captured', context: { capturedMethod: 'mada' } });
      await stack.rt.host.send('booking', 'b1', { type: 'booking.cancel', refundAmount: 10_000, at: Date.now() }, { who: 'user:vis_1' });
      await until(stack.rt, 'booking', 'b1', 'refunded');
      expect(replay.requests.filter((r) => r.path.endsWith('/refund')).map((r) => r.body)).toEqual([{ amount: 10_000 }]);
      // Moyasar's own refund notice and a replayed paid notice change nothing.
      const late = await post(replay.webhook('payment_refunded', paid.id, TOKEN));
      expect([late.status, ((await late.json()) as { data: { outcome: string } }).data.outcome]).toEqual([200, 'ignored']);
      expect(((await (await post(replay.webhook('payment_paid', paid.id, TOKEN))).json()) as { data: { outcome: string } }).data.outcome).toBe('duplicate');
    } finally {
      await stack.stop();
    }
  });
});

/**
 * Money going back: cancellation refunds, concurrent double clicks, admin refunds racing for the
 * same capture, late payments (tickets or an automatic refund), payments nobody can use, and the
 * reconciliation job repairing a webhook that never came.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { PayStack, StackOptions } from './payments.test-support.js';
import { bookAwaitingPayment, payWith, pendingOf, startPayStack, until, view } from './payments.test-support.js';

describe('payments: refunds, late payments, reconciliation', () => {
  let stack: PayStack;
  const start = async (options: StackOptions = {}) => {
    stack = await startPayStack(options);
  };
  afterEach(async () => {
    await stack.stop();
  });

  async function confirmedBooking(bookingId: string, qty = 2): Promise<string> {
    await bookAwaitingPayment(stack, bookingId, qty);
    const { paymentId } = await payWith(stack, bookingId, '4111111111111111');
    await until(stack.rt, 'booking', bookingId, 'confirmed');
    return paymentId;
  }

  const cancel = (bookingId: string, refundAmount: number) =>
    stack.rt.host.send('booking', bookingId, { type: 'booking.cancel', refundAmount, at: Date.now() }, { who: 'user:vis_1' });

  it('a cancellation refund goes booking → payment → gateway → booking, and the log says who, when, how much', async () => {
    await start();
    const paymentId = await confirmedBooking('b1');
    expect(await cancel('b1', 7_500)).toMatchObject({ ok: true, data: { state: 'cancelled' } });
    await until(stack.rt, 'booking', 'b1', 'refunded');
    expect(await view(stack, 'payment', paymentId)).toMatchObject({
      state: 'captured',
      context: { capturedAmount: 10_000, refundedAmount: 7_500, refunds: [{ status: 'succeeded', reason: 'cancellation', by: 'user:vis_1' }] },
    });
    await stack.gateway.webhooks.idle();
    await stack.rt.relay.drain();
    const log = await stack.rt.payments!.service.listTransactions({ bookingId: 'b1' });
    expect(log.ok && log.data.map((t) => [t.movement, t.amount, t.status, t.by])).toEqual([
      ['payment.captured', 10_000, 'succeeded', 'gateway:simulated'],
      ['refund.requested', 7_500, 'pending', 'user:vis_1'],
      ['refund.succeeded', 7_500, 'succeeded', 'user:vis_1'],
    ]);
    expect(log.ok && log.data.every((t) => t.at > 0 && t.currency === 'SAR')).toBe(true);
  });

  it('two concurrent cancels with a refund make one refund', async () => {
    await start();
    const paymentId = await confirmedBooking('b1');
    const [a, b] = await Promise.all([cancel('b1', 10_000), cancel('b1', 10_000)]);
    expect([a.ok, b.ok].sort()).toEqual([false, true]);
    await until(stack.rt, 'payment', paymentId, 'refunded');
    await until(stack.rt, 'booking', 'b1', 'refunded');
    const payment = await view(stack, 'payment', paymentId);
    expect(payment.context).toMatchObject({ refundedAmount: 10_000, refunds: [{ amount: 10_000 }] });
    expect(await stack.gateway.fetchPayment((payment.context as { gatewayRef: string }).gatewayRef)).toMatchObject({ ok: true, data: { refunded: 10_000 } });
  });

  it('admin refunds: a double click is one refund; racing requests never exceed the capture', async () => {
    await start();
    const paymentId = await confirmedBooking('b1');
    const service = stack.rt.payments!.service;
    const clicks = await Promise.all(Array.from({ length: 5 }, () => service.requestRefund({ paymentId, amount: 1_000, requestId: 'click-0001' }, 'user:fin_1')));
    expect(clicks.every((c) => c.ok)).toBe(true);
    const race = await Promise.all(Array.from({ length: 10 }, (_, i) => service.requestRefund({ paymentId, amount: 3_000, requestId: `race-${String(i).padStart(4, '0')}` }, 'user:fin_1')));
    expect(race.filter((r) => r.ok)).toHaveLength(3);
    expect(race.filter((r) => !r.ok).map((r) => !r.ok && r.code)).toEqual(Array.from({ length: 7 }, () => 'refund.exceeds_capture'));
    // 1 000 + 3 × 3 000: everything captured is spoken for.
    expect(await service.requestRefund({ paymentId, amount: 1, requestId: 'after-all' }, 'user:fin_1')).toMatchObject({ ok: false, code: 'refund.exceeds_capture' });
    expect(await service.requestRefund({ paymentId, amount: 1 }, 'user:fin_1')).toMatchObject({ ok: false, code: 'input.invalid' });
    const payment = await until(stack.rt, 'payment', paymentId, 'refunded');
    const context = payment.context as { refundedAmount: number; refunds: Array<{ status: string; by: string }>; gatewayRef: string };
    expect(context.refunds).toHaveLength(4);
    expect(context.refunds.every((r) => r.status === 'succeeded' && r.by === 'user:fin_1')).toBe(true);
    expect(context.refundedAmount).toBe(10_000);
    expect(await stack.gateway.fetchPayment(context.gatewayRef)).toMatchObject({ ok: true, data: { refunded: 10_000 } });
  });

  it('a payment captured after the booking expired gets the tickets while the slot has room', async () => {
    await start({ timings: { holdMs: 60_000, reviewMs: 60_000, paymentMs: 300 } });
    await bookAwaitingPayment(stack, 'b1', 2);
    const started = await stack.rt.payments!.service.startPayment('b1', 'card', 'user:vis_1');
    if (!started.ok) throw new Error(started.message);
    await until(stack.rt, 'booking', 'b1', 'expired');
    await stack.rt.relay.drain();
    expect(await stack.store.ledger.level('slot_1')).toMatchObject({ taken: 0 });
    stack.gateway.submitHostedPage(started.data.redirectUrl.split('/').at(-1)!, { method: 'card', card_number: '4111111111111111' });
    const confirmed = await until(stack.rt, 'booking', 'b1', 'confirmed');
    expect(confirmed.context).toMatchObject({ capturedAmount: 10_000 });
    await stack.rt.relay.drain();
    expect(await stack.store.ledger.level('slot_1')).toMatchObject({ taken: 2 });
    expect((await pendingOf(stack, 'tickets.issue')).map((e) => e.actorId)).toEqual(['b1']);
    expect(await stack.store.ledger.orphanHolds('booking', Date.now() + 1, 10)).toEqual([]);
  });

  it('without room, the late payment is refunded in full automatically and the payer is told', async () => {
    await start({ timings: { holdMs: 60_000, reviewMs: 60_000, paymentMs: 300 }, capacity: 2 });
    await bookAwaitingPayment(stack, 'b1', 2);
    const started = await stack.rt.payments!.service.startPayment('b1', 'card', 'user:vis_1');
    if (!started.ok) throw new Error(started.message);
    await until(stack.rt, 'booking', 'b1', 'expired');
    await stack.rt.relay.drain();
    await bookAwaitingPayment(stack, 'b2', 2, 'vis_2'); // the seats went to someone else
    stack.gateway.submitHostedPage(started.data.redirectUrl.split('/').at(-1)!, { method: 'card', card_number: '4111111111111111' });
    await until(stack.rt, 'booking', 'b1', 'refunded');
    await until(stack.rt, 'payment', started.data.paymentId, 'refunded');
    await stack.rt.relay.drain();
    const notices = (await pendingOf(stack, 'notify')).filter((e) => e.actorId === 'b1').map((e) => e.payload['template']);
    expect(notices).toContain('payment.refunded_late');
    expect(await stack.store.ledger.level('slot_1')).toMatchObject({ taken: 2, remaining: 0 });
    expect(await view(stack, 'booking', 'b2')).toMatchObject({ state: 'awaiting_payment' });
    const log = await stack.rt.payments!.service.listTransactions({ bookingId: 'b1' });
    expect(log.ok && log.data.map((t) => [t.movement, t.reason ?? null, t.amount])).toEqual([
      ['payment.captured', null, 10_000],
      ['refund.requested', 'late_payment', 10_000],
      ['refund.succeeded', 'late_payment', 10_000],
    ]);
  });

  it('a payment the booking cannot use (cancelled meanwhile) is refunded in full and the payer told', async () => {
    await start();
    await bookAwaitingPayment(stack, 'b1', 1);
    const started = await stack.rt.payments!.service.startPayment('b1', 'card', 'user:vis_1');
    if (!started.ok) throw new Error(started.message);
    await stack.rt.host.send('booking', 'b1', { type: 'booking.cancel', at: Date.now() }, { who: 'user:vis_1' });
    stack.gateway.submitHostedPage(started.data.redirectUrl.split('/').at(-1)!, { method: 'card', card_number: '4111111111111111' });
    await until(stack.rt, 'payment', started.data.paymentId, 'refunded');
    await stack.rt.relay.drain();
    expect((await pendingOf(stack, 'notify')).filter((e) => e.kind === 'payment').map((e) => e.payload['template'])).toEqual(['payment.refunded_auto']);
    // The booking's books show the payment it could not use, and that it went back in full.
    expect(await view(stack, 'booking', 'b1')).toMatchObject({
      state: 'refunded',
      context: { capturedAmount: 5_000, refundRequestedAmount: 5_000, refundedAmount: 5_000, payments: [{ paymentId: started.data.paymentId, status: 'unneeded' }] },
    });
  });

  it('money a booking cannot take on its books is refunded all the same, and reported to finance instead of dropped', async () => {
    await start();
    // A booking rejected at review: it never awaited payment, yet a payment was made for it.
    const held = await stack.rt.bookings.hold(
      { bookingId: 'b1', visitorId: 'vis_1', slotId: 'slot_1', lines: [{ ticketTypeId: 'adult', qty: 1, unitPrice: 5_000 }], requiresApproval: true },
      'user:vis_1',
    );
    expect(held.ok).toBe(true);
    await stack.rt.host.send('booking', 'b1', { type: 'booking.submit' }, { who: 'user:vis_1' });
    await stack.rt.host.send('booking', 'b1', { type: 'booking.reject', adminId: 'adm_1', reason: 'no' }, { who: 'user:adm_1' });
    const input = { paymentId: 'b1-p1', bookingId: 'b1', visitorId: 'vis_1', amount: 5_000, currency: 'SAR', method: 'card', createdAt: Date.now() };
    expect(await stack.rt.host.create('payment', 'b1-p1', input, { who: 'test', eventId: 'start:b1-p1' })).toMatchObject({ ok: true });
    const opened = await stack.gateway.createPayment({ paymentId: 'b1-p1', amount: 5_000, currency: 'SAR', method: 'card', description: 'b1', callbackUrl: 'https://venue.test/pay/return', idempotencyKey: 'b1-p1' });
    if (!opened.ok) throw new Error(opened.message);
    await stack.rt.host.send('payment', 'b1-p1', { type: 'payment.opened', ...opened.data }, { who: 'test' });
    await stack.records.indexPayment({ paymentId: 'b1-p1', bookingId: 'b1', status: 'pending', amount: 5_000, createdAt: input.createdAt, gatewayRef: opened.data.gatewayRef, at: Date.now() });
    stack.gateway.submitHostedPage(opened.data.gatewayRef, { method: 'card', card_number: '4111111111111111' });
    await until(stack.rt, 'payment', 'b1-p1', 'refunded');
    await stack.gateway.webhooks.idle();
    await stack.rt.relay.drain();
    const reported = (await stack.store.audit.list({ limit: 10, who: 'system' })).filter((e) => e.action === 'payment.unmatched');
    expect(reported.map((e) => [e.target, e.outcome, e.code, (e.detail as { what: string }).what]).sort()).toEqual([
      ['booking/b1', 'failed', 'event.rejected', 'payment.refunded'],
      ['booking/b1', 'failed', 'event.rejected', 'payment.unneeded'],
    ]);
    expect(reported[0]?.detail).toMatchObject({ paymentId: 'b1-p1', amount: 5_000 });
  });

  it('reconciliation applies a capture whose webhook never came; the webhook arriving later is a duplicate', async () => {
    await start({ webhooks: { autoDeliver: false }, reconcile: { afterMs: 0, everyMs: 3_600_000 } });
    await bookAwaitingPayment(stack, 'b1', 2);
    const { paymentId } = await payWith(stack, 'b1', '4111111111111111');
    expect(await view(stack, 'payment', paymentId)).toMatchObject({ state: 'pending' });
    expect(await stack.rt.payments!.reconciler.reconcile()).toEqual({ checked: 1, repaired: 1 });
    await until(stack.rt, 'booking', 'b1', 'confirmed');
    await stack.rt.relay.drain();
    expect(await stack.rt.payments!.reconciler.reconcile()).toEqual({ checked: 0, repaired: 0 });
    stack.gateway.webhooks.release();
    await stack.gateway.webhooks.idle();
    expect(stack.answers).toEqual([{ status: 200, outcome: 'duplicate' }]);
    const log = await stack.rt.payments!.service.listTransactions({});
    expect(log.ok && log.data.map((t) => [t.movement, t.by])).toEqual([['payment.captured', 'reconcile']]);
  });
});

/**
 * The pay flow end to end on the embedded stack: booking → checkout → simulated hosted page →
 * signed webhook over real HTTP → payment captured → booking confirmed (tickets asked for).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PayStack } from './payments.test-support.js';
import { UNIT_PRICE, bookAwaitingPayment, payWith, pendingOf, refOf, startPayStack, until, view } from './payments.test-support.js';

describe('payments: checkout on the simulated gateway', () => {
  let stack: PayStack;
  beforeEach(async () => {
    stack = await startPayStack();
  });
  afterEach(async () => {
    await stack.stop();
  });

  it('held → submit → startPayment → card succeeds on the hosted page → webhook → confirmed, tickets asked for', async () => {
    await bookAwaitingPayment(stack, 'b1', 2);
    const started = await stack.rt.payments!.service.startPayment('b1', 'card', 'user:vis_1');
    expect(started).toMatchObject({ ok: true, data: { paymentId: 'b1-p1' } });
    if (!started.ok) return;
    expect(started.data.redirectUrl).toMatch(/^https:\/\/venue\.test\/pay\/simulated\/sim_/);
    const page = stack.gateway.hostedPage(refOf(started.data.redirectUrl));
    expect(page.ok && page.data).toContain('100.00 SAR');
    expect(page.ok && page.data).toContain('4111 1111 1111 1111');
    const submitted = stack.gateway.submitHostedPage(refOf(started.data.redirectUrl), { method: 'card', card_number: '4111 1111 1111 1111' });
    expect(submitted).toMatchObject({ ok: true, data: { status: 'paid', redirectUrl: 'https://venue.test/pay/return?payment=b1-p1&booking=b1&status=paid' } });

    const confirmed = await until(stack.rt, 'booking', 'b1', 'confirmed');
    expect(confirmed.context).toMatchObject({ capturedAmount: 2 * UNIT_PRICE, paymentAttempts: 1 });
    expect(await view(stack, 'payment', 'b1-p1')).toMatchObject({ state: 'captured', context: { capturedMethod: 'card', capturedAmount: 10_000 } });
    await stack.rt.relay.drain();
    const tickets = await pendingOf(stack, 'tickets.issue');
    expect(tickets.map((e) => e.payload)).toEqual([{ bookingId: 'b1', visitorId: 'vis_1', quantity: 2 }]);
    expect(await stack.store.ledger.level('slot_1')).toMatchObject({ taken: 2 });
    const log = await stack.rt.payments!.service.listTransactions({ bookingId: 'b1' });
    expect(log.ok && log.data.map((t) => [t.movement, t.amount, t.status, t.by])).toEqual([['payment.captured', 10_000, 'succeeded', 'gateway:simulated']]);
    expect(stack.answers).toEqual([{ status: 200, outcome: 'applied' }]);
  });

  it('a declined card fails the attempt, the booking keeps waiting, and a retry with mada succeeds', async () => {
    await bookAwaitingPayment(stack, 'b1', 1);
    const first = await payWith(stack, 'b1', '4000 0000 0000 0002');
    expect(first.paymentId).toBe('b1-p1');
    await until(stack.rt, 'payment', 'b1-p1', 'failed');
    await stack.rt.relay.drain();
    const waiting = await view(stack, 'booking', 'b1');
    expect(waiting).toMatchObject({ state: 'awaiting_payment', context: { paymentAttempts: 1, payments: [{ paymentId: 'b1-p1', status: 'failed', reason: 'DECLINED' }] } });
    expect((await pendingOf(stack, 'notify')).map((e) => e.payload['template'])).toContain('payment.failed');

    const second = await payWith(stack, 'b1', '4201320111111010', 'mada');
    expect(second.paymentId).toBe('b1-p2');
    await until(stack.rt, 'booking', 'b1', 'confirmed');
    expect(await view(stack, 'payment', 'b1-p2')).toMatchObject({ context: { capturedMethod: 'mada' } });
    await stack.rt.relay.drain();
    const log = await stack.rt.payments!.service.listTransactions({});
    expect(log.ok && log.data.map((t) => [t.paymentId, t.movement, t.status])).toEqual([
      ['b1-p1', 'payment.failed', 'failed'],
      ['b1-p2', 'payment.captured', 'succeeded'],
    ]);
  });

  it('the seed statuses on the booking and in the log: 3-D Secure pending then authorized; Apple Pay pending then failed; the bank answers later', async () => {
    const statusOf = async (bookingId: string) => (await view(stack, 'booking', bookingId)).context as { paymentStatus?: string; pendingReason?: string };
    await bookAwaitingPayment(stack, 'b1', 1);
    const secure = await payWith(stack, 'b1', '4000 0000 0000 3220');
    expect(stack.gateway.hostedPage(secure.ref)).toMatchObject({ ok: true, data: expect.stringContaining('Complete authentication') });
    await until(stack.rt, 'payment', secure.paymentId, 'pending');
    await stack.gateway.webhooks.idle();
    await stack.rt.relay.drain();
    expect(await statusOf('b1')).toMatchObject({ paymentStatus: 'pending', pendingReason: 'three_d_secure' });
    expect(stack.gateway.submitHostedPage(secure.ref, { challenge: 'pass' })).toMatchObject({ ok: true, data: { status: 'paid' } });
    await until(stack.rt, 'booking', 'b1', 'confirmed');
    expect(await statusOf('b1')).toMatchObject({ paymentStatus: 'authorized' });

    await bookAwaitingPayment(stack, 'b2', 1);
    const started = await stack.rt.payments!.service.startPayment('b2', 'applepay', 'user:vis_1');
    if (!started.ok) throw new Error(started.message);
    const wallet = refOf(started.data.redirectUrl);
    expect(stack.gateway.submitHostedPage(wallet, { method: 'applepay', applepay: 'confirm' })).toMatchObject({ ok: true, data: { status: 'pending', redirectUrl: started.data.redirectUrl } });
    expect(stack.gateway.submitHostedPage(wallet, { challenge: 'fail' })).toMatchObject({ ok: true, data: { status: 'failed' } });
    await until(stack.rt, 'payment', started.data.paymentId, 'failed');
    await stack.gateway.webhooks.idle();
    await stack.rt.relay.drain();
    expect(await statusOf('b2')).toMatchObject({ paymentStatus: 'failed' });

    await bookAwaitingPayment(stack, 'b3', 1);
    const bank = await payWith(stack, 'b3', '4000000000000036');
    await until(stack.rt, 'booking', 'b3', 'confirmed');
    await stack.rt.relay.drain();
    const log = await stack.rt.payments!.service.listTransactions({});
    expect(log.ok && log.data.map((t) => [t.paymentId, t.movement, t.paymentStatus, t.reason ?? null])).toEqual([
      [secure.paymentId, 'payment.pending', 'pending', 'three_d_secure'],
      [secure.paymentId, 'payment.captured', 'authorized', null],
      [started.data.paymentId, 'payment.pending', 'pending', 'apple_pay_confirmation'],
      [started.data.paymentId, 'payment.failed', 'failed', 'CANCELLED_BY_PAYER'],
      [bank.paymentId, 'payment.pending', 'pending', 'bank_processing'],
      [bank.paymentId, 'payment.captured', 'authorized', null],
    ]);
  });

  it('a retry started before the booking heard of the failure still moves on to the next attempt', async () => {
    await bookAwaitingPayment(stack, 'b1', 1);
    const first = await payWith(stack, 'b1', '4000000000000002');
    await until(stack.rt, 'payment', first.paymentId, 'failed');
    const retried = await stack.rt.payments!.service.startPayment('b1', 'card', 'user:vis_1');
    expect(retried).toMatchObject({ ok: true, data: { paymentId: 'b1-p2' } });
  });

  it('twenty concurrent clicks on "pay" open one payment at the gateway and show one page', async () => {
    await bookAwaitingPayment(stack, 'b1', 1);
    const clicks = await Promise.all(Array.from({ length: 20 }, () => stack.rt.payments!.service.startPayment('b1', 'card', 'user:vis_1')));
    expect(clicks.every((c) => c.ok)).toBe(true);
    const urls = new Set(clicks.map((c) => (c.ok ? c.data.redirectUrl : '')));
    expect(urls.size).toBe(1);
    expect(await stack.rt.host.read('payment', 'b1-p2')).toMatchObject({ ok: false, code: 'actor.not_found' });
    const log = await stack.store.eventLog('payment', 'b1-p1');
    expect(log.map((e) => e.eventType)).toEqual(['payment.created', 'payment.opened']);
  });

  it('refuses checkout for another visitor, a booking not awaiting payment, an unknown method, a paid booking', async () => {
    await bookAwaitingPayment(stack, 'b1', 1);
    const service = stack.rt.payments!.service;
    expect(await service.startPayment('b1', 'card', 'user:someone_else')).toMatchObject({ ok: false, code: 'auth.forbidden' });
    expect(await service.startPayment('b1', 'bitcoin', 'user:vis_1')).toMatchObject({ ok: false, code: 'input.invalid' });
    expect(await service.startPayment('nope', 'card', 'user:vis_1')).toMatchObject({ ok: false, code: 'actor.not_found' });
    await stack.rt.bookings.hold({ bookingId: 'b2', visitorId: 'vis_1', slotId: 'slot_1', lines: [{ ticketTypeId: 'adult', qty: 1, unitPrice: 100 }], requiresApproval: false }, 'user:vis_1');
    expect(await service.startPayment('b2', 'card', 'user:vis_1')).toMatchObject({ ok: false, code: 'event.rejected' });
    await payWith(stack, 'b1', '4111111111111111');
    await until(stack.rt, 'booking', 'b1', 'confirmed');
    expect(await service.startPayment('b1', 'card', 'user:vis_1')).toMatchObject({ ok: false, code: 'event.rejected' });
    expect(stack.gateway.submitHostedPage('sim_unknown', { method: 'card', card_number: '4111111111111111' })).toMatchObject({ ok: false, code: 'payment.unknown' });
  });
});

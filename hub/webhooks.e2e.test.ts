/**
 * Payment webhooks end to end against a real hub process whose simulated provider delivers every
 * event twice with random delays (SIMPAY_DUPLICATE_PERCENT=100, SIMPAY_JITTER_MS), over HTTP:
 * a declined attempt and a paid retry still confirm the booking exactly once, with one capture in
 * the transaction log. Forged, tampered, stale and future-dated webhooks are refused and change
 * nothing; a late replay and a failure notice arriving after the capture change nothing either.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectHub } from '../clients/sdk/index.js';
import { unwrap } from '../clients/sdk/hub-api.js';
import type { StartedPayment } from '../clients/sdk/hub-api.js';
import type { HubClient } from '../clients/sdk/hub-client.js';
import { signUpVisitor } from '../load-tests/harness/index.js';
import type { ActorState } from '../machines/contract/wire.js';
import { signatureHeaders } from '../workers/payments/webhook-signature.js';
import { collectAlerts, DECLINED_CARD, payOnHostedPage, startJourneyHub, SUCCESS_CARD, venueDate, watchBooking } from './journey.test-support.js';
import type { JourneyHub } from './journey.test-support.js';

let env: JourneyHub;
let visitor: HubClient | undefined;

beforeAll(async () => {
  env = await startJourneyHub({ SIMPAY_DUPLICATE_PERCENT: '100', SIMPAY_JITTER_MS: '300' });
});
afterAll(async () => {
  visitor?.close();
  await env?.stop();
});

/** The provider's event body for a payment outcome, as the simulated provider writes it. */
function providerEvent(payment: StartedPayment, outcome: 'paid' | 'failed', amount: number, id = `evt_${payment.gatewayRef}_${outcome}`): Buffer {
  const data = { ref: payment.gatewayRef, merchant_ref: payment.paymentId, amount, currency: 'SAR', method: outcome === 'paid' ? 'card' : null, refunded: 0, failure: outcome === 'paid' ? null : 'DECLINED' };
  return Buffer.from(JSON.stringify({ id, type: `payment.${outcome}`, created: Math.floor(Date.now() / 1000), data }));
}

/** POSTs a webhook to the node as a provider (or a forger) would. */
async function deliver(body: Buffer, headers: Record<string, string>): Promise<{ status: number; code: string | undefined; outcome: string | undefined }> {
  const response = await fetch(`${env.url}/webhooks/payments/simulated`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  const json = (await response.json()) as { ok: boolean; code?: string; data?: { outcome?: string } };
  return { status: response.status, code: json.code, outcome: json.data?.outcome };
}

const nowSec = () => Math.floor(Date.now() / 1000);

/** The booking as a fresh subscription reads it now (not a change that may still be on its way). */
async function currentBooking(token: string, bookingId: string): Promise<ActorState> {
  const reader = connectHub({ url: env.url, token });
  try {
    return unwrap(await reader.subscribeActor({ kind: 'booking', id: bookingId }, () => {}).ready);
  } finally {
    reader.close();
  }
}

describe('payment webhooks against hub/main.ts', () => {
  it('duplicated, reordered and forged deliveries confirm the booking exactly once', async () => {
    const { api, inbox, url } = env;
    const email = 'lina@example.com';
    const signedIn = await signUpVisitor(api, inbox, email, 'Lina');
    const token = signedIn.accessToken;
    visitor = connectHub({ url, token });
    await visitor.ready;
    const alerts = collectAlerts(visitor);
    const slot = unwrap(await api.slots('wave-pool', venueDate(3))).slots.find((s) => s.bookable);
    if (!slot) throw new Error('no bookable wave-pool slot');
    const bookingId = `hooks-${randomUUID()}`;
    const items = [{ ticketTypeId: 'wave-pool-adult', qty: 2 }];
    const amount = unwrap(await api.price({ slotId: slot.slotId, items })).total;
    expect(await visitor.hold({ bookingId, slotId: slot.slotId, items })).toMatchObject({ ok: true, data: { state: 'held', context: { total: amount } } });
    const watch = await watchBooking(visitor, bookingId);
    expect(await visitor.command('booking', bookingId, { type: 'booking.submit' })).toMatchObject({ ok: true, data: { state: 'awaiting_payment' } });

    // A declined first attempt: its two deliveries race whatever comes next.
    const first = unwrap(await api.pay(bookingId, 'card', token));
    expect(await payOnHostedPage(first.redirectUrl, { method: 'card', card_number: DECLINED_CARD })).toMatchObject({ status: 303 });
    await alerts.next((a) => a.template === 'payment.failed' && a.bookingId === bookingId, 'payment.failed alert');
    const second = unwrap(await api.pay(bookingId, 'card', token));
    const before = watch.seen.at(-1);

    // Forgeries of "the second attempt is paid": none is applied.
    const paid = providerEvent(second, 'paid', amount);
    const forged = [
      { what: 'no signature', headers: {}, status: 401, code: 'payment.signature' },
      { what: 'wrong secret', headers: signatureHeaders('not-the-shared-secret', nowSec(), paid), status: 401, code: 'payment.signature' },
      { what: 'tampered body', headers: signatureHeaders(env.webhookSecret, nowSec(), providerEvent(second, 'paid', amount + 1)), status: 401, code: 'payment.signature' },
      { what: 'stale', headers: signatureHeaders(env.webhookSecret, nowSec() - 600, paid), status: 400, code: 'payment.stale' },
      { what: 'future-dated', headers: signatureHeaders(env.webhookSecret, nowSec() + 600, paid), status: 400, code: 'payment.stale' },
    ];
    for (const attempt of forged) {
      expect({ what: attempt.what, ...(await deliver(paid, attempt.headers)) }).toMatchObject({ what: attempt.what, status: attempt.status, code: attempt.code });
    }
    const unchanged = await env.api.transactions({ bookingId }, env.adminToken);
    expect(unwrap(unchanged).map((t) => t.movement)).toEqual(['payment.failed']);
    expect(before).toMatchObject({ state: 'awaiting_payment', context: { capturedAmount: 0 } });
    expect(await currentBooking(token, bookingId)).toMatchObject({ state: 'awaiting_payment', version: before?.version });

    // The real payment, delivered twice with jitter: confirmed once.
    expect(await payOnHostedPage(second.redirectUrl, { method: 'card', card_number: SUCCESS_CARD })).toMatchObject({ status: 303 });
    const confirmed = await watch.reach('confirmed');
    const eventId = `evt_${second.gatewayRef}_paid`;
    await env.node.waitForOutput(new RegExp(`"eventId":"${eventId}","outcome":"applied"`));
    await env.node.waitForOutput(new RegExp(`"eventId":"${eventId}","outcome":"(duplicate|ignored)"`));
    await env.node.waitForOutput(new RegExp(`"eventId":"evt_${first.gatewayRef}_failed","outcome":"(duplicate|ignored)"`));

    // Out of order on purpose: the first attempt's failure replayed, and a failure notice for the captured attempt.
    const replay = providerEvent(first, 'failed', amount);
    expect(await deliver(replay, signatureHeaders(env.webhookSecret, nowSec(), replay))).toMatchObject({ status: 200, outcome: 'duplicate' });
    const lateFailure = providerEvent(second, 'failed', amount, `evt_${second.gatewayRef}_late_failure`);
    expect(await deliver(lateFailure, signatureHeaders(env.webhookSecret, nowSec(), lateFailure))).toMatchObject({ status: 200, outcome: 'ignored' });

    await inbox.waitFor(email, (m) => /confirmed/i.test(m.subject));
    expect(await currentBooking(token, bookingId)).toMatchObject({ state: 'confirmed', version: confirmed.version, context: { capturedAmount: amount } });
    expect(watch.seen.filter((s) => s.state === 'confirmed')).toHaveLength(1);
    expect(inbox.received().filter((m) => m.to.includes(email) && /confirmed/i.test(m.subject))).toHaveLength(1);

    const log = unwrap(await api.transactions({ bookingId }, env.adminToken));
    expect(log.filter((t) => t.movement === 'payment.captured')).toMatchObject([{ paymentId: second.paymentId, amount, status: 'succeeded' }]);
    expect(log.map((t) => t.movement).sort()).toEqual(['payment.captured', 'payment.failed']);
    watch.stop();
  });
});

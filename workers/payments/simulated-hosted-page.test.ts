import { describe, expect, it } from 'vitest';
import type { SimPayment } from './simulated-gateway-store.js';
import { decideChallenge, decideOutcome, renderHostedPage } from './simulated-hosted-page.js';

const payment: SimPayment = {
  ref: 'sim_1', idempotencyKey: 'b1-p1', merchantRef: 'b1-p1', amount: 12_550, currency: 'SAR', method: 'mada',
  description: 'Booking <b1> & "friends"', callbackUrl: 'https://venue.test/return', status: 'initiated', paidMethod: null,
  failure: null, refunded: 0, createdAt: 1, updatedAt: 1, pendingReason: null, answerDueAt: null,
};

describe('simulated hosted page', () => {
  it('decides outcomes from the published test numbers; the card network decides the method', () => {
    expect(decideOutcome({ method: 'card', card_number: '4111 1111 1111 1111' })).toEqual({ status: 'paid', method: 'card', failure: null });
    expect(decideOutcome({ method: 'card', card_number: '4000-0000-0000-0002' })).toEqual({ status: 'failed', method: 'card', failure: 'DECLINED' });
    expect(decideOutcome({ method: 'mada', card_number: '4201320111111010' })).toEqual({ status: 'paid', method: 'mada', failure: null });
    expect(decideOutcome({ method: 'card', card_number: '4201320111111010' })).toMatchObject({ method: 'mada' });
    expect(decideOutcome({ method: 'mada', card_number: '4201321234411220' })).toEqual({ status: 'failed', method: 'mada', failure: 'DECLINED' });
    expect(decideOutcome({ method: 'card', card_number: '1234' })).toMatchObject({ status: 'failed', failure: 'UNKNOWN_TEST_CARD' });
    expect(decideOutcome({ method: 'applepay', applepay: 'approve' })).toEqual({ status: 'paid', method: 'applepay', failure: null });
    expect(decideOutcome({ method: 'applepay', applepay: 'decline' })).toMatchObject({ status: 'failed' });
  });

  it('has a pending test card for each wait: 3-D Secure, Apple Pay confirmation, the bank answering later', () => {
    expect(decideOutcome({ method: 'card', card_number: '4000 0000 0000 3220' })).toEqual({ status: 'pending', method: 'card', reason: 'three_d_secure', bankDeclines: false });
    expect(decideOutcome({ method: 'applepay', applepay: 'confirm' })).toEqual({ status: 'pending', method: 'applepay', reason: 'apple_pay_confirmation', bankDeclines: false });
    expect(decideOutcome({ method: 'card', card_number: '4000000000000036' })).toEqual({ status: 'pending', method: 'card', reason: 'bank_processing', bankDeclines: false });
    expect(decideOutcome({ method: 'card', card_number: '4000000000000044' })).toMatchObject({ status: 'pending', reason: 'bank_processing', bankDeclines: true });
    const waiting: SimPayment = { ...payment, pendingReason: 'three_d_secure', paidMethod: 'card' };
    expect(decideChallenge(waiting, { challenge: 'pass' })).toEqual({ status: 'paid', method: 'card', failure: null });
    expect(decideChallenge(waiting, { challenge: 'fail' })).toEqual({ status: 'failed', method: 'card', failure: 'AUTHENTICATION_FAILED' });
    expect(decideChallenge(waiting, { method: 'card', card_number: '4111111111111111' })).toBeNull();
    expect(decideChallenge({ ...waiting, pendingReason: 'bank_processing' }, { challenge: 'pass' })).toBeNull();
    expect(renderHostedPage(waiting, 'x')).toContain('name="challenge" value="pass"');
    expect(renderHostedPage({ ...waiting, pendingReason: 'bank_processing' }, 'x')).not.toContain('<form');
    expect(renderHostedPage(payment, 'x')).toContain('4000 0000 0000 3220');
  });

  it('renders the amount, the three methods and the test cards, escaping what the merchant wrote', () => {
    const html = renderHostedPage(payment, 'https://venue.test/pay/simulated/sim_1');
    expect(html).toContain('125.50 SAR');
    expect(html).toContain('Booking &lt;b1&gt; &amp; &quot;friends&quot;');
    expect(html).toContain('value="mada" checked');
    expect(html).toContain('value="applepay"');
    expect(html).toContain('4201 3201 1111 1010');
    expect(html).toContain('action="https://venue.test/pay/simulated/sim_1"');
    expect(renderHostedPage({ ...payment, status: 'paid' }, 'x')).not.toContain('<form');
  });
});

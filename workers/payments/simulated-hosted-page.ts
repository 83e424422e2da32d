/**
 * The simulated provider's hosted payment page: what the payer sees (method choice, test card
 * numbers) and how their submission decides the outcome. The hub serves the HTML at
 * GET <pageBaseUrl>/<ref> and posts the form to POST <pageBaseUrl>/<ref>.
 *
 * Test numbers follow the ones providers publish for their sandboxes, one for each status the
 * seed names: authorized (approved and captured), failed (declined), and pending, which comes in
 * three kinds, as with real providers:
 *
 *   3-D Secure card ──▶ pending (three_d_secure): this page shows the bank's challenge ──▶ pass: paid | fail: failed
 *   Apple Pay "confirm on device" ──▶ pending (apple_pay_confirmation) ──▶ confirm: paid | cancel: failed
 *   "bank answers later" card ──▶ pending (bank_processing): the payer goes back at once; the bank's
 *                                  answer (approved, or declined for the second card) comes later
 *
 * Any other number is declined.
 */
import { z } from 'zod';
import type { PendingReason } from '../../machines/booking.schemas.js';
import type { PaymentMethod } from '../../machines/payment.schemas.js';
import type { SimPayment } from './simulated-gateway-store.js';

type CardOutcome = { outcome: 'paid' | 'failed'; message: string } | { outcome: 'pending'; reason: PendingReason; message: string; thenDeclined?: boolean };

/** The published test cards: number → network and what happens. */
export const TEST_CARDS: Readonly<Record<string, { network: 'visa' | 'mada' } & CardOutcome>> = {
  '4111111111111111': { network: 'visa', outcome: 'paid', message: 'APPROVED' },
  '4000000000000002': { network: 'visa', outcome: 'failed', message: 'DECLINED' },
  '4201320111111010': { network: 'mada', outcome: 'paid', message: 'APPROVED' },
  '4201321234411220': { network: 'mada', outcome: 'failed', message: 'DECLINED' },
  '4000000000003220': { network: 'visa', outcome: 'pending', reason: 'three_d_secure', message: '3-D Secure challenge, then approved or failed' },
  '4000000000000036': { network: 'visa', outcome: 'pending', reason: 'bank_processing', message: 'the bank answers later: approved' },
  '4000000000000044': { network: 'visa', outcome: 'pending', reason: 'bank_processing', message: 'the bank answers later: declined', thenDeclined: true },
};

/** What the payer submits (form fields as the hub parses them); `challenge` answers a pending step. */
export const HostedPageSubmission = z.object({
  method: z.enum(['card', 'mada', 'applepay']).optional(),
  card_number: z.string().max(32).optional(),
  applepay: z.enum(['approve', 'decline', 'confirm']).optional(),
  challenge: z.enum(['pass', 'fail']).optional(),
});
export type HostedPageSubmission = z.infer<typeof HostedPageSubmission>;

/** The outcome a submission leads to; `pending` waits for a second step or for the bank. */
export type HostedOutcome =
  | { status: 'paid' | 'failed'; method: PaymentMethod; failure: string | null }
  | { status: 'pending'; method: PaymentMethod; reason: PendingReason; bankDeclines: boolean };

/** Decides the outcome of the first submission from the test numbers. */
export function decideOutcome(submission: HostedPageSubmission): HostedOutcome {
  const method = submission.method ?? 'card';
  if (method === 'applepay') {
    if (submission.applepay === 'confirm') return { status: 'pending', method, reason: 'apple_pay_confirmation', bankDeclines: false };
    return submission.applepay === 'approve' ? { status: 'paid', method, failure: null } : { status: 'failed', method, failure: 'DECLINED' };
  }
  const digits = (submission.card_number ?? '').replace(/[\s-]/g, '');
  const card = TEST_CARDS[digits];
  if (!card) return { status: 'failed', method, failure: 'UNKNOWN_TEST_CARD' };
  // The network decides the method: a mada card entered under "card" is still a mada payment.
  const paidWith: PaymentMethod = card.network === 'mada' ? 'mada' : 'card';
  if (card.outcome === 'pending') return { status: 'pending', method: paidWith, reason: card.reason, bankDeclines: card.thenDeclined === true };
  return card.outcome === 'paid' ? { status: 'paid', method: paidWith, failure: null } : { status: 'failed', method: paidWith, failure: card.message };
}

/** Decides the outcome of the second step of a payment waiting for the payer. */
export function decideChallenge(payment: SimPayment, submission: HostedPageSubmission): HostedOutcome | null {
  if (payment.pendingReason !== 'three_d_secure' && payment.pendingReason !== 'apple_pay_confirmation') return null;
  if (submission.challenge === undefined) return null;
  const method = payment.paidMethod ?? payment.method;
  if (submission.challenge === 'pass') return { status: 'paid', method, failure: null };
  return { status: 'failed', method, failure: payment.pendingReason === 'three_d_secure' ? 'AUTHENTICATION_FAILED' : 'CANCELLED_BY_PAYER' };
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}

function sar(halalas: number): string {
  return `${Math.floor(halalas / 100)}.${String(halalas % 100).padStart(2, '0')} SAR`;
}

/** The second step of a payment waiting for the payer: the bank's challenge, or the wallet's confirmation. */
function challengeForm(payment: SimPayment, actionUrl: string): string {
  const secure = payment.pendingReason === 'three_d_secure';
  const [pass, fail] = secure ? ['Complete authentication', 'Fail authentication'] : ['Confirm on the device', 'Cancel'];
  return `<form method="post" action="${escapeHtml(actionUrl)}">
      <p class="pending">${secure ? 'Your bank asks you to confirm this payment (3-D Secure, simulated).' : 'Confirm the payment in Apple Pay (simulated).'}</p>
      <button type="submit" name="challenge" value="pass">${pass}</button>
      <button type="submit" name="challenge" value="fail">${fail}</button>
    </form>`;
}

/** The page for one payment; `actionUrl` is where the form posts (the hub's route for this ref). */
export function renderHostedPage(payment: SimPayment, actionUrl: string): string {
  const settled = payment.status !== 'initiated';
  const cards = Object.entries(TEST_CARDS)
    .map(([number, c]) => `<li><code>${number.replace(/(\d{4})(?=\d)/g, '$1 ')}</code> ${c.network} – ${c.outcome === 'paid' ? 'succeeds' : c.outcome === 'failed' ? 'declined' : escapeHtml(`pending: ${c.message}`)}</li>`)
    .join('\n        ');
  const checked = (m: PaymentMethod) => (payment.method === m ? ' checked' : '');
  const form = settled
    ? `<p class="done">This payment is already ${payment.status === 'paid' ? 'paid' : 'closed'}.</p>`
    : payment.pendingReason === 'bank_processing'
      ? '<p class="pending">Your bank is processing this payment; the merchant is told as soon as it answers.</p>'
      : payment.pendingReason !== null
        ? challengeForm(payment, actionUrl)
        : `<form method="post" action="${escapeHtml(actionUrl)}">
      <fieldset>
        <legend>Pay with</legend>
        <label><input type="radio" name="method" value="card"${checked('card')}> Card (Visa, Mastercard)</label>
        <label><input type="radio" name="method" value="mada"${checked('mada')}> mada</label>
        <label><input type="radio" name="method" value="applepay"${checked('applepay')}> Apple Pay</label>
      </fieldset>
      <label>Card number <input name="card_number" inputmode="numeric" autocomplete="off" placeholder="4111 1111 1111 1111"></label>
      <fieldset>
        <legend>Apple Pay (simulated)</legend>
        <label><input type="radio" name="applepay" value="approve" checked> Approve</label>
        <label><input type="radio" name="applepay" value="confirm"> Confirm on the device (pending until confirmed)</label>
        <label><input type="radio" name="applepay" value="decline"> Decline</label>
      </fieldset>
      <button type="submit">Pay ${sar(payment.amount)}</button>
    </form>`;
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>Pay ${sar(payment.amount)} – simulated gateway</title>
  </head>
  <body>
    <main>
      <h1>${escapeHtml(payment.description)}</h1>
      <p class="amount">${sar(payment.amount)}</p>
      ${form}
      <section>
        <h2>Test cards</h2>
        <ul>
        ${cards}
        </ul>
        <p>Any other number is declined. This page is a simulator: no money moves.</p>
      </section>
    </main>
  </body>
</html>
`;
}

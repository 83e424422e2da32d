/**
 * The simulated provider's hosted payment page: what the payer sees (method choice, test card
 * numbers) and how their submission decides the outcome. The hub serves the HTML at
 * GET <pageBaseUrl>/<ref> and posts the form to POST <pageBaseUrl>/<ref>.
 *
 * Test numbers follow the ones providers publish for their sandboxes: a Visa that succeeds,
 * a Visa that is declined, a mada card that succeeds and one that is declined. Apple Pay has no
 * card number here: the payer picks approve or decline. Any other number is declined.
 */
import { z } from 'zod';
import type { PaymentMethod } from '../../machines/payment.schemas.js';
import type { SimPayment } from './simulated-gateway-store.js';

/** The published test cards: number → network and outcome. */
export const TEST_CARDS: Readonly<Record<string, { network: 'visa' | 'mada'; outcome: 'paid' | 'failed'; message: string }>> = {
  '4111111111111111': { network: 'visa', outcome: 'paid', message: 'APPROVED' },
  '4000000000000002': { network: 'visa', outcome: 'failed', message: 'DECLINED' },
  '4201320111111010': { network: 'mada', outcome: 'paid', message: 'APPROVED' },
  '4201321234411220': { network: 'mada', outcome: 'failed', message: 'DECLINED' },
};

/** What the payer submits (form fields as the hub parses them). */
export const HostedPageSubmission = z.object({
  method: z.enum(['card', 'mada', 'applepay']),
  card_number: z.string().max(32).optional(),
  applepay: z.enum(['approve', 'decline']).optional(),
});
export type HostedPageSubmission = z.infer<typeof HostedPageSubmission>;

/** The outcome a submission leads to. */
export interface HostedOutcome {
  status: 'paid' | 'failed';
  method: PaymentMethod;
  failure: string | null;
}

/** Decides the outcome of one submission from the test numbers. */
export function decideOutcome(submission: HostedPageSubmission): HostedOutcome {
  if (submission.method === 'applepay') {
    return submission.applepay === 'approve'
      ? { status: 'paid', method: 'applepay', failure: null }
      : { status: 'failed', method: 'applepay', failure: 'DECLINED' };
  }
  const digits = (submission.card_number ?? '').replace(/[\s-]/g, '');
  const card = TEST_CARDS[digits];
  if (!card) return { status: 'failed', method: submission.method, failure: 'UNKNOWN_TEST_CARD' };
  // The network decides the method: a mada card entered under "card" is still a mada payment.
  const method: PaymentMethod = card.network === 'mada' ? 'mada' : 'card';
  return card.outcome === 'paid' ? { status: 'paid', method, failure: null } : { status: 'failed', method, failure: card.message };
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}

function sar(halalas: number): string {
  return `${Math.floor(halalas / 100)}.${String(halalas % 100).padStart(2, '0')} SAR`;
}

/** The page for one payment; `actionUrl` is where the form posts (the hub's route for this ref). */
export function renderHostedPage(payment: SimPayment, actionUrl: string): string {
  const settled = payment.status !== 'initiated';
  const cards = Object.entries(TEST_CARDS)
    .map(([number, c]) => `<li><code>${number.replace(/(\d{4})(?=\d)/g, '$1 ')}</code> ${c.network} – ${c.outcome === 'paid' ? 'succeeds' : 'declined'}</li>`)
    .join('\n        ');
  const checked = (m: PaymentMethod) => (payment.method === m ? ' checked' : '');
  const form = settled
    ? `<p class="done">This payment is already ${payment.status === 'paid' ? 'paid' : 'closed'}.</p>`
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

/**
 * Probing for ids against a real hub process: the ticket QR route and the payer's return page
 * answer a real id of someone else exactly as they answer an invented one, and the return page
 * shows no payment state to anyone (the signed-in booking page does).
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectHub } from '../clients/sdk/index.js';
import { unwrap } from '../clients/sdk/hub-api.js';
import type { HubClient } from '../clients/sdk/hub-client.js';
import { signUpVisitor } from '../load-tests/harness/index.js';
import { payOnHostedPage, startJourneyHub, SUCCESS_CARD, venueDate, watchBooking } from './journey.test-support.js';
import type { JourneyHub } from './journey.test-support.js';

let env: JourneyHub;
let owner: HubClient | undefined;

beforeAll(async () => {
  env = await startJourneyHub();
});
afterAll(async () => {
  owner?.close();
  await env?.stop();
});

/** Status and body of a GET, with `id` written as `<id>` so that two answers about two ids compare. */
async function probe(path: string, id: string, token?: string): Promise<{ status: number; body: string }> {
  const response = await fetch(`${env.url}${path}`, { headers: token === undefined ? {} : { authorization: `Bearer ${token}` }, redirect: 'manual' });
  return { status: response.status, body: (await response.text()).split(id).join('<id>') };
}

describe('id probes against hub/main.ts', () => {
  it('answers a real ticket or payment of someone else exactly like an invented one', async () => {
    const { api, inbox, url } = env;
    const ownerToken = (await signUpVisitor(api, inbox, 'owner@example.com', 'Owner')).accessToken;
    const strangerToken = (await signUpVisitor(api, inbox, 'stranger@example.com', 'Stranger')).accessToken;
    owner = connectHub({ url, token: ownerToken });
    await owner.ready;
    const slot = unwrap(await api.slots('wave-pool', venueDate(3))).slots.find((s) => s.bookable);
    if (!slot) throw new Error('no bookable wave-pool slot');
    const bookingId = `probe-${randomUUID()}`;
    expect(await owner.hold({ bookingId, slotId: slot.slotId, items: [{ ticketTypeId: 'wave-pool-adult', qty: 1 }] })).toMatchObject({ ok: true });
    const watch = await watchBooking(owner, bookingId);
    expect(await owner.command('booking', bookingId, { type: 'booking.submit' })).toMatchObject({ ok: true });
    const started = unwrap(await api.pay(bookingId, 'card', ownerToken));
    const paid = await payOnHostedPage(started.redirectUrl, { method: 'card', card_number: SUCCESS_CARD });
    await watch.reach('confirmed');
    // Tickets exist before the confirmation mail that carries them goes out.
    await inbox.waitFor('owner@example.com', (m) => /confirmed/i.test(m.subject));
    const [ticket] = unwrap(await api.tickets(bookingId, ownerToken));
    if (!ticket) throw new Error('no ticket issued');

    // The QR image: the owner gets it; a stranger and nobody get the same answer for real and invented ids.
    expect((await probe(`/api/tickets/${ticket.ticketId}/qr.svg`, ticket.ticketId, ownerToken)).status).toBe(200);
    const invented = `${bookingId}-t9`;
    for (const token of [strangerToken, undefined]) {
      const real = await probe(`/api/tickets/${ticket.ticketId}/qr.svg`, ticket.ticketId, token);
      const made = await probe(`/api/tickets/${invented}/qr.svg`, invented, token);
      expect(real).toEqual(made);
      expect(real.status).toBe(token === undefined ? 401 : 404);
    }

    // The payer's return page: the same for the real payment and an invented one, and no state in it.
    const location = paid.location ?? '';
    expect(location).toContain(`payment=${encodeURIComponent(started.paymentId)}`);
    const returned = await probe(new URL(location).pathname + new URL(location).search, started.paymentId);
    const query = (paymentId: string) => `/pay/return?payment=${encodeURIComponent(paymentId)}&booking=${encodeURIComponent(bookingId)}`;
    const real = await probe(query(started.paymentId), started.paymentId, strangerToken);
    const made = await probe(query(`${bookingId}-p7`), `${bookingId}-p7`, strangerToken);
    expect(real).toEqual(made);
    expect(returned).toEqual(made);
    expect(real.status).toBe(200);
    expect(real.body).toContain(`href="/bookings/${bookingId}"`);
    expect(real.body).not.toMatch(/captured|received|failed|pending|paid/i);
  });
});

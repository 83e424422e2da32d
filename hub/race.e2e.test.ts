/**
 * The last seats of a slot against a real hub process: 200 verified visitors (signed up over
 * HTTP, codes read from real email) each on their own socket hold one place at the same moment
 * in a slot with exactly 5 left. Exactly 5 holds succeed, the other 195 are refused
 * `slot.sold_out`; the 5 pay and are confirmed; the slot's remaining capacity is 0 throughout.
 *
 * The 5-place slot is made through the staff API as a venue would: a new activity, a ticket type
 * and a one-day schedule with capacity 5.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectHub } from '../clients/sdk/index.js';
import { unwrap } from '../clients/sdk/hub-api.js';
import type { HubClient } from '../clients/sdk/hub-client.js';
import { signUpVisitors } from '../load-tests/harness/index.js';
import { payOnHostedPage, startJourneyHub, SUCCESS_CARD, venueDate, watchBooking } from './journey.test-support.js';
import type { JourneyHub } from './journey.test-support.js';

const VISITORS = 200;
const SEATS = 5;
const EVERY_DAY = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;

let env: JourneyHub;
const clients: HubClient[] = [];

beforeAll(async () => {
  env = await startJourneyHub();
});
afterAll(async () => {
  for (const hub of clients) hub.close();
  await env?.stop();
});

describe('last seats race against hub/main.ts', () => {
  it(`${VISITORS} visitors hold the last ${SEATS} places at once: ${SEATS} confirmed, the rest sold out`, { timeout: 60_000 }, async () => {
    const { api, url } = env;
    const activityId = `race-${Date.now().toString(36)}`;
    const ticketTypeId = `${activityId}-seat`;
    const date = venueDate(1);
    unwrap(await api.createCatalogItem('activity', { activityId, name: 'Last seats', zone: 'waterpark' }, env.adminToken));
    unwrap(await api.createCatalogItem('ticket_type', { ticketTypeId, activityId, name: 'Seat', price: 5_000, maxPerBooking: 2 }, env.adminToken));
    const days = Object.fromEntries(EVERY_DAY.map((d) => [d, ['10:00']]));
    const schedule = { scheduleId: `${activityId}-once`, activityId, days, durationMinutes: 60, capacity: SEATS, validFrom: date, validTo: date };
    unwrap(await api.createCatalogItem('schedule', schedule, env.adminToken));
    const [slot, ...others] = unwrap(await api.slots(activityId, date)).slots;
    expect(others).toEqual([]);
    expect(slot).toMatchObject({ capacity: SEATS, remaining: SEATS, bookable: true });
    if (!slot) throw new Error('no slot generated');

    const visitors = await signUpVisitors({ url, inbox: env.inbox, count: VISITORS, prefix: activityId });
    for (const v of visitors) clients.push(connectHub({ url, token: v.accessToken }));
    await Promise.all(clients.map((c) => c.ready));

    const bookingIdOf = (i: number) => `${activityId}-b${i}`;
    const answers = await Promise.all(clients.map((c, i) => c.hold({ bookingId: bookingIdOf(i), slotId: slot.slotId, items: [{ ticketTypeId, qty: 1 }] })));
    const codes = answers.map((a) => (a.ok ? 'ok' : a.code));
    const tally = Object.fromEntries([...new Set(codes)].map((code) => [code, codes.filter((c) => c === code).length]));
    expect(tally).toEqual({ ok: SEATS, 'slot.sold_out': VISITORS - SEATS });
    expect(unwrap(await api.slots(activityId, date)).slots[0]).toMatchObject({ remaining: 0, bookable: false });

    const winners = codes.flatMap((code, i) => (code === 'ok' ? [i] : []));
    const losers = codes.flatMap((code, i) => (code === 'ok' ? [] : [i]));
    // No booking exists for any loser. A super admin may read any booking; reads are spread over
    // sockets so that none passes the per-socket burst (RATE_LIMIT_BURST, 100).
    const readers = Array.from({ length: Math.ceil(losers.length / 90) }, () => connectHub({ url, token: env.adminToken }));
    clients.push(...readers);
    const loserReads = await Promise.all(losers.map((i, n) => readers[n % readers.length]!.subscribeActor({ kind: 'booking', id: bookingIdOf(i) }, () => {}).ready));
    expect(new Set(loserReads.map((r) => (r.ok ? 'ok' : r.code)))).toEqual(new Set(['actor.not_found']));

    // The winners check out: submit, pay on the hosted page, confirmed by the provider's webhook.
    await Promise.all(
      winners.map(async (i) => {
        const hub = clients[i]!;
        const token = visitors[i]!.accessToken;
        const watch = await watchBooking(hub, bookingIdOf(i));
        expect(await hub.command('booking', bookingIdOf(i), { type: 'booking.submit' })).toMatchObject({ ok: true, data: { state: 'awaiting_payment' } });
        const payment = unwrap(await api.pay(bookingIdOf(i), 'card', token));
        expect(await payOnHostedPage(payment.redirectUrl, { method: 'card', card_number: SUCCESS_CARD })).toMatchObject({ status: 303 });
        await watch.reach('confirmed');
        watch.stop();
      }),
    );

    // The ledger afterwards: every place taken by a confirmed booking, none left, none extra.
    expect(unwrap(await api.slots(activityId, date)).slots[0]).toMatchObject({ capacity: SEATS, remaining: 0 });
    const captured = await Promise.all(winners.map(async (i) => unwrap(await api.transactions({ bookingId: bookingIdOf(i) }, env.adminToken))));
    expect(captured.map((rows) => rows.map((r) => r.movement))).toEqual(winners.map(() => ['payment.captured']));
    const late = await clients[losers[0]!]!.hold({ bookingId: `${activityId}-late`, slotId: slot.slotId, items: [{ ticketTypeId, qty: 1 }] });
    expect(late).toMatchObject({ ok: false, code: 'slot.sold_out' });
  });
});

/**
 * One account cannot sit on a slot, against a real hub process (HOLD_MAX_PLACES_PER_SLOT=4,
 * HOLD_MAX_PLACES=6): the fifth unpaid place in a slot is refused with `booking.hold_limit`, so
 * are places past the total over several slots and concurrent holds racing past the cap; another
 * visitor is not affected; a paid booking frees its places from the cap; staff see who holds what.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectHub, unwrap } from '../clients/sdk/index.js';
import type { HubClient } from '../clients/sdk/hub-client.js';
import { pollUntil } from '../clients/devices/visitor-flow.js';
import { signUpVisitor } from '../load-tests/harness/index.js';
import { payOnHostedPage, startJourneyHub, SUCCESS_CARD, venueDate, watchBooking } from './journey.test-support.js';
import type { JourneyHub } from './journey.test-support.js';

let env: JourneyHub;
const clients: HubClient[] = [];

beforeAll(async () => {
  env = await startJourneyHub({ HOLD_MAX_PLACES_PER_SLOT: '4', HOLD_MAX_PLACES: '6' });
});
afterAll(async () => {
  for (const client of clients) client.close();
  await env?.stop();
});

interface SlotHolds {
  holds: Array<{ holdId: string; holder?: string; qty: number; status: string }>;
  holders: Array<{ holder: string; held: number; confirmed: number }>;
}

async function visitor(email: string): Promise<{ client: HubClient; token: string; userId: string }> {
  const signedIn = await signUpVisitor(env.api, env.inbox, email, email.split('@')[0] ?? 'Visitor');
  const client = connectHub({ url: env.url, token: signedIn.accessToken });
  clients.push(client);
  await client.ready;
  return { client, token: signedIn.accessToken, userId: signedIn.account.userId };
}

describe('unpaid holds per visitor against hub/main.ts', () => {
  it('refuses the fifth held place in a slot and places past the total, and shows staff who holds what', async () => {
    const slots = unwrap(await env.api.slots('wave-pool', venueDate(4))).slots.filter((s) => s.bookable);
    const [first, second] = slots;
    if (!first || !second) throw new Error('two bookable wave-pool slots expected');
    const greedy = await visitor('greedy@example.com');
    const hold = (slotId: string, qty = 1, bookingId = `cap-${randomUUID()}`) =>
      greedy.client.hold({ bookingId, slotId, items: [{ ticketTypeId: 'wave-pool-adult', qty }] });

    const held = [];
    for (let i = 0; i < 4; i++) held.push(await hold(first.slotId));
    expect(held.every((h) => h.ok)).toBe(true);
    const fifth = await hold(first.slotId);
    expect(fifth).toMatchObject({ ok: false, code: 'booking.hold_limit' });
    expect(!fifth.ok && fifth.message).toContain('in this slot');

    // Concurrent holds in another slot stop at the total of 6 (4 held already).
    const racing = await Promise.all(Array.from({ length: 6 }, () => hold(second.slotId)));
    expect(racing.filter((r) => r.ok)).toHaveLength(2);
    expect(racing.filter((r) => !r.ok).every((r) => !r.ok && r.code === 'booking.hold_limit')).toBe(true);

    // Someone else still books.
    const other = await visitor('other@example.com');
    expect(await other.client.hold({ bookingId: `cap-${randomUUID()}`, slotId: first.slotId, items: [{ ticketTypeId: 'wave-pool-adult', qty: 2 }] })).toMatchObject({ ok: true });

    // Staff see who holds what, per slot and per visitor.
    const bySlot = unwrap(await env.api.request<SlotHolds>('GET', `/api/admin/holds?slotId=${encodeURIComponent(first.slotId)}`, { token: env.adminToken }));
    expect(bySlot.holders).toEqual([
      { holder: greedy.userId, held: 4, confirmed: 0 },
      { holder: other.userId, held: 2, confirmed: 0 },
    ]);
    const byVisitor = unwrap(await env.api.request<{ held: number; holds: unknown[] }>('GET', `/api/admin/holds?visitorId=${encodeURIComponent(greedy.userId)}`, { token: env.adminToken }));
    expect(byVisitor).toMatchObject({ held: 6 });
    expect(byVisitor.holds).toHaveLength(6);
    expect(await env.api.request('GET', `/api/admin/holds?visitorId=${greedy.userId}`, { token: greedy.token })).toMatchObject({ ok: false, code: 'auth.forbidden' });
    expect(await env.api.request('GET', '/api/admin/holds', { token: env.adminToken })).toMatchObject({ ok: false, code: 'event.invalid' });

    // Paying for a held booking frees its place from the cap.
    const paid = held[0];
    if (!paid?.ok) throw new Error('the first hold was refused');
    const bookingId = paid.data.id;
    const watch = await watchBooking(greedy.client, bookingId);
    unwrap(await greedy.client.command('booking', bookingId, { type: 'booking.submit' }));
    const started = unwrap(await env.api.pay(bookingId, 'card', greedy.token));
    await payOnHostedPage(started.redirectUrl, { method: 'card', card_number: SUCCESS_CARD });
    await watch.reach('confirmed');
    await pollUntil('the paid places to leave the cap', async () => {
      const now = unwrap(await env.api.request<{ held: number }>('GET', `/api/admin/holds?visitorId=${encodeURIComponent(greedy.userId)}`, { token: env.adminToken }));
      return now.held === 5;
    });
    expect(await hold(first.slotId)).toMatchObject({ ok: true });
  });
});

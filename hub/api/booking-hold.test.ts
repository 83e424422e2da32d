import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SlotView } from '../../workers/catalog/catalog-service.js';
import type { PricedHold } from '../../workers/catalog/pricing.js';
import type { ClientSocket } from '../hub.test-support.js';
import { TEST_ACTIVITY, TEST_DATE, TEST_SLOT, TEST_TICKETS } from '../hub.test-support.js';
import type { ApiHub } from './api.test-support.js';
import { data, startApiHub } from './api.test-support.js';

const { adult, child, vip } = TEST_TICKETS;

describe('booking:hold priced by the catalog', () => {
  let t: ApiHub;
  let visitor: ClientSocket;
  beforeAll(async () => {
    t = await startApiHub({ slots: { [TEST_SLOT]: 1_000, [`${TEST_ACTIVITY}-${TEST_DATE}-1100`]: 4 } });
    visitor = await t.connect(await t.person('hold-vis', 'visitor'));
  });
  afterAll(async () => {
    visitor.close();
    await t.stop();
  });

  it('takes unit prices and the approval rule from the catalog', async () => {
    const held = await visitor.emitWithAck('booking:hold', { bookingId: 'price-1', slotId: TEST_SLOT, items: [{ ticketTypeId: adult.ticketTypeId, qty: 2 }, { ticketTypeId: child.ticketTypeId, qty: 1 }] });
    expect(held).toMatchObject({
      ok: true,
      data: {
        state: 'held',
        context: {
          visitorId: 'hold-vis',
          requiresApproval: false,
          lines: [{ ticketTypeId: adult.ticketTypeId, qty: 2, unitPrice: adult.price }, { ticketTypeId: child.ticketTypeId, qty: 1, unitPrice: child.price }],
          total: 2 * adult.price + child.price,
          quantity: 3,
        },
      },
    });
    const review = await visitor.emitWithAck('booking:hold', { bookingId: 'price-2', slotId: TEST_SLOT, items: [{ ticketTypeId: vip.ticketTypeId, qty: 1 }] });
    expect(review).toMatchObject({ ok: true, data: { context: { requiresApproval: true, total: vip.price } } });
    expect(await visitor.emitWithAck('actor:command', { kind: 'booking', id: 'price-2', event: { type: 'booking.submit' } })).toMatchObject({ ok: true, data: { state: 'under_review' } });
  });

  it('gives clients no say over prices or approval', async () => {
    const withPrice = { bookingId: 'cheat-1', slotId: TEST_SLOT, items: [{ ticketTypeId: adult.ticketTypeId, qty: 1, unitPrice: 1 }] };
    expect(await visitor.emitWithAck('booking:hold', withPrice as never)).toMatchObject({ ok: false, code: 'event.invalid' });
    const oldShape = { bookingId: 'cheat-2', slotId: TEST_SLOT, lines: [{ ticketTypeId: adult.ticketTypeId, qty: 1, unitPrice: 1 }], requiresApproval: false };
    expect(await visitor.emitWithAck('booking:hold', oldShape as never)).toMatchObject({ ok: false, code: 'event.invalid' });
    const noApproval = { bookingId: 'cheat-3', slotId: TEST_SLOT, items: [{ ticketTypeId: vip.ticketTypeId, qty: 1 }], requiresApproval: false };
    expect(await visitor.emitWithAck('booking:hold', noApproval as never)).toMatchObject({ ok: false, code: 'event.invalid' });
    expect(await t.runtime.host.read('booking', 'cheat-3')).toMatchObject({ ok: false, code: 'actor.not_found' });
  });

  it('refuses selections the catalog does not allow, taking no capacity', async () => {
    const hold = (bookingId: string, items: Array<{ ticketTypeId: string; qty: number }>, slotId = TEST_SLOT) => visitor.emitWithAck('booking:hold', { bookingId, slotId, items });
    expect(await hold('bad-1', [{ ticketTypeId: 'no-such-ticket', qty: 1 }])).toMatchObject({ ok: false, code: 'catalog.not_found' });
    expect(await hold('bad-2', [{ ticketTypeId: adult.ticketTypeId, qty: 11 }])).toMatchObject({ ok: false, code: 'booking.limit' });
    expect(await hold('bad-3', [{ ticketTypeId: vip.ticketTypeId, qty: 3 }])).toMatchObject({ ok: false, code: 'booking.limit' });
    expect(await hold('bad-4', [{ ticketTypeId: adult.ticketTypeId, qty: 1 }], `${TEST_ACTIVITY}-${TEST_DATE}-0700`)).toMatchObject({ ok: false, code: 'catalog.not_found' });
    expect(await hold('bad-5', [{ ticketTypeId: adult.ticketTypeId, qty: 1 }], 'slot_1')).toMatchObject({ ok: false, code: 'input.invalid' });
    const unknownAddOn = await visitor.emitWithAck('booking:hold', { bookingId: 'bad-6', slotId: TEST_SLOT, items: [{ ticketTypeId: adult.ticketTypeId, qty: 1 }], addOns: [{ addOnId: 'caviar', qty: 1 }] });
    expect(unknownAddOn).toMatchObject({ ok: false, code: 'catalog.not_found' });
    expect(await t.store.ledger.level(`${TEST_ACTIVITY}-${TEST_DATE}-1100`)).toMatchObject({ remaining: 4 });
  });

  it('holds add-ons at their catalog price, in the total', async () => {
    const held = await visitor.emitWithAck('booking:hold', { bookingId: 'addon-1', slotId: TEST_SLOT, items: [{ ticketTypeId: adult.ticketTypeId, qty: 1 }], addOns: [{ addOnId: 'test-locker', qty: 2 }] });
    expect(held).toMatchObject({ ok: true, data: { state: 'held', context: { addOns: [{ addOnId: 'test-locker', kind: 'locker', qty: 2, unitPrice: 2_500 }], total: adult.price + 5_000 } } });
  });

  it('lets only verified, active accounts hold', async () => {
    const registered = data(await t.call<{ verificationId: string }>('POST', '/api/auth/register', { name: 'Unverified', email: 'unverified@example.com' }));
    const challenge = await t.services.accountStore.challenges.get(registered.verificationId);
    const userId = challenge?.userId ?? 'missing';
    const unverified = await t.connect((await t.tokens.issueAccessToken({ sub: userId, role: 'visitor' })).token);
    expect(await unverified.emitWithAck('booking:hold', { bookingId: 'unv-1', slotId: TEST_SLOT, items: [{ ticketTypeId: adult.ticketTypeId, qty: 1 }] })).toMatchObject({ ok: false, code: 'account.unverified' });
    unverified.close();

    const ghost = await t.connect((await t.tokens.issueAccessToken({ sub: 'no-account', role: 'visitor' })).token);
    expect(await ghost.emitWithAck('booking:hold', { bookingId: 'ghost-1', slotId: TEST_SLOT, items: [{ ticketTypeId: adult.ticketTypeId, qty: 1 }] })).toMatchObject({ ok: false, code: 'account.invalid' });
    ghost.close();
  });

  it('shows remaining capacity per slot dropping after a hold, and quotes what a hold would cost', async () => {
    const slotId = `${TEST_ACTIVITY}-${TEST_DATE}-1100`;
    const slotsOf = async () => data(await t.call<{ slots: SlotView[] }>('GET', `/api/catalog/activities/${TEST_ACTIVITY}/slots?date=${TEST_DATE}`)).slots;
    expect((await slotsOf()).find((s) => s.slotId === slotId)).toMatchObject({ capacity: 4, remaining: 4, bookable: true });

    const quote = data(await t.call<PricedHold>('POST', '/api/catalog/price', { slotId, items: [{ ticketTypeId: adult.ticketTypeId, qty: 3 }], addOns: [{ addOnId: 'test-locker', qty: 2 }] }));
    expect(quote).toMatchObject({ seats: 3, requiresApproval: false, total: 3 * adult.price + 2 * 2_500 });

    expect(await visitor.emitWithAck('booking:hold', { bookingId: 'cap-1', slotId, items: [{ ticketTypeId: adult.ticketTypeId, qty: 3 }] })).toMatchObject({ ok: true });
    expect((await slotsOf()).find((s) => s.slotId === slotId)).toMatchObject({ remaining: 1, bookable: true });
    expect(await visitor.emitWithAck('booking:hold', { bookingId: 'cap-2', slotId, items: [{ ticketTypeId: adult.ticketTypeId, qty: 2 }] })).toMatchObject({ ok: false, code: 'slot.sold_out' });
  });

  it('serves the public catalog without a token', async () => {
    const activities = data(await t.call<{ timeZone: string; activities: Array<{ activityId: string; ticketTypes: Array<{ ticketTypeId: string; price: number }> }> }>('GET', '/api/catalog/activities'));
    expect(activities.timeZone).toBe('Asia/Riyadh');
    expect(activities.activities[0]?.ticketTypes.map((x) => x.ticketTypeId)).toEqual([adult.ticketTypeId, child.ticketTypeId, vip.ticketTypeId]);
    expect(data(await t.call<{ addOns: Array<{ addOnId: string }> }>('GET', '/api/catalog/add-ons')).addOns.map((a) => a.addOnId)).toEqual(['test-locker']);
    expect((await t.call('GET', `/api/catalog/activities/${TEST_ACTIVITY}/slots`)).body).toMatchObject({ ok: false, code: 'event.invalid' });
    expect((await t.call('GET', `/api/catalog/activities/${TEST_ACTIVITY}/slots?date=tomorrow`)).body).toMatchObject({ ok: false, code: 'input.invalid' });
    expect((await t.call('GET', `/api/catalog/activities/nope/slots?date=${TEST_DATE}`)).status).toBe(404);
    expect((await t.call('POST', '/api/catalog/price', { slotId: TEST_SLOT, items: [{ ticketTypeId: adult.ticketTypeId, qty: 1, unitPrice: 1 }] })).body).toMatchObject({ ok: false, code: 'event.invalid' });
  });
});

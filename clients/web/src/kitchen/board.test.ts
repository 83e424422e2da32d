/** The kitchen board's view of the feed's rows: station tickets, the expo's orders, counts and colours. */
import { describe, expect, it } from 'vitest';
import type { ActorState } from '../../../../machines/contract/wire.js';
import { ageTone, allDayCounts, applyChange, choiceLabel, dishName, expoOrders, formatAge, refOf, stationTickets } from './board.js';

const AR: Record<string, string> = { Burger: 'برجر', Juice: 'عصير' };
const line = (lineId: string, name: string, station: string, qty: number, prepMinutes: number) => ({ lineId, itemId: name.toLowerCase(), name, nameAr: AR[name], station, qty, prepMinutes, unitPrice: 100, vatPercent: 15, modifiers: [] });
const order = (id: string, state: string, firedAt: number, tickets: Array<[string, string]>, version = 1): ActorState => ({
  kind: 'food_order',
  id,
  version,
  state,
  status: 'active',
  tags: ['in_kitchen'],
  context: {
    orderId: id,
    bookingId: id.replace(/-food$/, ''),
    placedAt: 0,
    firedAt,
    pickupPoint: 'Counter',
    lines: [line('l1', 'Burger', 'grill', 2, 10), line('l2', 'Juice', 'drinks', 1, 2)],
    tickets: tickets.map(([station, stage]) => ({ station, stage, lineIds: station === 'grill' ? ['l1'] : ['l2'] })),
  },
});

describe('the kitchen board', () => {
  const rows = [order('bk-b-food', 'preparing', 2_000, [['grill', 'cooking'], ['drinks', 'done']]), order('bk-a-food', 'preparing', 1_000, [['grill', 'queued'], ['drinks', 'queued']]), order('bk-c-food', 'ready', 500, [['grill', 'done'], ['drinks', 'done']])];

  it('lists a station its tickets still to make, oldest first, with only its own lines and its prep target', () => {
    const grill = stationTickets(rows, 'grill');
    expect(grill.map((t) => [t.orderId, t.stage])).toEqual([['bk-a-food', 'queued'], ['bk-b-food', 'cooking']]);
    expect(grill[0]?.lines.map((l) => l.name)).toEqual(['Burger']);
    expect(grill[0]?.targetMs).toBe(10 * 60_000);
    expect(stationTickets(rows, 'drinks').map((t) => t.orderId)).toEqual(['bk-a-food']);
    expect(allDayCounts(grill)).toEqual([{ itemId: 'burger', name: 'Burger', qty: 4 }]);
  });

  it("names dishes and choices in the board's language, from the names the order kept (English when it kept no Arabic)", () => {
    const grill = stationTickets(rows, 'grill');
    expect(allDayCounts(grill, 'ar')).toEqual([{ itemId: 'burger', name: 'برجر', qty: 4 }]);
    expect(dishName({ name: 'Fries', nameAr: 'بطاطس' }, 'ar')).toBe('بطاطس');
    expect(dishName({ name: 'Fries', nameAr: 'بطاطس' }, 'en')).toBe('Fries');
    expect(dishName({ name: 'Fries' }, 'ar')).toBe('Fries');
    expect(choiceLabel({ name: 'Size: Large', nameAr: 'الحجم: كبير' }, 'ar')).toBe('الحجم: كبير');
    expect(choiceLabel({ name: 'Size: Large' }, 'ar')).toBe('Size: Large');
  });

  it('shows the expo ready orders first, and colours tickets by age against the prep time', () => {
    expect(expoOrders(rows).map((o) => o.orderId)).toEqual(['bk-c-food', 'bk-a-food', 'bk-b-food']);
    expect([ageTone(9 * 60_000, 10 * 60_000), ageTone(10 * 60_000, 10 * 60_000), ageTone(15 * 60_000, 10 * 60_000)]).toEqual(['ok', 'amber', 'red']);
    expect(formatAge(125_000)).toBe('2:05');
    expect(refOf('bk-1a89b9415d868a0d-food')).toBe('68A0D');
  });

  it('applies pushed changes by version: newer replace, older are ignored, member false removes', () => {
    const start = new Map(rows.map((r) => [r.id, r]));
    const older = applyChange(start, { feed: 'kitchen', member: true, change: { ...order('bk-a-food', 'preparing', 1_000, [['grill', 'done']], 0), version: 0, eventType: 'x', at: 0 } as never });
    expect(older).toBe(start);
    const newer = applyChange(start, { feed: 'kitchen', member: true, change: { ...order('bk-a-food', 'preparing', 1_000, [['grill', 'cooking']], 2), eventType: 'food.bump', at: 1 } as never });
    expect(stationTickets(newer.values(), 'grill').find((t) => t.orderId === 'bk-a-food')?.stage).toBe('cooking');
    const gone = applyChange(newer, { feed: 'kitchen', member: false, change: { ...order('bk-c-food', 'delivered', 500, [], 3), eventType: 'food.deliver', at: 2 } as never });
    expect(gone.has('bk-c-food')).toBe(false);
  });
});

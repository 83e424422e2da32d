/**
 * Changes are placed in feeds by the feeds' definitions, the core's and the modules': nothing
 * central decides which kind goes where. Then each message goes to its rooms, one emit per room.
 */
import { describe, expect, it } from 'vitest';
import type { ChangeNotice } from '../actors/change-bus.js';
import { bookingsRuntime } from '../bookings/bookings.module.js';
import { lockersRuntime } from '../lockers/lockers.module.js';
import type { FeedDefinition } from '../projections/feed-definition.js';
import { feedDefinitionsOf } from '../runtime.js';
import { ticketsRuntime } from '../tickets/tickets.module.js';
import { feedTargets } from './change-routing.js';
import type { RoutableChange } from './change-routing.js';
import { routeOutbound, toRooms } from './outbound.js';

const definitions = feedDefinitionsOf([bookingsRuntime, ticketsRuntime, lockersRuntime]);
const feedsOf = (change: RoutableChange) => feedTargets(definitions, change);

const notice = (from: string | null, state: string, kind = 'booking'): ChangeNotice => ({
  kind,
  id: 'b1',
  version: 2,
  state,
  status: 'active',
  context: { requiresApproval: true },
  tags: state === 'under_review' ? ['in_review'] : [],
  from,
  eventType: 'x',
  cursor: 3,
  at: 0,
});

describe('change routing', () => {
  it('sends every booking change to the dashboard, alerts as its rows, tickets to their zone', () => {
    expect(feedsOf(notice('held', 'awaiting_payment'))).toEqual([{ feed: 'dashboard' }]);
    expect(feedsOf(notice('closed', 'open', 'locker'))).toEqual([{ feed: 'lockers', member: true }]);
    expect(feedsOf(notice('closed', 'open', 'wristband'))).toEqual([]);
    expect(feedsOf({ ...notice(null, 'open', 'alert'), tags: ['unresolved', 'unseen'] })).toEqual([{ feed: 'dashboard', member: true }]);
    expect(feedsOf({ ...notice('valid', 'inside', 'ticket'), tags: ['inside'], context: { zone: 'north' } })).toEqual([{ feed: 'zone', zone: 'north', member: true }]);
    expect(feedsOf({ ...notice('inside', 'valid', 'ticket'), tags: ['admits'], context: { zone: 'north' } })).toEqual([{ feed: 'zone', zone: 'north', member: false }]);
  });

  it('sends bookings entering and leaving review, and only those, to the reviews feed', () => {
    expect(feedsOf(notice('held', 'under_review'))).toContainEqual({ feed: 'reviews', member: true });
    for (const state of ['awaiting_payment', 'rejected', 'cancelled', 'expired']) {
      expect(feedsOf(notice('under_review', state))).toContainEqual({ feed: 'reviews', member: false });
    }
    expect(feedsOf(notice('held', 'cancelled')).map((f) => f.feed)).not.toContain('reviews');
    expect(feedsOf(notice('awaiting_payment', 'confirmed')).map((f) => f.feed)).not.toContain('reviews');
  });

  it('places a change only in the feeds of the modules that declare them', () => {
    const bookingsOnly = feedDefinitionsOf([bookingsRuntime]);
    expect(feedTargets(bookingsOnly, { ...notice('valid', 'inside', 'ticket'), tags: ['inside'], context: { zone: 'north' } })).toEqual([]);
    // A module may add its changes to a feed another keeps: a booking is activity on the core's dashboard.
    const stamps: FeedDefinition = { name: 'dashboard', kinds: ['stamp'], route: () => [{}] };
    expect(feedTargets([...bookingsOnly, stamps], notice(null, 'full', 'stamp'))).toEqual([{ feed: 'dashboard' }]);
  });

  it('emits to one room at a time, actor room first, without the previous state', () => {
    const change = notice('held', 'under_review');
    const { emits: messages, paced } = routeOutbound({ type: 'actor', notice: change, feeds: feedsOf(change) });
    expect(paced).toBe(false);
    expect(messages.map((m) => [m.room, m.event])).toEqual([
      ['actor:booking:b1', 'actor:changed'],
      ['feed:dashboard', 'feed:changed'],
      ['feed:reviews', 'feed:changed'],
    ]);
    expect(messages[0]?.payload).not.toHaveProperty('from');
  });

  it('sends occupancy as its own message to every shard room, paced', () => {
    const level = { scope: 'zone' as const, id: 'north', inside: 3, at: 1 };
    const { emits, paced } = routeOutbound({ type: 'occupancy', level });
    expect(paced).toBe(true);
    expect(emits).toHaveLength(32);
    expect(emits[0]).toEqual({ room: 'occupancy:zone:north#0', event: 'occupancy:changed', payload: level });
  });

  it("sends a module's own message to the room the module named, as it is", () => {
    const level = { typeId: 'tube', total: 4, available: 3, inUse: 1, maintenance: 0, lost: 0, remaining: 3, at: 1 };
    expect(routeOutbound(toRooms('equipment:tube', 'equipment:availability', level))).toEqual({ emits: [{ room: 'equipment:tube', event: 'equipment:availability', payload: level }], paced: false });
  });
});

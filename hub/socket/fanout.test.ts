import { describe, expect, it } from 'vitest';
import type { ChangeNotice } from '../../workers/actors/change-bus.js';
import { feedsOf } from './fanout.js';

const notice = (state: string, eventType: string, requiresApproval: boolean, kind = 'booking'): ChangeNotice => ({
  kind,
  id: 'b1',
  version: 2,
  state,
  status: 'active',
  context: { requiresApproval },
  eventType,
  at: 0,
});

describe('feedsOf', () => {
  it('sends every booking change to the dashboard and nothing else to other kinds', () => {
    expect(feedsOf(notice('awaiting_payment', 'booking.submit', false))).toEqual([{ feed: 'dashboard' }]);
    expect(feedsOf(notice('open', 'locker.open', false, 'locker'))).toEqual([]);
  });

  it('sends bookings entering and leaving review to the reviews feed', () => {
    expect(feedsOf(notice('under_review', 'booking.submit', true))).toContainEqual({ feed: 'reviews' });
    for (const [state, event] of [
      ['awaiting_payment', 'booking.approve'],
      ['rejected', 'booking.reject'],
      ['cancelled', 'booking.cancel'],
      ['expired', 'xstate.after.review.booking.under_review'],
    ]) {
      expect(feedsOf(notice(state ?? '', event ?? '', true))).toContainEqual({ feed: 'reviews' });
    }
    expect(feedsOf(notice('cancelled', 'booking.cancel', false))).not.toContainEqual({ feed: 'reviews' });
    expect(feedsOf(notice('confirmed', 'payment.captured', true))).not.toContainEqual({ feed: 'reviews' });
  });
});

import { describe, expect, it } from 'vitest';
import { linkTicket1, loseIt, reachWristband, resetIt, startWristband, wristbandStep } from './wristband.test-support.js';

describe('wristband machine', () => {
  it('starts unlinked with its uid only', () => {
    const snapshot = startWristband();
    expect(snapshot.value).toBe('unlinked');
    expect(snapshot.context).toEqual({ uid: 'UID-04A1B2C3' });
  });

  it('links an unlinked band and records ticket, booking, visitor, since and hold', () => {
    const snapshot = wristbandStep(startWristband(), linkTicket1);
    expect(snapshot.value).toBe('active');
    expect(snapshot.context).toMatchObject({ ticketId: 'tk_1', bookingId: 'bk_1', visitorId: 'vis_1', since: 1_700_000_000_000, holdId: linkTicket1.holdId });
  });

  it('an active band refuses a second link', () => {
    expect(reachWristband('active').can({ ...linkTicket1, ticketId: 'tk_2', holdId: 'h2' })).toBe(false);
  });

  it('an active band moves to a reissued ticket under a new hold, keeping its booking, visitor and since; only while active', () => {
    const move = { type: 'band.move', ticketId: 'tk_4', holdId: 'h4', at: 1_700_000_050_000 } as const;
    const moved = wristbandStep(reachWristband('active'), move);
    expect(moved.value).toBe('active');
    expect(moved.context).toMatchObject({ ticketId: 'tk_4', holdId: 'h4', bookingId: 'bk_1', visitorId: 'vis_1', since: 1_700_000_000_000 });
    expect(startWristband().can(move)).toBe(false);
    expect(reachWristband('deactivated').can(move)).toBe(false);
  });

  it('deactivates only an active band, keeping the link for the record', () => {
    expect(startWristband().can(loseIt)).toBe(false);
    const snapshot = wristbandStep(reachWristband('active'), loseIt);
    expect(snapshot.value).toBe('deactivated');
    expect(snapshot.context).toMatchObject({ reason: 'lost', deactivatedAt: 1_700_000_100_000, ticketId: 'tk_1', holdId: linkTicket1.holdId });
    expect(snapshot.can(loseIt)).toBe(false);
  });

  it('a deactivated band links again only after reset', () => {
    const deactivated = reachWristband('deactivated');
    expect(deactivated.can(linkTicket1)).toBe(false);
    const reset = wristbandStep(deactivated, resetIt);
    expect(reset.value).toBe('unlinked');
    expect(JSON.parse(JSON.stringify(reset.context))).toEqual({ uid: 'UID-04A1B2C3' });
    const relinked = wristbandStep(reset, { ...linkTicket1, ticketId: 'tk_9', holdId: 'h9' });
    expect(relinked.value).toBe('active');
    expect(relinked.context.ticketId).toBe('tk_9');
    expect(relinked.context.reason).toBeUndefined();
  });

  it('reset is refused unless deactivated', () => {
    expect(startWristband().can(resetIt)).toBe(false);
    expect(reachWristband('active').can(resetIt)).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import { assignBand1, backInService, lockerStep, outOfService, reachLocker, releaseIt, startLocker } from './locker.test-support.js';

describe('locker machine', () => {
  it('starts free with its zone and size', () => {
    const { snapshot, effects } = startLocker();
    expect(snapshot.value).toBe('free');
    expect(snapshot.context).toEqual({ lockerId: 'L-A-1', zone: 'A', size: 'medium' });
    expect(effects).toEqual([]);
  });

  it('assigns a free locker and records band, booking, visitor and since', () => {
    const { snapshot } = lockerStep(startLocker().snapshot, assignBand1);
    expect(snapshot.value).toBe('assigned');
    expect(snapshot.context).toMatchObject({ assignmentId: 'as_1', bandUid: 'band_1', bookingId: 'bk_1', visitorId: 'vis_1', since: 1_700_000_000_000, holdId: 'as_1' });
  });

  it('refuses a second assignment and any assignment out of service', () => {
    expect(reachLocker('assigned').snapshot.can({ ...assignBand1, assignmentId: 'as_2', bandUid: 'band_2' })).toBe(false);
    expect(reachLocker('out_of_service').snapshot.can(assignBand1)).toBe(false);
  });

  it('opens for the assigned band only', () => {
    const assigned = reachLocker('assigned').snapshot;
    const opened = lockerStep(assigned, { type: 'locker.open', bandUid: 'band_1', at: 5 });
    expect(opened.snapshot.value).toBe('assigned');
    expect(opened.effects).toEqual([{ type: 'locker.unlock', lockerId: 'L-A-1', bandUid: 'band_1', at: 5 }]);
    expect(assigned.can({ type: 'locker.open', bandUid: 'band_2', at: 5 })).toBe(false);
    expect(startLocker().snapshot.can({ type: 'locker.open', bandUid: 'band_1', at: 5 })).toBe(false);
  });

  it('release frees it, forgets the band, keeps the hold id', () => {
    const { snapshot } = lockerStep(reachLocker('assigned').snapshot, releaseIt);
    expect(snapshot.value).toBe('free');
    expect(snapshot.context.bandUid).toBeUndefined();
    expect(snapshot.context.holdId).toBe('as_1');
    expect(snapshot.can({ type: 'locker.open', bandUid: 'band_1', at: 6 })).toBe(false);
    expect(startLocker().snapshot.can(releaseIt)).toBe(false);
  });

  it('goes out of service only when free, and back', () => {
    expect(reachLocker('assigned').snapshot.can(outOfService)).toBe(false);
    const out = lockerStep(startLocker().snapshot, outOfService).snapshot;
    expect(out.value).toBe('out_of_service');
    expect(out.context.holdId).toBe('oos:L-A-1:1');
    expect(lockerStep(out, backInService).snapshot.value).toBe('free');
    expect(startLocker().snapshot.can(backInService)).toBe(false);
  });
});

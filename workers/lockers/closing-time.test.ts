/**
 * Lockers at closing time and pools known across nodes, on the real runtime (temp SQLite): a
 * second locker service on the same store (another node) knows the pools the first one defined,
 * and lockers still held after closing raise one alert each per day.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FloorAlert } from '../../machines/contract/floor-alert.js';
import { silentLogger } from '../logger.js';
import type { TempRuntime } from '../testing/temp-runtime.js';
import { startTempRuntime } from '../testing/temp-runtime.js';
import { checkClosingTime } from './closing-time.js';
import { createLockerService } from './locker-service.js';

// 2030-06-01 21:30 and 22:30 in Riyadh (UTC+3).
const BEFORE = Date.UTC(2030, 5, 1, 18, 30);
const AFTER = Date.UTC(2030, 5, 1, 19, 30);

describe('closing time', () => {
  let temp: TempRuntime;
  beforeEach(async () => {
    temp = await startTempRuntime('vh-closing-');
  });
  afterEach(() => temp.stop());

  it('another node knows the pools from the store, and held lockers alert once after closing', async () => {
    const { rt } = temp;
    const first = createLockerService({ host: rt.host, ledger: temp.store.ledger, clock: Date.now });
    expect(await first.defineLockers('A', 'small', ['A-1', 'A-2'])).toMatchObject({ ok: true, data: { lockers: 2 } });
    // A node that never defined the pool claims from it and lists it.
    const other = createLockerService({ host: rt.host, ledger: temp.store.ledger, clock: Date.now });
    const claimed = await other.claim({ zone: 'A', size: 'small', bandUid: 'BAND-1', bookingId: 'bk-1', visitorId: 'v-1' }, 'as-1');
    expect(claimed).toMatchObject({ ok: true, data: { state: 'assigned' } });
    expect((await other.list()).map((l) => l.state).sort()).toEqual(['assigned', 'free']);

    const alerts: FloorAlert[] = [];
    const deps = { lockers: other, closesAt: '22:00', timeZone: 'Asia/Riyadh', alert: (a: FloorAlert) => alerts.push(a), log: silentLogger };
    expect(await checkClosingTime({ ...deps, clock: () => BEFORE }, undefined)).toBeNull();
    const after = await checkClosingTime({ ...deps, clock: () => AFTER }, undefined);
    expect(after).toEqual({ date: '2030-06-01', alerted: 1 });
    expect(alerts).toEqual([{ type: 'locker_held_at_closing', alertId: `closing:2030-06-01:${claimed.ok ? claimed.data.id : ''}`, lockerId: claimed.ok ? claimed.data.id : '', zone: 'A', bookingId: 'bk-1', since: expect.any(Number), at: AFTER }]);
    expect(await checkClosingTime({ ...deps, clock: () => AFTER + 60_000 }, after?.date)).toBeNull();

    expect(await other.releaseBooking('bk-1')).toBe(1);
    expect(await first.assigned()).toEqual([]);
  });
});

/**
 * Lockers on the real runtime (temp SQLite, real agenda): the claim race, idempotent retries,
 * release, opening by band, out-of-service lockers never handed out.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Runtime } from '../runtime.js';
import type { TempRuntime } from '../testing/temp-runtime.js';
import { startTempRuntime } from '../testing/temp-runtime.js';
import type { LockerService } from './locker-service.js';
import { createLockerService } from './locker-service.js';

const ask = (n: number, zone = 'A') => ({ zone, size: 'medium' as const, bandUid: `band_${n}`, bookingId: `bk_${n}`, visitorId: `vis_${n}` });

describe('locker service on SQLite', () => {
  let temp: TempRuntime;
  let rt: Runtime;
  let lockers: LockerService;

  beforeEach(async () => {
    temp = await startTempRuntime('vh-lockers-');
    rt = temp.rt;
    lockers = createLockerService({ host: rt.host, ledger: temp.store.ledger, clock: Date.now });
  });
  afterEach(() => temp.stop());

  it('50 concurrent claims of one free locker: exactly one gets it, the others are refused', async () => {
    await lockers.defineLockers('A', 'medium', ['A-M-1']);
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => lockers.claim(ask(i), `as_${i}`)));
    const won = results.filter((r) => r.ok);
    expect(won).toHaveLength(1);
    expect(results.filter((r) => !r.ok).every((r) => !r.ok && r.code === 'locker.none_free')).toBe(true);
    expect(await temp.store.ledger.level('lockers:A:medium')).toMatchObject({ taken: 1, remaining: 0 });
  });

  it('50 concurrent claims of three free lockers: three distinct lockers', async () => {
    await lockers.defineLockers('A', 'medium', ['A-M-1', 'A-M-2', 'A-M-3']);
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => lockers.claim(ask(i), `as_${i}`)));
    const ids = results.flatMap((r) => (r.ok ? [r.data.id] : []));
    expect(ids).toHaveLength(3);
    expect(new Set(ids).size).toBe(3);
  });

  it('a retried claim returns the same locker and takes nothing twice', async () => {
    await lockers.defineLockers('A', 'medium', ['A-M-1', 'A-M-2']);
    const first = await lockers.claim(ask(1), 'as_1');
    const again = await lockers.claim(ask(1), 'as_1');
    expect(first.ok && again.ok && first.data.id === again.data.id).toBe(true);
    expect(await temp.store.ledger.level('lockers:A:medium')).toMatchObject({ taken: 1 });
  });

  it('release gives the locker back; the next claim gets it; a retried release is harmless', async () => {
    await lockers.defineLockers('A', 'medium', ['A-M-1']);
    const first = await lockers.claim(ask(1), 'as_1');
    expect(first).toMatchObject({ ok: true, data: { id: 'A-M-1', state: 'assigned' } });
    expect(await lockers.claim(ask(2), 'as_2')).toMatchObject({ ok: false, code: 'locker.none_free' });
    expect(await lockers.release('A-M-1')).toMatchObject({ ok: true, data: { state: 'free' } });
    expect(await lockers.release('A-M-1')).toMatchObject({ ok: true, data: { state: 'free' } });
    expect(await temp.store.ledger.level('lockers:A:medium')).toMatchObject({ taken: 0 });
    expect(await lockers.claim(ask(2), 'as_2')).toMatchObject({ ok: true, data: { id: 'A-M-1', context: { bandUid: 'band_2' } } });
  });

  it('opens for the assigned band only', async () => {
    await lockers.defineLockers('A', 'medium', ['A-M-1']);
    await lockers.claim(ask(1), 'as_1');
    expect(await lockers.open('A-M-1', 'band_1')).toMatchObject({ ok: true, data: { state: 'assigned' } });
    expect(await lockers.open('A-M-1', 'band_2')).toMatchObject({ ok: false, code: 'event.rejected' });
  });

  it('never hands out an out-of-service locker', async () => {
    await lockers.defineLockers('A', 'medium', ['A-M-1', 'A-M-2']);
    expect(await lockers.outOfService('A-M-1')).toMatchObject({ ok: true, data: { state: 'out_of_service' } });
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => lockers.claim(ask(i), `as_${i}`)));
    expect(results.flatMap((r) => (r.ok ? [r.data.id] : []))).toEqual(['A-M-2']);
    expect(await lockers.backInService('A-M-1')).toMatchObject({ ok: true, data: { state: 'free' } });
    expect(await lockers.claim(ask(20), 'as_20')).toMatchObject({ ok: true, data: { id: 'A-M-1' } });
  });
});

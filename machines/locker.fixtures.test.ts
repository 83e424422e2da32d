/**
 * Stored locker snapshots of every machine version must stay restorable: each fixture is a
 * `getPersistedSnapshot()` written by that version, restored the way the host restores one.
 */
import { describe, expect, it } from 'vitest';
import { LOCKER_MACHINE_VERSION, lockerDefinition, lockerMachine } from './locker.machine.js';
import { LOCKER_STATES, LockerPersisted } from './locker.schemas.js';
import type { LockerState } from './locker.schemas.js';
import { backInService, lockerStep, reachLocker, releaseIt } from './locker.test-support.js';
import v1Assigned from './fixtures/locker.v1.assigned.json' with { type: 'json' };
import v1Free from './fixtures/locker.v1.free.json' with { type: 'json' };
import v1OutOfService from './fixtures/locker.v1.out_of_service.json' with { type: 'json' };

const V1: Record<LockerState, unknown> = { free: v1Free, assigned: v1Assigned, out_of_service: v1OutOfService };

function restore(stored: unknown) {
  const parsed = LockerPersisted.parse(stored);
  return lockerMachine.resolveState({ value: parsed.value, context: parsed.context, status: parsed.status });
}

describe('locker fixtures v1', () => {
  it.each(LOCKER_STATES)('restores %s', (state) => {
    const snapshot = restore(V1[state]);
    expect(snapshot.value).toBe(state);
    expect(snapshot.status).toBe('active');
  });

  it.each(LOCKER_STATES)('the current machine still persists %s exactly as the v1 fixture', (state) => {
    expect(LOCKER_MACHINE_VERSION).toBe(1);
    const persisted = lockerMachine.getPersistedSnapshot(reachLocker(state).snapshot);
    expect(JSON.parse(JSON.stringify(persisted))).toEqual(V1[state]);
  });

  it('a restored locker keeps going: assigned releases, out of service comes back', () => {
    expect(lockerStep(restore(V1.assigned), releaseIt).snapshot.value).toBe('free');
    expect(lockerStep(restore(V1.out_of_service), backInService).snapshot.value).toBe('free');
  });

  it('refuses an unknown state and any migration', () => {
    expect(LockerPersisted.safeParse({ ...(V1.free as object), value: 'broken' }).success).toBe(false);
    expect(() => lockerDefinition.migrate(V1.free, 0)).toThrow(/version 0/);
  });
});

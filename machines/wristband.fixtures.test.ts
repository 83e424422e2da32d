/**
 * Stored wristband snapshots of every machine version must stay restorable: each fixture is a
 * `getPersistedSnapshot()` written by that version, restored the way the host restores one.
 */
import { describe, expect, it } from 'vitest';
import { WRISTBAND_MACHINE_VERSION, wristbandDefinition, wristbandMachine } from './wristband.machine.js';
import { WRISTBAND_STATES, WristbandPersisted } from './wristband.schemas.js';
import type { WristbandState } from './wristband.schemas.js';
import { linkTicket1, loseIt, reachWristband, resetIt, wristbandStep } from './wristband.test-support.js';
import v1Active from './fixtures/wristband.v1.active.json' with { type: 'json' };
import v1Deactivated from './fixtures/wristband.v1.deactivated.json' with { type: 'json' };
import v1Unlinked from './fixtures/wristband.v1.unlinked.json' with { type: 'json' };

const V1: Record<WristbandState, unknown> = { unlinked: v1Unlinked, active: v1Active, deactivated: v1Deactivated };

function restore(stored: unknown) {
  const parsed = WristbandPersisted.parse(stored);
  return wristbandMachine.resolveState({ value: parsed.value, context: parsed.context, status: parsed.status });
}

describe('wristband fixtures v1', () => {
  it.each(WRISTBAND_STATES)('restores %s', (state) => {
    const snapshot = restore(V1[state]);
    expect(snapshot.value).toBe(state);
    expect(snapshot.status).toBe('active');
  });

  it.each(WRISTBAND_STATES)('the current machine still persists %s exactly as the v1 fixture', (state) => {
    expect(WRISTBAND_MACHINE_VERSION).toBe(1);
    const persisted = wristbandMachine.getPersistedSnapshot(reachWristband(state));
    expect(JSON.parse(JSON.stringify(persisted))).toEqual(V1[state]);
  });

  it('a restored band keeps going: unlinked links, active deactivates, deactivated resets', () => {
    expect(wristbandStep(restore(V1.unlinked), linkTicket1).value).toBe('active');
    expect(wristbandStep(restore(V1.active), loseIt).value).toBe('deactivated');
    expect(wristbandStep(restore(V1.deactivated), resetIt).value).toBe('unlinked');
  });

  it('refuses an unknown state, a bad reason and any migration', () => {
    expect(WristbandPersisted.safeParse({ ...(V1.unlinked as object), value: 'broken' }).success).toBe(false);
    const deactivated = V1.deactivated as { context: object };
    expect(WristbandPersisted.safeParse({ ...deactivated, context: { ...deactivated.context, reason: 'stolen' } }).success).toBe(false);
    expect(() => wristbandDefinition.migrate(V1.unlinked, 0)).toThrow(/version 0/);
  });
});

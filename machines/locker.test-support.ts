/**
 * Test support for the locker machine: pure steps through `transition()` and one scripted path
 * to every state (shared by the transition tests and the fixture tests).
 */
import { initialTransition, transition } from 'xstate';
import type { SnapshotFrom } from 'xstate';
import { lockerMachine } from './locker.machine.js';
import { LockerEffect, LockerInput } from './locker.schemas.js';
import type { LockerEvent, LockerState } from './locker.schemas.js';

export type LockerSnapshot = SnapshotFrom<typeof lockerMachine>;

export interface LockerStep {
  snapshot: LockerSnapshot;
  effects: LockerEffect[];
}

function toStep(snapshot: LockerSnapshot, actions: ReadonlyArray<{ type: string; params?: unknown }>): LockerStep {
  const effects = actions
    .filter((a) => a.type === 'xstate.emit')
    .map((a) => LockerEffect.parse((a.params as { event: unknown }).event));
  return { snapshot, effects };
}

export function startLocker(): LockerStep {
  const [snapshot, actions] = initialTransition(lockerMachine, LockerInput.parse({ lockerId: 'L-A-1', zone: 'A', size: 'medium' }));
  return toStep(snapshot, actions);
}

export function lockerStep(snapshot: LockerSnapshot, event: LockerEvent): LockerStep {
  const [next, actions] = transition(lockerMachine, snapshot, event);
  return toStep(next, actions);
}

export const assignBand1: Extract<LockerEvent, { type: 'locker.assign' }> = { type: 'locker.assign', assignmentId: 'as_1', bandUid: 'band_1', bookingId: 'bk_1', visitorId: 'vis_1', at: 1_700_000_000_000 };
export const releaseIt: LockerEvent = { type: 'locker.release', at: 1_700_000_100_000, by: 'system' };
export const outOfService: LockerEvent = { type: 'locker.out_of_service', holdId: 'oos:L-A-1:1', at: 1_700_000_000_000, by: 'user:adm' };
export const backInService: LockerEvent = { type: 'locker.back_in_service', at: 1_700_000_200_000, by: 'user:adm' };

export const LOCKER_PATHS: Record<LockerState, readonly LockerEvent[]> = {
  free: [],
  assigned: [assignBand1],
  out_of_service: [outOfService],
};

export function reachLocker(state: LockerState): LockerStep {
  return LOCKER_PATHS[state].reduce((current, event) => lockerStep(current.snapshot, event), startLocker());
}

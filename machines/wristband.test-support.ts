/**
 * Test support for the wristband machine: pure steps through `transition()` and one scripted
 * path to every state (shared by the transition tests and the fixture tests).
 */
import { initialTransition, transition } from 'xstate';
import type { SnapshotFrom } from 'xstate';
import { wristbandMachine } from './wristband.machine.js';
import { WristbandInput } from './wristband.schemas.js';
import type { WristbandEvent, WristbandState } from './wristband.schemas.js';

export type WristbandSnapshot = SnapshotFrom<typeof wristbandMachine>;

export function startWristband(): WristbandSnapshot {
  return initialTransition(wristbandMachine, WristbandInput.parse({ uid: 'UID-04A1B2C3' }))[0];
}

export function wristbandStep(snapshot: WristbandSnapshot, event: WristbandEvent): WristbandSnapshot {
  return transition(wristbandMachine, snapshot, event)[0];
}

export const linkTicket1: Extract<WristbandEvent, { type: 'band.link' }> = {
  type: 'band.link',
  ticketId: 'tk_1',
  bookingId: 'bk_1',
  visitorId: 'vis_1',
  holdId: 'band:UID-04A1B2C3:tk_1:1',
  at: 1_700_000_000_000,
};
export const loseIt: WristbandEvent = { type: 'band.deactivate', reason: 'lost', at: 1_700_000_100_000, by: 'user:staff' };
export const resetIt: WristbandEvent = { type: 'band.reset', at: 1_700_000_200_000, by: 'user:staff' };

export const WRISTBAND_PATHS: Record<WristbandState, readonly WristbandEvent[]> = {
  unlinked: [],
  active: [linkTicket1],
  deactivated: [linkTicket1, loseIt],
};

export function reachWristband(state: WristbandState): WristbandSnapshot {
  return WRISTBAND_PATHS[state].reduce((current, event) => wristbandStep(current, event), startWristband());
}

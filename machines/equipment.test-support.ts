/**
 * Test support for the equipment machine: pure steps through `transition()` and one scripted
 * path to every state (shared by the transition tests and the fixture tests).
 */
import { initialTransition, transition } from 'xstate';
import type { SnapshotFrom } from 'xstate';
import { equipmentMachine } from './equipment.machine.js';
import { EQUIPMENT_DUE_TIMER, EquipmentEffect, EquipmentInput } from './equipment.schemas.js';
import type { EquipmentEvent, EquipmentState, EquipmentTimerEvent } from './equipment.schemas.js';

export type EquipmentSnapshot = SnapshotFrom<typeof equipmentMachine>;

export interface EquipmentStep {
  snapshot: EquipmentSnapshot;
  effects: EquipmentEffect[];
  actions: ReadonlyArray<{ type: string; params?: unknown }>;
}

function toStep(snapshot: EquipmentSnapshot, actions: EquipmentStep['actions']): EquipmentStep {
  const effects = actions
    .filter((a) => a.type === 'xstate.emit')
    .map((a) => EquipmentEffect.parse((a.params as { event: unknown }).event));
  return { snapshot, effects, actions };
}

/** Delayed raises (timers the host makes durable) among the actions. */
export function delayedRaises(actions: EquipmentStep['actions']): Array<{ type: string; delay: number }> {
  return actions.flatMap((a) => {
    if (a.type !== 'xstate.raise') return [];
    const params = a.params as { event: { type: string }; delay?: number };
    return params.delay === undefined ? [] : [{ type: params.event.type, delay: params.delay }];
  });
}

/** Timer ids cancelled by the actions. */
export function cancelledTimers(actions: EquipmentStep['actions']): string[] {
  return actions.flatMap((a) => (a.type === 'xstate.cancel' ? [(a.params as { sendId: string }).sendId] : []));
}

export function startEquipment(): EquipmentStep {
  const [snapshot, actions] = initialTransition(equipmentMachine, EquipmentInput.parse({ itemId: 'TUBE-017', typeId: 'tube-rental', zone: 'lazy-river' }));
  return toStep(snapshot, actions);
}

export function equipmentStep(snapshot: EquipmentSnapshot, event: EquipmentEvent | EquipmentTimerEvent): EquipmentStep {
  const [next, actions] = transition(equipmentMachine, snapshot, event);
  return toStep(next, actions);
}

export const PICKED_UP_AT = 1_700_000_000_000;
export const DUE_AT = PICKED_UP_AT + 4 * 3_600_000;

export const pickupBand1: Extract<EquipmentEvent, { type: 'equipment.pickup' }> = {
  type: 'equipment.pickup',
  rentalId: 'rent:n_1',
  holdId: 'equip:bk_1:tube-rental:1',
  bandUid: 'band_1',
  bookingId: 'bk_1',
  visitorId: 'vis_1',
  ticketId: 'tk_1',
  at: PICKED_UP_AT,
  dueAt: DUE_AT,
  by: 'device:desk-1',
};
export const returnOk: EquipmentEvent = { type: 'equipment.return', condition: 'ok', at: PICKED_UP_AT + 3_600_000, by: 'device:desk-1' };
export const returnDamaged: EquipmentEvent = { type: 'equipment.return', condition: 'damaged', note: 'valve torn', at: PICKED_UP_AT + 3_600_000, by: 'device:desk-1' };
export const chargeLost: EquipmentEvent = { type: 'equipment.charge', reason: 'not returned by closing', at: DUE_AT + 3_600_000, by: 'user:adm' };
export const outOfService: EquipmentEvent = { type: 'equipment.out_of_service', holdId: 'oos:TUBE-017:1', note: 'annual check', at: PICKED_UP_AT, by: 'user:adm' };
export const repaired: EquipmentEvent = { type: 'equipment.repaired', at: PICKED_UP_AT + 7_200_000, by: 'user:adm' };
export const found: EquipmentEvent = { type: 'equipment.found', at: DUE_AT + 86_400_000, by: 'user:adm' };
export const dueTimer: EquipmentTimerEvent = { type: EQUIPMENT_DUE_TIMER };

export const EQUIPMENT_PATHS: Record<EquipmentState, ReadonlyArray<EquipmentEvent | EquipmentTimerEvent>> = {
  available: [],
  in_use: [pickupBand1],
  maintenance: [pickupBand1, returnDamaged],
  lost: [pickupBand1, dueTimer, chargeLost],
};

export function reachEquipment(state: EquipmentState): EquipmentStep {
  return EQUIPMENT_PATHS[state].reduce((current, event) => equipmentStep(current.snapshot, event), startEquipment());
}

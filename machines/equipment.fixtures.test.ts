/**
 * Stored equipment snapshots of every machine version must stay restorable: each fixture is a
 * `getPersistedSnapshot()` written by that version, restored the way the host restores one.
 */
import { describe, expect, it } from 'vitest';
import { EQUIPMENT_MACHINE_VERSION, equipmentDefinition, equipmentMachine } from './equipment.machine.js';
import { EQUIPMENT_STATES, EquipmentPersisted } from './equipment.schemas.js';
import type { EquipmentState } from './equipment.schemas.js';
import { dueTimer, equipmentStep, found, reachEquipment, repaired, returnOk } from './equipment.test-support.js';
import v1Available from './fixtures/equipment.v1.available.json' with { type: 'json' };
import v1InUse from './fixtures/equipment.v1.in_use.json' with { type: 'json' };
import v1Lost from './fixtures/equipment.v1.lost.json' with { type: 'json' };
import v1Maintenance from './fixtures/equipment.v1.maintenance.json' with { type: 'json' };

const V1: Record<EquipmentState, unknown> = { available: v1Available, in_use: v1InUse, maintenance: v1Maintenance, lost: v1Lost };

function restore(stored: unknown) {
  const parsed = EquipmentPersisted.parse(stored);
  return equipmentMachine.resolveState({ value: parsed.value, context: parsed.context, status: parsed.status });
}

describe('equipment fixtures v1', () => {
  it.each(EQUIPMENT_STATES)('restores %s', (state) => {
    const snapshot = restore(V1[state]);
    expect(snapshot.value).toBe(state);
    expect(snapshot.status).toBe('active');
  });

  it.each(EQUIPMENT_STATES)('the current machine still persists %s exactly as the v1 fixture', (state) => {
    expect(EQUIPMENT_MACHINE_VERSION).toBe(1);
    const persisted = equipmentMachine.getPersistedSnapshot(reachEquipment(state).snapshot);
    expect(JSON.parse(JSON.stringify(persisted))).toEqual(V1[state]);
  });

  it('a restored item keeps going: in use turns overdue and returns, maintenance is repaired, lost is found', () => {
    const overdue = equipmentStep(restore(V1.in_use), dueTimer);
    expect(overdue.snapshot.context.overdue).toBe(true);
    expect(overdue.effects.map((e) => e.type)).toEqual(['equipment.overdue']);
    expect(equipmentStep(overdue.snapshot, returnOk).snapshot.value).toBe('available');
    expect(equipmentStep(restore(V1.maintenance), repaired).snapshot.value).toBe('available');
    expect(equipmentStep(restore(V1.lost), found).snapshot.value).toBe('maintenance');
  });

  it('refuses an unknown state and any migration', () => {
    expect(EquipmentPersisted.safeParse({ ...(V1.available as object), value: 'broken' }).success).toBe(false);
    expect(() => equipmentDefinition.migrate(V1.available, 0)).toThrow(/version 0/);
  });
});

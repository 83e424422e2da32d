import { describe, expect, it } from 'vitest';
import { EQUIPMENT_DUE_TIMER } from './equipment.schemas.js';
import {
  cancelledTimers,
  chargeLost,
  delayedRaises,
  DUE_AT,
  dueTimer,
  equipmentStep,
  found,
  outOfService,
  pickupBand1,
  reachEquipment,
  repaired,
  returnDamaged,
  returnOk,
  startEquipment,
} from './equipment.test-support.js';

describe('equipment machine', () => {
  it('starts available, in good condition, with its type and zone', () => {
    const { snapshot, effects } = startEquipment();
    expect(snapshot.value).toBe('available');
    expect(snapshot.context).toEqual({ itemId: 'TUBE-017', typeId: 'tube-rental', zone: 'lazy-river', condition: 'ok' });
    expect(effects).toEqual([]);
  });

  it('a pickup records the rental and starts a due timer of dueAt − pickedUpAt', () => {
    const { snapshot, actions } = equipmentStep(startEquipment().snapshot, pickupBand1);
    expect(snapshot.value).toBe('in_use');
    expect(snapshot.context).toMatchObject({
      rentalId: 'rent:n_1',
      holdId: 'equip:bk_1:tube-rental:1',
      bandUid: 'band_1',
      bookingId: 'bk_1',
      visitorId: 'vis_1',
      ticketId: 'tk_1',
      pickedUpAt: pickupBand1.at,
      dueAt: DUE_AT,
      overdue: false,
    });
    expect(delayedRaises(actions)).toEqual([{ type: EQUIPMENT_DUE_TIMER, delay: 4 * 3_600_000 }]);
  });

  it('refuses a second pickup, a pickup in maintenance or lost, and a due time not after the pickup', () => {
    const other = { ...pickupBand1, rentalId: 'rent:n_2', bandUid: 'band_2' };
    expect(reachEquipment('in_use').snapshot.can(other)).toBe(false);
    expect(reachEquipment('maintenance').snapshot.can(other)).toBe(false);
    expect(reachEquipment('lost').snapshot.can(other)).toBe(false);
    expect(startEquipment().snapshot.can({ ...pickupBand1, dueAt: pickupBand1.at })).toBe(false);
  });

  it('the due timer flags the rental overdue once and emits equipment.overdue, staying in use', () => {
    const { snapshot, effects } = equipmentStep(reachEquipment('in_use').snapshot, dueTimer);
    expect(snapshot.value).toBe('in_use');
    expect(snapshot.context.overdue).toBe(true);
    expect(effects).toEqual([{ type: 'equipment.overdue', itemId: 'TUBE-017', typeId: 'tube-rental', bandUid: 'band_1', bookingId: 'bk_1', dueAt: DUE_AT }]);
    // A returned item's stale timer is not taken.
    expect(startEquipment().snapshot.can(dueTimer)).toBe(false);
  });

  it('a return in good condition makes it available, forgets the band, keeps the hold id and cancels the timer', () => {
    const overdue = equipmentStep(reachEquipment('in_use').snapshot, dueTimer).snapshot;
    const { snapshot, actions } = equipmentStep(overdue, returnOk);
    expect(snapshot.value).toBe('available');
    expect(snapshot.context).toEqual({ itemId: 'TUBE-017', typeId: 'tube-rental', zone: 'lazy-river', condition: 'ok', holdId: 'equip:bk_1:tube-rental:1' });
    expect(cancelledTimers(actions)).toEqual([EQUIPMENT_DUE_TIMER]);
    expect(startEquipment().snapshot.can(returnOk)).toBe(false);
  });

  it('a damaged return goes to maintenance with the note, keeping the hold until repaired', () => {
    const { snapshot } = equipmentStep(reachEquipment('in_use').snapshot, returnDamaged);
    expect(snapshot.value).toBe('maintenance');
    expect(snapshot.context).toMatchObject({ condition: 'damaged', note: 'valve torn', holdId: 'equip:bk_1:tube-rental:1' });
    expect(snapshot.context.bandUid).toBeUndefined();
    const fixed = equipmentStep(snapshot, repaired).snapshot;
    expect(fixed.value).toBe('available');
    expect(fixed.context).toMatchObject({ condition: 'ok', holdId: 'equip:bk_1:tube-rental:1' });
    expect(fixed.context.note).toBeUndefined();
  });

  it('staff take an available item out of service and back; never one in use', () => {
    expect(reachEquipment('in_use').snapshot.can(outOfService)).toBe(false);
    const out = equipmentStep(startEquipment().snapshot, outOfService).snapshot;
    expect(out.value).toBe('maintenance');
    expect(out.context).toMatchObject({ holdId: 'oos:TUBE-017:1', note: 'annual check' });
    expect(equipmentStep(out, repaired).snapshot.value).toBe('available');
    expect(startEquipment().snapshot.can(repaired)).toBe(false);
  });

  it('a charged item is lost (its unit stays held); found, it goes to maintenance', () => {
    expect(startEquipment().snapshot.can(chargeLost)).toBe(false);
    const { snapshot, actions } = equipmentStep(reachEquipment('in_use').snapshot, chargeLost);
    expect(snapshot.value).toBe('lost');
    expect(snapshot.context).toMatchObject({ note: 'not returned by closing', holdId: 'equip:bk_1:tube-rental:1' });
    expect(snapshot.context.bookingId).toBeUndefined();
    expect(cancelledTimers(actions)).toEqual([EQUIPMENT_DUE_TIMER]);
    expect(snapshot.can(returnOk)).toBe(false);
    expect(equipmentStep(snapshot, found).snapshot.value).toBe('maintenance');
  });
});

/**
 * State tags are defined once, on the machines' states; each definition lists the same set, so a
 * typed read (`host.read(definition, id)`) names exactly the tags its states can carry.
 */
import type { AnyStateNode } from 'xstate';
import { describe, expect, it } from 'vitest';
import { bookingDefinition } from './booking.machine.js';
import { deviceDefinition } from './device.machine.js';
import { equipmentDefinition } from './equipment.machine.js';
import { foodOrderDefinition } from './food-order.machine.js';
import { lockerDefinition } from './locker.machine.js';
import { paymentDefinition } from './payment.machine.js';
import { ticketDefinition } from './ticket.machine.js';
import { wristbandDefinition } from './wristband.machine.js';
import type { AnyActorDefinition } from './actor-definition.js';

const DEFINITIONS: AnyActorDefinition[] = [bookingDefinition, ticketDefinition, paymentDefinition, lockerDefinition, wristbandDefinition, equipmentDefinition, foodOrderDefinition, deviceDefinition];

function nodes(node: AnyStateNode): AnyStateNode[] {
  return [node, ...Object.values(node.states).flatMap(nodes)];
}

describe('state tags', () => {
  for (const def of DEFINITIONS) {
    it(`${def.kind}: the machine's tags and states are the ones its definition lists`, () => {
      const all = nodes(def.machine.root);
      const used = new Set(all.flatMap((n) => n.tags));
      expect([...used].sort()).toEqual([...def.tags].sort());
      expect(Object.keys(def.machine.root.states).sort()).toEqual([...def.states].sort());
    });
  }

  it('a booking admits exactly while confirmed, checked in or leaving', () => {
    const admitting = Object.entries(bookingDefinition.machine.root.states)
      .filter(([, node]) => node.tags.includes('admits'))
      .map(([name]) => name);
    expect(admitting).toEqual(['confirmed', 'checked_in', 'leaving']);
  });
});

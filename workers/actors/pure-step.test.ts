/**
 * The host's transition path must compute exactly what XState's public `transition()` and
 * `initialTransition()` compute: same persisted snapshot, same actions in the same order.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { initialTransition, transition } from 'xstate';
import type { EventObject } from 'xstate';
import { describe, expect, it } from 'vitest';
import { bookingDefinition } from '../../machines/booking.machine.js';
import { BOOKING_TIMER_EVENTS } from '../../machines/booking.schemas.js';
import { eventStep, initialStep, restore } from './pure-step.js';

const machine = bookingDefinition.machine;
const input = bookingDefinition.input.parse({
  bookingId: 'b1',
  visitorId: 'v1',
  slotId: 's1',
  lines: [{ ticketTypeId: 'adult', qty: 2, unitPrice: 5000 }],
  requiresApproval: true,
});
const events: Array<EventObject & Record<string, unknown>> = [
  { type: 'booking.submit' },
  { type: 'booking.approve', adminId: 'a1' },
  { type: 'booking.reject', adminId: 'a1', reason: 'full' },
  { type: 'payment.failed', paymentId: 'p0' },
  { type: 'payment.captured', paymentId: 'p1', amount: 10_000 },
  { type: 'booking.cancel', refundAmount: 5_000, at: 5 },
  { type: 'booking.check_in', at: 6 },
  { type: 'booking.check_out', at: 7 },
  { type: 'payment.refunded', refundId: 'r1', amount: 5_000 },
  ...BOOKING_TIMER_EVENTS.map((type) => ({ type })),
];
const shape = (actions: ReadonlyArray<{ type: string; params: unknown }>) => actions.map((a) => ({ type: a.type, params: a.params }));
const emitted = (actions: ReadonlyArray<{ type: string; params: unknown }>) =>
  shape(actions)
    .filter((a) => a.type === 'xstate.emit')
    .map((a) => {
      const { type, ...payload } = (a.params as { event: EventObject & Record<string, unknown> }).event;
      return { type, payload };
    });

describe('host transition path', () => {
  it('creates the same initial snapshot and actions as initialTransition()', () => {
    const [expected, actions] = initialTransition(machine, input);
    const step = initialStep(bookingDefinition, input, 0, 1);
    expect(step.persisted).toEqual(machine.getPersistedSnapshot(expected));
    expect(step.effects).toEqual(emitted(actions));
  });

  it('matches transition() for every fixture state and every event', () => {
    const dir = 'machines/fixtures';
    for (const file of readdirSync(dir).filter((f) => f.startsWith('booking.v1.'))) {
      const state = JSON.parse(readFileSync(join(dir, file), 'utf8')) as unknown;
      const snapshot = restore(bookingDefinition, { kind: 'booking', id: 'b1', machineVersion: 1, version: 1, state, timers: {}, updatedAt: 0 });
      for (const event of events) {
        if (!snapshot.can(event)) continue;
        const [expected, actions] = transition(machine, snapshot, event);
        const ours = eventStep(bookingDefinition, snapshot, event, {}, 1000, 2);
        expect(ours.persisted, `${file} + ${event.type}`).toEqual(machine.getPersistedSnapshot(expected));
        expect(ours.effects, `${file} + ${event.type}`).toEqual(emitted(actions));
      }
    }
  });
});

/**
 * Test support for the booking machine: a sample input, pure steps through `transition()`,
 * and one scripted path to every state (shared by the transition tests and the fixture tests).
 */
import { initialTransition, transition } from 'xstate';
import type { SnapshotFrom } from 'xstate';
import { bookingMachine } from './booking.machine.js';
import { BookingEffect, BookingInput } from './booking.schemas.js';
import type { BookingChangeLapse, BookingEvent, BookingState, BookingTimerEvent } from './booking.schemas.js';

/** A booking snapshot as `transition()` returns it. */
export type BookingSnapshot = SnapshotFrom<typeof bookingMachine>;

/** One step's result: the next snapshot, the effects it emitted and the actions in order. */
export interface BookingStep {
  snapshot: BookingSnapshot;
  effects: BookingEffect[];
  actions: ReadonlyArray<{ type: string; params?: unknown }>;
}

/** Two lines: 2 × 50.00 SAR + 1 × 25.00 SAR = 125.00 SAR (12 500 halalas), 3 tickets. */
export const SAMPLE_TOTAL = 12_500;

/** A valid parsed input; short deadlines keep delays readable in assertions. */
export function sampleInput(overrides: Partial<BookingInput> = {}): BookingInput {
  return BookingInput.parse({
    bookingId: 'bk_1',
    visitorId: 'vis_1',
    slotId: 'slot_1',
    lines: [
      { ticketTypeId: 'adult', qty: 2, unitPrice: 5_000 },
      { ticketTypeId: 'child', qty: 1, unitPrice: 2_500 },
    ],
    requiresApproval: false,
    holdMs: 60_000,
    reviewMs: 3_600_000,
    paymentMs: 900_000,
    ...overrides,
  });
}

function toStep(snapshot: BookingSnapshot, actions: BookingStep['actions']): BookingStep {
  const effects = actions
    .filter((a) => a.type === 'xstate.emit')
    .map((a) => BookingEffect.parse((a.params as { event: unknown }).event));
  return { snapshot, effects, actions };
}

/** Creates a booking through `initialTransition()`. */
export function start(input: BookingInput = sampleInput()): BookingStep {
  const [snapshot, actions] = initialTransition(bookingMachine, input);
  return toStep(snapshot, actions);
}

/** Sends one event through `transition()`. */
export function step(snapshot: BookingSnapshot, event: BookingEvent | BookingTimerEvent | BookingChangeLapse): BookingStep {
  const [next, actions] = transition(bookingMachine, snapshot, event);
  return toStep(next, actions);
}

/** Sends events in order and returns the last step. */
export function run(first: BookingStep, events: ReadonlyArray<BookingEvent | BookingTimerEvent>): BookingStep {
  return events.reduce((current, event) => step(current.snapshot, event), first);
}

/** Delayed raises (timers) among the actions: event type, id and delay. */
export function delayedRaises(actions: BookingStep['actions']): Array<{ type: string; id: string; delay: number }> {
  return actions
    .filter((a) => a.type === 'xstate.raise')
    .map((a) => a.params as { event: { type: string }; id: string; delay?: number })
    .filter((p) => p.delay !== undefined)
    .map((p) => ({ type: p.event.type, id: p.id, delay: p.delay ?? 0 }));
}

/** Timer ids cancelled by the actions. */
export function cancelledTimers(actions: BookingStep['actions']): string[] {
  return actions.filter((a) => a.type === 'xstate.cancel').map((a) => (a.params as { sendId: string }).sendId);
}

const submit: BookingEvent = { type: 'booking.submit' };
const capture: BookingEvent = { type: 'payment.captured', paymentId: 'pay_2', amount: SAMPLE_TOTAL };
const toConfirmed: BookingEvent[] = [
  submit,
  { type: 'payment.failed', paymentId: 'pay_1', reason: 'card declined' },
  capture,
];
const toCheckedIn: BookingEvent[] = [...toConfirmed, { type: 'booking.check_in', at: 1_700_000_100_000, gateId: 'gate_a' }];
const toCancelled: BookingEvent[] = [
  ...toConfirmed,
  { type: 'booking.cancel', reason: 'plans changed', refundAmount: 10_000, at: 1_700_000_050_000 },
];

/** One scripted path from creation to each state; the approval paths start from an approval input. */
export const PATHS: Record<BookingState, { requiresApproval: boolean; events: ReadonlyArray<BookingEvent | BookingTimerEvent> }> = {
  held: { requiresApproval: false, events: [] },
  under_review: { requiresApproval: true, events: [submit] },
  awaiting_payment: { requiresApproval: false, events: [submit] },
  confirmed: { requiresApproval: false, events: toConfirmed },
  checked_in: { requiresApproval: false, events: toCheckedIn },
  leaving: { requiresApproval: false, events: [...toCheckedIn, { type: 'booking.all_out', at: 1_700_000_150_000, graceMs: 600_000 }] },
  checked_out: { requiresApproval: false, events: [...toCheckedIn, { type: 'booking.check_out', at: 1_700_000_200_000 }] },
  cancelled: { requiresApproval: false, events: toCancelled },
  refunded: { requiresApproval: false, events: [...toCancelled, { type: 'payment.refunded', refundId: 'ref_1', amount: 10_000 }] },
  expired: { requiresApproval: false, events: [{ type: 'xstate.after.hold.booking.held' }] },
  rejected: {
    requiresApproval: true,
    events: [submit, { type: 'booking.reject', adminId: 'adm_1', reason: 'membership not verified' }],
  },
};

/** Drives a fresh booking to `state` along its scripted path. */
export function reach(state: BookingState): BookingStep {
  const path = PATHS[state];
  return run(start(sampleInput({ requiresApproval: path.requiresApproval })), path.events);
}

/**
 * Test support for the ticket machine: a sample input, pure steps through `transition()`, and
 * one scripted path to every state (shared by the transition tests and the fixture tests).
 */
import { initialTransition, transition } from 'xstate';
import type { SnapshotFrom } from 'xstate';
import { ticketMachine } from './ticket.machine.js';
import { TicketInput } from './ticket.schemas.js';
import type { TicketEvent, TicketState } from './ticket.schemas.js';

/** A ticket snapshot as `transition()` returns it. */
export type TicketSnapshot = SnapshotFrom<typeof ticketMachine>;

/** One step's result: the next snapshot and the actions in order. */
export interface TicketStep {
  snapshot: TicketSnapshot;
  actions: ReadonlyArray<{ type: string; params?: unknown }>;
}

/** 2023-11-14 22:13:20 UTC: a slot of two hours. */
export const SLOT_START = 1_700_000_000_000;
export const SLOT_END = SLOT_START + 2 * 3_600_000;

/** A valid parsed input. */
export function sampleTicketInput(overrides: Partial<TicketInput> = {}): TicketInput {
  return TicketInput.parse({
    ticketId: 'bk_1-t1',
    bookingId: 'bk_1',
    visitorId: 'vis_1',
    ticketTypeId: 'adult',
    slotId: 'slot_1',
    seq: 1,
    validFrom: SLOT_START,
    validUntil: SLOT_END,
    issuedAt: SLOT_START - 86_400_000,
    ...overrides,
  });
}

/** Creates a ticket through `initialTransition()`. */
export function startTicket(input: TicketInput = sampleTicketInput()): TicketStep {
  const [snapshot, actions] = initialTransition(ticketMachine, input);
  return { snapshot, actions };
}

/** Sends one event through `transition()`. */
export function stepTicket(snapshot: TicketSnapshot, event: TicketEvent): TicketStep {
  const [next, actions] = transition(ticketMachine, snapshot, event);
  return { snapshot: next, actions };
}

const revoke: TicketEvent = { type: 'ticket.revoke', reason: 'booking.cancelled', at: SLOT_START - 3_600_000 };

/** An entry scan at gate g1, half an hour into the slot. */
export const ENTRY_SCAN: Extract<TicketEvent, { type: 'ticket.scan' }> = { type: 'ticket.scan', direction: 'entry', gateId: 'g1', nonce: 'nonce-entry-1', at: SLOT_START + 1_800_000 };

/** The exit scan at gate g2, a minute after ENTRY_SCAN. */
export const EXIT_SCAN: Extract<TicketEvent, { type: 'ticket.scan' }> = { ...ENTRY_SCAN, direction: 'exit', gateId: 'g2', nonce: 'nonce-exit-1', at: ENTRY_SCAN.at + 60_000 };

/** One scripted path from creation to each state (`used` starts from a single-entry ticket). */
export const TICKET_PATHS: Record<TicketState, readonly TicketEvent[]> = {
  valid: [],
  inside: [ENTRY_SCAN],
  used: [ENTRY_SCAN, EXIT_SCAN],
  revoked: [revoke],
};

/** Drives a fresh ticket to `state` along its scripted path. */
export function reachTicket(state: TicketState): TicketStep {
  const start = startTicket(state === 'used' ? sampleTicketInput({ reentry: false }) : sampleTicketInput());
  return TICKET_PATHS[state].reduce((current, event) => stepTicket(current.snapshot, event), start);
}

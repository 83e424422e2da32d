/**
 * The ticket actor: admission of one person to one slot.
 *
 *   valid (outside) ─ticket.scan entry─▶ inside ─ticket.scan exit─▶ valid (re-entry ticket)
 *                                          └────ticket.scan exit─▶ used (single-entry ticket)
 *   valid | inside ─ticket.revoke─▶ revoked (final)
 *
 *   ticket.offline_scan (uploaded by a gate that was offline; it happened):
 *     the same moves as ticket.scan, plus: entry while inside, or entry of a used ticket
 *     ─▶ recorded in doubleEntries + ticket.double_entry effect (the state stays)
 *
 * `used` is not final: an offline entry made with it must still be recorded (and it can be revoked).
 * An entry scan while inside and an exit scan while outside are not accepted (the host answers
 * `event.rejected`); the gate then answers "already used" from `lastEntry`. Every entry emits
 * `ticket.entered` and every exit `ticket.exited` (occupancy counts them, check-out follows them).
 * Version 1 had only `valid` and `revoked`; version 2 added `inside`; version 3 adds `used`,
 * offline scans and the linked band (all optional context, so older snapshots carry over).
 * The signed QR payload is not part of the snapshot: it is derived from the context on demand,
 * so a key rotation never needs a migration.
 */
import { and, assertEvent, assign, emit, setup } from 'xstate';
import type { ActorDefinition } from './actor-definition.js';
import { CodedError } from './errors.js';
import { TICKET_STATES, TICKET_TAGS, TicketContext, TicketEvent, TicketInput, TicketPersisted } from './ticket.schemas.js';
import type { GatePassage, TicketEffect, TicketState, TicketTag } from './ticket.schemas.js';

/** Version of the ticket machine's persisted shape; bump it and add a migration on incompatible change. */
export const TICKET_MACHINE_VERSION = 3;

/** How many double entries a ticket remembers in detail. */
export const MAX_DOUBLE_ENTRIES_KEPT = 20;

type ScanLike = { type: 'ticket.scan' | 'ticket.offline_scan'; direction: 'entry' | 'exit'; gateId: string; nonce: string; at: number };

/** The occupancy unit of the stay that started with this entry. */
export function stayHoldId(ticketId: string, entry: Pick<GatePassage, 'nonce' | 'at'>): string {
  return `in:${ticketId}:${entry.nonce ?? String(entry.at)}`;
}

function passage(context: TicketContext, event: ScanLike) {
  const { ticketId, bookingId, slotId, zone } = context;
  return { ticketId, bookingId, slotId, ...(zone === undefined ? {} : { zone }), at: event.at, gateId: event.gateId };
}

const isScan = (event: { type: string }): event is ScanLike => event.type === 'ticket.scan' || event.type === 'ticket.offline_scan';

/** The pure ticket machine; see the header diagram for its states. */
export const ticketMachine = setup({
  types: {
    context: {} as TicketContext,
    tags: {} as TicketTag,
    input: {} as TicketInput,
    events: {} as TicketEvent,
    emitted: {} as TicketEffect,
  },
  actions: {
    recordRevoke: assign(({ event }) => {
      assertEvent(event, 'ticket.revoke');
      return { revokedAt: event.at, revokeReason: event.reason };
    }),
    recordEntry: assign(({ event }) => {
      assertEvent(event, ['ticket.scan', 'ticket.offline_scan']);
      return { lastEntry: { at: event.at, gateId: event.gateId, nonce: event.nonce } };
    }),
    recordExit: assign(({ event }) => {
      assertEvent(event, ['ticket.scan', 'ticket.offline_scan']);
      return { lastExit: { at: event.at, gateId: event.gateId, nonce: event.nonce } };
    }),
    recordDoubleEntry: assign(({ context, event }) => {
      assertEvent(event, 'ticket.offline_scan');
      const kept = (context.doubleEntries ?? []).slice(-(MAX_DOUBLE_ENTRIES_KEPT - 1));
      return { doubleEntries: [...kept, { at: event.at, gateId: event.gateId, nonce: event.nonce }] };
    }),
    recordBand: assign(({ event }) => {
      assertEvent(event, 'ticket.band');
      return { bandUid: event.bandUid };
    }),
    entered: emit(({ context, event }) => {
      assertEvent(event, ['ticket.scan', 'ticket.offline_scan']);
      return { type: 'ticket.entered' as const, ...passage(context, event), holdId: stayHoldId(context.ticketId, event) };
    }),
    exited: emit(({ context, event }) => {
      assertEvent(event, ['ticket.scan', 'ticket.offline_scan']);
      const used = context.reentry === false;
      const holdId = context.lastEntry === undefined ? undefined : stayHoldId(context.ticketId, context.lastEntry);
      return { type: 'ticket.exited' as const, ...passage(context, event), used, ...(holdId === undefined ? {} : { holdId }) };
    }),
    doubleEntry: emit(({ context, event }, params: { state: 'inside' | 'used' }) => {
      assertEvent(event, 'ticket.offline_scan');
      const { state } = params;
      return { type: 'ticket.double_entry' as const, ...passage(context, event), state, ...(context.lastEntry === undefined ? {} : { previous: context.lastEntry }) };
    }),
  },
  guards: {
    isEntry: ({ event }) => isScan(event) && event.direction === 'entry',
    isExit: ({ event }) => isScan(event) && event.direction === 'exit',
    singleEntry: ({ context }) => context.reentry === false,
  },
}).createMachine({
  id: 'ticket',
  initial: 'valid',
  context: ({ input }) => ({ ...input }),
  on: {
    'ticket.band': { actions: 'recordBand' },
  },
  states: {
    valid: {
      tags: ['admits'],
      on: {
        'ticket.scan': { guard: 'isEntry', target: 'inside', actions: ['recordEntry', 'entered'] },
        'ticket.offline_scan': [
          { guard: 'isEntry', target: 'inside', actions: ['recordEntry', 'entered'] },
          // An offline exit of a ticket the hub has outside: the exit already counted; nothing to record.
          { guard: 'isExit' },
        ],
        'ticket.revoke': { target: 'revoked', actions: 'recordRevoke' },
      },
    },
    inside: {
      tags: ['inside'],
      on: {
        'ticket.scan': [
          { guard: and(['isExit', 'singleEntry']), target: 'used', actions: ['exited', 'recordExit'] },
          { guard: 'isExit', target: 'valid', actions: ['exited', 'recordExit'] },
        ],
        'ticket.offline_scan': [
          { guard: and(['isExit', 'singleEntry']), target: 'used', actions: ['exited', 'recordExit'] },
          { guard: 'isExit', target: 'valid', actions: ['exited', 'recordExit'] },
          { guard: 'isEntry', actions: [{ type: 'doubleEntry', params: { state: 'inside' } }, 'recordDoubleEntry'] },
        ],
        'ticket.revoke': { target: 'revoked', actions: 'recordRevoke' },
      },
    },
    // Not final: an entry a gate made offline with a used single-entry ticket still has to be recorded.
    used: {
      tags: ['void'],
      on: {
        'ticket.offline_scan': { guard: 'isEntry', actions: [{ type: 'doubleEntry', params: { state: 'used' } }, 'recordDoubleEntry'] },
        'ticket.revoke': { target: 'revoked', actions: 'recordRevoke' },
      },
    },
    revoked: { tags: ['void'], type: 'final' },
  },
});

/**
 * Brings a stored ticket snapshot to the current version. Version 1 → 3 and 2 → 3: the states
 * keep their names (a v1 `valid` ticket was never scanned, so it is outside) and the context gains
 * only optional fields, so the snapshot carries over unchanged. Any other version is refused.
 */
export function migrateTicketSnapshot(persisted: unknown, fromVersion: number): unknown {
  switch (fromVersion) {
    case 1:
    case 2:
      return persisted;
    default:
      throw new CodedError(
        'snapshot.unsupported_version',
        `ticket snapshot version ${String(fromVersion)} cannot be read by ticket machine version ${TICKET_MACHINE_VERSION}`,
      );
  }
}

/** The ticket actor kind as the actor host runs it. */
export const ticketDefinition: ActorDefinition<TicketContext, TicketState, TicketTag> = {
  kind: 'ticket',
  version: TICKET_MACHINE_VERSION,
  machine: ticketMachine,
  input: TicketInput,
  events: TicketEvent,
  snapshot: TicketPersisted,
  migrate: migrateTicketSnapshot,
  context: TicketContext,
  states: TICKET_STATES,
  tags: TICKET_TAGS,
};

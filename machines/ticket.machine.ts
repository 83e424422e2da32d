/**
 * The ticket actor: admission of one person to one slot.
 *
 *   valid (outside) ─ticket.scan entry─▶ inside ─ticket.scan exit─▶ valid (re-entry allowed)
 *   valid | inside ─ticket.revoke─▶ revoked (final)
 *
 * An entry scan while inside and an exit scan while outside are not accepted (the host answers
 * `event.rejected`); the gate then answers "already used" from `lastEntry`. Version 1 had only
 * `valid` and `revoked`; its `valid` is the outside state of version 2.
 * The signed QR payload is not part of the snapshot: it is derived from the context on demand,
 * so a key rotation never needs a migration.
 */
import { assertEvent, assign, setup } from 'xstate';
import type { ActorDefinition } from './actor-definition.js';
import { CodedError } from './errors.js';
import { TicketEvent, TicketInput, TicketPersisted } from './ticket.schemas.js';
import type { TicketContext } from './ticket.schemas.js';

/** Version of the ticket machine's persisted shape; bump it and add a migration on incompatible change. */
export const TICKET_MACHINE_VERSION = 2;

/** The pure ticket machine; see the header diagram for its states. */
export const ticketMachine = setup({
  types: {
    context: {} as TicketContext,
    input: {} as TicketInput,
    events: {} as TicketEvent,
  },
  actions: {
    recordRevoke: assign(({ event }) => {
      assertEvent(event, 'ticket.revoke');
      return { revokedAt: event.at, revokeReason: event.reason };
    }),
    recordEntry: assign(({ event }) => {
      assertEvent(event, 'ticket.scan');
      return { lastEntry: { at: event.at, gateId: event.gateId } };
    }),
    recordExit: assign(({ event }) => {
      assertEvent(event, 'ticket.scan');
      return { lastExit: { at: event.at, gateId: event.gateId } };
    }),
  },
  guards: {
    isEntry: ({ event }) => event.type === 'ticket.scan' && event.direction === 'entry',
    isExit: ({ event }) => event.type === 'ticket.scan' && event.direction === 'exit',
  },
}).createMachine({
  id: 'ticket',
  initial: 'valid',
  context: ({ input }) => ({ ...input }),
  states: {
    valid: {
      on: {
        'ticket.scan': { guard: 'isEntry', target: 'inside', actions: 'recordEntry' },
        'ticket.revoke': { target: 'revoked', actions: 'recordRevoke' },
      },
    },
    inside: {
      on: {
        'ticket.scan': { guard: 'isExit', target: 'valid', actions: 'recordExit' },
        'ticket.revoke': { target: 'revoked', actions: 'recordRevoke' },
      },
    },
    revoked: { type: 'final' },
  },
});

/**
 * Brings a stored ticket snapshot to the current version. Version 1 → 2: the states `valid` and
 * `revoked` keep their names (a v1 `valid` ticket was never scanned, so it is outside) and the
 * context gains only optional fields, so the snapshot carries over unchanged. Any other version
 * is refused.
 */
export function migrateTicketSnapshot(persisted: unknown, fromVersion: number): unknown {
  switch (fromVersion) {
    case 1:
      return persisted;
    default:
      throw new CodedError(
        'snapshot.unsupported_version',
        `ticket snapshot version ${String(fromVersion)} cannot be read by ticket machine version ${TICKET_MACHINE_VERSION}`,
      );
  }
}

/** The ticket actor kind as the actor host runs it. */
export const ticketDefinition: ActorDefinition = {
  kind: 'ticket',
  version: TICKET_MACHINE_VERSION,
  machine: ticketMachine,
  input: TicketInput,
  events: TicketEvent,
  snapshot: TicketPersisted,
  migrate: migrateTicketSnapshot,
};

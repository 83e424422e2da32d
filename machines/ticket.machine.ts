/**
 * The ticket actor: admission of one person to one slot.
 *
 *   valid ─ticket.revoke─▶ revoked (final)
 *
 * `valid` is a single state for now; the gate adds `ticket.scan` and entry states (inside,
 * outside) beneath it with a version bump and a migration from the flat `valid` of version 1.
 * The signed QR payload is not part of the snapshot: it is derived from the context on demand,
 * so a key rotation never needs a migration.
 */
import { assertEvent, assign, setup } from 'xstate';
import type { ActorDefinition } from './actor-definition.js';
import { CodedError } from './errors.js';
import { TicketEvent, TicketInput, TicketPersisted } from './ticket.schemas.js';
import type { TicketContext } from './ticket.schemas.js';

/** Version of the ticket machine's persisted shape; bump it and add a migration on incompatible change. */
export const TICKET_MACHINE_VERSION = 1;

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
  },
}).createMachine({
  id: 'ticket',
  initial: 'valid',
  context: ({ input }) => ({ ...input }),
  states: {
    valid: {
      on: { 'ticket.revoke': { target: 'revoked', actions: 'recordRevoke' } },
    },
    revoked: { type: 'final' },
  },
});

/**
 * Brings a stored ticket snapshot to the current version; version 1 is the first, so only a
 * version-1 snapshot is accepted (as is) and every other version is refused.
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

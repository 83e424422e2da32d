/**
 * The wristband actor: one RFID band, its id the band UID.
 *
 *   unlinked ─link (ticket, booking, visitor, hold id)─▶ active ─deactivate (lost|returned|replaced)─▶ deactivated
 *      ▲                                                                                                   │
 *      └──────────────────────────────────── reset (a returned band is reused) ◀───────────────────────────┘
 *
 *   active ─move (the ticket was reissued: the new ticket, a new hold id)─▶ active, same booking and visitor
 *
 * An active band refuses another link, so one UID is never active on two tickets: the host's
 * per-actor mailbox and version compare-and-set make `link` a compare-and-set on `unlinked`.
 * One active band per ticket is the wristband service's job (a one-unit ledger slot per ticket).
 *
 * Pure: times and who arrive in events.
 */
import { assertEvent, assign, setup } from 'xstate';
import type { ActorDefinition } from './actor-definition.js';
import { CodedError } from './errors.js';
import { WRISTBAND_STATES, WRISTBAND_TAGS, WristbandContext, WristbandEvent, WristbandInput, WristbandPersisted } from './wristband.schemas.js';
import type { WristbandState, WristbandTag } from './wristband.schemas.js';

/** Version of the wristband machine's persisted shape; bump it and add a migration on incompatible change. */
export const WRISTBAND_MACHINE_VERSION = 1;

/** The pure wristband machine; see the header diagram for its states. */
export const wristbandMachine = setup({
  types: {
    context: {} as WristbandContext,
    tags: {} as WristbandTag,
    input: {} as WristbandInput,
    events: {} as WristbandEvent,
  },
  actions: {
    recordLink: assign(({ event }) => {
      assertEvent(event, 'band.link');
      const { ticketId, bookingId, visitorId, holdId, at } = event;
      return { ticketId, bookingId, visitorId, holdId, since: at, reason: undefined, deactivatedAt: undefined };
    }),
    recordMove: assign(({ event }) => {
      assertEvent(event, 'band.move');
      return { ticketId: event.ticketId, holdId: event.holdId };
    }),
    recordDeactivation: assign(({ event }) => {
      assertEvent(event, 'band.deactivate');
      return { reason: event.reason, deactivatedAt: event.at };
    }),
    clearLink: assign(({ context }) => ({
      uid: context.uid,
      ticketId: undefined,
      bookingId: undefined,
      visitorId: undefined,
      since: undefined,
      holdId: undefined,
      reason: undefined,
      deactivatedAt: undefined,
    })),
  },
}).createMachine({
  id: 'wristband',
  initial: 'unlinked',
  context: ({ input }) => ({ ...input }),
  states: {
    unlinked: {
      on: {
        'band.link': { target: 'active', actions: 'recordLink' },
      },
    },
    active: {
      tags: ['active'],
      on: {
        'band.move': { actions: 'recordMove' },
        'band.deactivate': { target: 'deactivated', actions: 'recordDeactivation' },
      },
    },
    deactivated: {
      on: {
        'band.reset': { target: 'unlinked', actions: 'clearLink' },
      },
    },
  },
});

/** Version 1 is the first: no older snapshot exists, so every other version is refused. */
export function migrateWristbandSnapshot(_persisted: unknown, fromVersion: number): unknown {
  throw new CodedError(
    'snapshot.unsupported_version',
    `wristband snapshot version ${String(fromVersion)} cannot be read by wristband machine version ${WRISTBAND_MACHINE_VERSION}`,
  );
}

/** The wristband actor kind as the actor host runs it. */
export const wristbandDefinition: ActorDefinition<WristbandContext, WristbandState, WristbandTag> = {
  kind: 'wristband',
  version: WRISTBAND_MACHINE_VERSION,
  machine: wristbandMachine,
  input: WristbandInput,
  events: WristbandEvent,
  snapshot: WristbandPersisted,
  migrate: migrateWristbandSnapshot,
  context: WristbandContext,
  states: WRISTBAND_STATES,
  tags: WRISTBAND_TAGS,
};

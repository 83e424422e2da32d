/**
 * The locker actor: one physical locker (id given by the venue) in a zone, of a size.
 *
 *   free ─assign (assignment id, band, booking, visitor)─▶ assigned ─release─▶ free
 *    │                                                       └─open (the assigned band only)─▶ assigned + locker.unlock
 *    └─out_of_service (ledger hold id)─▶ out_of_service ─back_in_service─▶ free
 *
 * An assigned locker refuses another assignment, so two visitors never share one locker: the
 * host's per-actor mailbox and version compare-and-set make `assign` a compare-and-set on
 * `free`. Which locker a claim gets, and the pool count, live in the locker service.
 *
 * Pure: times and who arrive in events; opening the door is an `emit` the host turns into an outbox row.
 */
import { assertEvent, assign, emit, setup } from 'xstate';
import type { ActorDefinition } from './actor-definition.js';
import { CodedError } from './errors.js';
import { LOCKER_STATES, LOCKER_TAGS, LockerContext, LockerEvent, LockerInput, LockerPersisted } from './locker.schemas.js';
import type { LockerEffect, LockerState, LockerTag } from './locker.schemas.js';

/** Version of the locker machine's persisted shape; bump it and add a migration on incompatible change. */
export const LOCKER_MACHINE_VERSION = 1;

const noAssignment = {
  assignmentId: undefined,
  bandUid: undefined,
  bookingId: undefined,
  visitorId: undefined,
  since: undefined,
} as const;

/** The pure locker machine; see the header diagram for its states. */
export const lockerMachine = setup({
  types: {
    context: {} as LockerContext,
    tags: {} as LockerTag,
    input: {} as LockerInput,
    events: {} as LockerEvent,
    emitted: {} as LockerEffect,
  },
  guards: {
    assignedBand: ({ context, event }) => event.type === 'locker.open' && context.bandUid === event.bandUid,
  },
  actions: {
    recordAssignment: assign(({ event }) => {
      assertEvent(event, 'locker.assign');
      const { assignmentId, bandUid, bookingId, visitorId, at } = event;
      return { assignmentId, bandUid, bookingId, visitorId, since: at, holdId: assignmentId };
    }),
    clearAssignment: assign(() => ({ ...noAssignment })),
    recordService: assign(({ event }) => {
      assertEvent(event, 'locker.out_of_service');
      return { holdId: event.holdId };
    }),
    unlock: emit(({ context, event }) => {
      assertEvent(event, 'locker.open');
      return { type: 'locker.unlock' as const, lockerId: context.lockerId, bandUid: event.presentedBy ?? event.bandUid, at: event.at };
    }),
  },
}).createMachine({
  id: 'locker',
  initial: 'free',
  context: ({ input }) => ({ ...input }),
  states: {
    free: {
      tags: ['available'],
      on: {
        'locker.assign': { target: 'assigned', actions: 'recordAssignment' },
        'locker.out_of_service': { target: 'out_of_service', actions: 'recordService' },
      },
    },
    assigned: {
      tags: ['in_use'],
      on: {
        'locker.open': { guard: 'assignedBand', actions: 'unlock' },
        'locker.release': { target: 'free', actions: 'clearAssignment' },
      },
    },
    out_of_service: {
      on: {
        'locker.back_in_service': { target: 'free' },
      },
    },
  },
});

/** Version 1 is the first: no older snapshot exists, so every other version is refused. */
export function migrateLockerSnapshot(_persisted: unknown, fromVersion: number): unknown {
  throw new CodedError(
    'snapshot.unsupported_version',
    `locker snapshot version ${String(fromVersion)} cannot be read by locker machine version ${LOCKER_MACHINE_VERSION}`,
  );
}

/** The locker actor kind as the actor host runs it. */
export const lockerDefinition: ActorDefinition<LockerContext, LockerState, LockerTag> = {
  kind: 'locker',
  version: LOCKER_MACHINE_VERSION,
  machine: lockerMachine,
  input: LockerInput,
  events: LockerEvent,
  snapshot: LockerPersisted,
  migrate: migrateLockerSnapshot,
  context: LockerContext,
  states: LOCKER_STATES,
  tags: LOCKER_TAGS,
};

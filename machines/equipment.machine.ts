/**
 * The equipment actor: one physical rental item (id = the venue's item code, e.g. `TUBE-017`) of
 * an equipment type (`tube-rental`), optionally kept in a zone.
 *
 *   available ─pickup (rental id, ledger hold, band, booking, visitor, ticket, dueAt)─▶ in_use
 *      ▲  │                                        │ ├─return ok──────────────────────────▶ available
 *      │  └─out_of_service (ledger hold)─▶ ┐       │ ├─return damaged──▶ maintenance
 *      │                                   ▼       │ ├─charge (staff settles a lost item)─▶ lost ─found─▶ maintenance
 *      └──────────────repaired──────── maintenance │ └─after (dueAt − pickedUpAt): overdue = true + equipment.overdue
 *
 * An item in use refuses another pickup, so one item is never rented to two bands: the host's
 * per-actor mailbox and version compare-and-set make `pickup` a compare-and-set on `available`.
 * Which item a pickup gets, reservations and the pool count live in the equipment service.
 *
 * The due time is an `after` delay read from the context (the host makes it a durable timer that
 * survives restarts); it flags the rental overdue once and emits `equipment.overdue`, without
 * leaving `in_use` (the item is still out; staff chase it). Leaving `in_use` cancels the timer.
 *
 * Pure: times and who arrive in events; the alert is an `emit` the host turns into an outbox row.
 */
import { assertEvent, assign, emit, setup } from 'xstate';
import type { ActorDefinition } from './actor-definition.js';
import { CodedError } from './errors.js';
import { EQUIPMENT_STATES, EQUIPMENT_TAGS, EquipmentContext, EquipmentEvent, EquipmentInput, EquipmentPersisted } from './equipment.schemas.js';
import type { EquipmentEffect, EquipmentState, EquipmentTag, EquipmentTimerEvent } from './equipment.schemas.js';

/** Version of the equipment machine's persisted shape; bump it and add a migration on incompatible change. */
export const EQUIPMENT_MACHINE_VERSION = 1;

const noRental = {
  rentalId: undefined,
  bandUid: undefined,
  bookingId: undefined,
  visitorId: undefined,
  ticketId: undefined,
  pickedUpAt: undefined,
  dueAt: undefined,
  overdue: undefined,
} as const;

/** The pure equipment machine; see the header diagram for its states. */
export const equipmentMachine = setup({
  types: {
    context: {} as EquipmentContext,
    tags: {} as EquipmentTag,
    input: {} as EquipmentInput,
    events: {} as EquipmentEvent | EquipmentTimerEvent,
    emitted: {} as EquipmentEffect,
  },
  delays: {
    rentalDue: ({ context }) => Math.max(0, (context.dueAt ?? 0) - (context.pickedUpAt ?? 0)),
  },
  guards: {
    dueAfterPickup: ({ event }) => event.type === 'equipment.pickup' && event.dueAt > event.at,
    returnedDamaged: ({ event }) => event.type === 'equipment.return' && event.condition === 'damaged',
  },
  actions: {
    recordRental: assign(({ event }) => {
      assertEvent(event, 'equipment.pickup');
      const { rentalId, holdId, bandUid, bookingId, visitorId, ticketId, at, dueAt } = event;
      return { rentalId, holdId, bandUid, bookingId, visitorId, ticketId, pickedUpAt: at, dueAt, overdue: false };
    }),
    recordOkReturn: assign(() => ({ ...noRental, condition: 'ok' as const, note: undefined })),
    recordDamage: assign(({ event }) => {
      assertEvent(event, 'equipment.return');
      return { ...noRental, condition: 'damaged' as const, note: event.note };
    }),
    recordCharge: assign(({ event }) => {
      assertEvent(event, 'equipment.charge');
      return { ...noRental, note: event.reason };
    }),
    recordService: assign(({ event }) => {
      assertEvent(event, 'equipment.out_of_service');
      return { holdId: event.holdId, note: event.note };
    }),
    recordRepair: assign(() => ({ condition: 'ok' as const, note: undefined })),
    flagOverdue: assign(() => ({ overdue: true })),
    alertOverdue: emit(({ context }) => {
      const { itemId, typeId, bandUid, bookingId, dueAt } = context;
      // Set together by `recordRental` on entry to in_use, which is the only state with this timer.
      if (bandUid === undefined || bookingId === undefined || dueAt === undefined) {
        throw new CodedError('internal', `equipment ${itemId}: due timer without a rental`);
      }
      return { type: 'equipment.overdue' as const, itemId, typeId, bandUid, bookingId, dueAt };
    }),
  },
}).createMachine({
  id: 'equipment',
  initial: 'available',
  context: ({ input }) => ({ ...input, condition: 'ok' as const }),
  states: {
    available: {
      tags: ['available'],
      on: {
        'equipment.pickup': { guard: 'dueAfterPickup', target: 'in_use', actions: 'recordRental' },
        'equipment.out_of_service': { target: 'maintenance', actions: 'recordService' },
      },
    },
    in_use: {
      tags: ['out'],
      after: {
        rentalDue: { actions: ['flagOverdue', 'alertOverdue'] },
      },
      on: {
        'equipment.return': [
          { guard: 'returnedDamaged', target: 'maintenance', actions: 'recordDamage' },
          { target: 'available', actions: 'recordOkReturn' },
        ],
        'equipment.charge': { target: 'lost', actions: 'recordCharge' },
      },
    },
    maintenance: {
      on: {
        'equipment.repaired': { target: 'available', actions: 'recordRepair' },
      },
    },
    lost: {
      on: {
        'equipment.found': { target: 'maintenance' },
      },
    },
  },
});

/** Version 1 is the first: no older snapshot exists, so every other version is refused. */
export function migrateEquipmentSnapshot(_persisted: unknown, fromVersion: number): unknown {
  throw new CodedError(
    'snapshot.unsupported_version',
    `equipment snapshot version ${String(fromVersion)} cannot be read by equipment machine version ${EQUIPMENT_MACHINE_VERSION}`,
  );
}

/** The equipment actor kind as the actor host runs it. */
export const equipmentDefinition: ActorDefinition<EquipmentContext, EquipmentState, EquipmentTag> = {
  kind: 'equipment',
  version: EQUIPMENT_MACHINE_VERSION,
  machine: equipmentMachine,
  input: EquipmentInput,
  events: EquipmentEvent,
  snapshot: EquipmentPersisted,
  migrate: migrateEquipmentSnapshot,
  context: EquipmentContext,
  states: EQUIPMENT_STATES,
  tags: EQUIPMENT_TAGS,
};

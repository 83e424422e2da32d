/**
 * The staff alert actor: raised by the system, acknowledged by a staff member, resolved.
 *
 *   open ─acknowledge (by, at)─▶ acknowledged ─resolve (by, at, note?)─▶ resolved (final)
 *     └──────────────────resolve────────────────────────────────────────▶┘
 *
 * Persisted like every actor, so the dashboard shows what is open after a restart or reconnect,
 * and who acknowledged what is kept (the event log has who and when too).
 */
import { assertEvent, assign, setup } from 'xstate';
import type { ActorDefinition } from './actor-definition.js';
import { CodedError } from './errors.js';
import { ALERT_STATES, ALERT_TAGS, AlertContext, AlertEvent, AlertInput, AlertPersisted } from './alert.schemas.js';
import type { AlertState, AlertTag } from './alert.schemas.js';

/** Version of the alert machine's persisted shape. */
export const ALERT_MACHINE_VERSION = 1;

/** The pure alert machine. */
export const alertMachine = setup({
  types: {
    context: {} as AlertContext,
    tags: {} as AlertTag,
    input: {} as AlertInput,
    events: {} as AlertEvent,
  },
  actions: {
    recordAcknowledge: assign(({ event }) => {
      assertEvent(event, 'alert.acknowledge');
      return { acknowledgedBy: event.by, acknowledgedAt: event.at };
    }),
    recordResolve: assign(({ event }) => {
      assertEvent(event, 'alert.resolve');
      return event.note === undefined ? { resolvedBy: event.by, resolvedAt: event.at } : { resolvedBy: event.by, resolvedAt: event.at, note: event.note };
    }),
  },
}).createMachine({
  id: 'alert',
  initial: 'open',
  context: ({ input }) => ({ ...input }),
  states: {
    open: {
      tags: ['unresolved', 'unseen'],
      on: {
        'alert.acknowledge': { target: 'acknowledged', actions: 'recordAcknowledge' },
        'alert.resolve': { target: 'resolved', actions: 'recordResolve' },
      },
    },
    acknowledged: {
      tags: ['unresolved'],
      on: { 'alert.resolve': { target: 'resolved', actions: 'recordResolve' } },
    },
    resolved: { type: 'final' },
  },
});

/** Version 1 is the first: every other version is refused. */
export function migrateAlertSnapshot(_persisted: unknown, fromVersion: number): unknown {
  throw new CodedError('snapshot.unsupported_version', `alert snapshot version ${String(fromVersion)} cannot be read by alert machine version ${ALERT_MACHINE_VERSION}`);
}

/** The alert actor kind as the actor host runs it. */
export const alertDefinition: ActorDefinition<AlertContext, AlertState, AlertTag> = {
  kind: 'alert',
  version: ALERT_MACHINE_VERSION,
  machine: alertMachine,
  input: AlertInput,
  events: AlertEvent,
  snapshot: AlertPersisted,
  migrate: migrateAlertSnapshot,
  context: AlertContext,
  states: ALERT_STATES,
  tags: ALERT_TAGS,
};

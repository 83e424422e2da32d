/**
 * The device actor: the record of a device the hub issued tokens to.
 *
 *   active ─device.revoked (by, at, reason)─▶ revoked ─device.issued─▶ active
 *     ↺ device.issued (another token), device.seen (it connected)
 *
 * The hub's token checks decide whether a token is accepted (signature, expiry, the revocation
 * list); this actor keeps what staff ask: which devices exist, their tokens, last seen, revoked.
 */
import { assertEvent, assign, setup } from 'xstate';
import type { ActorDefinition } from './actor-definition.js';
import { CodedError } from './errors.js';
import { DEVICE_STATES, DEVICE_TAGS, DeviceContext, DeviceEvent, DeviceInput, DevicePersisted } from './device.schemas.js';
import type { DeviceState, DeviceTag } from './device.schemas.js';

/** Version of the device machine's persisted shape. */
export const DEVICE_MACHINE_VERSION = 1;

/** The pure device machine. */
export const deviceMachine = setup({
  types: {
    context: {} as DeviceContext,
    tags: {} as DeviceTag,
    input: {} as DeviceInput,
    events: {} as DeviceEvent,
  },
  actions: {
    recordIssue: assign(({ context, event }) => {
      assertEvent(event, 'device.issued');
      return { deviceKind: event.deviceKind, scope: event.scope, issuedBy: event.by, issuedAt: event.at, expiresAt: event.expiresAt, tokensIssued: context.tokensIssued + 1 };
    }),
    recordSeen: assign(({ event }) => {
      assertEvent(event, 'device.seen');
      return { lastSeenAt: event.at };
    }),
    recordRevoke: assign(({ event }) => {
      assertEvent(event, 'device.revoked');
      return { revokedBy: event.by, revokedAt: event.at, reason: event.reason };
    }),
  },
}).createMachine({
  id: 'device',
  initial: 'active',
  context: ({ input }) => ({ ...input, tokensIssued: 1 }),
  states: {
    active: {
      tags: ['trusted'],
      on: {
        'device.issued': { actions: 'recordIssue' },
        'device.seen': { actions: 'recordSeen' },
        'device.revoked': { target: 'revoked', actions: 'recordRevoke' },
      },
    },
    revoked: {
      on: {
        'device.issued': { target: 'active', actions: 'recordIssue' },
        'device.revoked': { actions: 'recordRevoke' },
      },
    },
  },
});

/** Version 1 is the first: every other version is refused. */
export function migrateDeviceSnapshot(_persisted: unknown, fromVersion: number): unknown {
  throw new CodedError('snapshot.unsupported_version', `device snapshot version ${String(fromVersion)} cannot be read by device machine version ${DEVICE_MACHINE_VERSION}`);
}

/** The device actor kind as the actor host runs it. */
export const deviceDefinition: ActorDefinition<DeviceContext, DeviceState, DeviceTag> = {
  kind: 'device',
  version: DEVICE_MACHINE_VERSION,
  machine: deviceMachine,
  input: DeviceInput,
  events: DeviceEvent,
  snapshot: DevicePersisted,
  migrate: migrateDeviceSnapshot,
  context: DeviceContext,
  states: DEVICE_STATES,
  tags: DEVICE_TAGS,
};

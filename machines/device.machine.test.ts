/**
 * The device machine, pure: tokens minted, seen, revoked and minted again; and its v1 fixtures (a
 * stored snapshot of every state must stay restorable and be persisted the same way).
 */
import { createActor } from 'xstate';
import { describe, expect, it } from 'vitest';
import { DEVICE_MACHINE_VERSION, deviceDefinition, deviceMachine } from './device.machine.js';
import { DEVICE_STATES, DevicePersisted } from './device.schemas.js';
import type { DeviceEvent, DeviceInput, DeviceState } from './device.schemas.js';
import v1Active from './fixtures/device.v1.active.json' with { type: 'json' };
import v1Revoked from './fixtures/device.v1.revoked.json' with { type: 'json' };

const INPUT: DeviceInput = { deviceId: 'gate-north-1', deviceKind: 'gate', scope: { zone: 'pool', gateId: 'north' }, issuedBy: 'user:root', issuedAt: 1_000, expiresAt: 2_000 };
const SEEN: DeviceEvent = { type: 'device.seen', at: 1_500 };
const REVOKE: DeviceEvent = { type: 'device.revoked', by: 'user:root', at: 1_600, reason: 'lost' };
const REISSUE: DeviceEvent = { type: 'device.issued', deviceKind: 'gate', scope: { zone: 'slides', gateId: 'east' }, by: 'user:ops', at: 1_700, expiresAt: 3_000 };

function run(events: DeviceEvent[]) {
  const actor = createActor(deviceMachine, { input: INPUT }).start();
  for (const event of events) actor.send(event);
  const snapshot = actor.getSnapshot();
  actor.stop();
  return snapshot;
}

const REACH: Record<DeviceState, DeviceEvent[]> = { active: [SEEN], revoked: [SEEN, REVOKE] };
const V1: Record<DeviceState, unknown> = { active: v1Active, revoked: v1Revoked };

describe('device machine', () => {
  it('records the first token, the last connection and a revocation; a new token trusts it again', () => {
    const seen = run([SEEN]);
    expect(seen.value).toBe('active');
    expect(seen.hasTag('trusted')).toBe(true);
    expect(seen.context).toMatchObject({ tokensIssued: 1, lastSeenAt: 1_500 });
    const revoked = run([SEEN, REVOKE]);
    expect(revoked.value).toBe('revoked');
    expect(revoked.hasTag('trusted')).toBe(false);
    expect(revoked.context).toMatchObject({ revokedBy: 'user:root', revokedAt: 1_600, reason: 'lost' });
    const again = run([SEEN, REVOKE, REISSUE]);
    expect(again.value).toBe('active');
    expect(again.context).toEqual({ ...INPUT, scope: { zone: 'slides', gateId: 'east' }, issuedBy: 'user:ops', issuedAt: 1_700, expiresAt: 3_000, tokensIssued: 2, lastSeenAt: 1_500, revokedBy: 'user:root', revokedAt: 1_600, reason: 'lost' });
  });

  it('a revoked device is not seen (its sockets are refused; a late notice is rejected)', () => {
    expect(run([REVOKE]).can(SEEN)).toBe(false);
    expect(run([REVOKE, SEEN]).context.lastSeenAt).toBeUndefined();
  });
});

describe('device fixtures v1', () => {
  it.each(DEVICE_STATES)('restores %s and persists it exactly as the v1 fixture', (state) => {
    expect(DEVICE_MACHINE_VERSION).toBe(1);
    const parsed = DevicePersisted.parse(V1[state]);
    expect(deviceMachine.resolveState({ value: parsed.value, context: parsed.context, status: parsed.status }).value).toBe(state);
    expect(JSON.parse(JSON.stringify(deviceMachine.getPersistedSnapshot(run(REACH[state]))))).toEqual(V1[state]);
  });

  it('refuses an unknown state, an unknown kind and any migration', () => {
    expect(DevicePersisted.safeParse({ ...(V1.active as object), value: 'lost' }).success).toBe(false);
    const active = V1.active as { context: object };
    expect(DevicePersisted.safeParse({ ...active, context: { ...active.context, deviceKind: 'turnstile' } }).success).toBe(false);
    expect(() => deviceDefinition.migrate(V1.active, 0)).toThrow(/version 0/);
  });
});

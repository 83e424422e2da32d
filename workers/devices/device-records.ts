/**
 * The record of the devices the hub issued tokens to (device actors): minted tokens, last seen,
 * revocations. The token checks themselves stay with the key ring and the revocation list; this
 * service keeps what staff list (the `devices` read model).
 *
 *   POST /api/admin/devices ─▶ issued(device, by) ─▶ create the device actor, or device.issued
 *   a device's socket connects ─▶ seen(deviceId) ─▶ device.seen (at most once a minute per device and node)
 *   admin:revoke device:<id> ─▶ revoked(deviceId, by, reason) ─▶ device.revoked
 */
import { deviceDefinition } from '../../machines/device.machine.js';
import type { DeviceInput } from '../../machines/device.schemas.js';
import type { Result } from '../../machines/errors.js';
import type { ActorHost, ActorView } from '../actors/actor-host.js';
import type { Logger } from '../logger.js';

/** How often one node records that the same device connected, ms. */
export const DEVICE_SEEN_EVERY_MS = 60_000;

export interface DeviceRecords {
  /** A token was minted for the device: its record is created, or updated (and active again). */
  issued(device: Pick<DeviceInput, 'deviceId' | 'deviceKind' | 'scope' | 'expiresAt'>, by: string): Promise<Result<ActorView>>;
  /** The device connected; recorded at most once a minute per device on this node (never awaited by the caller). */
  seen(deviceId: string): Promise<void>;
  /** The device's tokens were revoked; a device without a record (tokens minted elsewhere) answers null. */
  revoked(deviceId: string, by: string, reason: string): Promise<Result<ActorView> | null>;
}

export interface DeviceRecordsDeps {
  host: Pick<ActorHost, 'create' | 'send' | 'read'>;
  clock: () => number;
  log: Logger;
}

export function createDeviceRecords(deps: DeviceRecordsDeps): DeviceRecords {
  const { host, clock } = deps;
  const kind = deviceDefinition.kind;
  const lastRecorded = new Map<string, number>();

  return {
    async issued(device, by) {
      const at = clock();
      const event = { type: 'device.issued', deviceKind: device.deviceKind, scope: device.scope, by, at, expiresAt: device.expiresAt } as const;
      const current = await host.read(deviceDefinition, device.deviceId);
      if (!current.ok && current.code === 'actor.not_found') {
        const input: DeviceInput = { ...device, issuedBy: by, issuedAt: at };
        const created = await host.create(kind, device.deviceId, input, { who: by, eventId: null });
        // Two mints at once: the other created it, this one is another token.
        if (created.ok || created.code !== 'actor.exists') return created;
      }
      return host.send(kind, device.deviceId, event, { who: by, eventId: null });
    },
    async seen(deviceId) {
      const at = clock();
      if (at - (lastRecorded.get(deviceId) ?? -Infinity) < DEVICE_SEEN_EVERY_MS) return;
      lastRecorded.set(deviceId, at);
      if (lastRecorded.size > 10_000) lastRecorded.delete(lastRecorded.keys().next().value ?? '');
      try {
        const sent = await host.send(kind, deviceId, { type: 'device.seen', at }, { who: `device:${deviceId}`, eventId: null });
        // Tokens minted before devices were recorded have no record; a revoked device is not seen.
        if (!sent.ok && sent.code !== 'actor.not_found' && sent.code !== 'event.rejected') deps.log.warn('device not recorded as seen', { deviceId, code: sent.code, message: sent.message });
      } catch (error) {
        deps.log.warn('device not recorded as seen', { deviceId, error: String(error) });
      }
    },
    async revoked(deviceId, by, reason) {
      const sent = await host.send(kind, deviceId, { type: 'device.revoked', by, at: clock(), reason }, { who: by, eventId: null });
      return !sent.ok && sent.code === 'actor.not_found' ? null : sent;
    },
  };
}

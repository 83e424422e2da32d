/**
 * Zod catalog of the device actor: a gate, locker bank, kitchen board or rental desk the hub has
 * issued tokens to. It records every token minted (who, when, until when), when the device last
 * connected, and a revocation (who, when, why); the devices read model lists them for staff.
 * The tokens themselves are signed by the hub's key ring and checked against the revocation list:
 * this actor is the record, not the gate that admits a token.
 */
import { z } from 'zod';
import { DEVICE_KINDS } from './contract/common.js';
import { DeviceScope } from './contract/admin.js';

const Who = z.string().min(1).max(160);
const EpochMs = z.number().int().nonnegative();

/** Every state of the device machine. */
export const DEVICE_STATES = ['active', 'revoked'] as const;
export const DeviceState = z.enum(DEVICE_STATES);
export type DeviceState = z.infer<typeof DeviceState>;

/** The first token minted for a device id. */
export const DeviceInput = z.object({
  deviceId: z.string().min(1).max(128),
  deviceKind: z.enum(DEVICE_KINDS),
  scope: DeviceScope,
  issuedBy: Who,
  issuedAt: EpochMs,
  /** Epoch seconds, as the token's `exp`. */
  expiresAt: z.number().int().nonnegative(),
});
export type DeviceInput = z.infer<typeof DeviceInput>;

/** The machine context: the latest token's facts, how many were minted, last seen, the last revocation (kept after a new token). */
export const DeviceContext = DeviceInput.extend({
  tokensIssued: z.number().int().positive(),
  lastSeenAt: EpochMs.optional(),
  revokedBy: Who.optional(),
  revokedAt: EpochMs.optional(),
  reason: z.string().max(500).optional(),
});
export type DeviceContext = z.infer<typeof DeviceContext>;

/** Every event the hub sends a device actor. */
export const DeviceEvent = z.discriminatedUnion('type', [
  /** Another token minted (after a revocation too: the device is active again). */
  z.object({ type: z.literal('device.issued'), deviceKind: z.enum(DEVICE_KINDS), scope: DeviceScope, by: Who, at: EpochMs, expiresAt: z.number().int().nonnegative() }),
  /** The device connected with one of its tokens. */
  z.object({ type: z.literal('device.seen'), at: EpochMs }),
  /** Every token minted so far is refused from now on. */
  z.object({ type: z.literal('device.revoked'), by: Who, at: EpochMs, reason: z.string().min(1).max(500) }),
]);
export type DeviceEvent = z.infer<typeof DeviceEvent>;

/** The persisted snapshot of the current machine version. */
export const DevicePersisted = z.object({
  status: z.enum(['active', 'done']),
  value: DeviceState,
  context: DeviceContext,
  historyValue: z.strictObject({}),
  children: z.strictObject({}),
});

/**
 * The facts callers ask of a device (XState state tags):
 *
 *   trusted   its tokens are accepted (until they expire)
 */
export const DEVICE_TAGS = ['trusted'] as const;
export type DeviceTag = (typeof DEVICE_TAGS)[number];

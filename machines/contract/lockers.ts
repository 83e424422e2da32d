/**
 * Lockers: a band opens its locker, a band claims a free one, and the door the hub tells a locker bank to open.
 */
import { z } from 'zod';
import { Id, BandUid } from './common.js';
import { serverPush, socketEvent } from './contract.js';
import { ActorState } from './actors.js';

/**
 * A band tapped on a locker's reader: the locker device asks the hub whether this band opens it.
 * Staff may open for a visitor too (same payload).
 */
export const LockerOpen = z.strictObject({ lockerId: Id, band: BandUid });
export type LockerOpen = z.infer<typeof LockerOpen>;

/**
 * A band asks for a locker (kiosk or locker bank): a free locker of the size in the device's zone
 * (staff name the zone). `nonce` makes a retry answer the same locker.
 */
export const LockerClaim = z.strictObject({
  band: BandUid,
  size: z.enum(['small', 'medium', 'large']),
  zone: Id.optional(),
  nonce: z.string().regex(/^[A-Za-z0-9_.:-]{8,64}$/, 'letters, digits and _ . : - only, 8–64 characters'),
});
export type LockerClaim = z.infer<typeof LockerClaim>;

/** The hub tells a locker bank to open a door (after an accepted `locker:open`). */
export const LockerUnlock = z.object({ lockerId: z.string(), bandUid: z.string(), at: z.number().int() });
export type LockerUnlock = z.infer<typeof LockerUnlock>;

/** The socket events of lockers. */
export const LOCKER_EVENTS = {
  'locker:open': socketEvent({ payload: LockerOpen, ack: LockerUnlock, summary: 'A band tapped on a locker: opens it when the band is the one assigned (locker:unlock goes to the bank too).', by: 'locker devices, front desk staff' }),
  'locker:claim': socketEvent({ payload: LockerClaim, ack: ActorState, summary: 'A band asks for a free locker of a size in the device\'s zone; the same nonce answers the same locker.', by: 'locker devices, front desk staff' }),
} as const;

/** The pushes of lockers. */
export const LOCKER_PUSHES = {
  'locker:unlock': serverPush({ payload: LockerUnlock, summary: 'Open this door (the band was accepted).', to: 'the locker bank\'s device' }),
} as const;

/**
 * Lockers: a band opens its locker, a band claims a free one, and the door the hub tells a locker bank to open.
 */
import { z } from 'zod';
import { Id, BandUid } from './common.js';
import { serverPush, socketEvent } from './contract.js';
import { ActorState } from './actors.js';
import { httpRoute } from './contract.js';
import { ActorState as LockerState } from './actors.js';

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

const LockerParams = z.strictObject({ id: Id });

/** One locker as the front desk lists it. */
export const LockerRow = z.object({
  lockerId: z.string(),
  zone: z.string(),
  size: z.enum(['small', 'medium', 'large']),
  state: z.string(),
  bookingId: z.string().optional(),
  bandUid: z.string().optional(),
  since: z.number().int().optional(),
});

/** The HTTP routes of lockers (staff). */
export const LOCKER_ROUTES = {
  define: httpRoute({
    method: 'POST',
    path: '/api/admin/lockers',
    body: z.strictObject({ zone: Id, size: z.enum(['small', 'medium', 'large']), ids: z.array(Id).min(1).max(2_000) }),
    answer: z.object({ slotId: z.string().describe('The ledger pool of the zone and size.'), lockers: z.number().int() }),
    status: 201,
    auth: 'bearer',
    by: 'super admins',
    summary: 'Define a pool of lockers of one size in a zone.',
  }),
  assign: httpRoute({ method: 'POST', path: '/api/admin/lockers/:id/assign', params: LockerParams, body: z.strictObject({ band: BandUid }), answer: LockerState, auth: 'bearer', by: 'front desk', summary: 'Assign this locker to the booking of the band.' }),
  release: httpRoute({ method: 'POST', path: '/api/admin/lockers/:id/release', params: LockerParams, answer: LockerState, auth: 'bearer', by: 'front desk', summary: 'Free the locker now.' }),
  outOfService: httpRoute({ method: 'POST', path: '/api/admin/lockers/:id/out-of-service', params: LockerParams, answer: LockerState, auth: 'bearer', by: 'front desk', summary: 'Take a free locker out of service.' }),
  backInService: httpRoute({ method: 'POST', path: '/api/admin/lockers/:id/back-in-service', params: LockerParams, answer: LockerState, auth: 'bearer', by: 'front desk', summary: 'Put a locker back in service.' }),
} as const;

/**
 * Equipment rentals: pickups and returns at a rental desk, and the counts of each equipment type.
 */
import { z } from 'zod';
import { Id, Unsubscribed } from './common.js';
import { serverPush, socketEvent } from './contract.js';
import { ActorState } from './actors.js';
import { httpRoute } from './contract.js';

/**
 * A rental desk hands out an item: the visitor's tapped wristband, the equipment type, optionally
 * the item the desk picked off the rack (else the hub picks an available one), and a client nonce
 * (a retry of the same pickup reuses it and gets the same item).
 */
export const RentalPickup = z.strictObject({
  /** The UID of the visitor's RFID wristband. */
  band: z.string().regex(/^[A-Za-z0-9:-]{4,64}$/, 'letters, digits, : and - only, 4–64 characters'),
  typeId: Id,
  itemId: Id.optional(),
  nonce: z.string().regex(/^[A-Za-z0-9_.:-]{8,64}$/, 'letters, digits and _ . : - only, 8–64 characters'),
});
export type RentalPickup = z.infer<typeof RentalPickup>;

/** A rental desk takes an item back, in good condition or damaged (then it goes to maintenance). */
export const RentalReturn = z.strictObject({
  itemId: Id,
  condition: z.enum(['ok', 'damaged']),
  note: z.string().min(1).max(500).optional(),
});
export type RentalReturn = z.infer<typeof RentalReturn>;

/** How many items of one equipment type are where, pushed after every pickup, return and repair. */
export const EquipmentAvailability = z.object({
  typeId: z.string(),
  total: z.number().int().nonnegative(),
  available: z.number().int().nonnegative(),
  inUse: z.number().int().nonnegative(),
  maintenance: z.number().int().nonnegative(),
  lost: z.number().int().nonnegative(),
  /** Units free for new reservations and walk-up rentals (available items not promised to a booking). */
  remaining: z.number().int().nonnegative(),
  /** Epoch ms of the reading; keep the newest. */
  at: z.number().int().nonnegative(),
});
export type EquipmentAvailability = z.infer<typeof EquipmentAvailability>;

/** Watch the availability of some equipment types (a rental desk's screen, a dashboard). */
export const EquipmentSubscribe = z.strictObject({ typeIds: z.array(Id).min(1).max(20) });
export type EquipmentSubscribe = z.infer<typeof EquipmentSubscribe>;

/** The counts of each watched equipment type, as `equipment:subscribe` answers. */
export const EquipmentLevels = z.object({ levels: z.array(EquipmentAvailability) });

/** The socket events of rentals. */
export const RENTAL_EVENTS = {
  'rental:pickup': socketEvent({ payload: RentalPickup, ack: ActorState, summary: 'Hand out an item to the wristband\'s booking (a reserved unit first, else walk-up); answers the item actor.', by: 'rental desks, front desk staff' }),
  'rental:return': socketEvent({ payload: RentalReturn, ack: ActorState, summary: 'Take an item back, ok or damaged (damaged goes to maintenance).', by: 'rental desks, front desk staff' }),
  'equipment:subscribe': socketEvent({ payload: EquipmentSubscribe, ack: EquipmentLevels, summary: 'Watch the counts of up to 20 equipment types: current counts first, then equipment:availability.', by: 'staff, rental desks' }),
  'equipment:unsubscribe': socketEvent({ payload: EquipmentSubscribe, ack: Unsubscribed, summary: 'Stop watching equipment types.', by: 'anyone subscribed' }),
} as const;

/** The pushes of rentals. */
export const RENTAL_PUSHES = {
  'equipment:availability': serverPush({ payload: EquipmentAvailability, summary: 'The item counts of a watched equipment type; keep the newest `at`.', to: 'sockets watching the type' }),
} as const;

const ItemParams = z.strictObject({ id: Id });

/** The HTTP routes of rentals and closing a visit (staff). */
export const RENTAL_ROUTES = {
  define: httpRoute({
    method: 'POST',
    path: '/api/admin/equipment',
    body: z.strictObject({ typeId: Id, items: z.array(z.strictObject({ itemId: Id, zone: Id.optional() })).min(1).max(2_000) }),
    answer: z.object({ slotId: z.string(), items: z.number().int() }),
    status: 201,
    auth: 'bearer',
    by: 'super admins',
    summary: 'Define rental items of an equipment type.',
  }),
  charge: httpRoute({ method: 'POST', path: '/api/admin/equipment/:id/charge', params: ItemParams, body: z.strictObject({ reason: z.string().trim().min(1).max(500) }), answer: ActorState, auth: 'bearer', by: 'front desk', summary: 'Settle an item that is not coming back (it is marked lost).' }),
  repaired: httpRoute({ method: 'POST', path: '/api/admin/equipment/:id/repaired', params: ItemParams, answer: ActorState, auth: 'bearer', by: 'front desk', summary: 'An item back from maintenance.' }),
  outOfService: httpRoute({ method: 'POST', path: '/api/admin/equipment/:id/out-of-service', params: ItemParams, body: z.strictObject({ note: z.string().trim().min(1).max(500).optional() }), answer: ActorState, auth: 'bearer', by: 'front desk', summary: 'Send an item to maintenance.' }),
  checkOut: httpRoute({ method: 'POST', path: '/api/admin/bookings/:id/check-out', params: ItemParams, answer: ActorState, auth: 'bearer', by: 'front desk', summary: 'Close a visit now (equipment.unreturned while rented items are out).' }),
} as const;

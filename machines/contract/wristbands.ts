/**
 * Wristbands: linking an RFID band to a ticket (activation) and replacing a lost one.
 */
import { z } from 'zod';
import { Id, BandUid } from './common.js';
import { socketEvent } from './contract.js';
import { ActorState } from './actors.js';

/**
 * Activation: a band is linked to a ticket at the gate (check-in) or at a kiosk, by the ticket's QR
 * payload or, for staff, its id. A lost band is replaced with `replaces`.
 */
export const BandLink = z
  .strictObject({
    band: BandUid,
    token: z.string().min(1).max(2048).optional(),
    ticketId: Id.optional(),
    /** The UID of the lost band this one replaces (deactivated, reason lost). */
    replaces: BandUid.optional(),
  })
  .refine((b) => b.replaces !== undefined || (b.token === undefined) !== (b.ticketId === undefined), { message: 'exactly one of token and ticketId (or replaces)' });
export type BandLink = z.infer<typeof BandLink>;

/** The socket events of wristbands. */
export const WRISTBAND_EVENTS = {
  'band:link': socketEvent({ payload: BandLink, ack: ActorState, summary: 'Link a wristband to a ticket (by its QR payload, or its id for staff), or replace a lost band; answers the band actor.', by: 'gates, front desk staff' }),
} as const;

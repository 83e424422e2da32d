/**
 * Occupancy: how many people are inside a zone or a slot, live.
 */
import { z } from 'zod';
import { Id, Unsubscribed } from './common.js';
import { serverPush, socketEvent } from './contract.js';

/** How many people are inside a zone or a slot now. */
export const OccupancyLevel = z.object({
  scope: z.enum(['zone', 'slot']),
  id: z.string(),
  inside: z.number().int().nonnegative(),
  /** Epoch ms of the reading; keep the newest. */
  at: z.number().int().nonnegative(),
});
export type OccupancyLevel = z.infer<typeof OccupancyLevel>;

/** Watch who is inside some zones and slots (dashboards, visitor screens); at least one of each list. */
export const OccupancySubscribe = z
  .strictObject({ zones: z.array(Id).max(50).optional(), slotIds: z.array(Id).max(50).optional() })
  .refine((s) => (s.zones?.length ?? 0) + (s.slotIds?.length ?? 0) > 0, { message: 'name at least one zone or slot' });
export type OccupancySubscribe = z.infer<typeof OccupancySubscribe>;

/** The levels of the watched zones and slots, as `occupancy:subscribe` answers. */
export const OccupancyLevels = z.object({ levels: z.array(OccupancyLevel) });

/** The socket events of occupancy. */
export const OCCUPANCY_EVENTS = {
  'occupancy:subscribe': socketEvent({ payload: OccupancySubscribe, ack: OccupancyLevels, summary: 'Watch how many are inside zones and slots: current levels first, then occupancy:changed after every entry and exit.', by: 'anyone signed in' }),
  'occupancy:unsubscribe': socketEvent({ payload: OccupancySubscribe, ack: Unsubscribed, summary: 'Stop watching zones and slots.', by: 'anyone subscribed' }),
} as const;

/** The pushes of occupancy. */
export const OCCUPANCY_PUSHES = {
  'occupancy:changed': serverPush({ payload: OccupancyLevel, summary: 'How many are inside a watched zone or slot; keep the newest `at`.', to: 'sockets watching the zone or slot' }),
} as const;

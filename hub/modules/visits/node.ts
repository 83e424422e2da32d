/** The visits module on a node: how long after the last member's exit a visit closes (CHECKOUT_GRACE_MINUTES). */
import { z } from 'zod';
import { visitsRuntime } from '../../../workers/visits/visits.module.js';
import { integer } from '../../env-fields.js';
import { nodePartOf } from '../node-part.js';

/** The visits module's variables. */
export const VisitsSettings = z.object({
  /** Minutes after the last member of a party goes out before the visit closes (lockers freed, bands off). */
  CHECKOUT_GRACE_MINUTES: integer('CHECKOUT_GRACE_MINUTES', 0, 24 * 60, 15),
});

export const visitsNode = nodePartOf(visitsRuntime, {
  settings: VisitsSettings,
  open: async (_node, settings) => ({ wiring: { checkoutGraceMs: settings.CHECKOUT_GRACE_MINUTES * 60_000 }, lends: undefined }),
});

/** The visits module on a node: how long after the last member's exit a visit closes (CHECKOUT_GRACE_MINUTES). */
import { visitsRuntime } from '../../../workers/visits/visits.module.js';
import { nodePartOf } from '../node-part.js';

export const visitsNode = nodePartOf(visitsRuntime, {
  open: async ({ config }) => ({ wiring: { checkoutGraceMs: config.CHECKOUT_GRACE_MINUTES * 60_000 }, lends: undefined }),
});

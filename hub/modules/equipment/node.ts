/** The equipment module on a node: how long a rental lasts (RENTAL_HOURS) before it is overdue. */
import { equipmentRuntime } from '../../../workers/equipment/equipment.module.js';
import { nodePartOf } from '../node-part.js';

export const equipmentNode = nodePartOf(equipmentRuntime, {
  open: async ({ config }) => ({ wiring: { rentalMs: config.RENTAL_HOURS * 3_600_000 }, lends: undefined }),
});

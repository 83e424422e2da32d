/** The equipment module on a node: how long a rental lasts (RENTAL_HOURS) before it is overdue. */
import { z } from 'zod';
import { equipmentRuntime } from '../../../workers/equipment/equipment.module.js';
import { integer } from '../../env-fields.js';
import { nodePartOf } from '../node-part.js';

/** The equipment module's variables. */
export const EquipmentSettings = z.object({
  /** Hours a rental lasts before it is overdue. */
  RENTAL_HOURS: integer('RENTAL_HOURS', 1, 24, 4),
});

export const equipmentNode = nodePartOf(equipmentRuntime, {
  settings: EquipmentSettings,
  open: async (_node, settings) => ({ wiring: { rentalMs: settings.RENTAL_HOURS * 3_600_000 }, lends: undefined }),
});

/** Rental equipment: pick-up and return at the desk, counts per type, the rentals feed, and the staff's equipment admin. */
import type { EquipmentService } from '../../../workers/equipment/equipment-service.js';
import type { EquipmentWiring } from '../../../workers/equipment/equipment.module.js';
import { equipmentRuntime } from '../../../workers/equipment/equipment.module.js';
import { policyRows } from '../../policy/policy-table.js';
import { rentalRoutes } from '../../socket/rental-routes.js';
import type { VenueModule } from '../venue-module.js';
import { equipmentNode } from './node.js';

export const equipmentModule: VenueModule<EquipmentService, EquipmentWiring> = {
  ...equipmentRuntime,
  node: equipmentNode,
  policy: policyRows('equipment.rent', 'equipment.charge', 'equipment.repaired', 'equipment.out_of_service', 'equipment.define', 'feed.rentals'),
  socket: ({ runtime, trail }) => rentalRoutes({ equipment: runtime.equipment, trail }),
};

/**
 * The runtime parts of the venue's own modules, in start order (a module may use the services of
 * those before it). The hub's module list (`hub/modules/index.ts`) carries the same parts with
 * their routes and policy rows; this list is what a runtime runs when it is given none (tests and
 * tools below the network edge).
 */
import { accountsRuntime } from '../accounts/accounts.module.js';
import { bookingsRuntime } from '../bookings/bookings.module.js';
import { catalogRuntime } from '../catalog/catalog.module.js';
import { devicesRuntime } from '../devices/devices.module.js';
import { equipmentRuntime } from '../equipment/equipment.module.js';
import { foodRuntime } from '../food/food.module.js';
import { gatesRuntime } from '../gates/gates.module.js';
import { lockersRuntime } from '../lockers/lockers.module.js';
import { notificationsRuntime } from '../notifications/notifications.module.js';
import { paymentsRuntime } from '../payments/payments.module.js';
import { ticketsRuntime } from '../tickets/tickets.module.js';
import { visitsRuntime } from '../visits/visits.module.js';
import { wristbandsRuntime } from '../wristbands/wristbands.module.js';
import type { RuntimeModule } from './runtime-module.js';

export const VENUE_RUNTIME_MODULES: readonly RuntimeModule[] = [
  accountsRuntime,
  devicesRuntime,
  catalogRuntime,
  bookingsRuntime,
  ticketsRuntime,
  notificationsRuntime,
  paymentsRuntime,
  lockersRuntime,
  wristbandsRuntime,
  equipmentRuntime,
  visitsRuntime,
  gatesRuntime,
  foodRuntime,
];

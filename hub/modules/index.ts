/**
 * The venue's modules, in start order (a module may use the services of those before it): the one
 * list. Both `main`s, the hub and `npm run projections:rebuild` iterate it (the runtime runs the
 * modules it is given, nothing else); a new module is its folder and one line here.
 */
import { accountsModule } from './accounts/index.js';
import { bookingsModule } from './bookings/index.js';
import { catalogModule } from './catalog/index.js';
import { devicesModule } from './devices/index.js';
import { equipmentModule } from './equipment/index.js';
import { foodModule } from './food/index.js';
import { gatesModule } from './gates/index.js';
import { lockersModule } from './lockers/index.js';
import { notificationsModule } from './notifications/index.js';
import { paymentsModule } from './payments/index.js';
import { readSideModule } from './read-side/index.js';
import { ticketsModule } from './tickets/index.js';
import type { VenueModule } from './venue-module.js';
import { visitsModule } from './visits/index.js';
import { wristbandsModule } from './wristbands/index.js';

export const VENUE_MODULES: readonly VenueModule[] = [
  accountsModule,
  devicesModule,
  catalogModule,
  bookingsModule,
  ticketsModule,
  notificationsModule,
  paymentsModule,
  lockersModule,
  wristbandsModule,
  equipmentModule,
  visitsModule,
  gatesModule,
  foodModule,
  readSideModule,
];

/**
 * The wristbands module: the wristband actor (RFID bands linked to tickets, activated at check-in,
 * deactivated when the visit closes).
 */
import { wristbandDefinition } from '../../machines/wristband.machine.js';
import type { RuntimeModule } from '../modules/runtime-module.js';
import type { WristbandService } from './wristband-service.js';
import { createWristbandService } from './wristband-service.js';

export const wristbandsRuntime: RuntimeModule<WristbandService> = {
  name: 'wristbands',
  machines: [wristbandDefinition],
  start: (ctx) => ({ service: createWristbandService({ host: ctx.host, ledger: ctx.ledger, clock: ctx.clock }) }),
};

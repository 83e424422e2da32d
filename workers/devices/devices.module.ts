/**
 * The devices module: the device actor (tokens minted, last seen, revoked) and the devices read
 * model staff list (`list:page devices`).
 */
import { deviceDefinition } from '../../machines/device.machine.js';
import type { RuntimeModule } from '../modules/runtime-module.js';
import { devicesProjection } from '../projections/venue-projections.js';
import type { DeviceRecords } from './device-records.js';
import { createDeviceRecords } from './device-records.js';

export const devicesRuntime: RuntimeModule<DeviceRecords> = {
  name: 'devices',
  machines: [deviceDefinition],
  projections: () => [devicesProjection],
  start: (ctx) => ({ service: createDeviceRecords({ host: ctx.host, clock: ctx.clock, log: ctx.log.child({ part: 'devices' }) }) }),
};

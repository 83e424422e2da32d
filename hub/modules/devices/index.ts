/**
 * Devices: the record of every device the hub issued tokens to (the device actor: tokens minted,
 * last seen, revoked) and its list. Minting and revoking stay with accounts (`POST
 * /api/admin/devices`, `admin:revoke`), which tell this module's service; a device's socket being
 * accepted is recorded here.
 */
import type { DeviceRecords } from '../../../workers/devices/device-records.js';
import { devicesRuntime } from '../../../workers/devices/devices.module.js';
import { policyRows } from '../../policy/policy-table.js';
import type { VenueModule } from '../venue-module.js';

export const devicesModule: VenueModule<DeviceRecords> = {
  ...devicesRuntime,
  policy: policyRows('list.devices'),
  connected({ runtime }) {
    const records = runtime.service(devicesRuntime);
    return (principal) => {
      if (principal.kind === 'device') void records.seen(principal.deviceId);
    };
  },
};

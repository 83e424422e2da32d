/**
 * A real runtime for rental tests: SQLite in a temp directory, real agenda timers, the relay with
 * the runtime's own equipment effect handlers (overdue alerts collected in `alerts`), its
 * wristband and equipment services. `restart()` stops the node and starts a new one on the same file, the way a
 * crashed or redeployed node comes back.
 */
import { expect } from 'vitest';
import type { FloorAlert } from '../../machines/contract/floor-alert.js';
import { wire } from '../modules/runtime-module.js';
import type { Runtime } from '../runtime.js';
import type { ActorStore } from '../store/actor-store.js';
import { startTempRuntime } from '../testing/temp-runtime.js';
import type { WristbandService } from '../wristbands/wristband-service.js';
import type { OverdueAlert } from './equipment-alerts.js';
import type { EquipmentService } from './equipment-service.js';
import { equipmentRuntime } from './equipment.module.js';

const T0 = 1_700_000_000_000;

/** One node of the rental floor on a temp SQLite file. */
export interface RentalFloor {
  readonly rt: Runtime;
  /** The store the runtime was started on (the runtime hands it to nobody). */
  readonly store: ActorStore;
  readonly bands: WristbandService;
  readonly equipment: EquipmentService;
  /** Overdue alerts delivered to this node, in order. */
  readonly alerts: OverdueAlert[];
  readonly dir: string;
  /** Links band `UID-<n>` to a new ticket of booking `bk_<n>` (visitor `vis_<n>`); answers the band UID. */
  issueBand(n: number, bookingId?: string): Promise<string>;
  /** Resolves once `alerts` holds `count` alerts; rejects after `timeoutMs`. */
  waitForAlerts(count: number, timeoutMs?: number): Promise<OverdueAlert[]>;
  /** Stops this node and starts a fresh one on the same file (pools must be defined again). */
  restart(): Promise<RentalFloor>;
  stop(): Promise<void>;
}

/** Starts a rental floor; `rentalMs` is the rental duration of its equipment service. */
export async function startRentalFloor(options: { rentalMs?: number; dir?: string } = {}): Promise<RentalFloor> {
  const alerts: OverdueAlert[] = [];
  const waiters = new Set<() => void>();
  const alert = (floorAlert: FloorAlert) => {
    if (floorAlert.type !== 'equipment_overdue') return;
    const { type: _type, ...overdue } = floorAlert;
    alerts.push(overdue);
    for (const wake of waiters) wake();
  };
  const temp = await startTempRuntime('vh-equipment-', {
    onAlert: alert,
    wiring: [wire(equipmentRuntime, { ...(options.rentalMs === undefined ? {} : { rentalMs: options.rentalMs }) })],
    ...(options.dir === undefined ? {} : { dir: options.dir }),
  });
  const { rt, store, dir } = temp;
  const bands = rt.wristbands;
  const equipment = rt.equipment;
  let tickets = 0;
  return {
    rt,
    store,
    bands,
    equipment,
    alerts,
    dir,
    async issueBand(n, bookingId = `bk_${n}`) {
      const ticketId = `${bookingId}-t${++tickets}-${n}`;
      const input = { ticketId, bookingId, visitorId: `vis_${n}`, ticketTypeId: 'adult', slotId: 'slot_1', seq: 1, validFrom: T0, validUntil: T0 + 3_600_000, issuedAt: T0 };
      expect(await rt.host.create('ticket', ticketId, input, { who: 'system' })).toMatchObject({ ok: true });
      expect(await bands.link(`UID-${n}`, ticketId)).toMatchObject({ ok: true });
      return `UID-${n}`;
    },
    waitForAlerts(count, timeoutMs = 5_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (alerts.length < count) return;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(alerts);
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`${alerts.length} of ${count} overdue alerts within ${timeoutMs} ms`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    async restart() {
      await rt.stop();
      return startRentalFloor({ ...options, dir });
    },
    stop: () => temp.stop(),
  };
}

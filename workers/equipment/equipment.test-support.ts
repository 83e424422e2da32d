/**
 * A real runtime for rental tests: SQLite in a temp directory, real agenda timers, the relay with
 * the equipment effect handlers (overdue alerts collected in `alerts`), wristbands and the
 * equipment service. `restart()` stops the node and starts a new one on the same file, the way a
 * crashed or redeployed node comes back.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { silentLogger } from '../logger.js';
import type { Runtime } from '../runtime.js';
import { startRuntime } from '../runtime.js';
import { openSqliteActorStore } from '../store/sqlite-actor-store.js';
import { createSqliteAgendaBackend } from '../timers/sqlite-job-repository.js';
import type { WristbandService } from '../wristbands/wristband-service.js';
import { createWristbandService } from '../wristbands/wristband-service.js';
import type { OverdueAlert } from './equipment-alerts.js';
import { equipmentEffectHandlers } from './equipment-alerts.js';
import type { EquipmentService } from './equipment-service.js';
import { createEquipmentService } from './equipment-service.js';

const T0 = 1_700_000_000_000;

/** One node of the rental floor on a temp SQLite file. */
export interface RentalFloor {
  readonly rt: Runtime;
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
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'vh-equipment-'));
  const file = join(dir, 'venue-hub.db');
  const alerts: OverdueAlert[] = [];
  const waiters = new Set<() => void>();
  const onOverdue = (alert: OverdueAlert) => {
    alerts.push(alert);
    for (const wake of waiters) wake();
  };
  const rt = await startRuntime({
    store: openSqliteActorStore({ file }),
    jobsBackend: createSqliteAgendaBackend({ file }),
    log: silentLogger,
    timings: { holdMs: 60_000, reviewMs: 60_000, paymentMs: 60_000 },
    timerPollMs: 50,
    effectHandlers: equipmentEffectHandlers({ onOverdue, log: silentLogger }),
  });
  const bands = createWristbandService({ host: rt.host, ledger: rt.store.ledger, clock: Date.now });
  const equipment = createEquipmentService({
    host: rt.host,
    ledger: rt.store.ledger,
    bands,
    clock: Date.now,
    log: silentLogger,
    ...(options.rentalMs === undefined ? {} : { rentalMs: options.rentalMs }),
  });
  let tickets = 0;
  return {
    rt,
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
    async stop() {
      await rt.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

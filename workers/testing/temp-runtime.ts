/**
 * A real actor runtime on a fresh SQLite file in a temp directory, for service tests:
 * real store, real agenda jobs, real relay, and the modules of the venue floor (tickets without
 * their wiring, wristbands, lockers, equipment) unless the test names others. `stop()` stops it
 * and removes the directory.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { equipmentRuntime } from '../equipment/equipment.module.js';
import { lockersRuntime } from '../lockers/lockers.module.js';
import { silentLogger } from '../logger.js';
import type { RuntimeModule } from '../modules/runtime-module.js';
import type { Runtime, RuntimeDeps } from '../runtime.js';
import { startRuntime } from '../runtime.js';
import type { ActorStore } from '../store/actor-store.js';
import { openSqliteActorStore } from '../store/sqlite-actor-store.js';
import { ticketsRuntime } from '../tickets/tickets.module.js';
import { createSqliteAgendaBackend } from '../timers/sqlite-job-repository.js';
import { wristbandsRuntime } from '../wristbands/wristbands.module.js';

/** The floor: tickets to link bands to, bands, lockers and rental equipment. */
const FLOOR: readonly RuntimeModule[] = [ticketsRuntime, wristbandsRuntime, lockersRuntime, equipmentRuntime];

/** A started runtime and how to end it. */
export interface TempRuntime {
  readonly rt: Runtime;
  /** The store the runtime was started on (the runtime hands it to nobody). */
  readonly store: ActorStore;
  readonly dir: string;
  stop(): Promise<void>;
}

/** What a test may add to the runtime: other modules, their wiring, an alert observer, effect handlers; `dir` to reuse a file. */
export type TempRuntimeOptions = Partial<Pick<RuntimeDeps, 'modules' | 'wiring' | 'onAlert' | 'effectHandlers'>> & { dir?: string };

/** Starts a runtime of the floor's modules with a 50 ms timer poll. */
export async function startTempRuntime(prefix: string, options: TempRuntimeOptions = {}): Promise<TempRuntime> {
  const { dir: given, ...rest } = options;
  const dir = given ?? mkdtempSync(join(tmpdir(), prefix));
  const file = join(dir, 'venue-hub.db');
  const store = openSqliteActorStore({ file });
  const rt = await startRuntime({
    store,
    jobsBackend: createSqliteAgendaBackend({ file }),
    log: silentLogger,
    timerPollMs: 50,
    modules: FLOOR,
    ...rest,
  });
  return {
    rt,
    store,
    dir,
    async stop() {
      await rt.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

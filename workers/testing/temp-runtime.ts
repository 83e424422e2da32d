/**
 * A real actor runtime on a fresh SQLite file in a temp directory, for service tests:
 * real store, real agenda jobs, real relay. `stop()` stops it and removes the directory.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '../logger.js';
import type { Runtime } from '../runtime.js';
import { startRuntime } from '../runtime.js';
import { openSqliteActorStore } from '../store/sqlite-actor-store.js';
import { createSqliteAgendaBackend } from '../timers/sqlite-job-repository.js';

/** A started runtime and how to end it. */
export interface TempRuntime {
  readonly rt: Runtime;
  readonly dir: string;
  stop(): Promise<void>;
}

/** Starts a runtime with one-minute booking deadlines and a 50 ms timer poll. */
export async function startTempRuntime(prefix: string): Promise<TempRuntime> {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const file = join(dir, 'venue-hub.db');
  const rt = await startRuntime({
    store: openSqliteActorStore({ file }),
    jobsBackend: createSqliteAgendaBackend({ file }),
    log: silentLogger,
    timings: { holdMs: 60_000, reviewMs: 60_000, paymentMs: 60_000 },
    timerPollMs: 50,
  });
  return {
    rt,
    dir,
    async stop() {
      await rt.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

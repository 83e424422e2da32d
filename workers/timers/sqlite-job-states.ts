/**
 * Computed job states for dashboards: agenda's own `computeJobState` applied to SQLite rows, so
 * "running", "scheduled", "completed" … mean exactly what they mean on the MongoDB backend.
 */
import { computeJobState, toJobId } from 'agenda';
import type { JobsOverview, JobWithState } from 'agenda';
import { decodeJobRow } from './sqlite-job-rows.js';
import type { JobRow } from './sqlite-job-rows.js';

/** The columns a state depends on (plus name and disabled for the overview). */
export type StateRow = Pick<
  JobRow,
  'name' | 'next_run_at' | 'locked_at' | 'last_finished_at' | 'failed_at' | 'repeat_interval' | 'disabled'
>;

const toDate = (ms: number | null): Date | undefined => (ms === null ? undefined : new Date(ms));

function stateOf(row: StateRow, now: Date): JobWithState['state'] {
  return computeJobState(
    {
      name: row.name,
      priority: 0,
      type: 'normal',
      data: undefined,
      nextRunAt: row.next_run_at === null ? null : new Date(row.next_run_at),
      lockedAt: toDate(row.locked_at),
      lastFinishedAt: toDate(row.last_finished_at),
      failedAt: toDate(row.failed_at),
      repeatInterval: row.repeat_interval ?? undefined,
    },
    now,
  );
}

/** A full row decoded, with its computed state. */
export function withState(row: JobRow, now: Date): JobWithState {
  const job = decodeJobRow(row);
  return { ...job, _id: toJobId(row.id), state: computeJobState(job, now) };
}

/** Per-name totals and state counts; `paused` counts disabled jobs on top of their state. */
export function overviewOf(rows: readonly StateRow[], now: Date): JobsOverview[] {
  const byName = new Map<string, JobsOverview>();
  for (const row of rows) {
    let overview = byName.get(row.name);
    if (!overview) {
      overview = { name: row.name, total: 0, running: 0, scheduled: 0, queued: 0, completed: 0, failed: 0, repeating: 0, paused: 0 };
      byName.set(row.name, overview);
    }
    overview.total += 1;
    overview[stateOf(row, now)] += 1;
    if (row.disabled === 1) overview.paused += 1;
  }
  return [...byName.values()];
}

/**
 * Durable timers: XState keeps `after` delays in memory only, so the host stores each delayed
 * raise with its actor (`timers[key] = {event, dueAt, gen}`) and this service mirrors it as an
 * agenda job that fires at the absolute due time.
 *
 *   commit(timers) ──timersCreated──▶ agenda job 'actor.timer' {kind,id,key,gen}, unique per kind/id/key/gen
 *   job fires ──▶ host.fireTimer ──gen matches?──▶ event applied │ otherwise a no-op
 *   sweeper (every sweepMs) ──store.dueTimers(now - grace)──▶ host.fireTimer   (jobs lost in a crash)
 *   start ──store.dueTimers(∞)──▶ re-mirror every pending timer (idempotent by the unique key)
 */
import { Agenda } from 'agenda';
import type { AgendaBackend, Job } from 'agenda';
import { z } from 'zod';
import type { Logger } from '../logger.js';
import type { ActorStore, DueTimer } from '../store/actor-store.js';
import type { ActorHost } from './actor-host.js';
import type { RuntimeObserver } from '../runtime-observer.js';

export const TIMER_JOB = 'actor.timer';

/** The payload of a timer job; parsed on the way out because it comes back from storage. */
export const TimerJobData = z.object({
  kind: z.string().min(1),
  id: z.string().min(1),
  key: z.string().min(1),
  gen: z.number().int().nonnegative(),
  /** Epoch ms the timer was due (absent on jobs saved before it was recorded). */
  dueAt: z.number().optional(),
});
export type TimerJobData = z.infer<typeof TimerJobData>;

export interface DurableTimersDeps {
  backend: AgendaBackend;
  store: ActorStore;
  host: Pick<ActorHost, 'fireTimer'>;
  clock: () => number;
  log: Logger;
  /** How often agenda looks for due jobs. */
  pollMs: number;
  /** How often the sweeper looks for overdue timers whose job went missing. */
  sweepMs?: number;
  /** How late a timer must be before the sweeper, rather than agenda, fires it. */
  graceMs?: number;
  /** Told how late each timer fired. */
  observer?: Pick<RuntimeObserver, 'timerFired'>;
}

export interface DurableTimers {
  /**
   * Opens the jobs store; with `processJobs` false (a hub node beside a worker process) timers are
   * only saved as jobs here, and the worker's agenda fires them (its sweeper catches lost ones).
   */
  start(options?: { processJobs?: boolean }): Promise<void>;
  /** Mirrors newly committed timers as jobs (called by the host after a commit). */
  mirror(timers: DueTimer[]): void;
  /** Fires every overdue timer now; returns how many were fired. */
  sweep(): Promise<number>;
  stop(): Promise<void>;
}

/** Creates the timer service; nothing runs until `start()`. */
export function createDurableTimers(deps: DurableTimersDeps): DurableTimers {
  let agenda: Agenda | undefined;
  const sweepMs = deps.sweepMs ?? Math.max(5_000, deps.pollMs * 5);
  const graceMs = deps.graceMs ?? Math.max(2_000, deps.pollMs * 3);
  let sweeper: NodeJS.Timeout | undefined;
  let sweeping: Promise<number> | undefined;
  const pendingSaves = new Set<Promise<unknown>>();
  const running = new Set<Promise<unknown>>();

  async function fire(job: Job<unknown>): Promise<void> {
    const data = TimerJobData.safeParse(job.attrs.data);
    if (!data.success) {
      deps.log.error('timer job with unreadable data dropped', { jobId: String(job.attrs._id) });
      return;
    }
    const { dueAt, ...timer } = data.data;
    if (dueAt !== undefined) deps.observer?.timerFired(Math.max(0, deps.clock() - dueAt));
    const result = await deps.host.fireTimer(timer);
    if (!result.ok && result.code !== 'actor.not_found') {
      deps.log.warn('timer refused', { ...data.data, code: result.code, message: result.message });
    }
  }

  async function open(): Promise<Agenda> {
    // Connect first: agenda's constructor does not surface connection errors.
    await deps.backend.connect();
    const created = new Agenda({ backend: deps.backend, processEvery: deps.pollMs, defaultLockLifetime: 60_000 });
    created.define(
      TIMER_JOB,
      (job: Job<unknown>) => {
        const work = fire(job);
        running.add(work);
        return work.finally(() => running.delete(work));
      },
      { removeOnComplete: true },
    );
    created.on('error', (error: Error) => deps.log.warn('timer jobs store', { error: error.message }));
    return created;
  }

  // The generation is part of the unique key: re-arming a key never updates a job that may already
  // be locked for running (which could lose the new due time); the stale job fires as a no-op.
  function save(timer: DueTimer): Promise<unknown> {
    if (!agenda) return Promise.reject(new Error('durable timers not started'));
    const data: TimerJobData = { kind: timer.kind, id: timer.id, key: timer.key, gen: timer.gen, dueAt: timer.dueAt };
    return agenda
      .create(TIMER_JOB, data)
      .unique({ 'data.kind': timer.kind, 'data.id': timer.id, 'data.key': timer.key, 'data.gen': timer.gen })
      .schedule(new Date(timer.dueAt))
      .save();
  }

  function track(promise: Promise<unknown>): void {
    const tracked = promise.catch((error: unknown) => deps.log.warn('timer job not saved; the sweeper will fire it', { error: String(error) }));
    pendingSaves.add(tracked);
    void tracked.finally(() => pendingSaves.delete(tracked));
  }

  async function sweep(): Promise<number> {
    if (sweeping) return sweeping;
    sweeping = (async () => {
      let fired = 0;
      for (;;) {
        const due = await deps.store.dueTimers(deps.clock() - graceMs, 200);
        if (due.length === 0) break;
        for (const timer of due) {
          deps.observer?.timerFired(Math.max(0, deps.clock() - timer.dueAt));
          const result = await deps.host.fireTimer(timer);
          if (!result.ok) deps.log.warn('overdue timer refused', { ...timer, code: result.code, message: result.message });
          fired++;
        }
        if (due.length < 200) break;
      }
      if (fired > 0) deps.log.info('sweeper fired overdue timers', { fired });
      return fired;
    })().finally(() => {
      sweeping = undefined;
    });
    return sweeping;
  }

  return {
    async start(options) {
      agenda = await open();
      if (options?.processJobs === false) return;
      await agenda.start();
      // Re-mirror every pending timer: a crash between a commit and its job save loses nothing.
      const pending = await deps.store.dueTimers(Number.MAX_SAFE_INTEGER, 100_000);
      await Promise.all(pending.map(save));
      if (pending.length > 0) deps.log.info('pending timers re-armed', { count: pending.length });
      sweeper = setInterval(() => void sweep().catch((e: unknown) => deps.log.error('sweep failed', { error: String(e) })), sweepMs);
      sweeper.unref();
    },
    mirror(timers) {
      for (const timer of timers) track(save(timer));
    },
    sweep,
    async stop() {
      if (sweeper) clearInterval(sweeper);
      await Promise.all(pendingSaves);
      await sweeping;
      if (!agenda) return;
      // Stop taking jobs, let running timer handlers finish their commits, then close the jobs store.
      await agenda.stop(false);
      await Promise.all(running);
      await deps.backend.disconnect();
    },
  };
}

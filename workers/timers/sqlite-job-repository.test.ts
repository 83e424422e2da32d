import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Agenda } from 'agenda';
import type { Job, JobWithId } from 'agenda';
import { SqliteJobRepository, createSqliteAgendaBackend } from './sqlite-job-repository.js';

interface TimerData {
  actorId: string;
  timerKey: string;
  gen?: number;
}

interface Run {
  id: string;
  data: TimerData;
  at: number;
  by: string;
}

const FIRE = 'timer.fire';
let dir = '';
let cleanups: (() => Promise<void>)[] = [];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'venue-timers-'));
});

afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  cleanups = [];
  await rm(dir, { recursive: true, force: true });
});

const dbFile = (): string => join(dir, 'jobs.sqlite');

/** A started-or-not Agenda on the shared file; stopped and closed after the test. */
function openAgenda(name: string, options: { processEvery?: number; defaultLockLifetime?: number } = {}) {
  const backend = createSqliteAgendaBackend({ file: dbFile() });
  const agenda = new Agenda({ backend, name, processEvery: options.processEvery ?? 50, ...options });
  cleanups.push(async () => {
    await agenda.stop();
    await backend.disconnect();
  });
  return { agenda, repository: backend.repository };
}

/** A second connection to the file for looking at rows while agendas run. */
async function openInspector(): Promise<SqliteJobRepository> {
  const repository = new SqliteJobRepository({ file: dbFile() });
  await repository.connect();
  cleanups.push(() => repository.disconnect());
  return repository;
}

/** Records runs of FIRE across agendas and resolves once n jobs have completed (state saved). */
function recorder() {
  const runs: Run[] = [];
  let completed = 0;
  const waiters: { n: number; resolve: () => void }[] = [];
  const attach = (agenda: Agenda, by: string): void => {
    agenda.define(FIRE, async (job: Job<TimerData>) => {
      runs.push({ id: String(job.attrs._id), data: job.attrs.data, at: Date.now(), by });
    });
    agenda.on(`complete:${FIRE}`, (_job: JobWithId) => {
      completed += 1;
      for (const waiter of waiters.filter((w) => completed >= w.n)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    });
  };
  const completions = (n: number): Promise<void> =>
    completed >= n ? Promise.resolve() : new Promise((resolve) => waiters.push({ n, resolve }));
  return { runs, attach, completions };
}

/** Polls a condition on stored state (not a fixed sleep): for states no agenda event reports. */
async function until(condition: () => Promise<boolean>): Promise<void> {
  while (!(await condition())) await new Promise((resolve) => setTimeout(resolve, 10));
}

describe('agenda on the SQLite job repository', () => {
  it('runs a one-off job at (not before) its absolute due time, exactly once', async () => {
    const { agenda, repository } = openAgenda('node-1');
    const log = recorder();
    log.attach(agenda, 'node-1');
    await agenda.start();
    const due = new Date(Date.now() + 300);
    const job = await agenda.schedule(due, FIRE, { actorId: 'booking/b1', timerKey: 'hold.expire' });

    await log.completions(1);
    expect(log.runs).toHaveLength(1);
    expect(log.runs[0]?.at).toBeGreaterThanOrEqual(due.getTime());
    expect(log.runs[0]?.data).toEqual({ actorId: 'booking/b1', timerKey: 'hold.expire' });

    const stored = await repository.getJobById(String(job.attrs._id));
    expect(stored?.nextRunAt).toBeNull();
    expect(stored?.lockedAt).toBeUndefined();
    expect(stored?.lastFinishedAt).toBeInstanceOf(Date);
    // Nothing is left that any processor could lock again.
    expect(await repository.getNextJobToRun(FIRE, new Date(Date.now() + 3_600_000), new Date(0), undefined, undefined)).toBeUndefined();
  });

  it('dedupes by unique key: a second save updates the one job; insertOnly keeps it', async () => {
    const { agenda, repository } = openAgenda('node-1');
    const t1 = new Date(Date.now() + 60_000);
    const t2 = new Date(Date.now() + 120_000);
    const arm = (at: Date, gen: number, insertOnly = false) =>
      agenda
        .create<TimerData>(FIRE, { actorId: 'booking/b1', timerKey: 'hold.expire', gen })
        .unique({ 'data.actorId': 'booking/b1', 'data.timerKey': 'hold.expire' }, { insertOnly })
        .schedule(at)
        .save();

    const first = await arm(t1, 1);
    const second = await arm(t2, 2);
    expect(second.attrs._id).toBe(first.attrs._id);
    expect(second.attrs.nextRunAt).toEqual(t2);
    const kept = await arm(new Date(Date.now() + 180_000), 3, true);
    expect(kept.attrs.nextRunAt).toEqual(t2);

    // Key order in the unique query does not matter.
    await agenda
      .create<TimerData>(FIRE, { actorId: 'booking/b1', timerKey: 'hold.expire', gen: 4 })
      .unique({ 'data.timerKey': 'hold.expire', 'data.actorId': 'booking/b1' })
      .schedule(t1)
      .save();
    const { jobs, total } = await repository.queryJobs({ name: FIRE });
    expect(total).toBe(1);
    expect(jobs[0]?.data).toEqual({ actorId: 'booking/b1', timerKey: 'hold.expire', gen: 4 });
    expect(jobs[0]?.nextRunAt).toEqual(t1);
  });

  it('re-arms a unique job that already fired: same row, runs again', async () => {
    const { agenda } = openAgenda('node-1');
    const log = recorder();
    log.attach(agenda, 'node-1');
    await agenda.start();
    const arm = (gen: number) =>
      agenda
        .create<TimerData>(FIRE, { actorId: 'locker/l1', timerKey: 'rental.end', gen })
        .unique({ 'data.actorId': 'locker/l1', 'data.timerKey': 'rental.end' })
        .schedule(new Date(Date.now() + 100))
        .save();
    await arm(1);
    await log.completions(1);
    await arm(2);
    await log.completions(2);
    expect(log.runs.map((run) => run.data.gen)).toEqual([1, 2]);
    expect(new Set(log.runs.map((run) => run.id)).size).toBe(1);
  });

  it('every() keeps one single-type job per name that repeats', async () => {
    const { agenda, repository } = openAgenda('node-1');
    const log = recorder();
    log.attach(agenda, 'node-1');
    await agenda.every(100, FIRE, { actorId: 'sweeper', timerKey: 'tick' });
    await agenda.every(100, FIRE, { actorId: 'sweeper', timerKey: 'tick' });
    await agenda.start();
    await log.completions(2);
    const { jobs } = await repository.queryJobs({ name: FIRE });
    expect(jobs).toHaveLength(1);
    expect(jobs[0]?.type).toBe('single');
    expect(jobs[0]?.repeatInterval).toBe(100);
  });

  it('survives a restart: a new Agenda on the same file runs a job the old one scheduled', async () => {
    const first = openAgenda('node-1');
    first.agenda.define(FIRE, async () => undefined);
    await first.agenda.start();
    const due = new Date(Date.now() + 300);
    await first.agenda.schedule(due, FIRE, { actorId: 'ticket/t1', timerKey: 'expire' });
    await first.agenda.stop();

    const second = openAgenda('node-2');
    const log = recorder();
    log.attach(second.agenda, 'node-2');
    await second.agenda.start();
    await log.completions(1);
    expect(log.runs[0]?.by).toBe('node-2');
    expect(log.runs[0]?.at).toBeGreaterThanOrEqual(due.getTime());
  });

  it('stop() releases jobs an instance had locked but not started, so another runs them on time', async () => {
    const inspector = await openInspector();
    const first = openAgenda('node-1', { processEvery: 5_000 });
    first.agenda.define(FIRE, async () => undefined);
    const job = await first.agenda.schedule(new Date(Date.now() + 1_000), FIRE, { actorId: 'a', timerKey: 't' });
    await first.agenda.start();
    // With a 5 s scan window the first scan locks the job and waits for its due time in memory.
    await until(async () => (await inspector.getJobById(String(job.attrs._id)))?.lockedAt !== undefined);
    await first.agenda.stop();
    expect((await inspector.getJobById(String(job.attrs._id)))?.lockedAt).toBeUndefined();

    const second = openAgenda('node-2');
    const log = recorder();
    log.attach(second.agenda, 'node-2');
    await second.agenda.start();
    await log.completions(1);
    expect(log.runs.map((run) => run.by)).toEqual(['node-2']);
  });

  it('recovers a job locked by a crashed holder once the lock lifetime has passed', async () => {
    const inspector = await openInspector();
    const { agenda } = openAgenda('node-2', { defaultLockLifetime: 400 });
    const log = recorder();
    log.attach(agenda, 'node-2');
    await agenda.schedule(new Date(Date.now() - 1_000), FIRE, { actorId: 'a', timerKey: 't' });
    const crashed = await inspector.getNextJobToRun(FIRE, new Date(), new Date(0), undefined, { lastModifiedBy: 'dead' });
    expect(crashed?.lockedAt).toBeInstanceOf(Date);

    await agenda.start();
    await log.completions(1);
    expect(log.runs[0]?.at).toBeGreaterThanOrEqual((crashed?.lockedAt?.getTime() ?? 0) + 400);
  });

  it('two instances on one file run each job exactly once', async () => {
    const inspector = await openInspector();
    const a = openAgenda('node-a');
    const b = openAgenda('node-b');
    const log = recorder();
    log.attach(a.agenda, 'node-a');
    log.attach(b.agenda, 'node-b');
    const due = new Date(Date.now() + 200);
    for (let i = 0; i < 20; i += 1) await a.agenda.schedule(due, FIRE, { actorId: `slot/${i}`, timerKey: 'open' });
    await Promise.all([a.agenda.start(), b.agenda.start()]);

    await log.completions(20);
    expect(log.runs).toHaveLength(20);
    expect(new Set(log.runs.map((run) => run.id)).size).toBe(20);
    const { jobs } = await inspector.queryJobs({ name: FIRE });
    expect(jobs.every((job) => job.nextRunAt === null && job.lockedAt === undefined)).toBe(true);
  });

  it('several OS processes claiming from one file never claim a job twice', async () => {
    const inspector = await openInspector();
    const { agenda } = openAgenda('scheduler');
    const ids: string[] = [];
    for (let i = 0; i < 150; i += 1) {
      const job = await agenda.schedule(new Date(), 'claim.me', { i });
      ids.push(String(job.attrs._id));
    }
    const script = fileURLToPath(new URL('./fixtures/claim-jobs.ts', import.meta.url));
    const startAt = String(Date.now() + 2_000);
    const claims = await Promise.all(
      [1, 2, 3].map(
        () =>
          new Promise<string[]>((resolve, reject) => {
            const child = spawn(process.execPath, ['--import', 'tsx', script, dbFile(), 'claim.me', startAt]);
            let out = '';
            let err = '';
            child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
            child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
            child.on('error', reject);
            child.on('close', (code) =>
              code === 0 ? resolve(JSON.parse(out) as string[]) : reject(new Error(`claimer exited ${code}: ${err}`)),
            );
          }),
      ),
    );
    const all = claims.flat();
    expect(all).toHaveLength(150);
    expect(new Set(all)).toEqual(new Set(ids));
    expect((await inspector.queryJobs({ name: 'claim.me', state: 'running' })).total).toBe(150);
  });

  it('cancels by data: the cancelled job never runs, the others do', async () => {
    const { agenda } = openAgenda('node-1');
    const log = recorder();
    log.attach(agenda, 'node-1');
    const soon = new Date(Date.now() + 150);
    await agenda.schedule(soon, FIRE, { actorId: 'booking/b1', timerKey: 'hold.expire' });
    await agenda.schedule(soon, FIRE, { actorId: 'booking/b1', timerKey: 'pay.remind' });
    await agenda.schedule(new Date(Date.now() + 300), FIRE, { actorId: 'booking/b2', timerKey: 'hold.expire' });

    expect(await agenda.cancel({ name: FIRE, data: { actorId: 'booking/b1', timerKey: 'hold.expire' } })).toBe(1);
    expect(await agenda.cancel({ name: FIRE, data: { actorId: 'booking/none' } })).toBe(0);
    await agenda.start();
    await log.completions(2);
    expect(log.runs.map((run) => run.data.timerKey).sort()).toEqual(['hold.expire', 'pay.remind']);
    expect(log.runs.find((run) => run.data.timerKey === 'hold.expire')?.data.actorId).toBe('booking/b2');
  });

  it('runs jobs that fell due while nothing was running as soon as it starts', async () => {
    const { agenda } = openAgenda('node-1', { processEvery: 2_000 });
    const log = recorder();
    log.attach(agenda, 'node-1');
    await agenda.schedule(new Date(Date.now() - 60_000), FIRE, { actorId: 'a', timerKey: 'late' });
    await agenda.schedule(new Date(Date.now() - 5_000), FIRE, { actorId: 'b', timerKey: 'late' });
    const startedAt = Date.now();
    await agenda.start();
    await log.completions(2);
    // Well inside one 2 s scan interval: the first scan at start picks them up.
    expect(Math.max(...log.runs.map((run) => run.at)) - startedAt).toBeLessThan(1_000);
  });
});

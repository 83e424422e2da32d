import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { JobParameters } from 'agenda';
import { SqliteJobRepository } from './sqlite-job-repository.js';

let dir = '';
let repository: SqliteJobRepository;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'venue-timer-queries-'));
  repository = new SqliteJobRepository({ file: join(dir, 'jobs.sqlite') });
  await repository.connect();
});

afterEach(async () => {
  await repository.disconnect();
  await rm(dir, { recursive: true, force: true });
});

const HOUR = 3_600_000;

function job(name: string, data: unknown, extra: Partial<JobParameters> = {}): JobParameters {
  return { name, data, priority: 0, type: 'normal', nextRunAt: new Date(Date.now() + HOUR), ...extra };
}

async function save(params: JobParameters): Promise<string> {
  const saved = await repository.saveJob(params, { lastModifiedBy: 'test' });
  return String(saved._id);
}

const claim = (name: string) =>
  repository.getNextJobToRun(name, new Date(Date.now() + 2 * HOUR), new Date(0), undefined, undefined);

describe('SqliteJobRepository', () => {
  it('round-trips every field with Dates as Date objects', async () => {
    const at = new Date('2030-01-02T03:04:05.678Z');
    const id = await save(
      job('full', { nested: { list: [1, 'two', null] }, flag: true }, {
        nextRunAt: at,
        priority: 10,
        repeatInterval: '5 minutes',
        repeatTimezone: 'Europe/Vienna',
        startDate: at,
        endDate: new Date(at.getTime() + HOUR),
        skipDays: [0, 6],
        disabled: false,
      }),
    );
    const stored = await repository.getJobById(id);
    expect(stored).toMatchObject({
      name: 'full',
      priority: 10,
      type: 'normal',
      nextRunAt: at,
      repeatInterval: '5 minutes',
      repeatTimezone: 'Europe/Vienna',
      startDate: at,
      skipDays: [0, 6],
      disabled: false,
      lastModifiedBy: 'test',
      data: { nested: { list: [1, 'two', null] }, flag: true },
    });
    expect(stored?.endDate).toBeInstanceOf(Date);
    expect(await repository.getJobById('missing')).toBeNull();
  });

  it('finds the next job soonest first, then by priority, and skips disabled and locked ones', async () => {
    const base = Date.now() - 10_000;
    await save(job('order', { n: 'late-low' }, { nextRunAt: new Date(base + 2_000), priority: 0 }));
    await save(job('order', { n: 'early-low' }, { nextRunAt: new Date(base), priority: 0 }));
    await save(job('order', { n: 'early-high' }, { nextRunAt: new Date(base), priority: 10 }));
    await save(job('order', { n: 'disabled' }, { nextRunAt: new Date(base - 5_000), disabled: true }));
    await save(job('order', { n: 'future' }, { nextRunAt: new Date(Date.now() + 3 * HOUR) }));

    const order: unknown[] = [];
    for (let next = await claim('order'); next; next = await claim('order')) order.push(next.data);
    expect(order).toEqual([{ n: 'early-high' }, { n: 'early-low' }, { n: 'late-low' }]);
  });

  it('lockJob locks only an unlocked job still due at the time it carries; unlockJob releases it', async () => {
    const nextRunAt = new Date(Date.now() - 1_000);
    const id = await save(job('lock', {}, { nextRunAt }));
    const params = (await repository.getJobById(id)) as JobParameters;
    expect(await repository.lockJob({ ...params, nextRunAt: new Date(0) }, undefined)).toBeUndefined();
    const locked = await repository.lockJob(params, { lastModifiedBy: 'node-1' });
    expect(locked?.lockedAt).toBeInstanceOf(Date);
    expect(locked?.lastModifiedBy).toBe('node-1');
    expect(await repository.lockJob(params, undefined)).toBeUndefined();
    await repository.unlockJob(params);
    expect((await repository.getJobById(id))?.lockedAt).toBeUndefined();
  });

  it('saveJobState writes processor fields and refuses a vanished job', async () => {
    const id = await save(job('state', {}));
    const params = (await repository.getJobById(id)) as JobParameters;
    const finished = new Date();
    await repository.saveJobState({ ...params, nextRunAt: null, lastRunAt: finished, lastFinishedAt: finished, failCount: 0 }, undefined);
    expect(await repository.getJobById(id)).toMatchObject({ nextRunAt: null, lastFinishedAt: finished, failCount: 0 });
    await repository.removeJobs({ id });
    await expect(repository.saveJobState(params, undefined)).rejects.toThrow(/cannot be updated/);
    // A save by id of a removed job hands the job back unchanged, as the MongoDB backend does.
    expect(await repository.saveJob(params, undefined)).toBe(params);
  });

  it('selects by nested data, names and ids for cancel, disable and enable', async () => {
    const a1 = await save(job('t', { actor: { id: 'a' }, key: 'k1', n: 1 }));
    await save(job('t', { actor: { id: 'a' }, key: 'k2', n: 2 }));
    await save(job('u', { actor: { id: 'b' }, key: 'k1', n: 1 }));
    await save(job('v', 'plain-string'));

    expect(await repository.disableJobs({ data: { actor: { id: 'a' } } })).toBe(2);
    expect(await repository.disableJobs({ data: { actor: { id: 'a' } } })).toBe(0);
    expect(await claim('t')).toBeUndefined();
    expect(await repository.enableJobs({ ids: [a1] })).toBe(1);
    expect((await repository.queryJobs({ includeDisabled: false, name: 't' })).total).toBe(1);

    expect(await repository.removeJobs({})).toBe(0);
    expect(await repository.removeJobs({ data: 'plain-string' })).toBe(1);
    expect(await repository.removeJobs({ name: 't', data: { key: 'k1', n: 1 } })).toBe(1);
    expect(await repository.removeJobs({ notNames: ['t'] })).toBe(1);
    expect(await repository.getDistinctJobNames()).toEqual(['t']);
    expect(await repository.purgeAllJobs()).toBe(1);
  });

  it('queries for dashboards: state, search, pagination and overview', async () => {
    const past = new Date(Date.now() - 1_000);
    await save(job('mail.send', { n: 1 }, { nextRunAt: past }));
    await save(job('mail.send', { n: 2 }));
    await save(job('mail.send', { n: 3 }, { nextRunAt: null, lastFinishedAt: past, disabled: true }));
    await save(job('sms_send', { n: 4 }, { repeatInterval: 60_000 }));
    const locked = await claim('mail.send');
    expect(locked?.data).toEqual({ n: 1 });

    expect((await repository.queryJobs({ state: 'running' })).jobs.map((j) => j.data)).toEqual([{ n: 1 }]);
    expect((await repository.queryJobs({ state: 'paused' })).total).toBe(1);
    expect((await repository.queryJobs({ search: 'MAIL' })).total).toBe(3);
    expect((await repository.queryJobs({ search: 'sms_' })).total).toBe(1);
    expect((await repository.queryJobs({ search: 'sms%' })).total).toBe(0);
    const page = await repository.queryJobs({ name: 'mail.send', sort: { priority: 'desc', name: 'asc' }, skip: 1, limit: 1 });
    expect(page.total).toBe(3);
    expect(page.jobs).toHaveLength(1);
    expect(await repository.getQueueSize()).toBe(1);

    expect(await repository.getJobsOverview()).toEqual([
      { name: 'mail.send', total: 3, running: 1, scheduled: 1, queued: 0, completed: 1, failed: 0, repeating: 0, paused: 1 },
      { name: 'sms_send', total: 1, running: 0, scheduled: 0, queued: 0, completed: 0, failed: 0, repeating: 1, paused: 0 },
    ]);
  });

  it('debounces saves with the same unique key (trailing, with maxWait)', async () => {
    const unique = { 'data.entity': 'e1' };
    const uniqueOpts = { debounce: { delay: 60_000, maxWait: 100, strategy: 'trailing' as const } };
    const first = await repository.saveJob(job('debounced', { entity: 'e1' }, { unique, uniqueOpts }), undefined);
    const pushed = await repository.saveJob(job('debounced', { entity: 'e1', v: 2 }, { unique, uniqueOpts }), undefined);
    expect(pushed._id).toBe(first._id);
    expect(pushed.nextRunAt?.getTime()).toBeGreaterThan(Date.now() + 50_000);
    expect(pushed.debounceStartedAt).toEqual(first.debounceStartedAt);
    await until(() => Date.now() - (first.debounceStartedAt?.getTime() ?? 0) >= 100);
    const forced = await repository.saveJob(job('debounced', { entity: 'e1', v: 3 }, { unique, uniqueOpts }), undefined);
    expect(forced.nextRunAt?.getTime()).toBeLessThanOrEqual(Date.now());
    expect(forced.debounceStartedAt).toBeUndefined();
    expect((await repository.queryJobs({ name: 'debounced' })).total).toBe(1);
  });

  it('rejects query operators in a unique query instead of silently matching nothing', async () => {
    await expect(repository.saveJob(job('op', {}, { unique: { 'data.n': { $gt: 1 } } }), undefined)).rejects.toThrow(/operator/);
  });
});

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5));
}

/**
 * The contract every ActorStore adapter passes: `describeActorStoreContract(name, open)` is
 * called from each adapter's test file. Each test opens a fresh, empty store and closes it.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ActorStore, CommitRequest, EffectRow, TimerRecord } from './actor-store.js';
import { describeAccessContract } from './access.contract.js';
import { describeCapacityLedgerContract } from './capacity-ledger.contract.js';
import { describeHolderLimitsContract } from './holder-limits.contract.js';
import { describeChangeLogContract } from './change-log.contract.js';

interface CommitInput {
  kind?: string;
  id: string;
  expectedVersion: number;
  eventId?: string | null;
  timers?: Record<string, TimerRecord>;
  effects?: number;
  at?: number;
  who?: string;
}

/** Builds a well-formed commit request the way the actor host would. */
export function commitRequest(input: CommitInput): CommitRequest {
  const kind = input.kind ?? 'booking';
  const { id, expectedVersion } = input;
  const version = expectedVersion + 1;
  const at = input.at ?? 1_000 + version;
  const eventId = input.eventId ?? null;
  const to = `s${version}`;
  const effects: EffectRow[] = Array.from({ length: input.effects ?? 0 }, (_, index) => ({
    effectId: `${kind}/${id}@${version}#${index}`,
    kind,
    actorId: id,
    version,
    index,
    type: index % 2 === 0 ? 'notice' : 'email.send',
    payload: { index, to: 'guest@example.test', nested: { empty: {}, list: [1, 'two', null] } },
    createdAt: at,
  }));
  return {
    kind,
    id,
    expectedVersion,
    machineVersion: 3,
    // `children: {}` and `empty: {}` catch adapters that drop empty objects.
    state: { value: to, context: { n: version, empty: {} }, children: {}, status: 'active' },
    timers: input.timers ?? {},
    eventId,
    log: {
      kind,
      id,
      version,
      eventId,
      eventType: `step.${version}`,
      who: input.who ?? 'visitor:v1',
      at,
      from: expectedVersion === 0 ? null : `s${expectedVersion}`,
      to,
    },
    effects,
    at,
  };
}

/** A durable timer record due at `dueAt`. */
export function timer(dueAt: number, gen = 1): TimerRecord {
  return { event: { type: 'hold.expired', reason: 'ttl' }, dueAt, gen };
}

/** Registers the shared contract tests for one adapter. */
export function describeActorStoreContract(name: string, open: () => Promise<ActorStore>): void {
  describe(`ActorStore contract: ${name}`, () => {
    let store: ActorStore;
    beforeEach(async () => {
      store = await open();
    });
    afterEach(async () => {
      await store.close();
    });

    it('creates an actor and loads it back, timers included', async () => {
      const req = commitRequest({ id: 'b1', expectedVersion: 0, timers: { expire: timer(5_000, 2) } });
      expect(await store.commit(req)).toMatchObject({ status: 'committed', version: 1 });
      expect(await store.load('booking', 'b1')).toEqual({
        kind: 'booking',
        id: 'b1',
        machineVersion: 3,
        version: 1,
        state: req.state,
        timers: { expire: timer(5_000, 2) },
        updatedAt: req.at,
      });
      expect(await store.load('booking', 'nobody')).toBeNull();
      expect(await store.load('ticket', 'b1')).toBeNull();
    });

    it('refuses a stale or missing version as a conflict and writes nothing', async () => {
      await store.commit(commitRequest({ id: 'b1', expectedVersion: 0, effects: 1, timers: { a: timer(10) } }));
      await store.commit(commitRequest({ id: 'b1', expectedVersion: 1, effects: 1, timers: { b: timer(20) } }));
      const before = await store.load('booking', 'b1');
      const refused = [
        commitRequest({ id: 'b1', expectedVersion: 0, effects: 2, timers: { x: timer(1) } }),
        commitRequest({ id: 'b1', expectedVersion: 1, effects: 2, timers: { x: timer(1) }, eventId: 'e-stale' }),
        commitRequest({ id: 'b1', expectedVersion: 7, effects: 2 }),
        commitRequest({ id: 'ghost', expectedVersion: 1, effects: 2 }),
      ];
      for (const req of refused) expect(await store.commit(req)).toEqual({ status: 'conflict' });
      expect(await store.load('booking', 'b1')).toEqual(before);
      expect(await store.load('booking', 'ghost')).toBeNull();
      expect(await store.eventLog('booking', 'b1')).toHaveLength(2);
      expect((await store.pendingEffects(100)).map((e) => e.effectId)).toEqual(['booking/b1@1#0', 'booking/b1@2#0']);
      expect((await store.dueTimers(1_000, 100)).map((t) => t.key)).toEqual(['b']);
      // The refused event id was not recorded: the re-applied event commits.
      const retried = commitRequest({ id: 'b1', expectedVersion: 2, eventId: 'e-stale' });
      expect(await store.commit(retried)).toMatchObject({ status: 'committed', version: 3 });
    });

    it('drops a repeated eventId as a duplicate and writes nothing', async () => {
      const created = commitRequest({ id: 'b1', expectedVersion: 0, eventId: 'evt-1', effects: 1 });
      expect(await store.commit(created)).toMatchObject({ status: 'committed', version: 1 });
      const again = commitRequest({ id: 'b1', expectedVersion: 1, eventId: 'evt-1', effects: 1, timers: { t: timer(5) } });
      expect(await store.commit(again)).toEqual({ status: 'duplicate' });
      // A retried delivery computed from a stale version is still a duplicate, not a conflict.
      expect(await store.commit(commitRequest({ id: 'b1', expectedVersion: 0, eventId: 'evt-1' }))).toMatchObject({
        status: 'duplicate',
      });
      expect((await store.load('booking', 'b1'))?.version).toBe(1);
      expect(await store.eventLog('booking', 'b1')).toHaveLength(1);
      expect(await store.pendingEffects(100)).toHaveLength(1);
      expect(await store.dueTimers(1_000, 100)).toEqual([]);

      expect(await store.commit(commitRequest({ id: 'b1', expectedVersion: 1, eventId: 'evt-2' }))).toMatchObject({
        status: 'committed',
        version: 2,
      });
      // Event ids are per actor, and events without an id are never deduplicated.
      expect(await store.commit(commitRequest({ id: 'b2', expectedVersion: 0, eventId: 'evt-1' }))).toMatchObject({
        status: 'committed',
        version: 1,
      });
      expect((await store.commit(commitRequest({ id: 'b2', expectedVersion: 1 }))).status).toBe('committed');
      expect((await store.commit(commitRequest({ id: 'b2', expectedVersion: 2 }))).status).toBe('committed');
    });

    it('answers an actor\'s version and whether an event id was applied to it, by index', async () => {
      expect(await store.version('booking', 'b1')).toBeNull();
      await store.commit(commitRequest({ id: 'b1', expectedVersion: 0, eventId: 'e1' }));
      await store.commit(commitRequest({ id: 'b1', expectedVersion: 1 }));
      expect(await store.version('booking', 'b1')).toBe(2);
      expect(await store.applied('booking', 'b1', 'e1')).toBe(true);
      expect(await store.applied('booking', 'b1', 'e2')).toBe(false);
      expect(await store.applied('booking', 'b2', 'e1')).toBe(false);
      // A refused commit leaves no trace of its event id.
      expect(await store.commit(commitRequest({ id: 'b1', expectedVersion: 1, eventId: 'e3' }))).toEqual({ status: 'conflict' });
      expect(await store.applied('booking', 'b1', 'e3')).toBe(false);
    });

    it('moves counters with a committed transition only, never with a duplicate or a conflict', async () => {
      expect(await store.counter('occupancy:zone:z1')).toBe(0);
      const counted = (req: CommitRequest, counters: Record<string, number>): CommitRequest => ({ ...req, counters });
      await store.commit(counted(commitRequest({ id: 't1', expectedVersion: 0, eventId: 'in-1' }), { 'occupancy:zone:z1': 1, 'occupancy:slot:s1': 1 }));
      await store.commit(counted(commitRequest({ id: 't2', expectedVersion: 0 }), { 'occupancy:zone:z1': 1, 'occupancy:slot:s1': 0 }));
      expect(await store.commit(counted(commitRequest({ id: 't1', expectedVersion: 1, eventId: 'in-1' }), { 'occupancy:zone:z1': 1 }))).toEqual({ status: 'duplicate' });
      expect(await store.commit(counted(commitRequest({ id: 't1', expectedVersion: 0 }), { 'occupancy:zone:z1': 1 }))).toEqual({ status: 'conflict' });
      expect(await store.counter('occupancy:zone:z1')).toBe(2);
      expect(await store.counter('occupancy:slot:s1')).toBe(1);
      await store.commit(counted(commitRequest({ id: 't1', expectedVersion: 1 }), { 'occupancy:zone:z1': -1, 'occupancy:slot:s1': -1 }));
      expect(await store.counter('occupancy:zone:z1')).toBe(1);
      expect(await store.counter('occupancy:slot:s1')).toBe(0);
    });

    it('logs every commit in version order with who, from and to', async () => {
      await store.commit(commitRequest({ id: 'b1', expectedVersion: 0, eventId: 'e1', who: 'visitor:v1' }));
      await store.commit(commitRequest({ id: 'b1', expectedVersion: 1, who: 'admin:a1' }));
      await store.commit(commitRequest({ id: 'b1', expectedVersion: 2, eventId: 'e3', who: 'timer' }));
      await store.commit(commitRequest({ id: 'b9', expectedVersion: 0 }));
      const log = await store.eventLog('booking', 'b1');
      expect(log).toEqual([
        { kind: 'booking', id: 'b1', version: 1, eventId: 'e1', eventType: 'step.1', who: 'visitor:v1', at: 1_001, from: null, to: 's1' },
        { kind: 'booking', id: 'b1', version: 2, eventId: null, eventType: 'step.2', who: 'admin:a1', at: 1_002, from: 's1', to: 's2' },
        { kind: 'booking', id: 'b1', version: 3, eventId: 'e3', eventType: 'step.3', who: 'timer', at: 1_003, from: 's2', to: 's3' },
      ]);
      expect(await store.eventLog('booking', 'nobody')).toEqual([]);
    });

    it('keeps effects pending, oldest first, until they are acked', async () => {
      await store.commit(commitRequest({ id: 'b1', expectedVersion: 0, effects: 2, at: 100 }));
      await store.commit(commitRequest({ id: 'b2', expectedVersion: 0, effects: 1, at: 200 }));
      await store.commit(commitRequest({ id: 'b1', expectedVersion: 1, effects: 1, at: 300 }));
      const all = await store.pendingEffects(100);
      expect(all.map((e) => e.effectId)).toEqual(['booking/b1@1#0', 'booking/b1@1#1', 'booking/b2@1#0', 'booking/b1@2#0']);
      expect((await store.pendingEffects(2)).map((e) => e.effectId)).toEqual(['booking/b1@1#0', 'booking/b1@1#1']);

      await store.ackEffects(all.slice(0, 3));
      expect((await store.pendingEffects(100)).map((e) => e.effectId)).toEqual(['booking/b1@2#0']);
      // Acks are at least once too: acking again, or nothing, is harmless.
      await store.ackEffects(all.slice(0, 3));
      await store.ackEffects([]);
      await store.ackEffects(all);
      expect(await store.pendingEffects(100)).toEqual([]);
    });

    it('filters pending effects by type when asked', async () => {
      await store.commit(commitRequest({ id: 'b1', expectedVersion: 0, effects: 3, at: 100 }));
      await store.commit(commitRequest({ id: 'b2', expectedVersion: 0, effects: 2, at: 200 }));
      const emails = await store.pendingEffects(10, ['email.send']);
      expect(emails.map((e) => e.effectId)).toEqual(['booking/b1@1#1', 'booking/b2@1#1']);
      expect((await store.pendingEffects(1, ['notice'])).map((e) => e.effectId)).toEqual(['booking/b1@1#0']);
      expect(await store.pendingEffects(10, ['sms.send'])).toEqual([]);
      expect(await store.pendingEffects(10, [])).toEqual([]);
      expect(await store.pendingEffects(10, ['notice', 'email.send'])).toHaveLength(5);
    });

    it('writes effects `omitEffects` names once the other actor has moved, and reports any it left out', async () => {
      await store.commit(commitRequest({ id: 'b1', expectedVersion: 0 }));
      const omitEffects = { types: ['notice'], whileUnchanged: { kind: 'booking', id: 'b1', version: 1 } };
      // Unchanged: an adapter may leave the named type out (it must say how many), never another type.
      const first = await store.commit({ ...commitRequest({ kind: 'ticket', id: 't1', expectedVersion: 0, effects: 2 }), omitEffects });
      expect(first).toMatchObject({ status: 'committed', version: 1 });
      const omitted = first.status === 'committed' ? (first.omittedEffects ?? 0) : -1;
      expect([0, 1]).toContain(omitted);
      const kept = await store.pendingEffects(10);
      expect(kept.map((e) => e.effectId)).toEqual(omitted === 1 ? ['ticket/t1@1#1'] : ['ticket/t1@1#0', 'ticket/t1@1#1']);
      // The other actor moved on (or never existed): every effect is written.
      await store.commit(commitRequest({ id: 'b1', expectedVersion: 1 }));
      const moved = await store.commit({ ...commitRequest({ kind: 'ticket', id: 't2', expectedVersion: 0, effects: 2 }), omitEffects });
      expect(moved).toEqual({ status: 'committed', version: 1, seq: expect.any(Number) });
      const absent = await store.commit({ ...commitRequest({ kind: 'ticket', id: 't3', expectedVersion: 0, effects: 1 }), omitEffects: { ...omitEffects, whileUnchanged: { kind: 'booking', id: 'nobody', version: 1 } } });
      expect(absent).toEqual({ status: 'committed', version: 1, seq: expect.any(Number) });
      expect((await store.pendingEffects(10)).map((e) => e.effectId)).toEqual([...kept.map((e) => e.effectId), 'ticket/t2@1#0', 'ticket/t2@1#1', 'ticket/t3@1#0']);
    });

    it('returns effect rows exactly as committed, with stable ids', async () => {
      const req = commitRequest({ id: 'b1', expectedVersion: 0, effects: 3 });
      await store.commit(req);
      const first = await store.pendingEffects(10);
      expect(first).toEqual(req.effects);
      expect(await store.pendingEffects(10)).toEqual(first);
      expect(first.map((e) => e.effectId)).toEqual(['booking/b1@1#0', 'booking/b1@1#1', 'booking/b1@1#2']);
    });

    it('lists due timers soonest first and replaces an actor’s timers on commit', async () => {
      await store.commit(commitRequest({ id: 'b1', expectedVersion: 0, timers: { late: timer(300), soon: timer(100, 4) } }));
      await store.commit(commitRequest({ id: 'b2', expectedVersion: 0, timers: { mid: timer(200) } }));
      expect(await store.dueTimers(250, 10)).toEqual([
        { kind: 'booking', id: 'b1', key: 'soon', gen: 4, dueAt: 100 },
        { kind: 'booking', id: 'b2', key: 'mid', gen: 1, dueAt: 200 },
      ]);
      expect((await store.dueTimers(1_000, 2)).map((t) => t.key)).toEqual(['soon', 'mid']);
      expect(await store.dueTimers(99, 10)).toEqual([]);

      await store.commit(commitRequest({ id: 'b1', expectedVersion: 1, timers: { late: timer(50, 2) } }));
      expect(await store.dueTimers(1_000, 10)).toEqual([
        { kind: 'booking', id: 'b1', key: 'late', gen: 2, dueAt: 50 },
        { kind: 'booking', id: 'b2', key: 'mid', gen: 1, dueAt: 200 },
      ]);
      expect((await store.load('booking', 'b1'))?.timers).toEqual({ late: timer(50, 2) });

      await store.commit(commitRequest({ id: 'b1', expectedVersion: 2, timers: {} }));
      expect((await store.dueTimers(1_000, 10)).map((t) => t.id)).toEqual(['b2']);
      expect((await store.load('booking', 'b1'))?.timers).toEqual({});
    });

    it('keeps timer keys that contain dots (XState delay ids do)', async () => {
      const key = 'xstate.after.15000.booking.held';
      await store.commit(commitRequest({ id: 'b1', expectedVersion: 0, timers: { [key]: timer(10) } }));
      expect((await store.load('booking', 'b1'))?.timers).toEqual({ [key]: timer(10) });
      expect((await store.dueTimers(10, 1))[0]?.key).toBe(key);
    });

    describeCapacityLedgerContract(() => store);
    describeHolderLimitsContract(() => store);
    describeChangeLogContract(() => store);
    describeAccessContract(() => store);
  });
}

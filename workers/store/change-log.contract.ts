/**
 * The change log part of the actor store contract: every commit leaves its view in the log, in
 * commit order; readers page through it by cursor; pruning keeps every actor's latest change.
 */
import { describe, expect, it } from 'vitest';
import type { ActorStore } from './actor-store.js';
import { commitRequest } from './actor-store.contract.js';

/** Registers the change log tests; `store()` is the fresh store of the running test. */
export function describeChangeLogContract(store: () => ActorStore): void {
  describe('change log', () => {
    it('logs each commit with its view and context, in commit order, and pages by cursor', async () => {
      const s = store();
      const first = await s.commit({ ...commitRequest({ id: 'b1', expectedVersion: 0 }), view: { state: 'held', status: 'active', tags: ['pending', 'cancellable'], deadline: 9_000 } });
      await s.commit(commitRequest({ kind: 'ticket', id: 't1', expectedVersion: 0 }));
      await s.commit(commitRequest({ id: 'b1', expectedVersion: 1 }));
      expect(first).toMatchObject({ status: 'committed', version: 1 });
      const all = await s.changes.since(0, 10);
      expect(all.map((c) => [c.kind, c.id, c.version])).toEqual([
        ['booking', 'b1', 1],
        ['ticket', 't1', 1],
        ['booking', 'b1', 2],
      ]);
      expect(all[0]).toMatchObject({ state: 'held', status: 'active', tags: ['pending', 'cancellable'], deadline: 9_000, eventType: 'step.1', context: { n: 1, empty: {} } });
      expect(all[2]).toMatchObject({ state: 's2', tags: [] });
      const seqs = all.map((c) => c.seq);
      expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
      expect(await s.changes.head()).toBe(seqs[2]);
      expect((await s.changes.since(seqs[0] ?? 0, 1)).map((c) => c.version)).toEqual([1]);
      expect((await s.changes.since(0, 10, ['ticket'])).map((c) => c.id)).toEqual(['t1']);
    });

    it('a refused commit (conflict, duplicate) logs nothing', async () => {
      const s = store();
      await s.commit(commitRequest({ id: 'b1', expectedVersion: 0, eventId: 'e1' }));
      expect((await s.commit(commitRequest({ id: 'b1', expectedVersion: 0 }))).status).toBe('conflict');
      expect((await s.commit(commitRequest({ id: 'b1', expectedVersion: 1, eventId: 'e1' }))).status).toBe('duplicate');
      expect(await s.changes.since(0, 10)).toHaveLength(1);
    });

    it('prunes only superseded changes older than the cut-off, keeps every latest one, and moves the horizon', async () => {
      const s = store();
      await s.commit(commitRequest({ id: 'b1', expectedVersion: 0, at: 100 }));
      await s.commit(commitRequest({ id: 'b1', expectedVersion: 1, at: 200 }));
      await s.commit(commitRequest({ id: 'b2', expectedVersion: 0, at: 150 }));
      await s.commit(commitRequest({ id: 'b1', expectedVersion: 2, at: 900 }));
      expect(await s.changes.horizon()).toBe(0);
      expect(await s.changes.prune(500)).toBe(2);
      const left = await s.changes.since(0, 10);
      expect(left.map((c) => [c.id, c.version])).toEqual([
        ['b2', 1],
        ['b1', 3],
      ]);
      expect(await s.changes.horizon()).toBeGreaterThan(0);
      expect(await s.changes.horizon()).toBeLessThan(left[0]?.seq ?? 0);
    });
  });
}

/**
 * The contract every read model store passes, with the projector on top: rows and pages, version
 * order, failure and resume, rebuild. `open()` gives a fresh actor store (its change log) and the
 * read models of the same store.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { silentLogger } from '../logger.js';
import type { ActorStore, ChangeRecord } from '../store/actor-store.js';
import { commitRequest } from '../store/actor-store.contract.js';
import { CURSOR_WRITE_EVERY, createProjector, rebuildProjection } from './projector.js';
import type { ProjectionFailure } from './projector.js';
import type { ReadModelSpec, ReadModelStore } from './read-model.js';

/** A store pair under test. */
export interface ReadSideStores {
  store: ActorStore;
  models: ReadModelStore;
}

/** Rows of `n`-numbered test actors: field `parity`, sorted by n, searchable by `n<n>`; counts kept by parity and state. */
function spec(fail?: (change: ChangeRecord) => boolean): ReadModelSpec {
  return {
    name: 'things',
    version: 1,
    kinds: ['thing'],
    fields: ['parity', 'state'],
    counts: [{ by: ['state', 'parity'], where: {} }, { by: ['parity'], where: { state: 'here' } }],
    row(change) {
      if (fail?.(change)) throw new Error(`cannot fold ${change.id}@${change.version}`);
      const n = Number(change.id.slice(1));
      if (change.state === 'gone') return null;
      return { key: `thing/${change.id}`, version: change.version, fields: { parity: n % 2 === 0 ? 'even' : 'odd', state: change.state }, sort: n, text: `n${n} thing`, data: { id: change.id, version: change.version } };
    },
  };
}

/** Registers the contract for one adapter. */
export function describeReadModelContract(name: string, open: () => Promise<ReadSideStores>): void {
  describe(`read models contract: ${name}`, () => {
    let stores: ReadSideStores;
    const commit = (id: string, expectedVersion: number, state = 'here') =>
      stores.store.commit({ ...commitRequest({ kind: 'thing', id, expectedVersion }), view: { state, status: 'active', tags: [] } });

    beforeEach(async () => {
      stores = await open();
    });
    afterEach(async () => {
      await stores.models.close();
      await stores.store.close();
    });

    it('folds the change log into rows: pages newest first by cursor, filters, searches and counts', async () => {
      for (let n = 1; n <= 25; n++) await commit(`t${n}`, 0);
      const projector = createProjector({ changes: stores.store.changes, models: stores.models, specs: [spec()], log: silentLogger, batch: 7 });
      await projector.catchUp();
      expect(await projector.lag()).toEqual({ things: 0 });
      const first = await stores.models.list(spec(), { filters: { parity: 'even' }, limit: 5 });
      expect(first.rows).toEqual([24, 22, 20, 18, 16].map((n) => ({ id: `t${n}`, version: 1 })));
      expect(first.cursor).toBe(await stores.store.changes.head());
      const second = await stores.models.list(spec(), { filters: { parity: 'even' }, limit: 5, ...(first.next === undefined ? {} : { after: first.next }) });
      expect(second.rows.map((r) => (r as { id: string }).id)).toEqual(['t14', 't12', 't10', 't8', 't6']);
      expect((await stores.models.list(spec(), { text: 'N13 thing', limit: 5 })).rows).toEqual([{ id: 't13', version: 1 }]);
      expect(await stores.models.countBy(spec(), 'parity')).toEqual({ even: 12, odd: 13 });
      await projector.stop();
    });

    it('keeps its counts as rows move between groups, are removed, or arrive late; a rebuild counts the same', async () => {
      for (let n = 1; n <= 10; n++) await commit(`t${n}`, 0);
      const projector = createProjector({ changes: stores.store.changes, models: stores.models, specs: [spec()], log: silentLogger, batch: 4 });
      await projector.catchUp();
      const counts = async () => ({
        parity: await stores.models.countBy(spec(), 'parity'),
        here: await stores.models.countBy(spec(), 'parity', { state: 'here' }),
        state: await stores.models.countBy(spec(), 'state'),
        evenState: await stores.models.countBy(spec(), 'state', { parity: 'even' }),
      });
      expect(await counts()).toEqual({ parity: { even: 5, odd: 5 }, here: { even: 5, odd: 5 }, state: { here: 10 }, evenState: { here: 5 } });
      await commit('t2', 1, 'away');
      await commit('t3', 1, 'gone');
      await commit('t2', 2, 'here');
      await commit('t4', 1, 'away');
      await projector.catchUp();
      const moved = { parity: { even: 5, odd: 4 }, here: { even: 4, odd: 4 }, state: { here: 8, away: 1 }, evenState: { here: 4, away: 1 } };
      expect(await counts()).toEqual(moved);
      // A late copy of an older change moves nothing.
      const generation = await stores.models.live(spec());
      const stale = { key: 'thing/t4', version: 1, row: { key: 'thing/t4', version: 1, fields: { parity: 'even', state: 'here' }, sort: 4, text: '', data: {} } };
      await stores.models.apply(spec(), generation, [stale, { key: 'thing/t3', version: 1, row: { ...stale.row, key: 'thing/t3', fields: { parity: 'odd', state: 'here' } } }], await stores.models.cursorOf(generation));
      expect(await counts()).toEqual(moved);
      await rebuildProjection({ changes: stores.store.changes, models: stores.models }, spec(), undefined, 3);
      expect(await counts()).toEqual(moved);
      await projector.stop();
    });

    it('leaves a cursor that only moved over other kinds unwritten until it trails far or a catch-up asks', async () => {
      const other = (id: string) => stores.store.commit(commitRequest({ kind: 'other', id, expectedVersion: 0 }));
      await commit('t1', 0);
      const projector = createProjector({ changes: stores.store.changes, models: stores.models, specs: [spec()], log: silentLogger, pollMs: 60_000 });
      await projector.start();
      const generation = await stores.models.live(spec());
      const afterT1 = await stores.store.changes.head();
      expect(await stores.models.cursorOf(generation)).toBe(afterT1);
      // A pass (here: of every projection, as a poll) after commits of other kinds only: reads past them, writes nothing.
      await other('o1');
      await other('o2');
      projector.kick();
      await vi.waitFor(async () => expect(await projector.lag()).toEqual({ things: 0 }));
      expect(await stores.models.cursorOf(generation)).toBe(afterT1);
      // A change of its kind is written with the cursor past everything read.
      await commit('t2', 0);
      projector.kick();
      await vi.waitFor(async () => expect((await stores.models.list(spec(), { limit: 5 })).rows).toHaveLength(2));
      expect(await stores.models.cursorOf(generation)).toBe(await stores.store.changes.head());
      // A kick folds the projections of the kind committed; the others wait for theirs (or a poll, a catch-up).
      await commit('t3', 0);
      projector.kick('other');
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect((await stores.models.list(spec(), { limit: 5 })).rows).toHaveLength(2);
      projector.kick('thing');
      await vi.waitFor(async () => expect((await stores.models.list(spec(), { limit: 5 })).rows).toHaveLength(3));
      // A catch-up (a feed's snapshot) writes the cursor however little it moved.
      await other('o3');
      await projector.catchUp();
      expect(await stores.models.cursorOf(generation)).toBe(await stores.store.changes.head());
      // So does a live pass once the cursor trails by CURSOR_WRITE_EVERY changes.
      const stored = await stores.models.cursorOf(generation);
      await Promise.all(Array.from({ length: CURSOR_WRITE_EVERY }, (_, i) => other(`p${i}`)));
      projector.kick();
      await vi.waitFor(async () => expect(await stores.models.cursorOf(generation)).toBeGreaterThanOrEqual(stored + CURSOR_WRITE_EVERY));
      expect((await stores.models.list(spec(), { limit: 5 })).rows).toEqual(['t3', 't2', 't1'].map((id) => ({ id, version: 1 })));
      await projector.stop();
    });

    it('never goes back to an older version, and a removed row does not come back', async () => {
      const generation = await stores.models.live(spec());
      const row = (version: number) => ({ key: 'thing/t1', version, fields: { parity: 'odd', state: 'here' }, sort: 1, text: '', data: { version } });
      await stores.models.apply(spec(), generation, [{ key: 'thing/t1', version: 3, row: row(3) }], 3);
      await stores.models.apply(spec(), generation, [{ key: 'thing/t1', version: 2, row: row(2) }], 2);
      expect((await stores.models.list(spec(), { limit: 5 })).rows).toEqual([{ version: 3 }]);
      expect(await stores.models.cursorOf(generation)).toBe(3);
      await stores.models.apply(spec(), generation, [{ key: 'thing/t1', version: 4, row: null }], 4);
      await stores.models.apply(spec(), generation, [{ key: 'thing/t1', version: 3, row: row(3) }], 4);
      expect((await stores.models.list(spec(), { limit: 5 })).rows).toEqual([]);
    });

    it('stops at a change it cannot fold, never skips it, and resumes from its cursor after a restart', async () => {
      await commit('t1', 0);
      await commit('t2', 0);
      await commit('t3', 0);
      const failures: ProjectionFailure[] = [];
      const broken = createProjector({ changes: stores.store.changes, models: stores.models, specs: [spec((c) => c.id === 't2')], log: silentLogger, onFailure: (f) => failures.push(f) });
      await broken.catchUp();
      await broken.catchUp();
      expect(failures).toHaveLength(1);
      expect(failures[0]).toMatchObject({ projection: 'things', message: 'cannot fold t2@1' });
      expect((await stores.models.list(spec(), { limit: 5 })).rows).toEqual([{ id: 't1', version: 1 }]);
      await broken.stop();
      const fixed = createProjector({ changes: stores.store.changes, models: stores.models, specs: [spec()], log: silentLogger });
      await fixed.catchUp();
      expect((await stores.models.list(spec(), { limit: 5 })).rows).toEqual(['t3', 't2', 't1'].map((id) => ({ id, version: 1 })));
      await fixed.stop();
    });

    it('rebuilds from the change log into a new generation while the live one serves, then switches', async () => {
      for (let n = 1; n <= 12; n++) await commit(`t${n}`, 0);
      await commit('t4', 1, 'gone');
      const projector = createProjector({ changes: stores.store.changes, models: stores.models, specs: [spec()], log: silentLogger });
      await projector.catchUp();
      const live = await stores.models.list(spec(), { limit: 50 });
      const before = await stores.models.live(spec());
      const seen: number[] = [];
      const rebuilt = await rebuildProjection({ changes: stores.store.changes, models: stores.models }, spec(), (p) => {
        seen.push(p.applied);
      }, 5);
      expect(seen).toEqual([5, 10, 13]);
      expect(rebuilt.applied).toBe(13);
      expect((await stores.models.live(spec())).table).not.toBe(before.table);
      expect(await stores.models.list(spec(), { limit: 50 })).toEqual(live);
      await projector.stop();
    });
  });
}

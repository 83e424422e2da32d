import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commitRequest, describeActorStoreContract } from './actor-store.contract.js';
import { openSqliteActorStore } from './sqlite-actor-store.js';
import { SQLITE_SCHEMA_VERSION } from './sqlite-schema.js';

let dir = '';
let opened = 0;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'venue-hub-sqlite-store-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describeActorStoreContract('sqlite', async () => openSqliteActorStore({ file: join(dir, `contract-${++opened}.db`) }));

describe('SQLite actor store', () => {
  it('creates the file under missing nested directories, in WAL mode', async () => {
    const file = join(dir, 'nested', 'deeper', 'hub.db');
    const store = openSqliteActorStore({ file });
    await store.commit(commitRequest({ id: 'b1', expectedVersion: 0 }));
    await store.close();
    expect(existsSync(file)).toBe(true);

    const db = new Database(file, { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('user_version', { simple: true })).toBe(SQLITE_SCHEMA_VERSION);
    db.close();
  });

  it('leaves the effects `omitEffects` names out while the other actor is at the version read, in the same transaction', async () => {
    const file = join(dir, 'omit.db');
    const gate = openSqliteActorStore({ file });
    const other = openSqliteActorStore({ file });
    await gate.commit(commitRequest({ id: 'b1', expectedVersion: 0 }));
    const omitEffects = { types: ['notice'], whileUnchanged: { kind: 'booking', id: 'b1', version: 1 } };
    expect(await gate.commit({ ...commitRequest({ kind: 'ticket', id: 't1', expectedVersion: 0, effects: 3 }), omitEffects })).toMatchObject({ status: 'committed', omittedEffects: 2 });
    // Another process moves the booking after the caller read it: the next commit writes them all.
    await other.commit(commitRequest({ id: 'b1', expectedVersion: 1 }));
    expect(await gate.commit({ ...commitRequest({ kind: 'ticket', id: 't1', expectedVersion: 1, effects: 2 }), omitEffects })).not.toHaveProperty('omittedEffects');
    expect((await gate.pendingEffects(10)).map((e) => e.effectId)).toEqual(['ticket/t1@1#1', 'ticket/t1@2#0', 'ticket/t1@2#1']);
    await gate.close();
    await other.close();
  });

  it('reopens an existing file without losing data, and several handles share it', async () => {
    const file = join(dir, 'reopen.db');
    const first = openSqliteActorStore({ file, durability: 'full' });
    const second = openSqliteActorStore({ file });
    await first.commit(commitRequest({ id: 'b1', expectedVersion: 0, effects: 1 }));
    expect(await second.commit(commitRequest({ id: 'b1', expectedVersion: 0 }))).toEqual({ status: 'conflict' });
    expect((await second.commit(commitRequest({ id: 'b1', expectedVersion: 1 }))).status).toBe('committed');
    await first.close();
    await second.close();

    const reopened = openSqliteActorStore({ file });
    expect((await reopened.load('booking', 'b1'))?.version).toBe(2);
    expect(await reopened.pendingEffects(10)).toHaveLength(1);
    await reopened.close();
  });

  it('brings a version 1 file forward: its holds gain a holder, and what they held stays', async () => {
    const file = join(dir, 'v1.db');
    const v1 = new Database(file);
    v1.exec(`CREATE TABLE slots (slot_id TEXT PRIMARY KEY, capacity INTEGER NOT NULL CHECK (capacity >= 0), taken INTEGER NOT NULL DEFAULT 0, CHECK (taken >= 0 AND taken <= capacity));
      CREATE TABLE holds (hold_id TEXT PRIMARY KEY, slot_id TEXT NOT NULL, qty INTEGER NOT NULL CHECK (qty > 0),
        status TEXT NOT NULL CHECK (status IN ('held', 'confirmed', 'released')), taken_at INTEGER NOT NULL, updated_at INTEGER NOT NULL);
      INSERT INTO slots VALUES ('slot-1', 10, 2);
      INSERT INTO holds VALUES ('old', 'slot-1', 2, 'held', 1, 1);`);
    v1.pragma('user_version = 1');
    v1.close();
    const store = openSqliteActorStore({ file });
    expect(await store.ledger.holdsOf('slot-1')).toEqual([{ holdId: 'old', qty: 2, status: 'held' }]);
    expect(await store.ledger.takeFor('slot-1', 'new', 1, 2, { holder: 'vis-a', maxPerSlot: 1, maxTotal: 1 })).toEqual({ ok: true, remaining: 7 });
    await store.close();
    const db = new Database(file, { readonly: true });
    expect(db.pragma('user_version', { simple: true })).toBe(SQLITE_SCHEMA_VERSION);
    db.close();
  });

  it('refuses a file written by a newer schema with a clear message', () => {
    const file = join(dir, 'future.db');
    const db = new Database(file);
    db.pragma(`user_version = ${SQLITE_SCHEMA_VERSION + 1}`);
    db.close();
    expect(() => openSqliteActorStore({ file })).toThrow(/newer than/);
  });

  it('rejects calls after close', async () => {
    const store = openSqliteActorStore({ file: join(dir, 'closed.db') });
    await store.close();
    await store.close();
    await expect(store.load('booking', 'b1')).rejects.toThrow();
  });

  it('reads the changes of some kinds in order whether the reader is near the head or far behind it', async () => {
    const store = openSqliteActorStore({ file: join(dir, 'kinds.db') });
    // A few lockers, then more than 4,096 booking changes: a reader of lockers from 0 is far behind.
    await store.commit(commitRequest({ kind: 'locker', id: 'l1', expectedVersion: 0 }));
    await Promise.all(Array.from({ length: 4_200 }, (_, i) => store.commit(commitRequest({ id: `b${i}`, expectedVersion: 0 }))));
    await store.commit(commitRequest({ kind: 'locker', id: 'l2', expectedVersion: 0 }));
    await store.commit(commitRequest({ kind: 'ticket', id: 't1', expectedVersion: 0 }));
    const head = await store.changes.head();

    const far = await store.changes.since(0, 10, ['locker', 'ticket']);
    expect(far.map((c) => c.id)).toEqual(['l1', 'l2', 't1']);
    const lockers = await store.changes.since(0, 1, ['locker']);
    expect(lockers.map((c) => c.id)).toEqual(['l1']);
    const near = await store.changes.since(head - 3, 10, ['ticket', 'locker']);
    expect(near.map((c) => c.id)).toEqual(['l2', 't1']);
    expect(await store.changes.since(head - 3, 1, ['locker', 'ticket'])).toHaveLength(1);
    expect(await store.changes.since(head, 10, ['ticket'])).toEqual([]);
    await store.close();
  });
});

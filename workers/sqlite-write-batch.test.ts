/**
 * The group commit of one connection: writers of a turn share one transaction, each in a savepoint.
 * A second connection on the file tells whether a write was already committed when the next ran.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openSqliteDatabase } from './store/sqlite-schema.js';
import { writeBatcherOf } from './sqlite-write-batch.js';

const dir = mkdtempSync(join(tmpdir(), 'vh-write-batch-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('writeBatcherOf', () => {
  it('gives every writer of a connection the same group commit: one transaction per turn, a savepoint each', async () => {
    const file = join(dir, 'batch.db');
    const db = openSqliteDatabase({ file });
    const reader = openSqliteDatabase({ file });
    db.exec('CREATE TABLE notes (n INTEGER)');
    const seen = () => reader.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM notes').get()?.n;
    expect(writeBatcherOf(db)).toBe(writeBatcherOf(db));

    // Two writers (think: an actor commit and a read-model batch) in the same turn.
    const first = writeBatcherOf(db).run(() => db.prepare('INSERT INTO notes VALUES (1)').run());
    const second = writeBatcherOf(db).run(() => ({ committedBefore: seen(), inTransaction: db.inTransaction }));
    const failing = writeBatcherOf(db).run(() => {
      db.prepare('INSERT INTO notes VALUES (2)').run();
      throw new Error('refused');
    });
    await first;
    expect(await second).toEqual({ committedBefore: 0, inTransaction: true });
    await expect(failing).rejects.toThrow('refused');
    // The refused writer's row was rolled back alone.
    expect(seen()).toBe(1);

    // The next turn is a transaction of its own.
    expect(await writeBatcherOf(db).run(() => seen())).toBe(1);
    reader.close();
    db.close();
  });
});

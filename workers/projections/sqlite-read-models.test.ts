import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openSqliteActorStore } from '../store/sqlite-actor-store.js';
import { openSqliteDatabase } from '../store/sqlite-schema.js';
import type { ReadModelSpec } from './read-model.js';
import { describeReadModelContract } from './read-models.contract.js';
import { openSqliteReadModels } from './sqlite-read-models.js';

const dir = mkdtempSync(join(tmpdir(), 'vh-read-models-'));
let opened = 0;
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describeReadModelContract('sqlite', async () => {
  const file = join(dir, `read-${++opened}.db`);
  return { store: openSqliteActorStore({ file }), models: openSqliteReadModels({ file }) };
});

// As the hub opens them: the read models on the actor store's connection (the store closes it).
describeReadModelContract('sqlite, one connection with the actors', async () => {
  const file = join(dir, `read-${++opened}.db`);
  const connection = openSqliteDatabase({ file });
  return { store: openSqliteActorStore({ file, connection }), models: openSqliteReadModels({ file, connection }) };
});

describe('SQLite read models', () => {
  it('gives a generation kept before its spec counted anything its counts, from the rows it has', async () => {
    const file = join(dir, `read-${++opened}.db`);
    const plain: ReadModelSpec = { name: 'seats', version: 1, kinds: ['seat'], fields: ['zone', 'state'], row: () => null };
    const row = (n: number, zone: string, state: string) => ({ key: `seat/s${n}`, version: 1, row: { key: `seat/s${n}`, version: 1, fields: { zone, state }, sort: n, text: '', data: {} } });
    const before = openSqliteReadModels({ file });
    const generation = await before.live(plain);
    await before.apply(plain, generation, [row(1, 'north', 'taken'), row(2, 'north', 'taken'), row(3, 'south', 'taken'), row(4, 'south', 'free')], 4);
    await before.close();

    const counted: ReadModelSpec = { ...plain, counts: [{ by: ['zone'], where: { state: 'taken' } }] };
    const after = openSqliteReadModels({ file });
    expect(await after.countBy(counted, 'zone', { state: 'taken' })).toEqual({ north: 2, south: 1 });
    await after.apply(counted, await after.live(counted), [row(5, "west's", 'taken'), { ...row(1, 'north', 'free'), version: 2, row: { ...row(1, 'north', 'free').row, version: 2 } }], 6);
    expect(await after.countBy(counted, 'zone', { state: 'taken' })).toEqual({ north: 1, south: 1, "west's": 1 });
    // A question the kept count does not answer is counted from the rows.
    expect(await after.countBy(counted, 'state')).toEqual({ taken: 3, free: 2 });
    await after.close();
  });
});

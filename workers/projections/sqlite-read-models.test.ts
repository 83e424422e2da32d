import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { openSqliteActorStore } from '../store/sqlite-actor-store.js';
import { openSqliteDatabase } from '../store/sqlite-schema.js';
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

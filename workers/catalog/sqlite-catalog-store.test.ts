import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { describeCatalogStoreContract } from './catalog-store.contract.js';
import { openSqliteCatalogStore } from './sqlite-catalog-store.js';

let dir = '';
let opened = 0;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'venue-hub-catalog-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describeCatalogStoreContract('sqlite', async () => openSqliteCatalogStore({ file: join(dir, `contract-${++opened}.db`) }));

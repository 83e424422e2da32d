import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqliteActorStore } from '../store/sqlite-actor-store.js';
import { describeAccountStoreContract, userRecord } from './account-store.contract.js';
import { openSqliteAccountStore } from './sqlite-account-store.js';

let dir = '';
let opened = 0;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'venue-hub-accounts-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describeAccountStoreContract('sqlite', async () => openSqliteAccountStore({ file: join(dir, `contract-${++opened}.db`) }));

describe('SQLite account store', () => {
  it('shares the actor store file and survives a reopen', async () => {
    const file = join(dir, 'shared.db');
    const actors = openSqliteActorStore({ file });
    const accounts = openSqliteAccountStore({ file });
    await accounts.users.create(userRecord('u1'));
    await accounts.close();
    await actors.close();
    const again = openSqliteAccountStore({ file });
    expect((await again.users.get('u1'))?.name).toBe('Person u1');
    await again.close();
  });

  it('refuses tables written by a newer build', async () => {
    const file = join(dir, 'future.db');
    await openSqliteAccountStore({ file }).close();
    const db = new Database(file);
    db.prepare("UPDATE component_schemas SET version = 99 WHERE component = 'accounts'").run();
    db.close();
    expect(() => openSqliteAccountStore({ file })).toThrow(/newer than/);
  });

  it('gives a file written before languages existed the language column: its people read English', async () => {
    const file = join(dir, 'version-1.db');
    await openSqliteAccountStore({ file }).close();
    const db = new Database(file);
    db.exec('ALTER TABLE account_users DROP COLUMN language');
    db.prepare("UPDATE component_schemas SET version = 1 WHERE component = 'accounts'").run();
    db.prepare(
      "INSERT INTO account_users (user_id, name, email, phone, email_verified, phone_verified, role, status, preferences, push_subscriptions, created_at, updated_at) VALUES ('old', 'Old', 'old@example.test', NULL, 1, 0, 'visitor', 'active', '{}', '[]', 1, 1)",
    ).run();
    db.close();
    const store = openSqliteAccountStore({ file });
    expect(await store.users.get('old')).toMatchObject({ userId: 'old', language: 'en' });
    expect(await store.users.update('old', { language: 'ar' }, 2)).toMatchObject({ language: 'ar' });
    await store.close();
  });
});

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqliteActorStore } from '../store/sqlite-actor-store.js';
import { describeNotificationStoreContract, mailboxMessage } from './notification-store.contract.js';
import { openSqliteNotificationStore } from './sqlite-notification-store.js';

let dir = '';
let opened = 0;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vh-notification-store-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describeNotificationStoreContract('sqlite', async () => openSqliteNotificationStore({ file: join(dir, `contract-${++opened}.db`) }));

describe('SQLite notification store', () => {
  it('shares the actor store file and keeps its data across reopening', async () => {
    const file = join(dir, 'shared.db');
    const actors = openSqliteActorStore({ file });
    const first = openSqliteNotificationStore({ file });
    await first.mailbox.deliver(mailboxMessage({ id: 'm1' }));
    await first.close();
    const again = openSqliteNotificationStore({ file });
    expect((await again.mailbox.list({ limit: 5 })).map((m) => m.id)).toEqual(['m1']);
    expect(await actors.load('booking', 'none')).toBeNull();
    await again.close();
    await again.close();
    await actors.close();
  });
});

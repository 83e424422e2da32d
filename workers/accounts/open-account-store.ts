/**
 * Opens the accounts store next to the actor store of a deployment: the same SQLite file on the
 * embedded default, the same MongoDB database in production. Called from a `main`.
 */
import { join, resolve } from 'node:path';
import { sqliteFile, type StoreChoice } from '../open-store.js';
import type { AccountStore } from './account-store.js';
import { connectMongoAccountStore } from './mongo-account-store.js';
import { openSqliteAccountStore } from './sqlite-account-store.js';

/** Opens the accounts store for the chosen deployment. */
export async function openAccountStore(choice: StoreChoice): Promise<AccountStore> {
  return choice.kind === 'sqlite' ? openSqliteAccountStore({ file: sqliteFile(choice.dataDir) }) : connectMongoAccountStore({ url: choice.url });
}

/** Where the embedded default keeps its generated accounts pepper (0600, next to the database). */
export function pepperFile(dataDir: string): string {
  return join(resolve(dataDir), 'account-pepper');
}

/**
 * Opens the notifier's store beside the actor store: the same SQLite file in the embedded
 * deployment, the same MongoDB database in production.
 */
import type { StoreChoice } from '../open-store.js';
import { sqliteFile } from '../open-store.js';
import { connectMongoNotificationStore } from './mongo-notification-store.js';
import type { NotificationStore } from './notification-store.js';
import { openSqliteNotificationStore } from './sqlite-notification-store.js';

/** Opens the notification store for the chosen deployment; the caller closes it after the runtime stopped. */
export async function openNotificationStore(choice: StoreChoice): Promise<NotificationStore> {
  if (choice.kind === 'sqlite') return openSqliteNotificationStore({ file: sqliteFile(choice.dataDir) });
  return connectMongoNotificationStore({ url: choice.url });
}

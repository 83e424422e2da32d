/**
 * Chooses the persistence adapters for a deployment: the embedded SQLite file (default, no
 * server needed) or MongoDB. Actors and agenda's jobs live in the same place either way.
 */
import type { AgendaBackend } from 'agenda';
import { join, resolve } from 'node:path';
import type { ActorStore } from './store/actor-store.js';
import { connectMongoReadModels } from './projections/mongo-read-models.js';
import type { ReadModelStore } from './projections/read-model.js';
import { openSqliteReadModels } from './projections/sqlite-read-models.js';
import { connectMongoActorStore } from './store/mongo-actor-store.js';
import { openSqliteActorStore } from './store/sqlite-actor-store.js';
import { openSqliteDatabase } from './store/sqlite-schema.js';
import { createMongoAgendaBackend } from './timers/mongo-agenda-backend.js';
import { createSqliteAgendaBackend } from './timers/sqlite-job-repository.js';

export type StoreChoice = { kind: 'sqlite'; dataDir: string } | { kind: 'mongo'; url: string };

export interface OpenedStores {
  store: ActorStore;
  /** The read models (projections), in the same place as the actors. */
  readModels: ReadModelStore;
  jobsBackend: AgendaBackend;
  /** One line for the start-up banner, e.g. `sqlite at /srv/data/venue-hub.db`. */
  description: string;
}

/** The embedded store's file inside a data directory. */
export function sqliteFile(dataDir: string): string {
  return join(resolve(dataDir), 'venue-hub.db');
}

/** Opens the actor store and the job backend for the chosen deployment. */
export async function openStores(choice: StoreChoice): Promise<OpenedStores> {
  if (choice.kind === 'sqlite') {
    const file = sqliteFile(choice.dataDir);
    // One connection for the actors and the read models: each keeps its page cache while the other writes.
    const connection = openSqliteDatabase({ file });
    return {
      store: openSqliteActorStore({ file, connection }),
      readModels: openSqliteReadModels({ file, connection }),
      jobsBackend: createSqliteAgendaBackend({ file }),
      description: `sqlite at ${file}`,
    };
  }
  const store = await connectMongoActorStore({ url: choice.url });
  return {
    store,
    readModels: await connectMongoReadModels({ url: choice.url }),
    jobsBackend: createMongoAgendaBackend({ url: choice.url }),
    description: `mongodb at ${redact(choice.url)}`,
  };
}

function redact(url: string): string {
  return url.replace(/\/\/([^:@/]+):([^@/]+)@/, '//$1:***@');
}

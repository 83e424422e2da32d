/**
 * Chooses the persistence adapters for a deployment: the embedded SQLite file (default, no
 * server needed) or MongoDB. Actors and agenda's jobs live in the same place either way.
 */
import type { AgendaBackend } from 'agenda';
import { join, resolve } from 'node:path';
import type { ActorStore } from './store/actor-store.js';
import { connectMongoActorStore } from './store/mongo-actor-store.js';
import { openSqliteActorStore } from './store/sqlite-actor-store.js';
import { createMongoAgendaBackend } from './timers/mongo-agenda-backend.js';
import { createSqliteAgendaBackend } from './timers/sqlite-job-repository.js';

export type StoreChoice = { kind: 'sqlite'; dataDir: string } | { kind: 'mongo'; url: string };

export interface OpenedStores {
  store: ActorStore;
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
    return {
      store: openSqliteActorStore({ file }),
      jobsBackend: createSqliteAgendaBackend({ file }),
      description: `sqlite at ${file}`,
    };
  }
  const store = await connectMongoActorStore({ url: choice.url });
  return {
    store,
    jobsBackend: createMongoAgendaBackend({ url: choice.url }),
    description: `mongodb at ${redact(choice.url)}`,
  };
}

function redact(url: string): string {
  return url.replace(/\/\/([^:@/]+):([^@/]+)@/, '//$1:***@');
}

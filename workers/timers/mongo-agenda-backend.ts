/**
 * agenda backend for the scaled deployment: agenda's own MongoDB backend, unchanged, so the
 * production job store is the one agenda's maintainers test. No notification channel: agenda
 * polls every `processEvery`, exactly as with the SQLite backend.
 */
import { MongoBackend } from '@agendajs/mongo-backend';
import type { AgendaBackend } from 'agenda';

/** Where agenda keeps its jobs in MongoDB. */
export interface MongoAgendaBackendOptions {
  /** MongoDB connection string, e.g. `mongodb://mongo-1,mongo-2/venue?replicaSet=rs0`. */
  url: string;
  /** Collection for the jobs (agenda's default: `agendaJobs`). */
  collection?: string;
}

/**
 * Creates agenda's MongoDB backend. It opens its own client on connect and, owning it, closes it
 * on `agenda.stop()`; it also creates agenda's find-and-lock index on connect.
 */
export function createMongoAgendaBackend(options: MongoAgendaBackendOptions): AgendaBackend {
  return new MongoBackend({ address: options.url, collection: options.collection });
}

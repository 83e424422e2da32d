/**
 * Tables of a component that shares the embedded SQLite file with the actor store (accounts,
 * catalog). `PRAGMA user_version` belongs to the actor store, so each component records its own
 * schema version in `component_schemas`; creation is idempotent and runs inside one IMMEDIATE
 * transaction because several processes may open the file at once.
 */
import type Database from 'better-sqlite3';

/** Creates the component's tables if missing and refuses a file written by a newer build. */
export function applyComponentSchema(db: Database.Database, component: string, version: number, ddl: string): void {
  db.transaction(() => {
    db.exec('CREATE TABLE IF NOT EXISTS component_schemas (component TEXT PRIMARY KEY, version INTEGER NOT NULL) WITHOUT ROWID');
    const row = db.prepare<[string], { version: number }>('SELECT version FROM component_schemas WHERE component = ?').get(component);
    if (row && row.version > version) {
      throw new Error(`SQLite ${component} tables have schema version ${row.version}, newer than ${version}: run a newer build or use another data directory`);
    }
    db.exec(ddl);
    db.prepare<[string, number]>(
      'INSERT INTO component_schemas (component, version) VALUES (?, ?) ON CONFLICT (component) DO UPDATE SET version = excluded.version',
    ).run(component, version);
  }).immediate();
}

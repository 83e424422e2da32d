/**
 * Read models: what projections keep and what lists, searches, queues and dashboards read.
 *
 * A projection folds committed changes (the change log) into rows, one row per actor it follows,
 * replaced whenever a newer version of that actor arrives, so applying a change twice or out of
 * order never goes backwards. Each projection declares the fields it filters by; the store keeps
 * one table (SQLite) or collection (MongoDB) per projection *generation*, with a cursor: the last
 * change applied. A rebuild fills a new generation from the change log while the live one keeps
 * serving, then switches over once it has caught up.
 *
 *   ChangeRecord ─▶ spec.row(change) ─▶ {key, version, fields, sort, text, data} | null (drop)
 *   ReadModelStore.apply(generation, writes, cursor)   one atomic write per batch
 *   ReadModelStore.list(spec, {filters, text, after, limit})  ─▶ a page, newest `sort` first, and the next page's cursor
 *
 * A projection never decides anything: actors stay the only writers of truth.
 */
import type { ChangeRecord } from '../store/actor-store.js';

/** A value a row can be filtered by. */
export type FieldValue = string | number | null;

/** The row a projection keeps for one actor. */
export interface ReadRow {
  /** `kind/id` of the actor (one row per actor). */
  key: string;
  /** The actor's version: an older change never replaces a newer row. */
  version: number;
  /** The filterable fields the spec declares. */
  fields: Readonly<Record<string, FieldValue>>;
  /** Lists are ordered by this (e.g. a slot's start, a payment's time), newest first, then by key. */
  sort: number;
  /** Lower-cased words a text search matches against (reference, name, email, phone). */
  text: string;
  /** What a list answers for the row. */
  data: unknown;
}

/** How one projection turns changes into rows. Pure: no I/O. */
export interface ReadModelSpec {
  /** e.g. `bookings`; letters, digits and `_` (it names tables). */
  readonly name: string;
  /** Bumped whenever `row` changes meaning: a node that finds an older generation rebuilds it. */
  readonly version: number;
  /** The actor kinds the projection reads. */
  readonly kinds: readonly string[];
  /** The fields rows can be filtered by (equality). */
  readonly fields: readonly string[];
  /** The row for this actor after the change, or null when the actor leaves the model. */
  row(change: ChangeRecord): ReadRow | null;
  /**
   * Counts a store may keep up to date as rows are written, for the `countBy` questions asked
   * often (the dashboard asks every second): a count that the rows matching `where` have, by the
   * values of the `by` fields. Changing them changes the model's storage: bump `version`.
   */
  readonly counts?: readonly CountSpec[];
}

/**
 * A kept count: rows whose fields equal `where`, grouped by the `by` fields. It answers
 * `countBy(spec, field, filters)` when `field` is one of `by`, `filters` holds every `where` pair,
 * and its other filters are on `by` fields.
 */
export interface CountSpec {
  readonly by: readonly string[];
  readonly where: Readonly<Record<string, string | number>>;
}

/** The kept count that answers `countBy(field, filters)`, if any. */
export function countFor(spec: ReadModelSpec, field: string, filters: Readonly<Record<string, FieldValue>> = {}): CountSpec | undefined {
  return spec.counts?.find((count) => {
    if (!count.by.includes(field)) return false;
    for (const [name, value] of Object.entries(count.where)) if (filters[name] !== value) return false;
    return Object.keys(filters).every((name) => Object.hasOwn(count.where, name) || count.by.includes(name));
  });
}

/** A write of one batch: the row for an actor (or its removal, `row: null`). */
export interface RowWrite {
  key: string;
  version: number;
  row: ReadRow | null;
}

/** One generation of a projection's storage. */
export interface Generation {
  name: string;
  /** Physical table / collection name. */
  table: string;
  version: number;
  cursor: number;
  state: 'live' | 'building';
}

/** A page request: equality filters, an optional text search, a page cursor and a size. */
export interface ListQuery {
  filters?: Readonly<Record<string, FieldValue>>;
  /** Words that must all appear in the row's text. */
  text?: string;
  /** The `next` of the previous page. */
  after?: string;
  limit: number;
}

/** One page of rows (their `data`), with the cursor of the next page when there is one. */
export interface ListPage {
  rows: unknown[];
  next?: string;
  /** The change log position the page reflects. */
  cursor: number;
}

/** Where read models live: the same store as the actors. */
export interface ReadModelStore {
  /** The live generation of a projection, creating the first one (empty, cursor 0) when missing. */
  live(spec: ReadModelSpec): Promise<Generation>;
  /** A new empty generation to rebuild into (the live one keeps serving). */
  startGeneration(spec: ReadModelSpec): Promise<Generation>;
  /** Makes a rebuilt generation live and drops the generation it replaces. */
  promote(generation: Generation): Promise<void>;
  /** Writes a batch of rows and moves the generation's cursor, atomically; older versions never replace newer rows. */
  apply(spec: ReadModelSpec, generation: Generation, writes: readonly RowWrite[], cursor: number): Promise<void>;
  /** The generation's cursor now. */
  cursorOf(generation: Generation): Promise<number>;
  /** A page of the live generation. */
  list(spec: ReadModelSpec, query: ListQuery): Promise<ListPage>;
  /** How many rows match, by the values of one field (e.g. bookings by state); from a kept count when the spec has one that fits. */
  countBy(spec: ReadModelSpec, field: string, filters?: Readonly<Record<string, FieldValue>>): Promise<Record<string, number>>;
  close(): Promise<void>;
}

/** The page cursor of a row: its sort value and key. */
export function pageCursor(sort: number, key: string): string {
  return Buffer.from(JSON.stringify([sort, key])).toString('base64url');
}

/** Reads a page cursor; null when it is not one of ours. */
export function readPageCursor(cursor: string): { sort: number; key: string } | null {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(parsed) && typeof parsed[0] === 'number' && typeof parsed[1] === 'string') return { sort: parsed[0], key: parsed[1] };
  } catch {
    // not ours
  }
  return null;
}

/** Lower-cased words of a search text. */
export function searchWords(text: string): string[] {
  return text
    .toLowerCase()
    .split(/\s+/)
    .filter((w) => w.length > 0)
    .slice(0, 8);
}

/** The key of an actor's row. */
export function rowKey(change: Pick<ChangeRecord, 'kind' | 'id'>): string {
  return `${change.kind}/${change.id}`;
}

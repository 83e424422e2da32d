/**
 * Translates agenda's database-agnostic selectors (RemoveJobsOptions, JobsQueryOptions, unique
 * queries, sort options) into SQL over `agenda_jobs`, following the MongoDB backend's meaning:
 *
 *   data: { actorId: 'a', when: { key: 't' } }  ─▶  data -> '$."actorId"' = '"a"'
 *                                                 AND data -> '$."when"."key"' = '"t"'
 *
 * Leaves compare by their JSON text (`->` yields canonical JSON for a path, and the column was
 * written by JSON.stringify), so strings, numbers, booleans, arrays and Dates (as ISO strings)
 * match exactly. Not mirrored: Mongo's "scalar matches an array element" and query operators.
 */
import type { JobsQueryOptions, JobsSort, RemoveJobsOptions } from 'agenda';
import type { SqlValue } from './sqlite-job-rows.js';

/** WHERE clauses joined by AND, with their positional parameters in order. */
export interface SqlFilter {
  clauses: string[];
  params: SqlValue[];
}

/** Renders a filter as a WHERE clause (empty when it has no clauses). */
export function whereSql(filter: SqlFilter): string {
  return filter.clauses.length > 0 ? `WHERE ${filter.clauses.join(' AND ')}` : '';
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/** `{a: {b: 1}}` ─▶ `[['a.b', 1]]`, recursing only into plain objects (as Mongo's dot notation). */
function flatten(value: Record<string, unknown>, prefix: string, out: [string, unknown][]): [string, unknown][] {
  for (const [key, child] of Object.entries(value)) {
    const path = prefix === '' ? key : `${prefix}.${key}`;
    if (isPlainObject(child)) flatten(child, path, out);
    else out.push([path, child]);
  }
  return out;
}

/** A dotted field path inside `data` as a SQLite JSON path with every label quoted. */
function jsonPath(dotted: string): string {
  const labels = dotted.split('.');
  for (const label of labels) {
    if (label.includes('"')) throw new Error(`agenda data filter key ${JSON.stringify(dotted)} may not contain '"'`);
  }
  return `$${labels.map((label) => `."${label}"`).join('')}`;
}

function pushDataLeaf(filter: SqlFilter, dotted: string, value: unknown): void {
  const path = jsonPath(dotted);
  const json: string | undefined = JSON.stringify(value);
  if (json === undefined || json === 'null') {
    // Mongo: `{field: null}` matches a null field and a missing one.
    filter.clauses.push("(data -> ? IS NULL OR data -> ? = 'null')");
    filter.params.push(path, path);
    return;
  }
  filter.clauses.push('data -> ? = ?');
  filter.params.push(path, json);
}

/** Adds the conditions for a `data` selector: a plain object matches per leaf, anything else whole. */
export function pushDataFilter(filter: SqlFilter, data: unknown): void {
  if (isPlainObject(data)) {
    for (const [dotted, value] of flatten(data, '', [])) pushDataLeaf(filter, dotted, value);
    return;
  }
  const json: string | undefined = JSON.stringify(data);
  if (json === undefined || json === 'null') {
    filter.clauses.push("(data IS NULL OR data = 'null')");
    return;
  }
  filter.clauses.push('data = ?');
  filter.params.push(json);
}

function pushIn(filter: SqlFilter, column: string, values: readonly string[], negate = false): void {
  filter.clauses.push(`${column} ${negate ? 'NOT IN' : 'IN'} (SELECT value FROM json_each(?))`);
  filter.params.push(JSON.stringify(values));
}

function strings(values: readonly unknown[] | undefined): string[] {
  return (values ?? []).filter((value): value is string => typeof value === 'string');
}

/**
 * Selector for cancel/disable/enable; `null` when it selects nothing, because agenda treats an
 * empty selector as "touch no job" rather than "touch every job".
 */
export function selectorFilter(options: RemoveJobsOptions): SqlFilter | null {
  const filter: SqlFilter = { clauses: [], params: [] };
  const ids = (options.ids ?? []).map(String);
  if (options.id) {
    filter.clauses.push('id = ?');
    filter.params.push(String(options.id));
  } else if (ids.length > 0) {
    pushIn(filter, 'id', ids);
  }
  const names = strings(options.names);
  const notNames = strings(options.notNames);
  if (options.name && typeof options.name === 'string') {
    filter.clauses.push('name = ?');
    filter.params.push(options.name);
  } else if (names.length > 0) {
    pushIn(filter, 'name', names);
  } else if (notNames.length > 0) {
    pushIn(filter, 'name', notNames, true);
  }
  if (options.data !== undefined) pushDataFilter(filter, options.data);
  return filter.clauses.length > 0 ? filter : null;
}

/** Filter for `queryJobs` (the state filter is applied afterwards, in code). */
export function queryFilter(options: JobsQueryOptions): SqlFilter {
  const filter: SqlFilter = { clauses: [], params: [] };
  const names = strings(options.names);
  // As in the MongoDB backend, a search replaces the name filter.
  if (options.search && typeof options.search === 'string') {
    filter.clauses.push("name LIKE ? ESCAPE '\\'");
    filter.params.push(`%${options.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
  } else if (options.name && typeof options.name === 'string') {
    filter.clauses.push('name = ?');
    filter.params.push(options.name);
  } else if (names.length > 0) {
    pushIn(filter, 'name', names);
  }
  const ids = strings(options.ids);
  if (options.id && typeof options.id === 'string') {
    filter.clauses.push('id = ?');
    filter.params.push(options.id);
  } else if (ids.length > 0) {
    pushIn(filter, 'id', ids);
  }
  if (options.data !== undefined) pushDataFilter(filter, options.data);
  if (options.includeDisabled === false) filter.clauses.push('(disabled IS NULL OR disabled = 0)');
  return filter;
}

const SORT_COLUMNS: readonly [keyof JobsSort, string][] = [
  ['nextRunAt', 'next_run_at'],
  ['lastRunAt', 'last_run_at'],
  ['lastFinishedAt', 'last_finished_at'],
  ['priority', 'priority'],
  ['name', 'name'],
  ['data', 'data'],
];

/**
 * ORDER BY for a dashboard query; the default and the key order match the MongoDB backend, and
 * SQLite orders NULL first like Mongo does. rowid breaks ties so pages are stable.
 */
export function orderBySql(sort: JobsSort | undefined): string {
  const parts = SORT_COLUMNS.flatMap(([key, column]) => {
    const direction = sort?.[key];
    return direction === undefined ? [] : [`${column} ${direction === 'asc' ? 'ASC' : 'DESC'}`];
  });
  const order = parts.length > 0 ? parts : ['next_run_at DESC', 'last_run_at DESC'];
  return `ORDER BY ${[...order, 'rowid ASC'].join(', ')}`;
}

function canonical(value: unknown, where: string): unknown {
  if (Array.isArray(value)) return value.map((item) => canonical(item, where));
  if (!isPlainObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    if (key.startsWith('$')) {
      throw new Error(`unique() supports equality on field paths only; operator "${key}" in ${where}`);
    }
    out[key] = canonical(value[key], where);
  }
  return out;
}

/**
 * Deterministic text for a unique query such as `{'data.timerKey': 'x'}`: keys sorted at every
 * level, so the same query always yields the same `unique_key` regardless of key order.
 */
export function uniqueKeyOf(unique: Record<string, unknown>): string {
  return JSON.stringify(canonical(unique, 'unique query'));
}

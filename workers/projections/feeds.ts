/**
 * Feeds, snapshot first: what a screen that subscribes (or comes back) is answered.
 *
 *   subscribe(feed, zone)          ─▶ catch the feed's read model up ─▶ {snapshot: {rows, next, summary?}, cursor}
 *   subscribe(feed, zone, cursor)  ─▶ cursor still kept? ─▶ {changes since it (the feed's only), cursor}
 *                                     older than kept, or too many ─▶ a fresh snapshot
 *   list(list, filters, after)     ─▶ catch the read models up ─▶ a page {rows, next?, cursor}
 *
 * Every feed is a FeedDefinition of the runtime's core or of a module (rows from a read model,
 * changes it routes); a feed whose rows no running module keeps answers an empty snapshot:
 *
 *   dashboard   the core's (workers/alerts/dashboard-feed.ts): rows unresolved alerts; summary: the
 *               day's counts; pushes: alerts, and every booking change (the bookings module's activity)
 *   reviews     the bookings module's (workers/bookings/booking-feeds.ts): bookings under review
 *   zone:<z>    the tickets module's (workers/tickets/zone-feed.ts): tickets inside zone z; occupancy:
 *               how many inside the zone and each of its slots
 *   kitchen     the food module's (workers/food/kitchen-queue.ts)
 *   lockers     the lockers module's (workers/lockers/lockers-feed.ts): every locker, or a zone's
 *   rentals     the equipment module's (workers/equipment/rentals-feed.ts): the items out
 *   <module>    a feed a module adds under its own name
 *
 * Every pushed change carries its cursor (`change.cursor`); the answer's cursor is the log position
 * the snapshot reflects, so a change pushed with a cursor at or below it is already in the snapshot.
 */
import { z } from 'zod';
import { ActorState, LIST_FIELDS } from '../../machines/contract/wire.js';
import type { DashboardSummary, FeedChanged, FeedName, FeedSubscribed, ListName, ListPage } from '../../machines/contract/wire.js';
import { accept, refuse } from '../../machines/errors.js';
import type { Result } from '../../machines/errors.js';
import { localDate } from '../catalog/venue-time.js';
import { feedTargets } from '../fanout/change-routing.js';
import type { FeedTarget } from '../fanout/change-routing.js';
import type { ChangeLog, ChangeRecord } from '../store/actor-store.js';
import type { FeedDefinition } from './feed-definition.js';
import type { Projector } from './projector.js';
import type { FieldValue, ReadModelSpec, ReadModelStore } from './read-model.js';
import { readPageCursor } from './read-model.js';
import { rowView } from './venue-projections.js';

/** The read models the feeds and lists read, one per list name. */
export interface FeedModels extends Record<ListName, ReadModelSpec> {
  bookings: ReadModelSpec;
  payments: ReadModelSpec;
  tickets: ReadModelSpec;
  lockers: ReadModelSpec;
  equipment: ReadModelSpec;
  alerts: ReadModelSpec;
  devices: ReadModelSpec;
}

export interface FeedsDeps {
  changes: Pick<ChangeLog, 'since' | 'head' | 'horizon'>;
  models: Pick<ReadModelStore, 'list' | 'countBy'>;
  projector: Pick<Projector, 'catchUp'>;
  /** Every read model kept (the lists' and the modules' own). */
  projections: readonly ReadModelSpec[];
  /** Every feed's definitions: the core's and the modules'. */
  feeds?: readonly FeedDefinition[];
  timeZone: string;
  clock: () => number;
  /** The most changes a resync answers before it sends a fresh snapshot instead (default 1,000). */
  maxResync?: number;
}

/** The feeds of a node, and the lists screens page through. */
export interface Feeds {
  /** One page of a list (filters checked against the list's fields). */
  list(request: { list: ListName; filters?: Readonly<Record<string, FieldValue>> | undefined; text?: string | undefined; after?: string | undefined; limit?: number | undefined }): Promise<Result<ListPage>>;
  subscribe(request: { feed: FeedName | string; zone?: string | undefined; cursor?: number | undefined; limit?: number | undefined }): Promise<Result<FeedSubscribed>>;
  /** The dashboard's counts now. */
  summary(): Promise<DashboardSummary>;
}

const ActorStateRows = z.array(ActorState);

/** The definitions of each feed by name; refuses two that both keep one feed's rows. */
function byFeed(feeds: readonly FeedDefinition[] = []): Map<string, FeedDefinition[]> {
  const out = new Map<string, FeedDefinition[]>();
  for (const feed of feeds) {
    const same = out.get(feed.name) ?? [];
    if (feed.rows !== undefined && same.some((other) => other.rows !== undefined)) throw new Error(`two modules keep the rows of the ${feed.name} feed`);
    out.set(feed.name, [...same, feed]);
  }
  return out;
}

/** Creates the feeds over the read models and the change log. */
export function createFeeds(deps: FeedsDeps): Feeds {
  const { models } = deps;
  const byName = new Map(deps.projections.map((spec) => [spec.name, spec]));
  const specs = feedModels(byName);
  const definitions = byFeed(deps.feeds);
  const maxResync = deps.maxResync ?? 1_000;

  /** The read model and filter of a feed's rows; none for a feed whose rows nobody running keeps. */
  function rowsOf(feed: FeedName | string, zone: string | undefined): { spec: ReadModelSpec; filters: Readonly<Record<string, FieldValue>> } | null {
    const keeper = definitions.get(feed)?.find((definition) => definition.rows !== undefined);
    const rows = keeper?.rows?.(zone) ?? null;
    if (rows === null) return null;
    const spec = byName.get(rows.projection);
    if (!spec) throw new Error(`feed ${feed} reads a read model nobody keeps: ${rows.projection}`);
    return { spec, filters: rows.filters };
  }

  /** The actor kinds a feed's changes come from. */
  function kindsOf(feed: FeedName | string): readonly string[] {
    return [...new Set(definitions.get(feed)?.flatMap((definition) => definition.kinds) ?? [])];
  }

  /** Where a logged change goes in a feed. */
  function targetsOf(feed: FeedName | string, record: ChangeRecord): FeedTarget[] {
    return feedTargets(definitions.get(feed) ?? [], record);
  }

  /** Counts of a read model's rows by a field; none of a read model nobody keeps. */
  async function countBy(spec: ReadModelSpec, field: string, filters?: Readonly<Record<string, FieldValue>>): Promise<Record<string, number>> {
    return byName.has(spec.name) ? models.countBy(spec, field, filters) : {};
  }

  async function summary(): Promise<DashboardSummary> {
    const day = localDate(deps.clock(), deps.timeZone);
    const [bookings, payments, inside, lockers, equipment, overdue, alerts, cursor] = await Promise.all([
      countBy(specs.bookings, 'state', { day }),
      countBy(specs.payments, 'state', { day }),
      countBy(specs.tickets, 'zone', { state: 'inside' }),
      countBy(specs.lockers, 'state'),
      countBy(specs.equipment, 'state'),
      countBy(specs.equipment, 'overdue', { state: 'in_use' }),
      countBy(specs.alerts, 'unresolved'),
      deps.changes.head(),
    ]);
    delete inside['null'];
    return { day, bookings, payments, inside, lockers, equipment, equipmentOverdue: overdue['1'] ?? 0, openAlerts: alerts['1'] ?? 0, cursor };
  }

  async function snapshot(feed: FeedName | string, zone: string | undefined, limit: number): Promise<FeedSubscribed> {
    // Everything committed before this socket joined the feed's room is in the rows read below.
    await deps.projector.catchUp();
    const source = rowsOf(feed, zone);
    const page = source && byName.has(source.spec.name) ? await models.list(source.spec, { filters: source.filters, limit }) : { rows: [], cursor: await deps.changes.head() };
    const counts = feed === 'dashboard' ? await summary() : undefined;
    const occupancy = feed === 'zone' && zone !== undefined ? await occupancyOf(zone) : undefined;
    // Rows are stored data: parsed like every stored snapshot.
    const rows = ActorStateRows.parse(page.rows);
    return {
      feed,
      ...(zone === undefined ? {} : { zone }),
      cursor: page.cursor,
      snapshot: { rows, ...('next' in page && page.next !== undefined ? { next: page.next } : {}), ...(counts ? { summary: counts } : {}), ...(occupancy ? { occupancy } : {}) },
    };
  }

  /** Who is inside a zone and each of its slots: tickets inside, by slot. */
  async function occupancyOf(zone: string): Promise<{ zone: string; inside: number; slots: Record<string, number> }> {
    const slots = await countBy(specs.tickets, 'slotId', { zone, state: 'inside' });
    delete slots['null'];
    return { zone, inside: Object.values(slots).reduce((sum, n) => sum + n, 0), slots };
  }

  /** The feed's changes after `cursor`, or null when they cannot all be given (a snapshot is due). */
  async function changesSince(feed: FeedName | string, zone: string | undefined, cursor: number): Promise<{ changes: FeedChanged[]; cursor: number } | null> {
    if (cursor < (await deps.changes.horizon())) return null;
    const head = await deps.changes.head();
    const kinds = kindsOf(feed);
    if (kinds.length === 0) return { changes: [], cursor: Math.max(cursor, head) };
    const found = await deps.changes.since(cursor, maxResync + 1, kinds);
    if (found.length > maxResync) return null;
    const changes: FeedChanged[] = [];
    for (const record of found) {
      for (const target of targetsOf(feed, record)) {
        if (target.feed !== feed || target.zone !== zone) continue;
        changes.push({ ...target, change: toChanged(record) });
      }
    }
    return { changes, cursor: Math.max(found.at(-1)?.seq ?? cursor, head) };
  }

  return {
    summary,
    async list({ list, filters, text, after, limit }) {
      const spec = specs[list];
      if (!byName.has(spec.name)) return accept({ list, rows: [], cursor: await deps.changes.head() });
      const unknown = Object.keys(filters ?? {}).filter((field) => !spec.fields.includes(field));
      if (unknown.length > 0) return refuse('event.invalid', `filters: the ${list} list has no field ${unknown.join(', ')}; use ${spec.fields.join(', ')}`);
      if (after !== undefined && readPageCursor(after) === null) return refuse('event.invalid', 'after: not a page cursor of this list (pass the `next` of the previous page)');
      // A page shows every change committed before it was asked for (the projector folds commits a little later otherwise).
      await deps.projector.catchUp();
      const page = await models.list(spec, { ...(filters === undefined ? {} : { filters }), ...(text === undefined ? {} : { text }), ...(after === undefined ? {} : { after }), limit: limit ?? 100 });
      return accept({ list, rows: ActorStateRows.parse(page.rows), cursor: page.cursor, ...(page.next === undefined ? {} : { next: page.next }) });
    },
    async subscribe({ feed, zone, cursor, limit }) {
      if (cursor !== undefined) {
        const since = await changesSince(feed, zone, cursor);
        if (since) return accept({ feed, ...(zone === undefined ? {} : { zone }), cursor: since.cursor, changes: since.changes });
      }
      return accept(await snapshot(feed, zone, limit ?? 100));
    },
  };
}

/**
 * The read models of the lists, by name. A list nobody keeps (its module is not running: devices
 * without the devices module) is an empty model: it lists no rows and counts nothing.
 */
function feedModels(byName: ReadonlyMap<string, ReadModelSpec>): FeedModels {
  const model = (name: ListName): ReadModelSpec => byName.get(name) ?? { name, version: 0, kinds: [], fields: LIST_FIELDS[name], row: () => null };
  return {
    bookings: model('bookings'),
    payments: model('payments'),
    tickets: model('tickets'),
    lockers: model('lockers'),
    equipment: model('equipment'),
    alerts: model('alerts'),
    devices: model('devices'),
  };
}

/** A logged change as pushed on the wire. */
function toChanged(record: ChangeRecord): FeedChanged['change'] {
  return { ...rowView(record), eventType: record.eventType, at: record.at, cursor: record.seq };
}

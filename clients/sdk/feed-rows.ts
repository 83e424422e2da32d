/**
 * A feed's rows as a screen lists them, kept current: the snapshot, the rest of its list when the
 * snapshot says there is more (`list:page` from its `next`), then every change. The newest version
 * of a row wins, and a row that left stays gone (a page read later from a lagging read model does
 * not bring it back); a fresh snapshot (a resync the hub could not answer with changes) replaces
 * everything. Reconnects and resyncs are the subscription's (`subscribeFeed`).
 *
 *   snapshot {rows, next} ─▶ rows ─▶ list:page after next … ─▶ more rows (older versions ignored)
 *   feed:changed {member: true} ─▶ insert or replace    {member: false} ─▶ remove    absent ─▶ not a row
 */
import type { ActorState, FeedSubscribe, FeedSubscribed, ListName } from '../../machines/contract/wire.js';
import type { HubResult } from './codes.js';
import type { HubClient } from './hub-client.js';

/** The list a feed's rows come from, to page past the snapshot (the feed's filters on it). */
export interface FeedRowsList {
  list: ListName;
  filters?: Readonly<Record<string, string | number>>;
}

/** A followed feed's rows. */
export interface FeedRows {
  /** The subscribe answer: the snapshot, or why the hub refused (then nothing follows). */
  readonly ready: Promise<HubResult<FeedSubscribed>>;
  /** The rows now, by `kind/id`. */
  rows(): ReadonlyMap<string, ActorState>;
  stop(): void;
}

const PAGE = 500;
const keyOf = (row: Pick<ActorState, 'kind' | 'id'>) => `${row.kind}/${row.id}`;

/**
 * Follows a feed's rows; `onRows` gets a new map after the snapshot, each page past it and each
 * change that moved a row. `rest` names the list to page when the snapshot has more than `limit`.
 */
export function followFeedRows(hub: Pick<HubClient, 'subscribeFeed' | 'listPage'>, feed: FeedSubscribe, rest: FeedRowsList | undefined, onRows: (rows: ReadonlyMap<string, ActorState>) => void): FeedRows {
  let rows = new Map<string, ActorState>();
  /** The last version seen of every actor, rows that left included. */
  const versions = new Map<string, number>();
  let snapshots = 0;
  let stopped = false;

  /** Takes a row's newer version; answers whether the rows changed. */
  function offer(row: ActorState, member: boolean): boolean {
    const key = keyOf(row);
    const known = versions.get(key);
    if (known !== undefined && known >= row.version) return false;
    versions.set(key, row.version);
    if (member) rows.set(key, row);
    else return rows.delete(key);
    return true;
  }
  const publish = () => {
    if (!stopped) onRows(new Map(rows));
  };

  async function pageOn(after: string, snapshot: number): Promise<void> {
    let next: string | undefined = after;
    while (rest && next !== undefined) {
      const page = await hub.listPage({ list: rest.list, ...(rest.filters === undefined ? {} : { filters: { ...rest.filters } }), after: next, limit: PAGE });
      // A newer snapshot replaced the rows this page continues: it pages on by itself.
      if (!page.ok || stopped || snapshot !== snapshots) return;
      for (const row of page.data.rows) offer(row, true);
      publish();
      next = page.data.next;
    }
  }

  const subscription = hub.subscribeFeed(
    feed,
    (change) => {
      if (change.member !== undefined && offer(change.change, change.member)) publish();
    },
    (snapshot) => {
      snapshots++;
      rows = new Map();
      versions.clear();
      for (const row of snapshot.rows) offer(row, true);
      publish();
      if (snapshot.next !== undefined) void pageOn(snapshot.next, snapshots);
    },
  );

  return {
    ready: subscription.ready,
    rows: () => rows,
    stop() {
      stopped = true;
      void subscription.unsubscribe();
    },
  };
}

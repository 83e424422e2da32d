/**
 * The runtime core's outbound sources, connected to one publisher: committed changes (the bus),
 * slot places and occupancy (the availability feed) and the dashboard's counts. The hub connects
 * them to its socket publisher, a worker to its Redis publisher (`Runtime.publishTo`, which also
 * connects staff alerts and each module's own publications: equipment counts, locker unlocks,
 * in-app notifications, menu changes).
 *
 *   bus ──notice──────────────────────▶ {type: 'actor', feeds: the feeds it goes to, by their definitions}
 *   availability ──level (occupancy)──▶ {type: 'occupancy'}   (a zone's or slot's count)
 *                └─level (a slot)─────▶ {type: 'availability'}
 *   summaries ──dashboard counts──────▶ {type: 'summary'}
 */
import type { DashboardSummary } from '../../machines/contract/wire.js';
import type { ChangeBus } from '../actors/change-bus.js';
import type { FeedDefinition } from '../projections/feed-definition.js';
import { feedTargets } from './change-routing.js';
import { occupancyScope } from '../visits/visit-service.js';
import type { AvailabilityFeed } from './availability.js';
import type { Publisher } from './outbound.js';

/** The parts of a runtime that publish. */
export interface OutboundSources {
  bus?: Pick<ChangeBus, 'subscribe'>;
  availability?: Pick<AvailabilityFeed, 'subscribe'>;
  summaries?: { subscribe(listener: (summary: DashboardSummary) => void): () => void } | undefined;
  /** Every feed's definitions (the runtime's `feedDefinitionsOf`): each change is placed in them before it is published. */
  feeds?: readonly FeedDefinition[];
}

/** Publishes everything the given sources produce until the returned function is called. */
export function publishRuntime(sources: OutboundSources, publisher: Publisher): () => void {
  const stops = [
    sources.bus?.subscribe((notice) => {
      publisher.publish({ type: 'actor', notice, feeds: feedTargets(sources.feeds ?? [], notice) });
    }),
    sources.availability?.subscribe((level) => {
      // The ledger counts occupancy under `occupancy:<scope>:<id>`; on the wire it is its own message.
      const occupancy = occupancyScope(level.slotId);
      if (occupancy) publisher.publish({ type: 'occupancy', level: { ...occupancy, inside: level.taken, at: level.at } });
      else publisher.publish({ type: 'availability', level });
    }),
    sources.summaries?.subscribe((summary) => publisher.publish({ type: 'summary', summary })),
  ];
  return () => {
    for (const stop of stops) stop?.();
  };
}

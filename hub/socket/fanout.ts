/**
 * Committed changes to socket rooms. The node that commits publishes here (its runtime bus); with
 * the Redis adapter each emit also reaches the same room on every other node.
 *
 *   ChangeNotice ─▶ actor:changed ─▶ actor:<kind>:<id>        (authorised subscribers only: full context)
 *                └▶ feed:changed  ─▶ feed:dashboard           (every booking change; admins only)
 *                └▶ feed:changed  ─▶ feed:reviews             (bookings entering or leaving under_review)
 * (routing: workers/fanout/change-routing.ts, shared with the worker's Redis emitter)
 *
 * One room per emit, never `to([a, b])`: a single-room broadcast without `except` takes socket.io's
 * uWebSockets.js fast path (one native publish per topic, no per-socket JavaScript), which is also
 * why a large fan-out does not hold up acks to gates.
 */
import type { ChangeBus } from '../../workers/actors/change-bus.js';
import type { AvailabilityFeed } from '../../workers/fanout/availability.js';
import { OCCUPANCY_SHARDS, occupancyRoom, slotRoom } from '../../workers/fanout/change-rooms.js';
import { roomMessages } from '../../workers/fanout/change-routing.js';
import { occupancyScope } from '../../workers/visits/visit-service.js';
import type { HubMetrics } from '../metrics.js';
import type { HubIo } from './types.js';

export { feedsOf } from '../../workers/fanout/change-routing.js';
export type { FeedTarget } from '../../workers/fanout/change-routing.js';

/** Forwards the bus (and slot levels) to socket rooms until the returned function is called. */
export function startFanout(deps: {
  io: HubIo;
  bus: Pick<ChangeBus, 'subscribe'>;
  availability: Pick<AvailabilityFeed, 'subscribe'>;
  metrics: HubMetrics;
}): () => void {
  let stopped = false;
  const stopLevels = deps.availability.subscribe((level) => {
    // Occupancy is counted in the same ledger: its levels go out as who is inside, not places left.
    const occupancy = occupancyScope(level.slotId);
    if (occupancy) {
      // One shard per turn of the event loop: gate scans are answered in between.
      const message = { ...occupancy, inside: level.taken, at: level.at };
      const emitShard = (shard: number): void => {
        if (stopped) return;
        deps.io.to(occupancyRoom(level.slotId, shard)).emit('occupancy:changed', message);
        if (shard + 1 < OCCUPANCY_SHARDS) setImmediate(emitShard, shard + 1);
      };
      emitShard(0);
      deps.metrics.messageOut('occupancy:changed');
      return;
    }
    deps.io.to(slotRoom(level.slotId)).emit('slot:availability', level);
    deps.metrics.messageOut('slot:availability');
  });
  const stopChanges = deps.bus.subscribe((notice) => {
    for (const message of roomMessages(notice)) {
      if (message.event === 'actor:changed') deps.io.to(message.room).emit('actor:changed', message.payload);
      else deps.io.to(message.room).emit('feed:changed', message.payload);
      deps.metrics.messageOut(message.event);
    }
  });
  return () => {
    stopped = true;
    stopLevels();
    stopChanges();
  };
}

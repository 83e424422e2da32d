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
import { slotRoom } from '../../workers/fanout/change-rooms.js';
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
  const stopLevels = deps.availability.subscribe((level) => {
    // Occupancy is counted in the same ledger: its levels go out as who is inside, not places left.
    const occupancy = occupancyScope(level.slotId);
    if (occupancy) {
      deps.io.to(slotRoom(level.slotId)).emit('occupancy:changed', { ...occupancy, inside: level.taken, at: level.at });
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
    stopLevels();
    stopChanges();
  };
}

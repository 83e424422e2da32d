/**
 * The hub's publisher: outbound messages to this node's socket.io server, which with the Redis
 * adapter also reaches the same rooms on every other node. Routing is `routeOutbound`, shared with
 * the worker's Redis publisher.
 *
 *   Outbound ─▶ routeOutbound ─▶ io.to(room).emit(event, payload), one room per emit (on uWS one
 *                                native publish per room: socket/uws-publish.ts)
 *                                paced messages (occupancy shards): one emit per turn of the event loop,
 *                                so gate scans are answered in between a large broadcast
 */
import { emitTo, routeOutbound } from '../../workers/fanout/outbound.js';
import type { Publisher, RoomEmit } from '../../workers/fanout/outbound.js';
import type { HubMetrics } from '../metrics.js';
import type { HubIo } from './types.js';

/** A publisher that can be stopped (drain): later messages are dropped. */
export interface SocketPublisher extends Publisher {
  stop(): void;
}

/** Creates the hub's publisher over its socket.io server. */
export function createSocketPublisher(deps: { io: Pick<HubIo, 'to'>; metrics: Pick<HubMetrics, 'messageOut'> }): SocketPublisher {
  let stopped = false;

  function paced(emits: readonly RoomEmit[], index: number): void {
    if (stopped) return;
    const emit = emits[index];
    if (emit === undefined) return;
    emitTo(deps.io, emit);
    if (index + 1 < emits.length) setImmediate(paced, emits, index + 1);
  }

  return {
    publish(message) {
      if (stopped) return;
      const routed = routeOutbound(message);
      if (routed.paced) {
        paced(routed.emits, 0);
        // Counted once: one reading, however many shards carry it.
        if (routed.emits[0]) deps.metrics.messageOut(routed.emits[0].event);
        return;
      }
      for (const emit of routed.emits) {
        emitTo(deps.io, emit);
        deps.metrics.messageOut(emit.event);
      }
    },
    stop() {
      stopped = true;
    },
  };
}

/**
 * Graceful drain of one hub node, in this order:
 *
 *   1. stop accepting: close the listening socket, /readyz answers 503, new events get hub.draining
 *   2. let in-flight events finish, so their commits land and their acks reach the clients
 *   3. tell every socket `session:reconnect {reason:'draining', retryAfterMs}` and disconnect it,
 *      a batch per event-loop turn (retryAfterMs grows per batch so the other nodes are not stormed)
 *   4. stop the fan-out, close socket.io (its adapter: Redis subscriptions) and the port
 *
 * The runtime (timers, relay, in-flight host commands, store) and the Redis connections belong to
 * the caller (`main`), which stops them after this resolves.
 */
import type { Logger } from '../workers/logger.js';
import type { ListeningHub } from './listen.js';
import type { HubMetrics } from './metrics.js';
import type { InflightTracker } from './socket/inflight.js';

/** What happened during a drain. */
export interface DrainReport {
  /** Sockets told to reconnect. */
  sockets: number;
  /** False when in-flight events were still running at the timeout. */
  settled: boolean;
}

/** What the drain works on. */
export interface DrainDeps {
  listening: ListeningHub;
  inflight: InflightTracker;
  metrics: HubMetrics;
  log: Logger;
  batchSize: number;
  timeoutMs: number;
  /** Flags the node as draining (readiness and the inbound pipeline read it). */
  markDraining: () => void;
  stopFanout: () => void;
}

/** Base delay before a drained client reconnects, and the added delay per batch. */
const RETRY_BASE_MS = 250;
const RETRY_STEP_MS = 250;

/** Runs the drain; resolves once the node holds no sockets and no port. */
export async function drainHub(deps: DrainDeps): Promise<DrainReport> {
  const { listening, log } = deps;
  deps.markDraining();
  deps.metrics.setDraining(true);
  listening.stopAccepting();
  log.info('draining: stopped accepting', { inflight: deps.inflight.size });

  const settled = await deps.inflight.idle(deps.timeoutMs);
  if (!settled) log.warn('draining: in-flight events still running at the timeout', { inflight: deps.inflight.size });

  const sockets = [...listening.io.of('/').sockets.values()];
  for (let start = 0, batch = 0; start < sockets.length; start += deps.batchSize, batch++) {
    const retryAfterMs = RETRY_BASE_MS + batch * RETRY_STEP_MS;
    for (const socket of sockets.slice(start, start + deps.batchSize)) {
      socket.emit('session:reconnect', { reason: 'draining', retryAfterMs });
      deps.metrics.messageOut('session:reconnect');
      socket.disconnect(true);
    }
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  log.info('draining: clients told to reconnect', { sockets: sockets.length });

  deps.stopFanout();
  await listening.close();
  return { sockets: sockets.length, settled };
}

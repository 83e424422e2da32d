/**
 * Messages between a bench and its subscriber processes (IPC with `serialization: 'advanced'`,
 * so maps and typed arrays cross as they are).
 *
 *   bench ──start{urls, token, count, target, localUrls}──▶ child   connects, subscribes
 *   bench ◀──────────ready{connected, failed}──── child
 *   bench ──count──▶ child ──counted{received}──▶ bench   (progress, convergence)
 *   bench ──collect{sentAt}──▶ child                      latency = receivedAt − sentAt[id@version];
 *                                                         the child then forgets them (next phase)
 *   bench ◀──latencies{samples, received, unmatched, resyncs}── child
 *   bench ──stop──▶ child exits
 *
 * Times are epoch milliseconds with sub-millisecond precision
 * (`performance.timeOrigin + performance.now()`), comparable across processes on one machine.
 */
import type { ActorRef, FeedSubscribe } from '../../machines/contract/wire.js';

/** What every subscriber socket follows. */
export type SubscribeTarget = { feed: FeedSubscribe } | { actor: ActorRef };

/** Bench → child. */
export type ToChild =
  | {
      type: 'start';
      urls: string[];
      token: string;
      count: number;
      offset: number;
      target: SubscribeTarget;
      connectConcurrency: number;
      /** Receipts on sockets connected to one of these count as local, the others as cross-node. */
      localUrls: string[];
    }
  | { type: 'count' }
  | { type: 'collect'; sentAt: Map<string, number> }
  | { type: 'stop' };

/** Child → bench. */
export type FromChild =
  | { type: 'ready'; connected: number; failed: number; firstError?: string }
  | { type: 'counted'; received: number }
  | {
      type: 'latencies';
      /** Every delivery's latency, then the cross-node ones again on their own. */
      samples: Float64Array;
      remoteSamples: Float64Array;
      /** Feed deliveries measured from the change's commit stamp instead (whole-ms server clock). */
      sinceCommitSamples: Float64Array;
      received: number;
      unmatched: number;
      resyncs: number;
      reconnects: number;
      firstAt: number;
      lastAt: number;
    }
  | { type: 'fatal'; message: string };

/** The key of one committed change: `<actor id>@<version>`. */
export function changeKey(id: string, version: number): string {
  return `${id}@${version}`;
}

/** Epoch milliseconds with sub-millisecond precision. */
export function nowMs(): number {
  return performance.timeOrigin + performance.now();
}

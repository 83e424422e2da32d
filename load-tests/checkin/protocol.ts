/**
 * Messages between bench:checkin and its visitor processes (IPC with `serialization: 'advanced'`,
 * so typed arrays cross as they are).
 *
 *   bench ──start{urls, token, count, offset, zone}──▶ child   connects, occupancy:subscribe {zones: [zone]}
 *   bench ◀──ready{connected, failed}────────────────── child
 *   bench ──count{inside}──▶ child ──counted{…}──▶ bench         progress; how many sockets saw `inside`
 *   bench ──reset──▶ child                                       forget what the warm-up delivered
 *   bench ──collect──▶ child ──deliveries{lags, samples, …}──▶ bench
 *   bench ──stop──▶ child exits
 *
 * Delivery lag = receipt (this machine's clock) − the level's `at` (the publishing node's clock,
 * whole ms); the hub nodes run on the same machine, so the clocks agree.
 */

/** Bench → child. */
export type ToVisitors =
  | { type: 'start'; urls: string[]; token: string; count: number; offset: number; zone: string; connectConcurrency: number }
  | { type: 'count'; inside: number }
  | { type: 'reset' }
  | { type: 'collect' }
  | { type: 'stop' };

/** Child → bench. */
export type FromVisitors =
  | { type: 'ready'; connected: number; failed: number; firstError?: string }
  | {
      type: 'counted';
      received: number;
      /** Sockets whose newest level is `inside` (or more). */
      atLevel: number;
      /** Sockets still connected. */
      connected: number;
    }
  | {
      type: 'deliveries';
      /** Receipt − `at` of every `occupancy:changed`, ms. */
      lags: Float64Array;
      received: number;
      /** `occupancy:changed` per socket: fewest and most. */
      perSocketMin: number;
      perSocketMax: number;
      /** Distinct `inside` values seen over all sockets of the child (≈ levels published). */
      distinctLevels: number;
      disconnects: number;
      firstAt: number;
      lastAt: number;
      /**
       * Every delivery of the sampled sockets (every SAMPLE_EVERY-th), as (inside, receipt epoch ms)
       * pairs, one array per socket: the bench matches them to the scans' send times.
       */
      samples: Float64Array[];
    }
  | { type: 'fatal'; message: string };

/** One socket in this many keeps its whole delivery history for the scan-to-screen latency. */
export const SAMPLE_EVERY = 50;

/** Epoch milliseconds with sub-millisecond precision. */
export function nowMs(): number {
  return performance.timeOrigin + performance.now();
}

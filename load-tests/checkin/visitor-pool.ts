/**
 * The bench side of the visitor processes: spreads N occupancy watchers over a few child
 * processes, waits until all are subscribed, follows how many reached a level, and gathers the
 * delivery lags at the end.
 */
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { askChild, exitOf, forkWorkers, stopChild } from '../harness/children.js';
import { readCpuSeconds, REPO_ROOT } from '../harness/hub-process.js';
import type { FromVisitors, ToVisitors } from './protocol.js';

/** Options of a visitor pool. */
export interface VisitorPoolOptions {
  /** Hub URLs; socket i connects to urls[i % n]. */
  urls: string[];
  /** Any signed-in person may watch occupancy; a visitor's token. */
  token: string;
  sockets: number;
  processes: number;
  zone: string;
  /** Handshakes in flight per process (default 100). */
  connectConcurrency?: number;
}

/** Deliveries gathered from every process: each child's figures combined, its lag arrays kept apart. */
export type VisitorDeliveries = Omit<Extract<FromVisitors, { type: 'deliveries' }>, 'type' | 'lags'> & { lags: Float64Array[] };

/** A set of visitor processes. */
export interface VisitorPool {
  readonly connected: number;
  readonly failed: number;
  /** Deliveries so far and the sockets whose newest level is at least `inside`. */
  progress(inside: number): Promise<{ received: number; atLevel: number; connected: number }>;
  /** Forgets what was delivered so far (after a warm-up). */
  reset(): void;
  collect(): Promise<VisitorDeliveries>;
  /** CPU seconds used by the processes so far (user + system). */
  cpuSeconds(): number;
  /** The processes' ids (to pin them to a core). */
  pids(): number[];
  stop(): Promise<void>;
}

const CHILD = fileURLToPath(new URL('./visitor-child.ts', import.meta.url));

function ask(child: ChildProcess, message: ToVisitors, answer: FromVisitors['type'], timeoutMs: number): Promise<FromVisitors> {
  return askChild<FromVisitors>(child, message, answer, timeoutMs, 'visitor');
}

/** Starts the processes and resolves once every socket has connected and subscribed (or failed). */
export async function startVisitorPool(options: VisitorPoolOptions): Promise<VisitorPool> {
  const { children, shares } = forkWorkers(CHILD, REPO_ROOT, options.sockets, options.processes);
  const readies = children.map((child, p) => {
    const { count, offset } = shares[p] ?? { count: 0, offset: 0 };
    const start: ToVisitors = { type: 'start', urls: options.urls, token: options.token, count, offset, zone: options.zone, connectConcurrency: options.connectConcurrency ?? 100 };
    return ask(child, start, 'ready', 600_000);
  });
  let connected = 0;
  let failed = 0;
  let firstError: string | undefined;
  for (const reply of await Promise.all(readies)) {
    if (reply.type !== 'ready') continue;
    connected += reply.connected;
    failed += reply.failed;
    firstError ??= reply.firstError;
  }
  if (firstError) process.stderr.write(`… ${failed} visitor socket(s) failed, first: ${firstError}\n`);

  return {
    connected,
    failed,
    async progress(inside) {
      const replies = await Promise.all(children.map((c) => ask(c, { type: 'count', inside }, 'counted', 30_000)));
      const sum = { received: 0, atLevel: 0, connected: 0 };
      for (const r of replies) {
        if (r.type !== 'counted') continue;
        sum.received += r.received;
        sum.atLevel += r.atLevel;
        sum.connected += r.connected;
      }
      return sum;
    },
    reset() {
      for (const c of children) c.send({ type: 'reset' } satisfies ToVisitors);
    },
    async collect() {
      const replies = await Promise.all(children.map((c) => ask(c, { type: 'collect' }, 'deliveries', 120_000)));
      const result: VisitorDeliveries = { lags: [], samples: [], received: 0, perSocketMin: Infinity, perSocketMax: 0, distinctLevels: 0, disconnects: 0, firstAt: Infinity, lastAt: 0 };
      for (const r of replies) {
        if (r.type !== 'deliveries') continue;
        result.lags.push(r.lags);
        result.samples.push(...r.samples);
        result.received += r.received;
        result.perSocketMin = Math.min(result.perSocketMin, r.perSocketMin);
        result.perSocketMax = Math.max(result.perSocketMax, r.perSocketMax);
        result.distinctLevels = Math.max(result.distinctLevels, r.distinctLevels);
        result.disconnects += r.disconnects;
        result.firstAt = Math.min(result.firstAt, r.firstAt);
        result.lastAt = Math.max(result.lastAt, r.lastAt);
      }
      if (!Number.isFinite(result.perSocketMin)) result.perSocketMin = 0;
      return result;
    },
    pids() {
      return children.flatMap((c) => (c.pid === undefined ? [] : [c.pid]));
    },
    cpuSeconds() {
      return children.reduce((sum, c) => sum + (c.pid === undefined ? 0 : (readCpuSeconds(c.pid) ?? 0)), 0);
    },
    async stop() {
      await Promise.all(
        children.map(async (c) => {
          if (c.connected) c.send({ type: 'stop' } satisfies ToVisitors);
          await Promise.race([exitOf(c), new Promise((resolve) => setTimeout(resolve, 5_000))]);
          await stopChild(c, 'SIGKILL', 0);
        }),
      );
    },
  };
}

/**
 * The bench side of the subscriber processes: spreads N sockets over a few child processes,
 * waits until all are subscribed, and gathers per-delivery latencies at the end.
 */
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { REPO_ROOT } from '../harness/hub-process.js';
import { askChild, exitOf, forkWorkers, stopChild } from '../harness/children.js';
import type { FromChild, SubscribeTarget, ToChild } from './protocol.js';

/** Options of a subscriber pool. */
export interface PoolOptions {
  /** Hub URLs; socket i connects to urls[i % n] first. */
  urls: string[];
  token: string;
  sockets: number;
  processes: number;
  target: SubscribeTarget;
  /** Handshakes in flight per process (default 100). */
  connectConcurrency?: number;
  /** Sockets on these URLs count as local (default all): the rest give the cross-node figures. */
  localUrls?: string[];
}

/** What the children measured. */
export interface PoolResult {
  samples: Float64Array[];
  /** The cross-node deliveries among `samples`. */
  remoteSamples: Float64Array[];
  /** Feed deliveries measured from the commit stamp (`at`) rather than the command's send time. */
  sinceCommitSamples: Float64Array[];
  received: number;
  unmatched: number;
  resyncs: number;
  reconnects: number;
  /** First and last receipt over all processes (epoch ms). */
  firstAt: number;
  lastAt: number;
}

/** A set of subscriber processes. */
export interface SubscriberPool {
  readonly connected: number;
  readonly failed: number;
  /** Deliveries so far, over all processes. */
  received(): Promise<number>;
  collect(sentAt: Map<string, number>): Promise<PoolResult>;
  stop(): Promise<void>;
}

const CHILD = fileURLToPath(new URL('./subscriber-child.ts', import.meta.url));

function ask(child: ChildProcess, message: ToChild, answer: FromChild['type'], timeoutMs: number): Promise<FromChild> {
  return askChild<FromChild>(child, message, answer, timeoutMs, 'subscriber');
}

/** Starts the processes and resolves once every socket has connected and subscribed (or failed). */
export async function startSubscriberPool(options: PoolOptions): Promise<SubscriberPool> {
  const { children, shares } = forkWorkers(CHILD, REPO_ROOT, options.sockets, options.processes);
  const readies = children.map((child, p) => {
    const { count, offset } = shares[p] ?? { count: 0, offset: 0 };
    const start: ToChild = {
      type: 'start',
      urls: options.urls,
      token: options.token,
      count,
      offset,
      target: options.target,
      connectConcurrency: options.connectConcurrency ?? 100,
      localUrls: options.localUrls ?? options.urls,
    };
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
  if (firstError) process.stderr.write(`… ${failed} subscriber(s) failed, first: ${firstError}\n`);

  return {
    connected,
    failed,
    async received() {
      const replies = await Promise.all(children.map((c) => ask(c, { type: 'count' }, 'counted', 30_000)));
      return replies.reduce((sum, r) => sum + (r.type === 'counted' ? r.received : 0), 0);
    },
    async collect(sentAt) {
      const replies = await Promise.all(children.map((c) => ask(c, { type: 'collect', sentAt }, 'latencies', 120_000)));
      const result: PoolResult = { samples: [], remoteSamples: [], sinceCommitSamples: [], received: 0, unmatched: 0, resyncs: 0, reconnects: 0, firstAt: Infinity, lastAt: 0 };
      for (const r of replies) {
        if (r.type !== 'latencies') continue;
        result.samples.push(r.samples);
        result.remoteSamples.push(r.remoteSamples);
        result.sinceCommitSamples.push(r.sinceCommitSamples);
        result.received += r.received;
        result.unmatched += r.unmatched;
        result.resyncs += r.resyncs;
        result.reconnects += r.reconnects;
        result.firstAt = Math.min(result.firstAt, r.firstAt);
        result.lastAt = Math.max(result.lastAt, r.lastAt);
      }
      return result;
    },
    async stop() {
      await Promise.all(
        children.map(async (c) => {
          if (c.connected) c.send({ type: 'stop' } satisfies ToChild);
          const exited = exitOf(c);
          await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5_000))]);
          await stopChild(c, 'SIGKILL', 0);
        }),
      );
    },
  };
}

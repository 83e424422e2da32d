/**
 * Pieces shared by bench:fanout and bench:cluster: the open-files check, the driver clients,
 * waiting for deliveries to settle, and folding the subscribers' samples into one summary.
 */
import { execFileSync } from 'node:child_process';
import { connectHub } from '../../clients/sdk/index.js';
import type { HubClient } from '../../clients/sdk/index.js';
import type { DevSigner } from '../harness/dev-tokens.js';
import { Latencies, progress, round } from '../stats.js';
import type { LatencySummary } from '../stats.js';
import type { ChangeStreamResult } from './change-stream.js';
import type { PoolResult, SubscriberPool } from './subscriber-pool.js';

/** `ulimit -n` of this shell, or undefined when it cannot be read. */
export function openFilesLimit(): number | undefined {
  try {
    const text = execFileSync('sh', ['-c', 'ulimit -n'], { encoding: 'utf8' }).trim();
    return text === 'unlimited' ? Number.POSITIVE_INFINITY : Number(text);
  } catch {
    return undefined;
  }
}

/** Exits with a clear message when one process would need more file descriptors than allowed. */
export function requireOpenFiles(needed: number, what: string): void {
  const limit = openFilesLimit();
  if (limit !== undefined && limit < needed) {
    process.stderr.write(
      `ulimit -n is ${limit}, but ${what} needs about ${needed} open files.\n` +
        `Raise it for this shell (e.g. \`ulimit -n 65536\`, or LimitNOFILE= for a service) or run with fewer SOCKETS.\n`,
    );
    process.exit(2);
  }
}

/**
 * Connects `count` visitor clients (the hub limits commands per socket, so fast streams need
 * several). Holding needs a verified visitor account: the demo visitor a node prints at start
 * (SEED_DEMO) is one; a token minted for an unknown visitor is refused with `account.invalid`.
 */
export async function connectDrivers(urls: string[], token: string, count: number): Promise<HubClient[]> {
  return Promise.all(
    Array.from({ length: count }, async (_, i) => {
      const client = connectHub({ url: urls[i % urls.length] ?? '', token, requestTimeoutMs: 10_000 });
      await client.ready;
      return client;
    }),
  );
}

/** The demo visitor's token a node printed, or a minted one (which works only if that visitor has an account). */
export async function visitorToken(printed: string | undefined, signer: DevSigner): Promise<string> {
  if (printed !== undefined) return printed;
  progress('the node printed no demo visitor token; minting one (holds need a verified visitor account)');
  return signer.person('visitor', 'demo-visitor');
}

/** Waits until the pool has every expected delivery, or the count stops growing for `quietMs`. */
export async function settle(pool: SubscriberPool, expected: number, quietMs = 3_000, limitMs = 60_000): Promise<number> {
  const deadline = Date.now() + limitMs;
  let last = -1;
  let lastChange = Date.now();
  for (;;) {
    const now = await pool.received();
    if (now >= expected) return now;
    if (now !== last) {
      last = now;
      lastChange = Date.now();
    } else if (Date.now() - lastChange > quietMs || Date.now() > deadline) {
      progress(`deliveries stopped at ${now} of ${expected}`);
      return now;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** The figures of one run. */
export interface DeliveryFigures extends LatencySummary {
  expected: number;
  delivered: number;
  lost: number;
  deliveredPerSec: number;
  resyncs: number;
}

/** Percentiles over samples gathered in several processes. */
export function summarize(parts: Float64Array[]): LatencySummary {
  const latencies = new Latencies();
  for (const part of parts) for (const ms of part) latencies.record(ms);
  return latencies.summary();
}

/** Delivery latency over every (change, socket) pair, and throughput from first send to last receipt. */
export function deliveryFigures(stream: ChangeStreamResult, result: PoolResult, subscribers: number): DeliveryFigures {
  const firstSent = Math.min(...stream.sentAt.values());
  const windowMs = Math.max(1, result.lastAt - firstSent);
  const expected = stream.committed * subscribers;
  return {
    ...summarize(result.samples),
    expected,
    delivered: result.received,
    lost: Math.max(0, expected - result.received),
    deliveredPerSec: round((result.received / windowMs) * 1000, 0),
    resyncs: result.resyncs,
  };
}

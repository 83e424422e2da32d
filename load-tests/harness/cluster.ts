/**
 * Several hub nodes on one real redis-server and one shared data directory (SQLite store and
 * signing keys), the shape the cross-node tests and `bench:cluster` run against.
 *
 *   redis-server :<free port>  ◀──adapter──  hub-1  hub-2  hub-3  ──▶  <dataDir>/venue-hub.db
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startHubNode } from './hub-process.js';
import type { HubNode, HubNodeOptions } from './hub-process.js';
import { startRedis } from './redis-process.js';
import type { RedisProcess } from './redis-process.js';

/** Options of `startCluster`. */
export interface ClusterOptions {
  nodes: number;
  /** Default: a fresh temporary directory, removed by `stop()`. */
  dataDir?: string;
  /** Applied to every node (LOG_LEVEL, engine, env …). */
  node?: Omit<HubNodeOptions, 'dataDir' | 'redisUrl' | 'nodeId'>;
  /** Called before the nodes start, with the data directory (e.g. to create signing keys). */
  prepare?: (dataDir: string) => Promise<void>;
}

/** A running cluster. */
export interface Cluster {
  readonly dataDir: string;
  readonly redis: RedisProcess;
  readonly nodes: HubNode[];
  readonly urls: string[];
  /**
   * Starts one more node on the same Redis and data directory (e.g. to replace a killed one) and
   * appends it to `nodes` (`urls` keeps the nodes started first); `stop()` stops it too.
   */
  addNode(): Promise<HubNode>;
  /** Kills every node and redis-server, removes a temporary data directory. */
  stop(): Promise<void>;
}

/** Starts redis-server and `nodes` hub nodes (the first alone, so it seeds the store, then the rest together). */
export async function startCluster(options: ClusterOptions): Promise<Cluster> {
  const ownDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'vh-cluster-'));
  const redis = await startRedis();
  const nodes: HubNode[] = [];
  const start = (i: number) => startHubNode({ ...options.node, dataDir, redisUrl: redis.url, nodeId: `hub-${i + 1}` });
  try {
    await options.prepare?.(dataDir);
    nodes.push(await start(0));
    nodes.push(...(await Promise.all(Array.from({ length: options.nodes - 1 }, (_, i) => start(i + 1)))));
  } catch (error) {
    await Promise.all(nodes.map((n) => n.kill9()));
    await redis.stop();
    if (ownDir) rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
  return {
    dataDir,
    redis,
    nodes,
    urls: nodes.map((n) => n.url),
    async addNode() {
      const node = await start(nodes.length);
      nodes.push(node);
      return node;
    },
    async stop() {
      await Promise.all(nodes.map((n) => n.kill('SIGTERM', 5_000)));
      await redis.stop();
      if (ownDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Polls `check` every 25 ms until it is true; throws `what` after `timeoutMs`. */
export async function waitFor(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/**
 * `npm run bench:socket-memory`: what one idle, subscribed socket costs the hub in live heap, on a
 * hub child process (embedded store); `bench:fanout` reports the RSS side:
 *
 *   WARM sockets connect and subscribe (JIT, pools and caches settle) ─▶ heap snapshot A
 *   SOCKETS more connect and subscribe to the `dashboard` feed          ─▶ heap snapshot B
 *
 *   live heap per socket = (B − A) / SOCKETS: the self sizes of every object reachable in the
 *                          snapshots (V8 collects garbage before writing one), so it is exact and
 *                          repeatable, unlike RSS, which also holds garbage not yet collected
 *
 * The snapshots are taken by the hub itself on SIGUSR2 (`--heapsnapshot-signal`) and written to a
 * temporary directory; the bench also prints which kinds of objects grew the most per socket
 * (constructor names from the snapshots), which is where to look next.
 *
 * Options (env): SOCKETS (2000), WARM (300), SUB_PROCS (2), ENGINES ("uws,ws"), SETTLE_MS (3000),
 * TOP (12: object kinds listed), KEEP_SNAPSHOTS (1 keeps the snapshot files for DevTools' Memory
 * tab, comparison view). Progress on stderr; one JSON line on stdout at the end.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { requireOpenFiles } from './fanout/measure.js';
import { startSubscriberPool } from './fanout/subscriber-pool.js';
import type { SubscriberPool } from './fanout/subscriber-pool.js';
import { createDevSigner } from './harness/dev-tokens.js';
import type { DevSigner } from './harness/dev-tokens.js';
import { startHubNode } from './harness/hub-process.js';
import type { HubNode } from './harness/hub-process.js';
import { progress, report, round } from './stats.js';

const Options = z.object({
  SOCKETS: z.coerce.number().int().positive().default(2_000),
  WARM: z.coerce.number().int().positive().default(300),
  SUB_PROCS: z.coerce.number().int().positive().default(2),
  ENGINES: z
    .string()
    .default('uws,ws')
    .transform((s) => s.split(',').map((e) => e.trim()))
    .pipe(z.array(z.enum(['uws', 'ws'])).min(1)),
  SETTLE_MS: z.coerce.number().int().nonnegative().default(3_000),
  TOP: z.coerce.number().int().nonnegative().default(12),
  KEEP_SNAPSHOTS: z.enum(['0', '1']).default('0'),
});
const options = Options.parse(process.env);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The parts of a V8 heap snapshot file this bench reads. */
const HeapSnapshot = z.object({
  snapshot: z.object({ meta: z.object({ node_fields: z.array(z.string()), node_types: z.array(z.unknown()) }) }),
  nodes: z.array(z.number()),
  strings: z.array(z.string()),
});

/** Total live bytes and bytes by object kind ("type:name"). */
interface HeapTotals {
  bytes: number;
  byKind: Map<string, { bytes: number; count: number }>;
}

function readHeap(snapshotJson: unknown): HeapTotals {
  const parsed = HeapSnapshot.parse(snapshotJson);
  const fields = parsed.snapshot.meta.node_fields;
  const types = z.array(z.string()).parse(parsed.snapshot.meta.node_types[0]);
  const width = fields.length;
  const typeAt = fields.indexOf('type');
  const nameAt = fields.indexOf('name');
  const sizeAt = fields.indexOf('self_size');
  const byKind = new Map<string, { bytes: number; count: number }>();
  let bytes = 0;
  const { nodes, strings } = parsed;
  for (let i = 0; i < nodes.length; i += width) {
    const size = nodes[i + sizeAt] ?? 0;
    bytes += size;
    const type = types[nodes[i + typeAt] ?? 0] ?? '?';
    // Strings and numbers are kinds of their own; objects and closures by constructor or function name.
    const name = type === 'object' || type === 'closure' || type === 'native' ? `${type}:${(strings[nodes[i + nameAt] ?? 0] ?? '').slice(0, 60)}` : type;
    const kind = byKind.get(name) ?? { bytes: 0, count: 0 };
    kind.bytes += size;
    kind.count += 1;
    byKind.set(name, kind);
  }
  return { bytes, byKind };
}

/** Asks the node for a heap snapshot and waits until the file is complete; answers its JSON. */
async function snapshot(node: HubNode, dir: string): Promise<unknown> {
  const before = new Set(readdirSync(dir));
  process.kill(node.pid, 'SIGUSR2');
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    await sleep(500);
    const file = readdirSync(dir).find((f) => f.endsWith('.heapsnapshot') && !before.has(f));
    if (file === undefined) continue;
    const path = join(dir, file);
    const size = statSync(path).size;
    await sleep(1_000);
    if (statSync(path).size === size && size > 0) {
      try {
        return JSON.parse(readFileSync(path, 'utf8')) as unknown;
      } catch {
        // still being written
      }
    }
  }
  throw new Error(`the hub (pid ${node.pid}) wrote no heap snapshot in ${dir} within 120 s`);
}

interface EngineRun {
  engine: 'uws' | 'ws';
  sockets: number;
  heapBytesPerSocket: number;
  hubHeapMb: number;
  top: { kind: string; bytesPerSocket: number; perSocket: number }[];
}

async function subscribe(node: HubNode, token: string, sockets: number): Promise<SubscriberPool> {
  const pool = await startSubscriberPool({ urls: [node.url], token, sockets, processes: options.SUB_PROCS, target: { feed: { feed: 'dashboard' } } });
  if (pool.failed > 0) throw new Error(`${pool.failed} of ${sockets} sockets did not connect and subscribe`);
  return pool;
}

async function runEngine(engine: 'uws' | 'ws', signer: DevSigner): Promise<EngineRun> {
  const dataDir = mkdtempSync(join(tmpdir(), `vh-bench-sockmem-${engine}-`));
  const snapDir = mkdtempSync(join(tmpdir(), `vh-bench-sockmem-snap-${engine}-`));
  const node = await startHubNode({
    dataDir,
    engine,
    nodeArgs: ['--max-old-space-size=4096', '--heapsnapshot-signal=SIGUSR2', `--diagnostic-dir=${snapDir}`],
    env: { JWT_PRIVATE_KEYS: signer.privateKeysEnv },
  });
  const pools: SubscriberPool[] = [];
  try {
    progress(`[${engine}] hub at ${node.url} (pid ${node.pid}); ${options.WARM} warm-up sockets`);
    const token = await signer.person('support_admin', `mem-${engine}-watch`);
    pools.push(await subscribe(node, token, options.WARM));
    await sleep(options.SETTLE_MS);
    const heapA = readHeap(await snapshot(node, snapDir));
    progress(`[${engine}] snapshot A: ${round(heapA.bytes / 1_048_576, 1)} MB live; connecting ${options.SOCKETS} sockets`);
    pools.push(await subscribe(node, token, options.SOCKETS));
    await sleep(options.SETTLE_MS);
    const heapB = readHeap(await snapshot(node, snapDir));
    progress(`[${engine}] snapshot B: ${round(heapB.bytes / 1_048_576, 1)} MB live`);
    const top = [...heapB.byKind]
      .map(([kind, b]) => {
        const a = heapA.byKind.get(kind) ?? { bytes: 0, count: 0 };
        return { kind, bytesPerSocket: round((b.bytes - a.bytes) / options.SOCKETS, 1), perSocket: round((b.count - a.count) / options.SOCKETS, 2) };
      })
      .sort((x, y) => y.bytesPerSocket - x.bytesPerSocket)
      .slice(0, options.TOP);
    return {
      engine,
      sockets: options.SOCKETS,
      heapBytesPerSocket: Math.round((heapB.bytes - heapA.bytes) / options.SOCKETS),
      hubHeapMb: round(heapB.bytes / 1_048_576, 1),
      top,
    };
  } finally {
    for (const pool of pools) await pool.stop();
    await node.kill('SIGTERM', 30_000);
    rmSync(dataDir, { recursive: true, force: true });
    if (options.KEEP_SNAPSHOTS === '1') progress(`[${engine}] heap snapshots kept in ${snapDir}`);
    else rmSync(snapDir, { recursive: true, force: true });
  }
}

requireOpenFiles(options.SOCKETS + options.WARM + 1_024, `one hub process holding ${options.SOCKETS + options.WARM} sockets`);
process.stderr.write(
  `bench:socket-memory ${options.WARM} warm-up + ${options.SOCKETS} measured sockets in ${options.SUB_PROCS} processes, engines ${options.ENGINES.join(', ')}, ` +
    `node ${process.version}, load average ${loadavg().map((l) => round(l, 2)).join(' ')}\n`,
);
const signer = await createDevSigner();
const runs: EngineRun[] = [];
for (const engine of options.ENGINES) {
  const run = await runEngine(engine, signer);
  const { top, ...figures } = run;
  report(`socket memory on ${engine}`, figures);
  for (const t of top) report(`  ${t.kind}`, { bytesPerSocket: t.bytesPerSocket, objectsPerSocket: t.perSocket });
  runs.push(run);
}
process.stdout.write(`${JSON.stringify({ bench: 'socket-memory', loadAvg: round(loadavg()[0] ?? 0, 2), runs: runs.map(({ top: _top, ...r }) => r) })}\n`);

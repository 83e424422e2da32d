/**
 * `npm run bench:fanout`: one hub node (a child process on a temporary data directory), N admin
 * sockets subscribed to the `dashboard` feed (one room), and a paced stream of booking changes
 * made by visitors over sockets. Run twice, on the uWebSockets.js engine and on socket.io's
 * default `ws` engine (SOCKET_ENGINE=ws, the same hub otherwise), and compared.
 *
 *   drivers ──hold/submit/cancel (send time kept per id@version)──▶ hub ──feed:changed──▶ N sockets
 *                                                                                         │ receive time
 *   latency = receive − send, per (change, socket);  RSS per idle socket from /proc/<pid>/status
 *
 * The sockets live in SUB_PROCS child processes (10,000 sockets in one event loop would measure
 * that loop, not the hub). Everything shares this machine's cores, so the receivers' own work
 * (a socket.io client per socket, parsing every frame in JavaScript) is part of the latency; the
 * hub's CPU per delivered message (from /proc) is reported as the figure that depends on the hub alone.
 *
 * Two phases per engine: `latency` (RATE changes/s, well under what the machine can carry:
 * p50/p99/max) and `throughput` (BURST_RATE changes/s, enough to saturate it: messages/s).
 *
 * Options (env): SOCKETS (10000), SUB_PROCS (4), RATE (2), CHANGES (40), BURST_RATE (40),
 * BURST_CHANGES (200), ENGINES ("uws,ws"), CONNECT_CONCURRENCY (per process, 100), SETTLE_MS (2000).
 * Progress on stderr; one JSON line on stdout at the end.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { runChangeStream } from './fanout/change-stream.js';
import { connectDrivers, deliveryFigures, requireOpenFiles, settle, visitorToken } from './fanout/measure.js';
import type { DeliveryFigures } from './fanout/measure.js';
import { startSubscriberPool } from './fanout/subscriber-pool.js';
import type { SubscriberPool } from './fanout/subscriber-pool.js';
import type { HubClient } from '../clients/sdk/index.js';
import { createDevSigner } from './harness/dev-tokens.js';
import type { DevSigner } from './harness/dev-tokens.js';
import { startHubNode } from './harness/hub-process.js';
import type { HubNode } from './harness/hub-process.js';
import { progress, report, round } from './stats.js';

const Options = z.object({
  SOCKETS: z.coerce.number().int().positive().default(10_000),
  SUB_PROCS: z.coerce.number().int().positive().default(4),
  RATE: z.coerce.number().positive().default(2),
  CHANGES: z.coerce.number().int().positive().default(40),
  BURST_RATE: z.coerce.number().positive().default(40),
  BURST_CHANGES: z.coerce.number().int().positive().default(200),
  ENGINES: z
    .string()
    .default('uws,ws')
    .transform((s) => s.split(',').map((e) => e.trim()))
    .pipe(z.array(z.enum(['uws', 'ws'])).min(1)),
  CONNECT_CONCURRENCY: z.coerce.number().int().positive().default(100),
  SETTLE_MS: z.coerce.number().int().nonnegative().default(2_000),
});
const options = Options.parse(process.env);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface EngineRun extends DeliveryFigures {
  engine: 'uws' | 'ws';
  sockets: number;
  connectSeconds: number;
  rssPerIdleSocketBytes: number;
  hubRssMb: number;
  ackP99Ms: number;
  hubCpuUsPerDelivery: number;
  /** The throughput phase. */
  burst: DeliveryFigures;
}

/** What one phase measured. */
interface PhaseFigures {
  figures: DeliveryFigures;
  ackP99Ms: number;
  /** Hub CPU (user + system, which on loopback includes much of the receivers' kernel work) per delivered message. */
  hubCpuUsPerDelivery: number;
}

/** One paced stream to every subscriber, measured. */
async function phase(node: HubNode, pool: SubscriberPool, drivers: HubClient[], label: string, changes: number, ratePerSec: number): Promise<PhaseFigures> {
  progress(`${label}: ${changes} changes at ${ratePerSec}/s`);
  const cpuBefore = node.cpuSeconds() ?? 0;
  const stream = await runChangeStream({ drivers, changes, ratePerSec, prefix: `${label.replace(/\W+/g, '-')}-${Date.now()}` });
  if (Object.keys(stream.refused).length > 0) progress(`${label}: refused ${JSON.stringify(stream.refused)}`);
  await settle(pool, stream.committed * pool.connected);
  const cpu = (node.cpuSeconds() ?? 0) - cpuBefore;
  const figures = deliveryFigures(stream, await pool.collect(stream.sentAt), pool.connected);
  const acks = [...stream.ackMs].sort((x, y) => x - y);
  return {
    figures,
    ackP99Ms: round(acks[Math.max(0, Math.ceil(acks.length * 0.99) - 1)] ?? 0),
    hubCpuUsPerDelivery: round((cpu * 1e6) / Math.max(1, figures.delivered), 2),
  };
}

async function runEngine(engine: 'uws' | 'ws', signer: DevSigner): Promise<EngineRun> {
  const dataDir = mkdtempSync(join(tmpdir(), `vh-bench-fanout-${engine}-`));
  const node = await startHubNode({
    dataDir,
    engine,
    nodeArgs: ['--max-old-space-size=4096'],
    env: { JWT_PRIVATE_KEYS: signer.privateKeysEnv },
  });
  try {
    progress(`[${engine}] hub at ${node.url} (pid ${node.pid})`);
    const drivers = await connectDrivers([node.url], await visitorToken(node.visitorToken, signer), Math.ceil(Math.max(options.RATE, options.BURST_RATE) / 40));
    // Warm the paths the stream uses (JIT, statement cache) before measuring anything.
    await runChangeStream({ drivers, changes: 30, ratePerSec: 100, prefix: `warm-${engine}` });
    await sleep(options.SETTLE_MS);
    const rssBefore = node.rssBytes() ?? 0;

    progress(`[${engine}] connecting ${options.SOCKETS} sockets from ${options.SUB_PROCS} processes`);
    const connectStart = performance.now();
    const pool = await startSubscriberPool({
      urls: [node.url],
      token: await signer.person('support_admin', `fan-${engine}-watch`),
      sockets: options.SOCKETS,
      processes: options.SUB_PROCS,
      target: { feed: { feed: 'dashboard' } },
      connectConcurrency: options.CONNECT_CONCURRENCY,
    });
    const connectSeconds = (performance.now() - connectStart) / 1000;
    try {
      progress(`[${engine}] ${pool.connected} subscribed (${pool.failed} failed) in ${round(connectSeconds, 1)} s`);
      await sleep(options.SETTLE_MS);
      const rssAfter = node.rssBytes() ?? 0;
      const rssPerIdleSocketBytes = pool.connected > 0 ? Math.round((rssAfter - rssBefore) / pool.connected) : 0;

      const latency = await phase(node, pool, drivers, `[${engine}] latency`, options.CHANGES, options.RATE);
      const burst = await phase(node, pool, drivers, `[${engine}] throughput`, options.BURST_CHANGES, options.BURST_RATE);
      for (const d of drivers) d.close();
      return {
        engine,
        sockets: pool.connected,
        connectSeconds: round(connectSeconds, 1),
        rssPerIdleSocketBytes,
        hubRssMb: round(rssAfter / 1_048_576, 1),
        ackP99Ms: latency.ackP99Ms,
        hubCpuUsPerDelivery: latency.hubCpuUsPerDelivery,
        ...latency.figures,
        burst: burst.figures,
      };
    } finally {
      await pool.stop();
    }
  } finally {
    await node.kill('SIGTERM', 30_000);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

requireOpenFiles(options.SOCKETS + 1_024, `one hub process holding ${options.SOCKETS} sockets`);
process.stderr.write(
  `bench:fanout ${options.SOCKETS} sockets in ${options.SUB_PROCS} processes, ${options.CHANGES} changes at ${options.RATE}/s then ${options.BURST_CHANGES} at ${options.BURST_RATE}/s, ` +
    `engines ${options.ENGINES.join(' vs ')}, node ${process.version}, load average ${loadavg().map((l) => round(l, 2)).join(' ')}\n`,
);
const signer = await createDevSigner();
const runs: EngineRun[] = [];
for (const engine of options.ENGINES) {
  const run = await runEngine(engine, signer);
  const { engine: _engine, burst, ...fields } = run;
  report(`fanout on ${engine}`, { ...fields });
  report(`  at ${options.BURST_RATE} changes/s`, { ...burst });
  runs.push(run);
}
const uws = runs.find((r) => r.engine === 'uws');
const ws = runs.find((r) => r.engine === 'ws');
const ratio =
  uws && ws
    ? {
        p99: round(ws.p99Ms / Math.max(uws.p99Ms, 0.001), 2),
        deliveredPerSec: round(uws.burst.deliveredPerSec / Math.max(ws.burst.deliveredPerSec, 1), 2),
        rssPerIdleSocket: round(ws.rssPerIdleSocketBytes / Math.max(uws.rssPerIdleSocketBytes, 1), 2),
        hubCpuPerDelivery: round(ws.hubCpuUsPerDelivery / Math.max(uws.hubCpuUsPerDelivery, 0.001), 2),
      }
    : undefined;
if (ratio) {
  report('ratio ws/uws', { p99Latency: ratio.p99, 'throughput(uws/ws)': ratio.deliveredPerSec, rssPerIdleSocket: ratio.rssPerIdleSocket, hubCpuPerDelivery: ratio.hubCpuPerDelivery });
}
const pick = (r: EngineRun | undefined) =>
  r && {
    sockets: r.sockets,
    p50Ms: r.p50Ms,
    p99Ms: r.p99Ms,
    maxMs: r.maxMs,
    deliveredPerSec: r.burst.deliveredPerSec,
    burstP99Ms: r.burst.p99Ms,
    rssPerIdleSocketBytes: r.rssPerIdleSocketBytes,
    hubCpuUsPerDelivery: r.hubCpuUsPerDelivery,
    lost: r.lost + r.burst.lost,
  };
process.stdout.write(
  JSON.stringify({ bench: 'fanout', sockets: options.SOCKETS, rate: options.RATE, burstRate: options.BURST_RATE, loadAvg: round(loadavg()[0] ?? 0, 2), uws: pick(uws), ws: pick(ws), ratio }) + '\n',
);
process.exit(0);

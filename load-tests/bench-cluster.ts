/**
 * `npm run bench:cluster`: three hub nodes on one redis-server and one shared SQLite data
 * directory, SOCKETS admin subscribers of the `dashboard` feed spread round-robin over the nodes,
 * and a paced stream of booking changes committed on the first node. Deliveries to sockets on
 * the other two nodes crossed Redis; their latency is reported on its own (crossNode*).
 * Latency runs from the command's send time (end to end, including the commit); `sinceCommit*`
 * measures from the change's commit stamp instead (the committing node's clock, whole ms).
 *
 *   drivers ──▶ hub-1 ──local──▶ subscribers on hub-1
 *                 └──PUBLISH──▶ Redis ──▶ hub-2, hub-3 ──▶ their subscribers      (cross-node)
 *
 * Options (env): SOCKETS (1000), SUB_PROCS (2), CHANGES (300), RATE (changes/s, 10), ENGINE (uws).
 * Progress on stderr; one JSON line on stdout at the end.
 */
import { loadavg } from 'node:os';
import { z } from 'zod';
import { runChangeStream } from './fanout/change-stream.js';
import { connectDrivers, deliveryFigures, requireOpenFiles, settle, summarize, visitorToken } from './fanout/measure.js';
import { startSubscriberPool } from './fanout/subscriber-pool.js';
import { startCluster } from './harness/cluster.js';
import { createDevSigner } from './harness/dev-tokens.js';
import { progress, report, round } from './stats.js';

const Options = z.object({
  SOCKETS: z.coerce.number().int().positive().default(1_000),
  SUB_PROCS: z.coerce.number().int().positive().default(2),
  CHANGES: z.coerce.number().int().positive().default(300),
  RATE: z.coerce.number().positive().default(10),
  ENGINE: z.enum(['uws', 'ws']).default('uws'),
});
const options = Options.parse(process.env);

requireOpenFiles(Math.ceil(options.SOCKETS / 3) + 1_024, 'each hub node');
process.stderr.write(`bench:cluster 3 nodes + Redis, ${options.SOCKETS} sockets, ${options.CHANGES} changes at ${options.RATE}/s, engine ${options.ENGINE}, node ${process.version}, load average ${loadavg().map((l) => round(l, 2)).join(' ')}\n`);
const signer = await createDevSigner();
const cluster = await startCluster({ nodes: 3, node: { engine: options.ENGINE, env: { JWT_PRIVATE_KEYS: signer.privateKeysEnv } } });
try {
  const [first] = cluster.urls;
  if (first === undefined) throw new Error('no node started');
  progress(`nodes ${cluster.urls.join(' ')}, redis ${cluster.redis.url}`);
  const drivers = await connectDrivers([first], await visitorToken(cluster.nodes[0]?.visitorToken, signer), Math.ceil(options.RATE / 40));
  await runChangeStream({ drivers, changes: 30, ratePerSec: 100, prefix: 'warm-cluster' });

  const pool = await startSubscriberPool({
    urls: cluster.urls,
    token: await signer.person('support_admin', 'cluster-watch'),
    sockets: options.SOCKETS,
    processes: options.SUB_PROCS,
    target: { feed: { feed: 'dashboard' } },
    localUrls: [first],
  });
  try {
    progress(`${pool.connected} subscribed (${pool.failed} failed); streaming ${options.CHANGES} changes at ${options.RATE}/s`);
    const stream = await runChangeStream({ drivers, changes: options.CHANGES, ratePerSec: options.RATE, prefix: `cluster-${Date.now()}` });
    if (Object.keys(stream.refused).length > 0) progress(`refused: ${JSON.stringify(stream.refused)}`);
    await settle(pool, stream.committed * pool.connected);
    const result = await pool.collect(stream.sentAt);
    const all = deliveryFigures(stream, result, pool.connected);
    const cross = summarize(result.remoteSamples);
    const acks = summarize([Float64Array.from(stream.ackMs)]);
    const sinceCommit = summarize(result.sinceCommitSamples);
    report('cluster (all deliveries)', { ...all });
    report('cluster (cross-node only)', { ...cross });
    report('since the commit stamp', { ...sinceCommit });
    report('command acks', { ...acks });
    for (const d of drivers) d.close();
    process.stdout.write(
      JSON.stringify({
        bench: 'cluster',
        nodes: 3,
        sockets: pool.connected,
        changes: stream.committed,
        rate: options.RATE,
        engine: options.ENGINE,
        p50Ms: all.p50Ms,
        p99Ms: all.p99Ms,
        maxMs: all.maxMs,
        crossNodeP50Ms: cross.p50Ms,
        crossNodeP99Ms: cross.p99Ms,
        crossNodeDeliveries: cross.count,
        sinceCommitP50Ms: sinceCommit.p50Ms,
        sinceCommitP99Ms: sinceCommit.p99Ms,
        ackP99Ms: acks.p99Ms,
        deliveredPerSec: all.deliveredPerSec,
        lost: all.lost,
        elapsedS: round(stream.elapsedMs / 1000, 1),
        loadAvg: round(loadavg()[0] ?? 0, 2),
      }) + '\n',
    );
  } finally {
    await pool.stop();
  }
} finally {
  await cluster.stop();
}
process.exit(0);

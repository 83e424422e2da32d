/**
 * The k6 scripts, run for a few seconds each by a real k6 against real hub nodes: each must make
 * its requests and receive its deliveries (a script that sends a payload the hub refuses, or dies
 * on a k6 restriction, fails here), and a run that measures nothing must fail its thresholds.
 *
 *   fanout.js   one node, 4 admin sockets on the dashboard feed, 6 booking changes
 *   cluster.js  two nodes + Redis, 4 admin sockets over both, 6 changes through the first node
 *   checkin.js  one node, 2 gates scanning 8 bought tickets while 4 visitors watch the zone
 *
 * k6 is taken from K6_BIN, else `k6` on PATH (`.ci/run` points K6_BIN at ../shared/tools/k6 when
 * it exists); without one these tests are skipped with a notice. Latency thresholds are left out
 * of the measuring runs (`--no-thresholds`): this machine is shared, and speed is the benches' job.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buyTickets, issueDevice, openActivityNow, startCluster, startHubNode } from '../harness/index.js';
import type { Cluster, HubNode } from '../harness/index.js';

const SCRIPTS = fileURLToPath(new URL('.', import.meta.url));

/** The k6 binary: K6_BIN, else k6 on PATH; undefined when there is none. */
function findK6(): string | undefined {
  const given = process.env['K6_BIN'];
  if (given !== undefined && given !== '') return existsSync(given) ? given : undefined;
  try {
    return execFileSync('sh', ['-c', 'command -v k6'], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}

const k6 = findK6();
if (k6 === undefined) {
  process.stderr.write(
    '\n*** k6 scripts NOT run: no k6 binary (set K6_BIN, or put k6 on PATH; .ci/run uses ../shared/tools/k6 when present) ***\n\n',
  );
}

interface K6Run {
  code: number | null;
  output: string;
  /** Per metric: count (counters, trends) or value (rates). */
  metrics: Record<string, { count?: number; value?: number }>;
}

/** Runs one script with `env`; resolves with the exit code and the exported summary. */
async function runK6(script: string, env: Record<string, string>, thresholds: boolean): Promise<K6Run> {
  const dir = mkdtempSync(join(tmpdir(), 'vh-k6-'));
  const summary = join(dir, 'summary.json');
  const args = ['run', '--quiet', '--no-color', `--summary-export=${summary}`, ...(thresholds ? [] : ['--no-thresholds'])];
  for (const [key, value] of Object.entries(env)) args.push('-e', `${key}=${value}`);
  args.push(join(SCRIPTS, script));
  try {
    const child = spawn(k6 ?? 'k6', args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    const metrics = existsSync(summary) ? (JSON.parse(readFileSync(summary, 'utf8')) as { metrics: K6Run['metrics'] }).metrics : {};
    return { code, output, metrics };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const count = (run: K6Run, metric: string): number => run.metrics[metric]?.count ?? 0;
const dataDirs: string[] = [];
const tempDir = (prefix: string) => {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  dataDirs.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(k6 === undefined)('k6 scripts against a real hub', () => {
  let node: HubNode;
  beforeAll(async () => {
    node = await startHubNode({ dataDir: tempDir('vh-k6-hub-') });
  });
  afterAll(async () => {
    await node?.kill('SIGTERM', 20_000);
  });
  const tokens = () => {
    if (node.adminToken === undefined || node.visitorToken === undefined) throw new Error('the node printed no demo tokens');
    return { ADMIN_TOKEN: node.adminToken, VISITOR_TOKEN: node.visitorToken };
  };

  it('fanout.js: every change is acked and delivered to the feed subscribers', async () => {
    const run = await runK6('fanout.js', { HUB_URL: node.url, ...tokens(), SOCKETS: '4', RATE: '5', CHANGES: '6', RAMP_S: '2', LINGER_S: '2' }, false);
    expect(run.code, run.output).toBe(0);
    expect(count(run, 'acks')).toBe(6);
    expect(count(run, 'refusals')).toBe(0);
    expect(count(run, 'deliveries')).toBeGreaterThanOrEqual(4 * 4);
  }, 120_000);

  it('fanout.js fails its thresholds when nothing was measured (refused tokens)', async () => {
    const run = await runK6('fanout.js', { HUB_URL: node.url, ADMIN_TOKEN: 'nope', VISITOR_TOKEN: 'nope', SOCKETS: '2', RATE: '5', CHANGES: '2', RAMP_S: '1', LINGER_S: '1' }, true);
    expect(count(run, 'deliveries')).toBe(0);
    expect(run.code, run.output).toBe(99); // k6: thresholds crossed
  }, 120_000);

  it('checkin.js: every bought ticket is admitted and the watchers see the zone fill', async () => {
    const { ADMIN_TOKEN, VISITOR_TOKEN } = tokens();
    const stamp = Date.now().toString(36);
    const zone = `k6-hall-${stamp}`;
    const activity = await openActivityNow({ url: node.url, adminToken: ADMIN_TOKEN, activityId: `k6-${stamp}`, zone });
    const tickets = await buyTickets({ url: node.url, visitorToken: VISITOR_TOKEN, bookingId: `k6-${stamp}`, slotId: activity.slotId, ticketTypeId: activity.ticketTypeId, qty: 8 });
    const gates = await Promise.all(
      [0, 1].map(async (k) => (await issueDevice(node.url, ADMIN_TOKEN, { deviceId: `k6-gate-${stamp}-${k}`, deviceKind: 'gate', scope: { gateId: `k6-gate-${stamp}-${k}`, zone } })).token),
    );
    const files = tempDir('vh-k6-files-');
    writeFileSync(join(files, 'gates.json'), JSON.stringify(gates));
    writeFileSync(join(files, 'tickets.json'), JSON.stringify(tickets.map((t) => t.token)));
    const env = { HUB_URLS: node.url, ZONE: zone, VISITOR_TOKEN, GATE_TOKENS: join(files, 'gates.json'), TICKETS: join(files, 'tickets.json') };
    const run = await runK6('checkin.js', { ...env, RATE: '8', DURATION_S: '1', SOCKETS: '4', RAMP_S: '2', LINGER_S: '3' }, false);
    expect(run.code, run.output).toBe(0);
    expect(count(run, 'admitted')).toBe(8);
    expect(count(run, 'not_admitted')).toBe(0);
    expect(count(run, 'occupancy_messages')).toBeGreaterThanOrEqual(4);
  }, 180_000);
});

describe.skipIf(k6 === undefined)('k6 cluster script against two nodes and Redis', () => {
  let cluster: Cluster;
  beforeAll(async () => {
    cluster = await startCluster({ nodes: 2, dataDir: tempDir('vh-k6-cluster-') });
  });
  afterAll(async () => {
    await cluster?.stop();
  });

  it('cluster.js: changes committed on the first node reach subscribers on the second', async () => {
    const [first] = cluster.nodes;
    if (first?.adminToken === undefined || first.visitorToken === undefined) throw new Error('the first node printed no demo tokens');
    const urls = cluster.nodes.map((n) => n.url).join(',');
    const run = await runK6('cluster.js', { HUB_URLS: urls, ADMIN_TOKEN: first.adminToken, VISITOR_TOKEN: first.visitorToken, SOCKETS: '4', RATE: '5', CHANGES: '6', RAMP_S: '2', LINGER_S: '2' }, false);
    expect(run.code, run.output).toBe(0);
    expect(count(run, 'acks')).toBe(6);
    expect(count(run, 'refusals')).toBe(0);
    expect(count(run, 'cross_node_deliveries'), JSON.stringify(run.metrics)).toBeGreaterThanOrEqual(2 * 2);
  }, 180_000);
});

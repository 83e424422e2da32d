/**
 * `npm run bench:booking`: holds per second and hold latency with VISITORS verified visitors on
 * one slot set, against a real hub process (`hub/main.ts`, embedded SQLite store, uws engine).
 *
 *   prepare (not timed)  SMTP inbox + hub child; a slot set made through the staff API (SLOTS
 *                        slots of CAPACITY places); VISITORS sign up over HTTP (codes read from
 *                        real email) and open one SDK socket each
 *   paced                PACED_HOLDS holds at PACED_RATE/s: latency at the target rate
 *   burst                every visitor sends HOLDS_PER_VISITOR holds back to back, all at once:
 *                        holds/s at saturation (the slot set sells out during it)
 *   check                every slot's live remaining = CAPACITY − holds granted, none above CAPACITY
 *
 * Defaults: 1,000 visitors, 8 slots × 600 places = 4,800 places for 1,000 paced + 5,000 burst
 * attempts, so the set sells out near the end and the last 1,200 holds are refused `slot.sold_out`.
 * Progress on stderr; one JSON line on stdout at the end; exit 1 on oversell or a ledger mismatch.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { connectHub } from '../clients/sdk/index.js';
import { createHubApi } from '../clients/sdk/hub-api.js';
import type { HubClient } from '../clients/sdk/hub-client.js';
import { addGranted, burstHolds, pacedHolds, warmUp } from './booking/hold-load.js';
import type { HoldTally } from './booking/hold-load.js';
import { checkLedger, createSlotSet, MAX_SLOTS } from './booking/slot-set.js';
import { requireOpenFiles } from './fanout/measure.js';
import { freePort, readCpuSeconds, startHubNode, startSmtpInbox } from './harness/index.js';
import { signUpVisitors } from './harness/visitors.js';
import { progress, report, round } from './stats.js';

const Options = z.object({
  VISITORS: z.coerce.number().int().positive().default(1_000),
  SLOTS: z.coerce.number().int().min(1).max(MAX_SLOTS).default(8),
  CAPACITY: z.coerce.number().int().positive().default(600),
  HOLDS_PER_VISITOR: z.coerce.number().int().positive().default(5),
  PACED_HOLDS: z.coerce.number().int().nonnegative().default(1_000),
  PACED_RATE: z.coerce.number().positive().default(500),
  WARMUP_HOLDS: z.coerce.number().int().nonnegative().default(300),
  ENGINE: z.enum(['uws', 'ws']).default('uws'),
});
const options = Options.parse(process.env);
const TARGET_HOLDS_PER_SEC = 500;

requireOpenFiles(options.VISITORS + 1_024, 'the bench process');
process.stderr.write(
  `bench:booking ${options.VISITORS} visitors, ${options.SLOTS} slots × ${options.CAPACITY} places, ${options.PACED_HOLDS} paced at ${options.PACED_RATE}/s + ${options.VISITORS}×${options.HOLDS_PER_VISITOR} burst, ` +
    `engine ${options.ENGINE}, node ${process.version}, load average ${loadavg().map((l) => round(l, 2)).join(' ')}\n`,
);

const inbox = await startSmtpInbox();
const dataDir = mkdtempSync(join(tmpdir(), 'vh-bench-booking-'));
const port = await freePort();
const url = `http://127.0.0.1:${port}`;
const node = await startHubNode({ dataDir, port, engine: options.ENGINE, env: { SMTP_URL: inbox.url, PUBLIC_URL: url } });
const clients: HubClient[] = [];
let exitCode = 0;
try {
  if (node.adminToken === undefined) throw new Error('the node printed no demo admin token');
  const api = createHubApi({ url });
  const stamp = Date.now().toString(36);
  const set = await createSlotSet(api, node.adminToken, { slots: options.SLOTS, capacity: options.CAPACITY, stamp });
  progress(`hub ${url}; slot set ${set.activityId} on ${set.date}: ${set.slots.length} slots × ${set.capacity}`);

  const prepStarted = performance.now();
  let lastShown = 0;
  const visitors = await signUpVisitors({
    url,
    inbox,
    count: options.VISITORS,
    prefix: `bench-${stamp}`,
    concurrency: 64,
    onProgress: (done) => {
      if (done - lastShown >= 250 || done === options.VISITORS) progress(`${(lastShown = done)} visitors signed up and verified`);
    },
  });
  for (let i = 0; i < visitors.length; i += 100) {
    const batch = visitors.slice(i, i + 100).map((v) => connectHub({ url, token: v.accessToken, requestTimeoutMs: 60_000 }));
    clients.push(...batch);
    await Promise.all(batch.map((c) => c.ready));
  }
  const prepareS = (performance.now() - prepStarted) / 1000;
  progress(`${clients.length} sockets connected; prepared in ${round(prepareS, 1)} s`);

  await warmUp(clients, set, options.WARMUP_HOLDS, `warm-${stamp}`);
  const slotIds = set.slots.map((s) => s.slotId);
  const paced = await pacedHolds(clients, slotIds, set.ticketTypeId, options.PACED_HOLDS, options.PACED_RATE, `paced-${stamp}`);
  const cpuSeconds = (pid: number) => readCpuSeconds(pid) ?? 0;
  const cpuBefore = { hub: cpuSeconds(node.pid), bench: cpuSeconds(process.pid) };
  const burst = await burstHolds(clients, slotIds, set.ticketTypeId, options.HOLDS_PER_VISITOR, `burst-${stamp}`);
  // Share of one core each process used during the burst: which side saturated.
  const cpuPct = (pid: number, before: number) => round(((cpuSeconds(pid) - before) / (burst.elapsedMs / 1000)) * 100, 0);
  const burstCpu = { hubCpuPct: cpuPct(node.pid, cpuBefore.hub), benchCpuPct: cpuPct(process.pid, cpuBefore.bench) };

  const granted = new Map<string, number>();
  addGranted(granted, paced.grantedBySlot);
  addGranted(granted, burst.grantedBySlot);
  const ledger = await checkLedger(api, set, granted);
  const figures = (t: HoldTally) => ({ ...t.latencies.summary(), holdsPerSec: round((t.attempts / t.elapsedMs) * 1000, 0), heldPerSec: round((t.ok / t.elapsedMs) * 1000, 0), ok: t.ok, soldOut: t.soldOut, other: JSON.stringify(t.other) });
  const pacedFigures = figures(paced);
  const burstFigures = figures(burst);
  report(`paced ${options.PACED_RATE}/s`, pacedFigures);
  report('burst (saturation)', { ...burstFigures, ...burstCpu });
  report('ledger', { granted: paced.ok + burst.ok, capacity: set.capacity * set.slots.length, oversold: ledger.oversold, consistent: ledger.consistent });
  if (ledger.oversold || !ledger.consistent) {
    exitCode = 1;
    progress(`ledger check failed: ${JSON.stringify(ledger.slots)}`);
  }
  process.stdout.write(
    JSON.stringify({
      bench: 'booking',
      visitors: clients.length,
      slots: set.slots.length,
      capacity: set.capacity * set.slots.length,
      holdsPerSec: burstFigures.holdsPerSec,
      heldPerSec: burstFigures.heldPerSec,
      p50Ms: burstFigures.p50Ms,
      p99Ms: burstFigures.p99Ms,
      attempts: burst.attempts,
      held: burst.ok,
      soldOut: burst.soldOut,
      ...burstCpu,
      pacedRate: options.PACED_RATE,
      pacedHoldsPerSec: pacedFigures.holdsPerSec,
      pacedP50Ms: pacedFigures.p50Ms,
      pacedP99Ms: pacedFigures.p99Ms,
      pacedHeld: paced.ok,
      otherAnswers: { ...paced.other, ...burst.other },
      granted: paced.ok + burst.ok,
      oversold: ledger.oversold,
      ledgerConsistent: ledger.consistent,
      targetMet: burstFigures.holdsPerSec >= TARGET_HOLDS_PER_SEC,
      prepareS: round(prepareS, 1),
      loadAvg: round(loadavg()[0] ?? 0, 2),
    }) + '\n',
  );
} catch (error) {
  exitCode = 1;
  process.stderr.write(`bench:booking failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
} finally {
  for (const c of clients) c.close();
  await node.kill();
  await inbox.close();
  rmSync(dataDir, { recursive: true, force: true });
}
process.exit(exitCode);

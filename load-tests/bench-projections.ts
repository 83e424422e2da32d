/**
 * `npm run bench:projections`: the read side on a 10,000-booking venue day, on the embedded store.
 *
 *   (a) fold: every read model rebuilt from the change log (20,000 booking changes + the rest):
 *       changes applied per second
 *   (b) live: a projector kept up to date while commits arrive at RATE changes/s for SECONDS:
 *       the lag (changes not yet applied) sampled every 100 ms, and whether it kept up
 *   (c) subscribe: a hub process on the same store; an admin socket subscribes to the review queue
 *       (`feed:subscribe`, a page of 100 with its snapshot) and pages the day's bookings
 *       (`list:page`, 100 rows): latency p50/p99 from emit to ack
 *   (d) dashboard: INSIDE tickets entered at a gate (one per booking), the read models caught up,
 *       then the dashboard's counts (the summary a hub computes up to once a second while
 *       the read models move): CPU and wall time per summary
 *
 * Options (env): BOOKINGS (default 10000), RATE (default 2000), SECONDS (default 10),
 * SUBSCRIBES (default 300), INSIDE (default 10000). Ends with one JSON line on stdout.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { bookingDefinition } from '../machines/booking.machine.js';
import { ticketDefinition } from '../machines/ticket.machine.js';
import { createActorHost } from '../workers/actors/actor-host.js';
import { silentLogger } from '../workers/logger.js';
import { createFeeds } from '../workers/projections/feeds.js';
import { createProjector, rebuildProjection } from '../workers/projections/projector.js';
import { openSqliteReadModels } from '../workers/projections/sqlite-read-models.js';
import {
  alertsProjection,
  bookingsProjection,
  devicesProjection,
  equipmentProjection,
  lockersProjection,
  paymentsProjection,
  ticketsProjection,
} from '../workers/projections/venue-projections.js';
import { openSqliteActorStore } from '../workers/store/sqlite-actor-store.js';
import { connectHub } from '../clients/sdk/index.js';
import { startHubNode } from './harness/index.js';
import { Latencies, progress, report, round, runPool } from './stats.js';

const Options = z.object({
  BOOKINGS: z.coerce.number().int().positive().default(10_000),
  RATE: z.coerce.number().int().positive().default(2_000),
  SECONDS: z.coerce.number().int().positive().default(10),
  SUBSCRIBES: z.coerce.number().int().positive().default(300),
  INSIDE: z.coerce.number().int().positive().default(10_000),
});
const options = Options.parse(process.env);
const DAY = '2026-12-10';
const TIME_ZONE = 'Asia/Riyadh';

const dir = mkdtempSync(join(tmpdir(), 'vh-bench-projections-'));
const file = join(dir, 'venue-hub.db');
const store = openSqliteActorStore({ file });
const models = openSqliteReadModels({ file });
const host = createActorHost({ store, definitions: [bookingDefinition, ticketDefinition], clock: Date.now, publish: () => {} });
const who = { who: 'bench', eventId: null };

const input = (i: number) => ({
  bookingId: `bk-${i}`,
  visitorId: `vis-${i % 3_000}`,
  slotId: `bench-pool-${DAY}-${String(900 + (i % 20) * 30).padStart(4, '0')}`,
  lines: [{ ticketTypeId: 'adult', qty: 1 + (i % 4), unitPrice: 5_000 }],
  requiresApproval: i % 10 === 0,
  holder: { name: `Visitor ${i}`, email: `visitor${i}@example.test`, phone: `+9665${String(10_000_000 + i)}` },
});

/** Creates and submits `count` bookings from `from` (two changes each), `concurrency` at a time. */
async function book(from: number, count: number, concurrency = 64): Promise<number> {
  return runPool(count, concurrency, async (k) => {
    const i = from + k;
    const created = await host.create('booking', `bk-${i}`, input(i), who);
    if (!created.ok) throw new Error(`${created.code}: ${created.message}`);
    const submitted = await host.send('booking', `bk-${i}`, { type: 'booking.submit' }, who);
    if (!submitted.ok) throw new Error(`${submitted.code}: ${submitted.message}`);
  });
}

/** The read models the bench folds and keeps live (every one of the bookings, payments and floor modules, and the alerts). */
function benchedProjections() {
  return [bookingsProjection, paymentsProjection(TIME_ZONE), ticketsProjection, lockersProjection, equipmentProjection, alertsProjection, devicesProjection];
}

async function fold(): Promise<{ changes: number; changesPerSec: number; bookingChangesPerSec: number }> {
  const specs = benchedProjections();
  let changes = 0;
  let bookingRate = 0;
  const started = performance.now();
  for (const spec of specs) {
    const t0 = performance.now();
    const done = await rebuildProjection({ changes: store.changes, models }, spec);
    changes += done.applied;
    if (spec.name === 'bookings') bookingRate = done.applied / ((performance.now() - t0) / 1000);
  }
  const seconds = (performance.now() - started) / 1000;
  return { changes, changesPerSec: round(changes / seconds, 0), bookingChangesPerSec: round(bookingRate, 0) };
}

async function live(): Promise<{ committedPerSec: number; maxLag: number; endLag: number; caughtUpMs: number }> {
  const projector = createProjector({ changes: store.changes, models, specs: benchedProjections(), log: silentLogger, pollMs: 50 });
  await projector.start();
  let maxLag = 0;
  const sampler = setInterval(() => {
    void projector.lag().then((lag) => {
      maxLag = Math.max(maxLag, lag['bookings'] ?? 0);
    });
  }, 100);
  const perTick = Math.max(1, Math.round(options.RATE / 2 / 20)); // bookings per 50 ms tick (2 changes each)
  const ticks = options.SECONDS * 20;
  const started = performance.now();
  let next = options.BOOKINGS;
  const inFlight: Array<Promise<number>> = [];
  for (let tick = 0; tick < ticks; tick++) {
    const due = started + tick * 50;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    // Open loop: each tick's bookings start on time whether or not the previous ones are done.
    inFlight.push(book(next, perTick, perTick));
    next += perTick;
  }
  await Promise.all(inFlight);
  const committedSeconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  const endLag = (await projector.lag())['bookings'] ?? 0;
  const t0 = performance.now();
  await projector.catchUp();
  const caughtUpMs = performance.now() - t0;
  await projector.stop();
  return { committedPerSec: round(((next - options.BOOKINGS) * 2) / committedSeconds, 0), maxLag, endLag, caughtUpMs: round(caughtUpMs, 1) };
}

async function subscribe(): Promise<{ feed: ReturnType<Latencies['summary']>; list: ReturnType<Latencies['summary']>; rows: number }> {
  const node = await startHubNode({ dataDir: dir, engine: 'ws', env: { VENUE_TIME_ZONE: TIME_ZONE, LOG_LEVEL: 'warn', RATE_LIMIT_PER_SECOND: '10000', RATE_LIMIT_BURST: '100000' } });
  try {
    if (!node.adminToken) throw new Error('the hub printed no admin token');
    // Through the SDK's contract-typed call (one promise over the socket's ack): the figures
    // are what a screen's call waits for.
    const hub = connectHub({ url: node.url, token: node.adminToken, requestTimeoutMs: 30_000 });
    await hub.ready;
    const feed = new Latencies();
    const list = new Latencies();
    let rows = 0;
    for (let i = 0; i < options.SUBSCRIBES; i++) {
      let t0 = performance.now();
      const answer = await hub.call('feed:subscribe', { feed: 'reviews', limit: 100 });
      feed.record(performance.now() - t0);
      if (!answer.ok) throw new Error(`feed:subscribe refused: ${JSON.stringify(answer)}`);
      rows = answer.data.snapshot?.rows.length ?? 0;
      await hub.call('feed:unsubscribe', { feed: 'reviews' });
      t0 = performance.now();
      const page = await hub.listPage({ list: 'bookings', filters: { day: DAY }, limit: 100 });
      list.record(performance.now() - t0);
      if (!page.ok || page.data.rows.length !== 100) throw new Error(`list:page answered ${JSON.stringify(page).slice(0, 200)}`);
    }
    hub.close();
    return { feed: feed.summary(), list: list.summary(), rows };
  } finally {
    await node.kill();
  }
}

/** Enters one ticket of each of the first INSIDE bookings, catches the read models up, then times the dashboard's counts. */
async function dashboard(): Promise<{ inside: number; cpuMs: number; wallMs: number }> {
  const now = Date.now();
  await runPool(options.INSIDE, 64, async (i) => {
    const ticketId = `bk-${i}-t1`;
    const { bookingId, visitorId, slotId } = input(i);
    const ticket = { ticketId, bookingId, visitorId, ticketTypeId: 'adult', slotId, seq: 1, validFrom: now - 3_600_000, validUntil: now + 3_600_000, issuedAt: now, zone: `zone-${i % 4}` };
    const created = await host.create('ticket', ticketId, ticket, who);
    if (!created.ok) throw new Error(`${created.code}: ${created.message}`);
    const entered = await host.send('ticket', ticketId, { type: 'ticket.scan', direction: 'entry', gateId: 'gate-1', nonce: `entry-${String(i).padStart(6, '0')}`, at: now }, who);
    if (!entered.ok) throw new Error(`${entered.code}: ${entered.message}`);
  });
  const specs = benchedProjections();
  const projector = createProjector({ changes: store.changes, models, specs, log: silentLogger, pollMs: 60_000 });
  await projector.catchUp();
  const feeds = createFeeds({ changes: store.changes, models, projector, projections: specs, timeZone: TIME_ZONE, clock: () => Date.parse(`${DAY}T12:00:00+03:00`) });
  const first = await feeds.summary();
  const inside = Object.values(first.inside).reduce((sum, n) => sum + n, 0);
  if (inside !== options.INSIDE) throw new Error(`the dashboard counts ${inside} inside, not ${options.INSIDE}`);
  const runs = 20;
  const cpu = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < runs; i++) await feeds.summary();
  const used = process.cpuUsage(cpu);
  await projector.stop();
  return { inside, cpuMs: round((used.user + used.system) / 1000 / runs, 2), wallMs: round((performance.now() - t0) / runs, 2) };
}

try {
  process.stderr.write(`bench:projections on SQLite (${file}), ${options.BOOKINGS} bookings on ${DAY}, node ${process.version}\n`);
  const seedMs = await book(0, options.BOOKINGS);
  report('seed', { bookings: options.BOOKINGS, changes: options.BOOKINGS * 2, seconds: seedMs / 1000 });
  progress('(a) rebuilding every read model from the change log');
  const a = await fold();
  report('(a) fold', a);
  progress(`(b) projecting live while committing ${options.RATE} changes/s for ${options.SECONDS} s`);
  const b = await live();
  report('(b) live', b);
  progress('(c) subscribing with a snapshot through a hub process');
  const c = await subscribe();
  report('(c) feed:subscribe reviews', { ...c.feed, rows: c.rows });
  report('(c) list:page bookings', { ...c.list });
  progress(`(d) the dashboard's counts with ${options.INSIDE} tickets inside`);
  const d = await dashboard();
  report('(d) dashboard summary', d);
  process.stdout.write(
    JSON.stringify({
      bench: 'projections',
      store: 'sqlite',
      bookings: options.BOOKINGS,
      foldChangesPerSec: a.changesPerSec,
      foldBookingChangesPerSec: a.bookingChangesPerSec,
      liveCommittedPerSec: b.committedPerSec,
      liveMaxLag: b.maxLag,
      liveEndLag: b.endLag,
      subscribeP50Ms: c.feed.p50Ms,
      subscribeP99Ms: c.feed.p99Ms,
      listP50Ms: c.list.p50Ms,
      listP99Ms: c.list.p99Ms,
      dashboardInside: d.inside,
      dashboardSummaryCpuMs: d.cpuMs,
      dashboardSummaryMs: d.wallMs,
    }) + '\n',
  );
} finally {
  await models.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
}

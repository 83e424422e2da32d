/**
 * `npm run bench:actors`: committed transitions through the real actor runtime (host, SQLite
 * store, durable timers on agenda, outbox relay) on the embedded store.
 *
 *   (a) many independent actors: create + submit + payment attempts, spread over N bookings
 *   (a1) the same commit one at a time: latency without queueing
 *   (b) one hot actor: every command to the same booking (serialised by the mailbox)
 *   (c) holds on one slot with contention: more attempts than seats, checked for oversell
 *
 * Options (env): ACTORS (default 5000), EVENTS_PER_ACTOR (default 2), HOT_EVENTS (default 5000),
 * HOLD_ATTEMPTS (default 5000), SEATS (default 2000), CONCURRENCY (default 64).
 * Ends with one JSON line on stdout.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { bookingsRuntime } from '../workers/bookings/bookings.module.js';
import { silentLogger } from '../workers/logger.js';
import { wire } from '../workers/modules/runtime-module.js';
import { startRuntime } from '../workers/runtime.js';
import type { Runtime } from '../workers/runtime.js';
import type { CapacityLedger } from '../workers/store/actor-store.js';
import { openSqliteActorStore } from '../workers/store/sqlite-actor-store.js';
import { createSqliteAgendaBackend } from '../workers/timers/sqlite-job-repository.js';
import { Latencies, progress, report, round, runPool } from './stats.js';

const Options = z.object({
  ACTORS: z.coerce.number().int().positive().default(5000),
  EVENTS_PER_ACTOR: z.coerce.number().int().nonnegative().default(2),
  HOT_EVENTS: z.coerce.number().int().positive().default(5000),
  HOLD_ATTEMPTS: z.coerce.number().int().positive().default(5000),
  SEATS: z.coerce.number().int().positive().default(2000),
  CONCURRENCY: z.coerce.number().int().positive().default(64),
});
const options = Options.parse(process.env);

const line = (bookingId: string, slotId = 'slot_bench') => ({
  bookingId,
  visitorId: 'vis_bench',
  slotId,
  lines: [{ ticketTypeId: 'adult', qty: 1, unitPrice: 5000 }],
  requiresApproval: false,
  holdMs: 15 * 60_000,
  reviewMs: 24 * 3_600_000,
  paymentMs: 15 * 60_000,
});

function must(result: { ok: boolean; code?: string; message?: string }): void {
  if (!result.ok) throw new Error(`${result.code}: ${result.message}`);
}

async function manyActors(rt: Runtime) {
  const latencies = new Latencies();
  const timed = async (work: () => Promise<{ ok: boolean }>) => {
    const t0 = performance.now();
    must(await work());
    latencies.record(performance.now() - t0);
  };
  progress(`(a) ${options.ACTORS} actors × (create + submit + ${options.EVENTS_PER_ACTOR} payment attempts)`);
  const perActor = 2 + options.EVENTS_PER_ACTOR;
  const elapsed = await runPool(options.ACTORS, options.CONCURRENCY, async (i) => {
    const id = `many_${i}`;
    await timed(() => rt.host.create('booking', id, line(id), { who: 'bench' }));
    await timed(() => rt.host.send('booking', id, { type: 'booking.submit' }, { who: 'bench' }));
    for (let k = 0; k < options.EVENTS_PER_ACTOR; k++) {
      await timed(() => rt.host.send('booking', id, { type: 'payment.failed', paymentId: `p${k}` }, { who: 'bench' }));
    }
  });
  const transitions = options.ACTORS * perActor;
  return { transitions, transitionsPerSec: round((transitions / elapsed) * 1000, 0), ...latencies.summary() };
}

async function unloadedLatency(rt: Runtime) {
  const count = 2000;
  progress(`(a1) ${count} commands one at a time: commit latency without queueing`);
  const latencies = new Latencies();
  await runPool(count, 1, async (i) => {
    const id = `lat_${i}`;
    const t0 = performance.now();
    must(await rt.host.create('booking', id, line(id), { who: 'bench' }));
    latencies.record(performance.now() - t0);
  });
  return latencies.summary();
}

async function hotActor(rt: Runtime) {
  progress(`(b) one hot actor × ${options.HOT_EVENTS} commands, ${options.CONCURRENCY} in flight`);
  must(await rt.host.create('booking', 'hot', line('hot'), { who: 'bench' }));
  must(await rt.host.send('booking', 'hot', { type: 'booking.submit' }, { who: 'bench' }));
  const latencies = new Latencies();
  const elapsed = await runPool(options.HOT_EVENTS, options.CONCURRENCY, async (i) => {
    const t0 = performance.now();
    must(await rt.host.send('booking', 'hot', { type: 'payment.failed', paymentId: `h${i}` }, { who: 'bench' }));
    latencies.record(performance.now() - t0);
  });
  return { transitions: options.HOT_EVENTS, transitionsPerSec: round((options.HOT_EVENTS / elapsed) * 1000, 0), ...latencies.summary() };
}

async function contendedHolds(rt: Runtime, ledger: Pick<CapacityLedger, 'defineSlot' | 'level'>) {
  progress(`(c) ${options.HOLD_ATTEMPTS} hold attempts on one slot of ${options.SEATS} seats`);
  await ledger.defineSlot('slot_hot', options.SEATS);
  const latencies = new Latencies();
  let held = 0;
  let soldOut = 0;
  const elapsed = await runPool(options.HOLD_ATTEMPTS, options.CONCURRENCY, async (i) => {
    const id = `hold_${i}`;
    const t0 = performance.now();
    const result = await rt.bookings.hold(line(id, 'slot_hot'), 'bench');
    latencies.record(performance.now() - t0);
    if (result.ok) held++;
    else if (result.code === 'slot.sold_out') soldOut++;
    else throw new Error(`${result.code}: ${result.message}`);
  });
  const level = await ledger.level('slot_hot');
  const oversold = (level?.taken ?? 0) > options.SEATS || held > options.SEATS;
  if (oversold) throw new Error(`oversold: ${JSON.stringify(level)} held=${held}`);
  return { attempts: options.HOLD_ATTEMPTS, held, soldOut, oversold, holdsPerSec: round((options.HOLD_ATTEMPTS / elapsed) * 1000, 0), ...latencies.summary() };
}

const dir = mkdtempSync(join(tmpdir(), 'vh-bench-actors-'));
const file = join(dir, 'venue-hub.db');
// The bench stands where a main stands: it opens the store, and keeps its ledger for the hot slot.
const store = openSqliteActorStore({ file });
const rt = await startRuntime({
  store,
  jobsBackend: createSqliteAgendaBackend({ file }),
  log: silentLogger,
  wiring: [wire(bookingsRuntime, { timings: { holdMs: 15 * 60_000, reviewMs: 24 * 3_600_000, paymentMs: 15 * 60_000 } })],
  timerPollMs: 1000,
  modules: [bookingsRuntime],
});
try {
  process.stderr.write(`bench:actors on SQLite (${file}), concurrency ${options.CONCURRENCY}, node ${process.version}\n`);
  const a = await manyActors(rt);
  report('(a) many actors', a);
  const a1 = await unloadedLatency(rt);
  report('(a1) one at a time', { ...a1 });
  const b = await hotActor(rt);
  report('(b) one hot actor', b);
  const c = await contendedHolds(rt, store.ledger);
  report('(c) contended holds', c);
  process.stdout.write(
    JSON.stringify({
      bench: 'actors',
      store: 'sqlite',
      transitionsPerSec: a.transitionsPerSec,
      p50Ms: a.p50Ms,
      p99Ms: a.p99Ms,
      unloadedP50Ms: a1.p50Ms,
      unloadedP99Ms: a1.p99Ms,
      hotTransitionsPerSec: b.transitionsPerSec,
      hotP50Ms: b.p50Ms,
      hotP99Ms: b.p99Ms,
      holdsPerSec: c.holdsPerSec,
      holdP50Ms: c.p50Ms,
      holdP99Ms: c.p99Ms,
      oversold: c.oversold,
    }) + '\n',
  );
} finally {
  await rt.stop();
  rmSync(dir, { recursive: true, force: true });
}

/**
 * `npm run bench:kitchen`: a lunch rush against a real hub process (`hub/main.ts`, SQLite).
 *
 *   prepare (not measured): 4 menu items, one per station (grill, fryer, drinks, cold), served
 *     round the clock; ORDERS pre-orders booked and paid with their tickets through the simulated
 *     provider (each order 1–3 stations); 8 kitchen boards (2 per station, device tokens pinned to
 *     their station) following their station's kitchen feed; 1,000 visitor screens, each following
 *     one order (actor:subscribe food_order), every order watched by at least one.
 *   rush (measured): the expo fires the orders evenly over RUSH_SECONDS (600 orders in 10 minutes,
 *     compressed to 60 s); the first board of a station bumps each ticket it sees queued → cooking →
 *     done as soon as it sees it. Each bump's send time is kept:
 *       bump → board     until the station's other board has the change (feed:changed, that version)
 *       bump → visitor   until every screen following the order has it (actor:changed, that version)
 *   CPU: the hub process's CPU seconds over the rush, per operation (fires + bumps).
 *
 * Every client runs in this process, so send and receive times share one clock. Progress on
 * stderr; the last line on stdout is one JSON object. ORDERS, RUSH_SECONDS and SCREENS may be set
 * in the environment (e.g. a short local run: ORDERS=60 RUSH_SECONDS=6 SCREENS=100).
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { io } from 'socket.io-client';
import type { Socket } from 'socket.io-client';
import { buyTickets, issueDevice, openActivityNow } from '../clients/devices/visitor-flow.js';
import { connectHub, createHubApi, unwrap } from '../clients/sdk/index.js';
import type { HubClient } from '../clients/sdk/index.js';
import type { ActorState, ClientToServerEvents, FeedChanged, ServerToClientEvents } from '../machines/contract/wire.js';
import { startHubNode } from './harness/index.js';
import { Latencies, progress, report, round, runPool } from './stats.js';

type DeviceSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

const ORDERS = Number(process.env['ORDERS'] ?? 600);
const RUSH_SECONDS = Number(process.env['RUSH_SECONDS'] ?? 60);
const SCREENS = Number(process.env['SCREENS'] ?? 1_000);
const STATIONS = ['grill', 'fryer', 'drinks', 'cold'] as const;
const TARGET_P99_MS = 50;

/** The stations of order i: 1–3 of them, spread evenly. */
function stationsOf(i: number): string[] {
  const count = 1 + (i % 3);
  return Array.from({ length: count }, (_, k) => STATIONS[(i + k) % STATIONS.length] ?? 'grill');
}

async function connectDevice(url: string, token: string): Promise<DeviceSocket> {
  const socket: DeviceSocket = io(url, { transports: ['websocket'], reconnection: false, auth: { token } });
  await new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(undefined));
    socket.once('connect_error', reject);
  });
  return socket;
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'vh-bench-kitchen-'));
  const node = await startHubNode({
    dataDir,
    env: { HOLD_MAX_PLACES: '100000', HOLD_MAX_PLACES_PER_SLOT: '10000', RATE_LIMIT_PER_SECOND: '1000', RATE_LIMIT_BURST: '2000', AUTH_RATE_PER_MINUTE: '100000' },
  });
  const sockets: DeviceSocket[] = [];
  const screens: HubClient[] = [];
  try {
    const admin = node.adminToken ?? '';
    const visitorToken = node.visitorToken ?? '';
    const api = createHubApi({ url: node.url });
    progress(`hub at ${node.url}; preparing ${ORDERS} paid pre-orders`);
    const activity = await openActivityNow({ url: node.url, adminToken: admin, activityId: 'bench-rush', zone: 'bench-zone', capacity: 100_000 });
    unwrap(await api.createCatalogItem('menu_category', { categoryId: 'bench', name: 'Bench' }, admin));
    for (const station of STATIONS) unwrap(await api.createCatalogItem('menu_item', { itemId: `bench-${station}`, categoryId: 'bench', name: `Bench ${station}`, price: 1_000, station, prepMinutes: 5 }, admin));

    const orderIds: string[] = [];
    await runPool(ORDERS, 8, async (i) => {
      const bookingId = `rush-${i}-${randomUUID().slice(0, 8)}`;
      const lines = stationsOf(i).map((station) => ({ itemId: `bench-${station}`, qty: 1 + (i % 2) }));
      await buyTickets({ url: node.url, visitorToken, bookingId, slotId: activity.slotId, ticketTypeId: activity.ticketTypeId, qty: 1, food: { lines, pickup: { mode: 'on_arrival' } }, timeoutMs: 120_000 });
      orderIds[i] = `${bookingId}-food`;
      if ((i + 1) % 100 === 0) progress(`${i + 1} orders paid`);
    });

    // Boards: two per station; the first bumps, the second is the one whose screen is measured.
    const boards = new Map<string, { bumper: DeviceSocket; watcher: DeviceSocket }>();
    for (const station of STATIONS) {
      const pair = [];
      for (const n of [1, 2]) {
        const token = (await issueDevice(node.url, admin, { deviceId: `bench-${station}-${n}`, deviceKind: 'kitchen_board', scope: { station } })).token;
        const socket = await connectDevice(node.url, token);
        sockets.push(socket);
        const ack = await socket.emitWithAck('feed:subscribe', { feed: 'kitchen', zone: station });
        if (!ack.ok) throw new Error(`board ${station}: ${ack.code}`);
        pair.push(socket);
      }
      boards.set(station, { bumper: pair[0] as DeviceSocket, watcher: pair[1] as DeviceSocket });
    }
    const expo = await connectDevice(node.url, (await issueDevice(node.url, admin, { deviceId: 'bench-expo', deviceKind: 'kitchen_board', scope: {} })).token);
    sockets.push(expo);

    progress(`opening ${SCREENS} visitor screens`);
    const watchersOf = new Map<string, number>();
    const toBoard = new Latencies();
    const toVisitor = new Latencies();
    /** Bumps waiting to be seen: `orderId@version` → send time, and how many screens still have to see it. */
    const pendingBoard = new Map<string, number>();
    const pendingVisitor = new Map<string, { sentAt: number; left: number }>();
    const seenVersion = new Map<string, number>();
    const earlyVisitor = new Map<string, { count: number; at: number }>();

    await runPool(SCREENS, 50, async (s) => {
      const orderId = orderIds[s % orderIds.length] ?? '';
      const screen = connectHub({ url: node.url, token: visitorToken, requestTimeoutMs: 60_000 });
      screens.push(screen);
      await screen.ready;
      const sub = screen.subscribeActor({ kind: 'food_order', id: orderId }, (state: ActorState) => {
        const key = `${orderId}@${state.version}`;
        const pending = pendingVisitor.get(key);
        if (!pending) {
          // Arrived before the bump's ack: kept until the ack tells when it was sent.
          const early = earlyVisitor.get(key);
          earlyVisitor.set(key, { count: (early?.count ?? 0) + 1, at: performance.now() });
          return;
        }
        pending.left -= 1;
        if (pending.left === 0) {
          toVisitor.record(performance.now() - pending.sentAt);
          pendingVisitor.delete(key);
        }
      });
      const first = await sub.ready;
      if (!first.ok) throw new Error(`screen ${s}: ${first.code}`);
      watchersOf.set(orderId, (watchersOf.get(orderId) ?? 0) + 1);
    });

    let bumps = 0;
    let stale = 0;
    let done = 0;
    let resolveDone: () => void = () => {};
    const allDone = new Promise<void>((resolve) => (resolveDone = resolve));
    const ticketsTotal = orderIds.reduce((sum, _id, i) => sum + stationsOf(i).length, 0);

    const bump = async (station: string, bumper: DeviceSocket, orderId: string, stage: 'queued' | 'cooking') => {
      const sentAt = performance.now();
      const ack = await bumper.emitWithAck('kitchen:bump', { orderId, station, stage });
      bumps += 1;
      if (!ack.ok) {
        if (ack.code === 'kitchen.stale_bump') stale += 1;
        else throw new Error(`bump ${orderId} ${station}: ${ack.code} ${ack.message}`);
        return;
      }
      const key = `${orderId}@${ack.data.version}`;
      // A change seen before the ack came back was received at or before now: count it from its send.
      const early = seenVersion.get(`${station}:${key}`);
      if (early !== undefined) toBoard.record(early - sentAt);
      else pendingBoard.set(`${station}:${key}`, sentAt);
      const screensOf = watchersOf.get(orderId) ?? 0;
      const seenEarly = earlyVisitor.get(key);
      earlyVisitor.delete(key);
      if (seenEarly !== undefined && seenEarly.count >= screensOf) toVisitor.record(seenEarly.at - sentAt);
      else if (screensOf > 0) pendingVisitor.set(key, { sentAt, left: screensOf - (seenEarly?.count ?? 0) });
      if (stage === 'cooking') {
        done += 1;
        if (done === ticketsTotal) resolveDone();
      }
    };

    for (const [station, { bumper, watcher }] of boards) {
      watcher.on('feed:changed', (change: FeedChanged) => {
        const key = `${station}:${change.change.id}@${change.change.version}`;
        const sentAt = pendingBoard.get(key);
        if (sentAt === undefined) seenVersion.set(key, performance.now());
        else {
          toBoard.record(performance.now() - sentAt);
          pendingBoard.delete(key);
        }
      });
      // The cook: each ticket is started when it appears and finished when the start shows on the board.
      const acted = new Set<string>();
      bumper.on('feed:changed', (change: FeedChanged) => {
        if (change.member !== true || change.change.state !== 'preparing') return;
        const tickets = (change.change.context as { tickets: Array<{ station: string; stage: 'queued' | 'cooking' | 'done' }> }).tickets;
        const ticket = tickets.find((t) => t.station === station);
        if (!ticket || ticket.stage === 'done') return;
        const key = `${change.change.id}:${ticket.stage}`;
        if (acted.has(key)) return;
        acted.add(key);
        void bump(station, bumper, change.change.id, ticket.stage);
      });
    }

    const cpuBefore = node.cpuSeconds() ?? 0;
    const load = loadavg()[0] ?? 0;
    progress(`rush: ${ORDERS} orders fired over ${RUSH_SECONDS} s (load average ${load.toFixed(2)} on ${availableParallelism()} cores)`);
    const started = performance.now();
    const everyMs = (RUSH_SECONDS * 1000) / ORDERS;
    let fired = 0;
    for (const [i, orderId] of orderIds.entries()) {
      const due = started + i * everyMs;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      void expo.emitWithAck('kitchen:fire', { orderId }).then((ack) => {
        if (!ack.ok) throw new Error(`fire ${orderId}: ${ack.code}`);
        fired += 1;
      });
    }
    await allDone;
    // Let the last changes arrive at the screens (the latencies still missing are counted as lost).
    const drainUntil = performance.now() + 5_000;
    while ((pendingBoard.size > 0 || pendingVisitor.size > 0) && performance.now() < drainUntil) await new Promise((resolve) => setTimeout(resolve, 50));
    const elapsedS = (performance.now() - started) / 1000;
    const cpuS = (node.cpuSeconds() ?? 0) - cpuBefore;
    const operations = fired + bumps;

    const board = toBoard.summary();
    const visitor = toVisitor.summary();
    report('bump → board', { ...board });
    report('bump → visitor screens', { ...visitor });
    report('rush', { orders: ORDERS, fired, bumps, stale, elapsedS: round(elapsedS, 1), hubCpuS: round(cpuS, 2), cpuMsPerOp: round((cpuS * 1000) / Math.max(operations, 1), 3) });
    const result = {
      bench: 'kitchen',
      orders: ORDERS,
      rushSeconds: RUSH_SECONDS,
      stations: STATIONS.length,
      boards: STATIONS.length * 2,
      screens: SCREENS,
      fired,
      bumps,
      staleBumps: stale,
      lostToBoard: pendingBoard.size,
      lostToVisitor: pendingVisitor.size,
      bumpToBoard: board,
      bumpToVisitor: visitor,
      hubCpuSeconds: round(cpuS, 2),
      hubCpuMsPerOperation: round((cpuS * 1000) / Math.max(operations, 1), 3),
      loadAverageAtStart: round(load, 2),
      cores: availableParallelism(),
      targetP99Ms: TARGET_P99_MS,
      meetsTarget: board.p99Ms <= TARGET_P99_MS && visitor.p99Ms <= TARGET_P99_MS,
    };
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } finally {
    for (const screen of screens) screen.close();
    for (const socket of sockets) socket.close();
    await node.kill();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:kitchen failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});

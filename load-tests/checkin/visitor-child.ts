/**
 * A visitor process of bench:checkin: `count` plain socket.io clients (a visitor's access token),
 * each subscribed to the occupancy of one zone, noting every `occupancy:changed` it receives.
 * Started by `visitor-pool.ts`; speaks the IPC protocol of `protocol.ts`. Plain sockets, not the
 * SDK: its reconnect loop, subscription and watch bookkeeping cost about 10 KB of heap more per
 * client (measured with 400 clients each way against a test hub in one process: 20–25 KB per raw
 * socket with its occupancy subscription, 30–35 KB per SDK client with watchOccupancy), some
 * 100 MB over the bench's 10,000 watchers; these watchers only count pushes and never reconnect.
 */
import { io } from 'socket.io-client';
import type { Socket } from 'socket.io-client';
import type { ClientToServerEvents, OccupancyLevel, ServerToClientEvents } from '../../machines/contract/wire.js';
import type { Result } from '../../machines/errors.js';
import { runPool } from '../stats.js';
import { nowMs, SAMPLE_EVERY } from './protocol.js';
import type { FromVisitors, ToVisitors } from './protocol.js';

type VisitorSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
type Start = Extract<ToVisitors, { type: 'start' }>;

const sockets: VisitorSocket[] = [];
/** Per socket: deliveries and the newest level seen. */
let counts = new Uint32Array(0);
let levels = new Int32Array(0);
/** 1 for the sockets that connected and subscribed. */
let live = new Uint8Array(0);
let lags = new Float64Array(1 << 16);
let received = 0;
let firstAt = Infinity;
let lastAt = 0;
let disconnects = 0;
const distinct = new Set<number>();
/** Deliveries of the sampled sockets: (inside, receipt) pairs. */
const sampled = new Map<number, number[]>();

function send(message: FromVisitors): void {
  process.send?.(message);
}

function note(i: number, level: OccupancyLevel): void {
  const at = nowMs();
  if (received === lags.length) {
    const grown = new Float64Array(lags.length * 2);
    grown.set(lags);
    lags = grown;
  }
  lags[received++] = at - level.at;
  sampled.get(i)?.push(level.inside, at);
  counts[i] = (counts[i] ?? 0) + 1;
  if (level.inside > (levels[i] ?? 0)) levels[i] = level.inside;
  distinct.add(level.inside);
  if (at < firstAt) firstAt = at;
  lastAt = at;
}

async function start(m: Start): Promise<void> {
  counts = new Uint32Array(m.count);
  levels = new Int32Array(m.count);
  live = new Uint8Array(m.count);
  let failed = 0;
  let firstError: string | undefined;
  await runPool(m.count, m.connectConcurrency, async (i) => {
    const url = m.urls[(m.offset + i) % m.urls.length] ?? '';
    const socket: VisitorSocket = io(url, { transports: ['websocket'], auth: { token: m.token }, forceNew: true, reconnection: false, timeout: 120_000 });
    try {
      await new Promise<void>((resolve, reject) => {
        socket.once('connect', () => resolve());
        socket.once('connect_error', (error: Error & { data?: { message?: string } }) => reject(new Error(error.data?.message ?? error.message)));
      });
      socket.on('occupancy:changed', (level) => note(i, level));
      socket.on('disconnect', () => disconnects++);
      const answer: Result<{ levels: OccupancyLevel[] }> = await socket.timeout(120_000).emitWithAck('occupancy:subscribe', { zones: [m.zone] });
      if (!answer.ok) throw new Error(`${answer.code}: ${answer.message}`);
      levels[i] = answer.data.levels[0]?.inside ?? 0;
      live[i] = 1;
      if ((m.offset + i) % SAMPLE_EVERY === 0) sampled.set(i, []);
      sockets.push(socket);
    } catch (error) {
      failed++;
      firstError ??= error instanceof Error ? error.message : String(error);
      socket.close();
    }
  });
  send({ type: 'ready', connected: m.count - failed, failed, ...(firstError ? { firstError } : {}) });
}

function reset(): void {
  counts.fill(0);
  received = 0;
  firstAt = Infinity;
  lastAt = 0;
  distinct.clear();
  for (const list of sampled.values()) list.length = 0;
}

process.on('message', (message: ToVisitors) => {
  switch (message.type) {
    case 'start':
      start(message).catch((error: unknown) => send({ type: 'fatal', message: error instanceof Error ? error.message : String(error) }));
      break;
    case 'count': {
      let atLevel = 0;
      levels.forEach((level, i) => {
        if (live[i] === 1 && level >= message.inside) atLevel++;
      });
      send({ type: 'counted', received, atLevel, connected: sockets.filter((s) => s.connected).length });
      break;
    }
    case 'reset':
      reset();
      break;
    case 'collect': {
      let min = Infinity;
      let max = 0;
      counts.forEach((c, i) => {
        if (live[i] !== 1) return;
        if (c < min) min = c;
        if (c > max) max = c;
      });
      send({
        type: 'deliveries',
        lags: lags.slice(0, received),
        received,
        perSocketMin: Number.isFinite(min) ? min : 0,
        perSocketMax: max,
        distinctLevels: distinct.size,
        disconnects,
        firstAt,
        lastAt,
        samples: [...sampled.values()].map((list) => Float64Array.from(list)),
      });
      break;
    }
    case 'stop':
      for (const socket of sockets) socket.close();
      setTimeout(() => process.exit(0), 200);
      break;
  }
});
process.on('disconnect', () => process.exit(0));

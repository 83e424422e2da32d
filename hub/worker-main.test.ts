/**
 * The worker process end to end: a real redis-server on a free port, the worker entry as a child
 * process on a temporary SQLite store, and a plain socket.io server with the Redis adapter standing
 * in for a hub node. A booking held by another process expires in the worker (a durable timer job),
 * and the expiry reaches the booking's room and the dashboard feed on the "hub" through Redis.
 */
import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { createAdapter } from '@socket.io/redis-adapter';
import { Redis } from 'ioredis';
import { Server } from 'socket.io';
import { io as connect } from 'socket.io-client';
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ActorChanged, FeedChanged, ServerToClientEvents } from '../machines/contract/wire.js';
import { actorRoom, feedRoom } from '../workers/fanout/change-rooms.js';
import { feedTargets } from '../workers/fanout/change-routing.js';
import { createRedisPublisher } from '../workers/fanout/redis-publisher.js';
import { bookingsRuntime } from '../workers/bookings/bookings.module.js';
import { silentLogger } from '../workers/logger.js';
import { wire } from '../workers/modules/runtime-module.js';
import { feedDefinitionsOf, startRuntime } from '../workers/runtime.js';
import { openSqliteActorStore } from '../workers/store/sqlite-actor-store.js';
import { createSqliteAgendaBackend } from '../workers/timers/sqlite-job-repository.js';
import { sqliteFile } from '../workers/open-store.js';
import { VENUE_MODULES } from './modules/index.js';
import { sampleValue, scrape } from './prometheus.test-support.js';

/** A free TCP port on the loopback interface. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/** A child process whose output lines can be awaited. */
function watched(child: ChildProcessWithoutNullStreams) {
  let output = '';
  const waiters = new Set<() => void>();
  const onLine = (line: string) => {
    output += line + '\n';
    for (const w of waiters) w();
  };
  createInterface({ input: child.stdout }).on('line', onLine);
  createInterface({ input: child.stderr }).on('line', onLine);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const line = (text: string) =>
    new Promise<void>((resolve, reject) => {
      const check = () => {
        if (output.includes(text)) {
          waiters.delete(check);
          resolve();
        }
      };
      waiters.add(check);
      void exited.then(() => {
        if (!output.includes(text)) reject(new Error(`exited before "${text}":\n${output}`));
      });
      check();
    });
  return { child, line, exited, output: () => output };
}

const here = new URL('..', import.meta.url).pathname;
/** Long enough that the holding node has surely stopped before the hold ends. */
const HOLD_MS = 1_500;

function startWorker(env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', './hub/loader/register.mjs', 'hub/worker-main.ts'], {
    cwd: here,
    env: { ...process.env, STORE: 'sqlite', MONGO_URL: '', LOG_LEVEL: 'info', HOST: '127.0.0.1', WORKER_PORT: '0', ...env },
  });
  return watched(child);
}

type Payload<E extends keyof ServerToClientEvents> = Parameters<ServerToClientEvents[E]>[0];

/** Resolves with the first event of `name` on `socket` that `pick` accepts. */
function nextEvent<E extends 'actor:changed' | 'feed:changed'>(
  socket: Socket<ServerToClientEvents>,
  name: E,
  pick: (payload: Payload<E>) => boolean,
): Promise<Payload<E>> {
  return new Promise((resolve) => {
    const listener = (event: string, payload: Payload<E>) => {
      if (event !== name || !pick(payload)) return;
      socket.offAny(listener);
      resolve(payload);
    };
    socket.onAny(listener);
  });
}

describe('worker process', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vh-worker-'));
  let redisServer: ReturnType<typeof watched>;
  let redisUrl = '';
  let pub: Redis;
  let sub: Redis;
  let hub: Server;
  let client: Socket<ServerToClientEvents>;

  beforeAll(async () => {
    const port = await freePort();
    redisUrl = `redis://127.0.0.1:${port}`;
    redisServer = watched(spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no']));
    await redisServer.line('Ready to accept connections');

    // A stand-in hub node: socket.io with the Redis adapter, sockets joined to the rooms under test.
    pub = new Redis(redisUrl);
    sub = pub.duplicate();
    await sub.psubscribe('socket.io#/#*'); // subscribed before anything is published (pub/sub keeps nothing)
    const http = createServer();
    hub = new Server(http, { transports: ['websocket'], adapter: createAdapter(pub, sub) });
    hub.on('connection', (socket) => void socket.join([actorRoom('booking', 'b1'), actorRoom('booking', 'p1'), feedRoom('dashboard')]));
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    client = connect(`http://127.0.0.1:${(http.address() as AddressInfo).port}`, { transports: ['websocket'] });
    await new Promise<void>((resolve) => client.once('connect', resolve));
  });

  afterAll(async () => {
    client?.disconnect();
    await hub?.close();
    // quit, not disconnect: the adapter's close sends unsubscribes that must get their replies
    // (a disconnect rejects them as unhandled "Connection is closed").
    await Promise.all([pub?.quit().catch(() => {}), sub?.quit().catch(() => {})]);
    if (redisServer && redisServer.child.exitCode === null) {
      redisServer.child.kill('SIGTERM');
      await redisServer.exited;
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('the Redis publisher reaches a socket.io node through the Redis adapter', async () => {
    const publisher = createRedisPublisher({ redis: pub, log: silentLogger });
    const change = { kind: 'booking', id: 'p1', version: 1, state: 'held', status: 'active', context: {}, tags: ['pending'], eventType: 'booking.created', at: 1, cursor: 7 };
    const seen = nextEvent(client, 'actor:changed', (c) => c.id === 'p1');
    const fed = nextEvent(client, 'feed:changed', (c) => c.change.id === 'p1');
    const notice = { ...change, from: null };
    publisher.publish({ type: 'actor', notice, feeds: feedTargets(feedDefinitionsOf(VENUE_MODULES), notice) });
    expect(await seen).toEqual(change);
    expect(await fed).toEqual({ feed: 'dashboard', change });
  });

  it('refuses to start without REDIS_URL and says how to fix it', async () => {
    const worker = startWorker({ DATA_DIR: dir, REDIS_URL: '' });
    expect(await worker.exited).toBe(78);
    expect(worker.output()).toContain('REDIS_URL is not set');
  });

  it('fires a hold timer of a booking made elsewhere and publishes the expiry to its room and the dashboard', async () => {
    const worker = startWorker({ DATA_DIR: dir, REDIS_URL: redisUrl, TIMER_POLL_MS: '50', NODE_ID: 'worker-test' });
    await worker.line('worker ready');

    // Another node holds a booking on the same store and goes away before the hold ends.
    const file = sqliteFile(dir);
    const otherStore = openSqliteActorStore({ file });
    const other = await startRuntime({
      store: otherStore,
      jobsBackend: createSqliteAgendaBackend({ file }),
      log: silentLogger,
      wiring: [wire(bookingsRuntime, { timings: { holdMs: HOLD_MS, reviewMs: 60_000, paymentMs: 60_000 } })],
      timerPollMs: 50,
      modules: [bookingsRuntime],
      relay: false,
    });
    await otherStore.ledger.defineSlot('slot_1', 5);
    const expired = nextEvent(client, 'actor:changed', (c: ActorChanged) => c.id === 'b1' && c.state === 'expired');
    const fed = nextEvent(client, 'feed:changed', (c: FeedChanged) => c.change.id === 'b1' && c.change.state === 'expired');
    const heldAt = Date.now();
    const held = await other.bookings.hold(
      { bookingId: 'b1', visitorId: 'vis_1', slotId: 'slot_1', lines: [{ ticketTypeId: 'adult', qty: 2, unitPrice: 5_000 }], requiresApproval: false },
      'visitor:vis_1',
    );
    await other.stop(); // well before the hold ends: only the worker can fire its timer
    expect(held).toMatchObject({ ok: true, data: { state: 'held', version: 1 } });

    const change = await expired;
    expect(change).toMatchObject({ kind: 'booking', id: 'b1', version: 2, state: 'expired' });
    expect(change.at).toBeGreaterThanOrEqual(heldAt + HOLD_MS);
    expect((await fed).feed).toBe('dashboard');

    // The worker's own probes and metrics, on WORKER_PORT.
    const healthUrl = /"event":"worker\.ready","healthUrl":"([^"]+)"/.exec(worker.output())?.[1];
    expect(healthUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(await (await fetch(`${healthUrl}/healthz`)).json()).toEqual({ ok: true });
    expect(await (await fetch(`${healthUrl}/readyz`)).json()).toEqual({ ok: true });
    const metrics = await scrape(healthUrl!);
    expect(sampleValue(metrics, 'vh_timer_lag_seconds')).toBeGreaterThanOrEqual(1);
    expect(sampleValue(metrics, 'vh_projection_lag', { projection: 'bookings' })).toBeGreaterThanOrEqual(0);
    for (const name of ['process_cpu_seconds_total', 'process_resident_memory_bytes', 'nodejs_eventloop_lag_p99_seconds']) expect(metrics.families.has(name), name).toBe(true);

    worker.child.kill('SIGTERM');
    expect(await worker.exited).toBe(0);
    expect(worker.output()).toContain('stopped');
  });
});

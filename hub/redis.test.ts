/**
 * The Redis adapter wiring of one node, with two in-process hub nodes on one store and a real
 * redis-server: changes and revocations cross nodes, and a Redis outage costs only cross-node
 * fan-out (local sockets keep being served, nothing crashes), which resumes after Redis returns.
 * Multi-process cluster tests live with the cluster harness.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../workers/logger.js';
import type { ClientSocket, TestHub } from './hub.test-support.js';
import { disconnected, holdOf, nextEvent, startTestHub } from './hub.test-support.js';
import { connectRedisAdapter } from './redis.js';
import type { RedisAdapterHandle } from './redis.js';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Starts redis-server and resolves once it accepts connections. */
function startRedis(port: number): Promise<ChildProcess> {
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('Ready to accept connections')) resolve(child);
    });
    child.once('exit', (code) => reject(new Error(`redis-server exited with ${code}: ${out}`)));
  });
}

function stopRedis(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

describe('two hub nodes over Redis', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vh-redis-'));
  let port: number;
  let redis: ChildProcess;
  const handles: RedisAdapterHandle[] = [];
  let a: TestHub;
  let b: TestHub;
  let visitorOnA: ClientSocket;
  let visitorOnB: ClientSocket;
  let adminOnB: ClientSocket;

  beforeAll(async () => {
    port = await freePort();
    redis = await startRedis(port);
    for (let i = 0; i < 2; i++) handles.push(await connectRedisAdapter(`redis://127.0.0.1:${port}`, silentLogger));
    // Two nodes in one process must both use the ws engine: socket.io's uWS support patches the
    // adapter globally (one uWS app per process). Multi-process cluster tests cover uWS nodes.
    const [first, second] = handles;
    a = await startTestHub({ dir, config: { SOCKET_ENGINE: 'ws' }, deps: { adapter: first?.adapter, ...(first ? { fanout: first } : {}) } });
    b = await startTestHub({ dir, config: { SOCKET_ENGINE: 'ws' }, deps: { adapter: second?.adapter, ...(second ? { fanout: second } : {}) }, slots: {} });
    visitorOnA = await a.connect(await a.person('vis_1', 'visitor'));
    visitorOnB = await b.connect(await b.person('vis_1', 'visitor'));
    adminOnB = await b.connect(await b.person('adm_1', 'super_admin'));
  });
  afterAll(async () => {
    for (const s of [visitorOnA, visitorOnB, adminOnB]) s?.close();
    await a?.stop();
    await b?.stop();
    for (const handle of handles) await handle.close();
    if (redis) await stopRedis(redis);
    rmSync(dir, { recursive: true, force: true });
  });

  it('a commit on one node reaches actor and feed subscribers on the other', async () => {
    await visitorOnA.emitWithAck('booking:hold', holdOf('x1'));
    expect(await visitorOnB.emitWithAck('actor:subscribe', { kind: 'booking', id: 'x1' })).toMatchObject({ ok: true, data: { version: 1 } });
    await adminOnB.emitWithAck('feed:subscribe', { feed: 'dashboard' });
    const onActor = nextEvent(visitorOnB, 'actor:changed', (c) => c.id === 'x1');
    const onFeed = nextEvent(adminOnB, 'feed:changed', (f) => f.change.id === 'x1');
    await visitorOnA.emitWithAck('actor:command', { kind: 'booking', id: 'x1', event: { type: 'booking.submit' } });
    expect(await onActor).toMatchObject({ version: 2 });
    expect(await onFeed).toMatchObject({ change: { version: 2 } });
  });

  it('a revocation on one node ends the sessions on the other', async () => {
    const victim = await a.connect(await a.person('vis_gone', 'visitor'));
    const ended = nextEvent(victim, 'session:ended');
    const gone = disconnected(victim);
    expect(await adminOnB.emitWithAck('admin:revoke', { subject: 'user:vis_gone', reason: 'left' })).toMatchObject({ ok: true });
    expect(await ended).toMatchObject({ code: 'auth.revoked' });
    await gone;
  });

  it('keeps serving local sockets while Redis is down and fans out across nodes again after it returns', async () => {
    // Every feed subscriber, on both nodes, is told to resync when Redis comes back, and its cursor gets what it missed.
    const adminOnA = await a.connect(await a.person('adm_2', 'super_admin'));
    const watchers = [adminOnA, adminOnB];
    const cursors: number[] = [];
    for (const w of watchers) {
      const answer = await w.emitWithAck('feed:subscribe', { feed: 'dashboard' });
      cursors.push(answer.ok ? answer.data.cursor : -1);
    }
    const resyncs = watchers.map((w) => nextEvent(w, 'feed:resync', () => true, 20_000));
    await stopRedis(redis);
    const local = await a.connect(await a.person('vis_2', 'visitor'));
    expect(await local.emitWithAck('booking:hold', holdOf('x2'))).toMatchObject({ ok: true });
    await local.emitWithAck('actor:subscribe', { kind: 'booking', id: 'x2' });
    const onLocal = nextEvent(local, 'actor:changed', (c) => c.id === 'x2');
    expect(await local.emitWithAck('actor:command', { kind: 'booking', id: 'x2', event: { type: 'booking.submit' } })).toMatchObject({ ok: true });
    expect(await onLocal).toMatchObject({ version: 2 });

    redis = await startRedis(port);
    // Clients converge by state: keep committing until a notice crosses again (the adapter reconnects on its own).
    let crossed = false;
    for (let i = 0; i < 40 && !crossed; i++) {
      const id = `x3-${i}`;
      await visitorOnA.emitWithAck('booking:hold', holdOf(id));
      await visitorOnB.emitWithAck('actor:subscribe', { kind: 'booking', id });
      const seen = nextEvent(visitorOnB, 'actor:changed', (c) => c.id === id, 250).then(() => true, () => false);
      await visitorOnA.emitWithAck('actor:command', { kind: 'booking', id, event: { type: 'booking.submit' } });
      crossed = await seen;
    }
    expect(crossed).toBe(true);
    for (const [i, told] of resyncs.entries()) {
      expect(await told).toMatchObject({ reason: 'fanout_interrupted' });
      const again = await watchers[i]?.emitWithAck('feed:subscribe', { feed: 'dashboard', cursor: cursors[i] ?? 0 });
      expect(again?.ok && again.data.changes?.some((c) => c.change.id === 'x2' && c.change.version === 2)).toBe(true);
    }
    adminOnA.close();
    local.close();
  });
});

describe('Redis adapter outages', () => {
  it('asks for a resync after a connection drop that heals before any error is raised', async () => {
    // A proxy in front of a real redis-server drops every connection once; the clients reconnect
    // at once and never see a refused connection, yet broadcasts in flight may have been lost.
    const port = await freePort();
    const redis = await startRedis(port);
    const links = new Set<Socket>();
    const proxy = createServer((client) => {
      const server = connect(port, '127.0.0.1');
      client.pipe(server).pipe(client);
      for (const s of [client, server]) {
        links.add(s);
        s.on('error', () => s.destroy());
        s.on('close', () => links.delete(s));
      }
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    const address = proxy.address();
    const proxyPort = typeof address === 'object' && address !== null ? address.port : 0;
    const handle = await connectRedisAdapter(`redis://127.0.0.1:${proxyPort}`, silentLogger);
    try {
      let recoveries = 0;
      const recovered = new Promise<void>((resolve) =>
        handle.onRecovered(() => {
          recoveries++;
          resolve();
        }),
      );
      for (const s of links) s.destroy();
      await recovered;
      expect(recoveries).toBeGreaterThanOrEqual(1);
    } finally {
      await handle.close();
      proxy.close();
      for (const s of links) s.destroy();
      await stopRedis(redis);
    }
  });
});

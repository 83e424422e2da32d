/**
 * Drain during traffic: every client is told to reconnect (batch by batch, later batches later),
 * nobody new gets in, and every hold the hub acknowledged is in the store afterwards.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { SessionReconnect } from '../machines/contract/wire.js';
import { openSqliteActorStore } from '../workers/store/sqlite-actor-store.js';
import type { ClientSocket } from './hub.test-support.js';
import { holdOf, nextEvent, SOCKET_ENGINES, startTestHub, TEST_SLOT } from './hub.test-support.js';

describe.each(SOCKET_ENGINES)('drain on the %s engine', (engine) => {
  const dir = mkdtempSync(join(tmpdir(), 'vh-drain-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('tells every client to reconnect and loses no acknowledged command', async () => {
    const t = await startTestHub({ dir, config: { SOCKET_ENGINE: engine, DRAIN_BATCH_SIZE: 2 }, slots: { [TEST_SLOT]: 100_000 } });
    const clients: ClientSocket[] = [];
    for (let i = 0; i < 7; i++) clients.push(await t.connect(await t.person(`vis_${i}`, 'visitor')));
    const acked: string[] = [];
    const refusedDraining: string[] = [];
    let trafficFlowing: () => void = () => {};
    const enoughTraffic = new Promise<void>((resolve) => (trafficFlowing = resolve));
    const loops = clients.map(async (socket, c) => {
      for (let n = 0; socket.connected; n++) {
        const id = `${engine}-c${c}-${n}`;
        const answer = await socket.timeout(5_000).emitWithAck('booking:hold', holdOf(id)).catch(() => null);
        if (answer?.ok && acked.push(id) === 40) trafficFlowing();
        else if (answer?.code === 'hub.draining') refusedDraining.push(id);
      }
    });
    const told = clients.map((socket) => nextEvent(socket, 'session:reconnect'));
    await enoughTraffic; // drain while every client still has a hold in flight

    const report = await t.hub.drain();
    const reconnects: SessionReconnect[] = await Promise.all(told);
    await Promise.all(loops);
    expect(report).toEqual({ sockets: 7, settled: true });
    expect(reconnects.every((r) => r.reason === 'draining')).toBe(true);
    // Batches of two: four batches, each told to wait longer than the one before.
    expect(new Set(reconnects.map((r) => r.retryAfterMs)).size).toBe(4);
    expect(clients.every((s) => s.disconnected)).toBe(true);
    await expect(t.connect(await t.person('late', 'visitor'))).rejects.toThrow();
    await t.stop();

    const store = openSqliteActorStore({ file: join(dir, 'venue-hub.db') });
    try {
      for (const id of acked) expect(await store.load('booking', id), id).not.toBeNull();
      for (const id of refusedDraining) expect(await store.load('booking', id), id).toBeNull();
    } finally {
      await store.close();
    }
    expect(acked.length).toBeGreaterThanOrEqual(40);
  });
});

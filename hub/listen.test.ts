import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import type { Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startHubNode } from '../load-tests/harness/index.js';
import { SOCKET_ENGINES } from './hub.test-support.js';
import { jsonAnswer } from './http/routes.js';
import { listenHub } from './listen.js';

const options = (engine: 'uws' | 'ws') => ({ engine, host: '127.0.0.1', port: 0, io: {}, http: () => Promise.resolve(jsonAnswer(200, { ok: true })) });

/** A plain listener holding a free loopback port. */
async function holdPort(): Promise<{ server: Server; port: number }> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return { server, port: address.port };
}

describe('listenHub', () => {
  it.skipIf(!SOCKET_ENGINES.includes('uws'))('refuses a second hub beside a uWS hub in one process, and allows it once that one closed', async () => {
    const first = await listenHub(options('uws'));
    await expect(listenHub(options('ws'))).rejects.toMatchObject({ code: 'engine.unavailable' });
    await expect(listenHub(options('uws'))).rejects.toMatchObject({ code: 'engine.unavailable' });
    await first.close();
    const ws1 = await listenHub(options('ws'));
    const ws2 = await listenHub(options('ws'));
    await expect(listenHub(options('uws'))).rejects.toMatchObject({ code: 'engine.unavailable' });
    await ws1.close();
    await ws2.close();
    const again = await listenHub(options('uws'));
    expect(again.port).toBeGreaterThan(0);
    await again.close();
  });

  it.each(SOCKET_ENGINES)('on %s, says the port is taken and names PORT', async (engine) => {
    const held = await holdPort();
    try {
      await expect(listenHub({ ...options(engine), port: held.port })).rejects.toThrow(/the port is taken by another process .*set PORT to a free port/);
    } finally {
      held.server.close();
    }
  });
});

describe('two hubs on one port', () => {
  it('the second refuses to start, whichever engine it runs, and the first keeps serving', async () => {
    const dirs = [mkdtempSync(join(tmpdir(), 'vh-port-')), mkdtempSync(join(tmpdir(), 'vh-port-'))];
    const first = await startHubNode({ dataDir: dirs[0]!, engine: SOCKET_ENGINES[0], seedDemo: false });
    try {
      for (const engine of SOCKET_ENGINES) {
        const second = startHubNode({ dataDir: dirs[1]!, port: first.port, engine, seedDemo: false });
        await expect(second, engine).rejects.toThrow(/exited \(1\)[\s\S]*cannot listen on 127\.0\.0\.1:\d+: the port is taken by another process/);
      }
      expect((await fetch(`${first.url}/healthz`)).status).toBe(200);
    } finally {
      await first.kill();
      for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
    }
  }, 90_000);
});

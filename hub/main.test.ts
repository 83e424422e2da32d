/**
 * `npm start` as a real process, started the way the README says: it prints the URL and demo
 * tokens, serves sockets with them, and a SIGTERM sent to npm reaches the hub, which tells its
 * clients to reconnect and exits 0, with npm, leaving no process behind.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { io } from 'socket.io-client';
import type { Socket } from 'socket.io-client';
import { describe, expect, it } from 'vitest';
import { demoPlaces, oneSeat } from '../load-tests/harness/index.js';
import type { ClientToServerEvents, ServerToClientEvents } from '../machines/contract/wire.js';
import { nativeUwsAvailable } from './engine.js';
import { nextEvent } from './hub.test-support.js';
import { sampleValue, scrape } from './prometheus.test-support.js';

/** True while a process with this id exists. */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('hub/main.ts', () => {
  it('refuses a bad configuration with exit code 78 and never prints the secrets it was given', async () => {
    const secrets = {
      TICKET_PRIVATE_KEYS: '[{"kty":"OKP","crv":"Ed25519","kid":"","x":"abc","d":"ticket-d-leak-123456"}]',
      ACCOUNT_PEPPER: 'pepper-leak-123456',
      MOYASAR_SECRET_KEY: 'live-moyasar-leak-123456',
      PAYMENT_WEBHOOK_SECRET: 'hook-leak',
      REDIS_URL: 'redis://:redis-leak-123456@cache:6379 x',
    };
    const child = spawn(process.execPath, ['--import', './hub/loader/register.mjs', 'hub/main.ts'], {
      cwd: fileURLToPath(new URL('..', import.meta.url)),
      env: { ...process.env, PORT: '0', HOST: '127.0.0.1', ...secrets },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let printed = '';
    child.stdout.on('data', (chunk: Buffer) => (printed += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (printed += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', (exitCode) => resolve(exitCode)));
    expect(code).toBe(78);
    expect(printed).toContain('[config.invalid]');
    for (const name of ['TICKET_PRIVATE_KEYS', 'ACCOUNT_PEPPER', 'MOYASAR_SECRET_KEY', 'PAYMENT_WEBHOOK_SECRET', 'REDIS_URL']) expect(printed).toContain(`${name}=`);
    for (const leak of ['ticket-d-leak', 'pepper-leak', 'moyasar-leak', 'hook-leak', 'redis-leak']) expect(printed).not.toContain(leak);
  });

  it('starts on the embedded default, prints URL and demo tokens, drains on a SIGTERM sent to npm', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vh-main-'));
    const { NODE_OPTIONS: _loader, ...env } = process.env; // vitest's loader hooks must not leak into the hub
    const child = spawn('npm', ['start'], {
      cwd: fileURLToPath(new URL('..', import.meta.url)),
      env: { ...env, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dir, LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      const banner = await new Promise<{ url: string; admin: string; visitor: string; hubPid: number }>((resolve, reject) => {
        const check = () => {
          const url = /listening on (http:\/\/\S+)/.exec(err)?.[1];
          const admin = /demo-admin:\s+(\S+)/.exec(out)?.[1];
          const visitor = /demo-visitor:\s+(\S+)/.exec(out)?.[1];
          const hubPid = /"event":"hub\.ready".*"pid":(\d+)/.exec(out)?.[1];
          if (url && admin && visitor && hubPid) resolve({ url, admin, visitor, hubPid: Number(hubPid) });
        };
        child.stdout.on('data', check);
        child.stderr.on('data', check);
        void exited.then((code) => reject(new Error(`exited with ${code}: ${err}`)));
      });
      // uWS where its native binary exists, otherwise socket.io's ws engine.
      expect(err).toMatch(new RegExp(`"store":"sqlite at .*venue-hub\\.db","engine":"${nativeUwsAvailable() ? 'uws' : 'ws'}"`));

      // The visitor app at the printed URL (npm start built it when its sources were newer).
      const home = await fetch(banner.url);
      expect(home.status).toBe(200);
      const html = await home.text();
      expect(html).toContain('<div id="app"></div>');
      const script = /<script type="module"[^>]* src="(\/assets\/index-[\w-]+\.js)"/.exec(html)?.[1];
      expect((await fetch(`${banner.url}${script ?? '/missing'}`)).headers.get('content-type')).toMatch(/^text\/javascript/);

      const admin: Socket<ServerToClientEvents, ClientToServerEvents> = io(banner.url, { transports: ['websocket'], reconnection: false, auth: { token: banner.admin } });
      await new Promise((resolve) => admin.once('connect', () => resolve(undefined)));
      expect(await admin.emitWithAck('feed:subscribe', { feed: 'dashboard' })).toMatchObject({ ok: true });
      const visitor: Socket<ServerToClientEvents, ClientToServerEvents> = io(banner.url, { transports: ['websocket'], reconnection: false, auth: { token: banner.visitor } });
      const place = demoPlaces()[0];
      if (!place) throw new Error('the demo venue has no places');
      const held = await visitor.emitWithAck('booking:hold', oneSeat('main-b1', place));
      expect(held).toMatchObject({ ok: true, data: { state: 'held' } });
      // Every read model reports how far it is behind the change log.
      const metrics = await scrape(banner.url);
      for (const projection of ['bookings', 'payments', 'tickets', 'alerts']) expect(sampleValue(metrics, 'vh_projection_lag', { projection }), projection).toBeGreaterThanOrEqual(0);

      expect(banner.hubPid).not.toBe(child.pid); // npm runs the hub as its child
      const told = nextEvent(admin, 'session:reconnect');
      child.kill('SIGTERM');
      expect(await told).toMatchObject({ reason: 'draining' });
      expect(await exited).toBe(0);
      expect(err).toMatch(/"signal":"SIGTERM"/);
      expect(err).toMatch(/ stopped /);
      expect(isAlive(banner.hubPid), 'the hub outlived npm').toBe(false);
      visitor.close();
      admin.close();
    } finally {
      child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

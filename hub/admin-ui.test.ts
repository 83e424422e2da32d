/**
 * The socket.io Admin UI on a real hub: its page is served from the package, its namespace admits
 * super admins only (the access token as the UI's password), and it streams server stats.
 */
import { io } from 'socket.io-client';
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestHub } from './hub.test-support.js';
import { startTestHub } from './hub.test-support.js';

describe('socket.io Admin UI', () => {
  let t: TestHub;
  const sockets: Socket[] = [];
  beforeAll(async () => {
    t = await startTestHub({ deps: { adminUi: { serverId: 'hub-admin-test' } } });
  });
  afterAll(async () => {
    for (const s of sockets) s.close();
    await t?.stop();
  });

  function connectAdmin(auth: Record<string, string>): Socket {
    const socket = io(`${t.url}/admin`, { transports: ['websocket'], reconnection: false, auth });
    sockets.push(socket);
    return socket;
  }

  function refusal(socket: Socket): Promise<unknown> {
    return new Promise((resolve, reject) => {
      socket.once('connect_error', (error: Error & { data?: unknown }) => resolve(error.data));
      socket.once('connect', () => reject(new Error('connected')));
    });
  }

  it('serves the UI page from the package', async () => {
    const page = await fetch(`${t.url}/admin-ui/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<title>Socket.IO Admin UI</title>');
    const bare = await fetch(`${t.url}/admin-ui`, { redirect: 'manual' });
    expect(bare.status).toBe(308);
    expect(bare.headers.get('location')).toBe('/admin-ui/');
  });

  it('admits a super admin (token as the password) and streams server stats', async () => {
    const socket = connectAdmin({ username: 'admin', password: await t.person('root', 'super_admin') });
    const config = new Promise((resolve) => socket.once('config', resolve));
    const stats = new Promise<{ serverId: string }>((resolve) => socket.once('server_stats', resolve));
    expect(await config).toMatchObject({ supportedFeatures: ['AGGREGATED_EVENTS'] });
    expect(await stats).toMatchObject({ serverId: 'hub-admin-test' });
  });

  it('refuses other roles, devices and missing or forged tokens with a code', async () => {
    expect(await refusal(connectAdmin({ password: await t.person('fin', 'finance_admin') }))).toMatchObject({ code: 'auth.forbidden' });
    expect(await refusal(connectAdmin({ token: await t.person('vis', 'visitor') }))).toMatchObject({ code: 'auth.forbidden' });
    expect(await refusal(connectAdmin({ token: await t.device('gate-1', 'gate', { zone: 'main', gateId: 'g1' }) }))).toMatchObject({ code: 'auth.forbidden' });
    expect(await refusal(connectAdmin({}))).toMatchObject({ code: 'auth.missing' });
    expect(await refusal(connectAdmin({ password: 'not-a-token' }))).toMatchObject({ code: expect.stringMatching(/^auth\./) });
  });
});

/**
 * Device tokens minted over HTTP by a super admin, used by the gate simulator against a real hub:
 * a visitor is refused (and audited), the minted gate token admits a ticket and lets it out.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runGateSimulator, scanOnce } from '../clients/devices/gate-simulator.js';
import type { AuditEntry } from '../workers/store/actor-store.js';
import type { ApiHub } from './api/api.test-support.js';
import { data, startApiHub } from './api/api.test-support.js';
import type { ClientSocket } from './hub.test-support.js';
import { confirmedTicket } from './hub.test-support.js';

interface IssuedDevice {
  deviceId: string;
  token: string;
  expiresAt: number;
}

describe('device tokens and the gate simulator', () => {
  let t: ApiHub;
  let admin: string;
  let visitor: ClientSocket;

  beforeAll(async () => {
    t = await startApiHub();
    admin = await t.person('dev-root', 'super_admin');
    visitor = await t.connect(await t.person('vis_dev', 'visitor'));
  });
  afterAll(async () => {
    visitor?.close();
    await t?.stop();
  });

  /** A confirmed booking with its first ticket created through the host; answers the QR token. */
  async function ticketFor(bookingId: string): Promise<{ qr: string; ticketId: string }> {
    const { token, ticketId } = await confirmedTicket(t, visitor, 'vis_dev', bookingId);
    return { qr: token, ticketId };
  }

  const audit = async () => data(await t.call<{ entries: AuditEntry[] }>('GET', '/api/admin/audit?limit=500', undefined, admin)).entries;

  it('lets only a super admin mint a device token, and audits both outcomes', async () => {
    const body = { deviceId: 'gate-sim-1', deviceKind: 'gate', scope: { zone: 'pool', gateId: 'gate_sim' } };
    const visitorToken = await t.person('vis_dev', 'visitor');
    const refused = await t.call('POST', '/api/admin/devices', body, visitorToken);
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ ok: false, code: 'auth.forbidden' });
    expect((await t.call('POST', '/api/admin/devices', body)).body).toMatchObject({ ok: false, code: 'auth.missing' });
    expect((await t.call('POST', '/api/admin/devices', { ...body, deviceKind: 'turnstile' }, admin)).body).toMatchObject({ ok: false, code: 'event.invalid' });
    expect((await t.call('POST', '/api/admin/devices', { ...body, scope: { gate: 'x' } }, admin)).body).toMatchObject({ ok: false, code: 'event.invalid' });

    const issued = await t.call<IssuedDevice>('POST', '/api/admin/devices', body, admin);
    expect(issued.status).toBe(201);
    expect(data(issued)).toMatchObject({ deviceId: 'gate-sim-1', token: expect.any(String), expiresAt: expect.any(Number) });
    const verified = await t.tokens.verify(data(issued).token, 'device');
    expect(verified).toMatchObject({ ok: true, principal: { kind: 'device', deviceId: 'gate-sim-1', deviceKind: 'gate', scope: { zone: 'pool', gateId: 'gate_sim' } } });

    const rows = (await audit()).filter((r) => r.action === 'device.issue_token');
    expect(rows.map((r) => `${r.outcome} ${r.who}`).sort()).toEqual(['allowed user:dev-root', 'denied user:vis_dev']);
  });

  it('checks a ticket in and out with the minted gate token', async () => {
    const device = data(await t.call<IssuedDevice>('POST', '/api/admin/devices', { deviceId: 'gate-sim-2', deviceKind: 'gate', scope: { zone: 'pool', gateId: 'gate_sim' } }, admin));
    const { qr, ticketId } = await ticketFor('bk_dev1');
    expect(await scanOnce({ url: t.url, token: device.token, qr, direction: 'entry' })).toMatchObject({ ok: true, data: { verdict: 'admitted', ticketId, bookingId: 'bk_dev1' } });
    expect(await scanOnce({ url: t.url, token: device.token, qr, direction: 'exit' })).toEqual({ ok: true, data: { verdict: 'exited', ticketId, bookingId: 'bk_dev1' } });

    // The command line prints one JSON line per scan.
    const lines: string[] = [];
    expect(await runGateSimulator(['--url', t.url, '--token', device.token, '--direction', 'entry', qr], (line) => lines.push(line))).toBe(0);
    expect(lines.map((line) => JSON.parse(line) as unknown)).toEqual([expect.objectContaining({ ok: true, data: expect.objectContaining({ verdict: 'admitted', ticketId }) })]);
  });

  it('fails to connect with a person token or an unreachable hub', async () => {
    const { qr } = await ticketFor('bk_dev2');
    await expect(scanOnce({ url: t.url, token: admin, qr, direction: 'entry' })).resolves.toMatchObject({ ok: false, code: 'auth.forbidden' });
    await expect(scanOnce({ url: 'http://127.0.0.1:1', token: 'x', qr, direction: 'entry', timeoutMs: 2_000 })).rejects.toMatchObject({ name: 'GateConnectionError' });
    const errors: string[] = [];
    const quiet = { print: () => undefined, warn: (line: string) => errors.push(line) };
    expect(await runGateSimulator(['--url', 'http://127.0.0.1:1', '--token', 'x', qr], quiet.print, quiet.warn)).toBe(3);
    expect(JSON.parse(errors[0] ?? '{}')).toMatchObject({ ok: false, code: 'client.unreachable' });
    expect(await runGateSimulator(['--token', 'x'], quiet.print, quiet.warn)).toBe(2);
  });
});

/**
 * Offline gates over real sockets: a socket.io server on port 0 with the real handshake and
 * inbound pipeline serving the gate and offline routes, on a real floor (temp SQLite runtime with
 * ticket issuing, catalog, relay and floor alerts); real socket.io-client sockets with real device
 * and access tokens; the gate side is the device library a gate runs (on the SDK).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { connectGate, runGateSimulator } from '../../clients/devices/gate-simulator.js';
import type { GateSocket } from '../../clients/devices/gate-simulator.js';
import { batches, createOfflineGate, DEFAULT_SYNC_BATCH_BYTES } from '../../clients/devices/offline-gate.js';
import type { OfflineBundle, OfflineScan } from '../../machines/contract/wire.js';
import { TicketContext } from '../../machines/ticket.schemas.js';
import type { OfflineFloor } from '../../workers/gates/offline-floor.test-support.js';
import { startOfflineFloor } from '../../workers/gates/offline-floor.test-support.js';
import type { DeviceKind, DeviceScope, PersonRole, TokenService } from '../auth/tokens.js';
import type { ListeningHub } from '../listen.js';
import { gateRoutes } from './gate-routes.js';
import { offlineRoutes } from './offline-routes.js';
import type { RouteNode } from './route-node.test-support.js';
import { startRouteNode } from './route-node.test-support.js';


const MAX_EVENT_BYTES = 4_096;

describe('offline gate routes', () => {
  let floor: OfflineFloor;
  let node: RouteNode;
  let tokens: TokenService;
  let listening: ListeningHub;

  const device = (deviceId: string, deviceKind: DeviceKind, scope: DeviceScope) => node.device(deviceId, deviceKind, scope);
  const person = (role: PersonRole) => node.person(role);

  /** A gate device as it runs: the device library's connection, through the SDK. */
  const gates: GateSocket[] = [];
  async function sdkGate(deviceId: string, scope: DeviceScope): Promise<GateSocket> {
    const gate = await connectGate(`http://127.0.0.1:${listening.port}`, (await tokens.issueDeviceToken({ deviceId, deviceKind: 'gate', scope })).token);
    gates.push(gate);
    return gate;
  }
  async function bundleOn(gate: GateSocket): Promise<OfflineBundle> {
    const answer = await gate.offlineBundle();
    if (!answer.ok) throw new Error(`${answer.code}: ${answer.message}`);
    return answer.data;
  }
  const ticket = async (ticketId: string) => {
    const read = await floor.rt.host.read('ticket', ticketId);
    if (!read.ok) throw new Error(read.message);
    return { state: read.data.state, version: read.data.version, context: TicketContext.parse(read.data.context) };
  };

  beforeAll(async () => {
    floor = await startOfflineFloor();
    node = await startRouteNode({
      dataDir: floor.dir,
      store: floor.store,
      maxEventBytes: MAX_EVENT_BYTES,
      routes: (trail) => ({ ...gateRoutes({ scans: floor.scans, trail }), ...offlineRoutes({ bundles: floor.bundles, sync: floor.sync, trail }) }),
    });
    tokens = node.tokens;
    listening = node.listening;
  });
  afterAll(async () => {
    for (const gate of gates) gate.close();
    await node?.close();
    await floor?.stop();
  });

  it('offline admit + sync: a ticket in through gate A online, in again through offline gate B, reported as a double entry', async () => {
    const [t] = await floor.confirmedBooking('bk_o1');
    const gateA = await device('gate-a', 'gate', { zone: 'pool', gateId: 'gate_a' });
    const gateB = await sdkGate('gate-b', { zone: 'pool', gateId: 'gate_b' });
    // Gate B downloads its bundle while the hub is reachable, then loses the hub.
    const offline = createOfflineGate(await bundleOn(gateB));
    expect(offline.stateOf(t!.ticketId)).toBe('valid');

    expect(await gateA.emitWithAck('gate:scan', { token: t!.token, nonce: 'online-a-0001', direction: 'entry', at: Date.now() })).toMatchObject({
      ok: true,
      data: { verdict: 'admitted', ticketId: t!.ticketId },
    });
    const local = await offline.scan({ token: t!.token }, 'entry');
    expect(local).toEqual({ verdict: 'admitted', ticketId: t!.ticketId, bookingId: 'bk_o1', ticketTypeId: 'adult', visitorName: 'Guest vis-bk_o1', reentry: true, partySize: 1, addOns: [] });
    expect(await offline.scan({ token: t!.token }, 'entry')).toEqual({ verdict: 'already_used', ticketId: t!.ticketId });
    const queued = offline.pending();
    expect(queued).toEqual([{ token: t!.token, nonce: expect.any(String), direction: 'entry', at: expect.any(Number), verdictShown: 'admitted' }]);

    // Back online: the upload records the passage as a double entry, and staff hear of it.
    const report = await offline.sync(gateB);
    expect(report).toEqual({
      results: [{ nonce: queued[0]!.nonce, recorded: true, ticketId: t!.ticketId, doubleEntry: true }],
      recorded: 1,
      doubleEntries: 1,
      kept: 0,
    });
    expect(offline.pending()).toEqual([]);
    const after = await ticket(t!.ticketId);
    expect(after.context.doubleEntries).toEqual([{ at: queued[0]!.at, gateId: 'gate_b', nonce: queued[0]!.nonce }]);
    expect(await floor.waitForAlert((a) => a.type === 'double_entry' && a.ticketId === t!.ticketId)).toMatchObject({
      bookingId: 'bk_o1',
      gateId: 'gate_b',
      at: queued[0]!.at,
      state: 'inside',
      previous: { gateId: 'gate_a' },
    });

    // The same queue uploaded again (a lost ack): the same answer, nothing applied twice.
    expect(await gateB.syncOfflineScans(queued)).toEqual({ ok: true, data: { results: report.results } });
    expect(await ticket(t!.ticketId)).toEqual(after);
  });

  it('a revoked ticket admitted offline is not recorded and raises offline_admit_refused', async () => {
    const [t] = await floor.confirmedBooking('bk_o2');
    const gateB = await sdkGate('gate-b2', { zone: 'pool', gateId: 'gate_b' });
    const offline = createOfflineGate(await bundleOn(gateB));
    expect(await floor.rt.host.send('ticket', t!.ticketId, { type: 'ticket.revoke', reason: 'booking.cancelled', at: Date.now() }, { who: 'test' })).toMatchObject({ ok: true });
    expect(await offline.scan({ token: t!.token }, 'entry')).toMatchObject({ verdict: 'admitted' });
    const [queued] = offline.pending();
    const report = await offline.sync(gateB);
    expect(report).toMatchObject({ results: [{ nonce: queued!.nonce, recorded: false, code: 'ticket.revoked' }], recorded: 0, kept: 0 });
    expect(await floor.waitForAlert((a) => a.type === 'offline_admit_refused' && a.ticketId === t!.ticketId)).toMatchObject({ gateId: 'gate_b', at: queued!.at, code: 'ticket.revoked' });
    expect((await ticket(t!.ticketId)).state).toBe('revoked');
    // A bundle fetched after the revocation refuses it locally.
    const fresh = createOfflineGate(await bundleOn(gateB));
    expect(await fresh.scan({ token: t!.token }, 'entry')).toMatchObject({ verdict: 'refused', code: 'ticket.revoked' });
    expect(fresh.pending()).toEqual([]);
  });

  it('the offline gate verifies tokens locally: forged, unknown key, wrong issuer and tickets missing from the bundle are refused', async () => {
    const [t] = await floor.confirmedBooking('bk_o3');
    const gateB = await sdkGate('gate-b3', { zone: 'pool', gateId: 'gate_b' });
    const bundle = await bundleOn(gateB);
    const [header, payload, signature] = t!.token.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
    const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const forged = `${header}.${b64({ ...claims, b: 'bk_other' })}.${signature}`;
    const none = `${b64({ alg: 'none', typ: 'vh-ticket+jwt' })}.${payload}.`;
    const unknownKid = `${b64({ alg: 'EdDSA', typ: 'vh-ticket+jwt', kid: 'nope' })}.${payload}.${signature}`;
    const offline = createOfflineGate(bundle);
    for (const bad of [forged, none, unknownKid, 'not-a-token']) {
      expect(await offline.scan({ token: bad }, 'entry')).toMatchObject({ verdict: 'refused', code: 'ticket.invalid' });
    }
    expect(await createOfflineGate({ ...bundle, issuer: 'someone-else' }).scan({ token: t!.token }, 'entry')).toMatchObject({ verdict: 'refused', code: 'ticket.invalid' });
    const [later] = await floor.confirmedBooking('bk_o3b');
    expect(await offline.scan({ token: later!.token }, 'entry')).toMatchObject({ verdict: 'refused', code: 'ticket.invalid', message: expect.stringMatching(/list/) });
    expect(offline.pending()).toEqual([]);
    // Local moves of a re-entry ticket: in, out, in again; an exit while out is refused.
    expect(await offline.scan({ token: t!.token }, 'exit')).toMatchObject({ verdict: 'refused', code: 'ticket.not_inside' });
    expect(await offline.scan({ token: t!.token }, 'entry', { nonce: 'local-0001' })).toMatchObject({ verdict: 'admitted' });
    expect(await offline.scan({ token: t!.token }, 'entry', { nonce: 'local-0001' })).toMatchObject({ verdict: 'admitted' });
    expect(await offline.scan({ token: t!.token }, 'exit')).toMatchObject({ verdict: 'exited' });
    expect(await offline.scan({ token: t!.token }, 'entry')).toMatchObject({ verdict: 'admitted' });
    expect(offline.pending().map((s) => s.verdictShown)).toEqual(['admitted', 'exited', 'admitted']);
    expect(await offline.sync(gateB)).toMatchObject({ recorded: 3, doubleEntries: 0, kept: 0 });
    expect((await ticket(t!.ticketId)).state).toBe('inside');
  });

  it('uploads a long queue in batches that fit the per-event limit', async () => {
    const booked = await floor.confirmedBooking('bk_o4', { qty: 16 });
    const gateB = await sdkGate('gate-b4', { zone: 'pool', gateId: 'gate_b' });
    const offline = createOfflineGate(await bundleOn(gateB));
    for (const t of booked) expect(await offline.scan({ token: t.token }, 'entry')).toMatchObject({ verdict: 'admitted' });
    expect(batches(offline.pending(), DEFAULT_SYNC_BATCH_BYTES).length).toBeGreaterThan(1);
    expect(await offline.sync(gateB)).toMatchObject({ recorded: 16, doubleEntries: 0, kept: 0 });
    for (const t of booked) expect((await ticket(t.ticketId)).state).toBe('inside');
    expect(await floor.rt.host.read('booking', 'bk_o4')).toMatchObject({ ok: true, data: { state: 'checked_in' } });
  });

  it('refuses malformed and oversized uploads with a code and records nothing', async () => {
    const [t] = await floor.confirmedBooking('bk_o5');
    const gateB = await device('gate-b5', 'gate', { zone: 'pool', gateId: 'gate_b' });
    const before = await ticket(t!.ticketId);
    const scan: OfflineScan = { token: t!.token, nonce: 'bad-upload-0001', direction: 'entry', at: Date.now(), verdictShown: 'admitted' };
    const send = (payload: unknown) => gateB.emitWithAck('gate:sync', payload as never);
    expect(await send({ scans: [] })).toMatchObject({ ok: false, code: 'event.invalid' });
    expect(await send({ scans: [{ ...scan, nonce: 'short' }] })).toMatchObject({ ok: false, code: 'event.invalid' });
    expect(await send({ scans: [{ ...scan, verdictShown: 'waved-through' }] })).toMatchObject({ ok: false, code: 'event.invalid' });
    expect(await send({ scans: [{ ...scan, gateId: 'gate_z' }] })).toMatchObject({ ok: false, code: 'event.invalid' });
    expect(await send({ scans: [scan], extra: true })).toMatchObject({ ok: false, code: 'event.invalid' });
    expect(await send({ scans: Array.from({ length: 501 }, (_, i) => ({ ...scan, nonce: `bad-upload-${String(i).padStart(4, '0')}` })) })).toMatchObject({ ok: false, code: 'message.too_large' });
    expect(await gateB.emitWithAck('gate:offline_bundle', { zone: 'slides' } as never)).toMatchObject({ ok: false, code: 'event.invalid' });
    expect(await ticket(t!.ticketId)).toEqual(before);
  });

  it('the gate simulator admits offline from its saved bundle, then uploads with --sync', async () => {
    const [t] = await floor.confirmedBooking('bk_o7');
    const token = (await tokens.issueDeviceToken({ deviceId: 'gate-sim', deviceKind: 'gate', scope: { zone: 'pool', gateId: 'gate_sim' } })).token;
    const url = `http://127.0.0.1:${listening.port}`;
    const state = join(floor.dir, 'gate-sim.json');
    const lines: string[] = [];
    const print = (line: string) => lines.push(line);
    expect(await runGateSimulator(['--offline', '--state', state, '--url', url, '--token', token, '--direction', 'entry', t!.token], print)).toBe(0);
    // The next run judges from the saved state, even with the hub unreachable.
    expect(await runGateSimulator(['--offline', '--state', state, '--url', 'http://127.0.0.1:1', '--token', token, '--direction', 'entry', t!.token], print)).toBe(0);
    expect(lines.map((line) => JSON.parse(line) as unknown)).toEqual([
      expect.objectContaining({ verdict: 'admitted', ticketId: t!.ticketId }),
      { verdict: 'already_used', ticketId: t!.ticketId },
    ]);
    expect((await ticket(t!.ticketId)).state).toBe('valid');
    lines.length = 0;
    expect(await runGateSimulator(['--sync', '--state', state, '--url', url, '--token', token], print)).toBe(0);
    expect(JSON.parse(lines[0] ?? '{}')).toMatchObject({ recorded: 1, doubleEntries: 0, kept: 0 });
    expect(await ticket(t!.ticketId)).toMatchObject({ state: 'inside', context: { lastEntry: { gateId: 'gate_sim' } } });
    const quiet = () => undefined;
    expect(await runGateSimulator(['--sync', '--state', join(floor.dir, 'none.json'), '--url', url, '--token', token], quiet, quiet)).toBe(2);
    expect(await runGateSimulator(['--offline', '--sync', '--url', url, '--token', token, t!.token], quiet, quiet)).toBe(2);
  });

  it('only gate devices bound to a gate fetch bundles and upload; others are refused and audited', async () => {
    const [t] = await floor.confirmedBooking('bk_o6');
    const scan: OfflineScan = { token: t!.token, nonce: 'not-a-gate-0001', direction: 'entry', at: Date.now(), verdictShown: 'admitted' };
    const callers = [
      await person('visitor'),
      await person('super_admin'),
      await device('locker-1', 'locker', { zone: 'pool', gateId: 'gate_a' }),
      await device('gate-unbound', 'gate', { zone: 'pool' }),
    ];
    for (const socket of callers) {
      expect(await socket.emitWithAck('gate:offline_bundle', {})).toMatchObject({ ok: false, code: 'auth.forbidden' });
      expect(await socket.emitWithAck('gate:sync', { scans: [scan] })).toMatchObject({ ok: false, code: 'auth.forbidden' });
    }
    expect((await ticket(t!.ticketId)).state).toBe('valid');
    const rows = await floor.store.audit.list({ limit: 100 });
    const denied = rows.filter((row) => row.outcome === 'denied' && row.action.startsWith('gate.'));
    expect(denied.filter((row) => row.action === 'gate.offline_bundle')).toHaveLength(4);
    expect(denied.filter((row) => row.action === 'gate.sync')).toHaveLength(4);
    expect(denied.map((row) => row.who)).toContain('device:locker-1');
    // Downloads by gates leave an allowed row (the bundle names today's ticket holders).
    expect(rows.some((row) => row.outcome === 'allowed' && row.action === 'gate.offline_bundle' && row.target === 'gate/gate_b')).toBe(true);
  });
});

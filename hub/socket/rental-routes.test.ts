/**
 * Rental desk routes over real sockets: a socket.io server on port 0 with the real handshake and
 * inbound pipeline serving the rental routes, on a real runtime (temp SQLite) with the equipment
 * and wristband services; real socket.io-client sockets with real device and access tokens.
 */
import { io as connect } from 'socket.io-client';
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLIENT_EVENTS } from '../../machines/contract/wire.js';
import type { ClientEventName, ClientToServerEvents, EquipmentAvailability, ServerToClientEvents } from '../../machines/contract/wire.js';
import { refuse } from '../../machines/errors.js';
import type { RentalFloor } from '../../workers/equipment/equipment.test-support.js';
import { startRentalFloor } from '../../workers/equipment/equipment.test-support.js';
import { silentLogger } from '../../workers/logger.js';
import { createHandshake } from '../auth/handshake.js';
import { loadOrCreateKeyRing } from '../auth/keys.js';
import { createTokenService } from '../auth/tokens.js';
import type { DeviceKind, PersonRole, TokenService } from '../auth/tokens.js';
import { listenHub } from '../listen.js';
import type { ListeningHub } from '../listen.js';
import { createHubMetrics } from '../metrics.js';
import { createAuditTrail } from '../policy/audit-trail.js';
import { attachInbound } from './inbound.js';
import type { Route, RouteTable } from './inbound.js';
import { createInflightTracker } from './inflight.js';
import { publishEquipmentLevels, rentalRoutes } from './rental-routes.js';

type Client = Socket<ServerToClientEvents, ClientToServerEvents>;

const TUBE = 'tube-rental';
const notHere: Route = () => Promise.resolve(refuse('route.not_found', 'not served by this test node'));

describe('rental routes', () => {
  let floor: RentalFloor;
  let listening: ListeningHub;
  let tokens: TokenService;
  const clients: Client[] = [];

  async function open(token: string): Promise<Client> {
    const socket: Client = connect(`http://127.0.0.1:${listening.port}`, { transports: ['websocket'], reconnection: false, forceNew: true, auth: { token } });
    clients.push(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('connect_error', reject);
    });
    return socket;
  }
  const desk = async (deviceKind: DeviceKind = 'rental_desk') => open((await tokens.issueDeviceToken({ deviceId: `${deviceKind}-1`, deviceKind, scope: {} })).token);
  const person = async (role: PersonRole) => open((await tokens.issueAccessToken({ sub: `${role}-1`, role })).token);

  beforeAll(async () => {
    floor = await startRentalFloor();
    await floor.equipment.defineItems(TUBE, [{ itemId: 'TUBE-001' }, { itemId: 'TUBE-002' }]);
    tokens = createTokenService({ keyRing: await loadOrCreateKeyRing({ dataDir: floor.dir }), issuer: 'venue-hub', accessTtlSeconds: 900 });
    const trail = createAuditTrail({ audit: floor.rt.store.audit, clock: Date.now, log: silentLogger });
    const others = Object.fromEntries(Object.keys(CLIENT_EVENTS).map((name) => [name, notHere])) as Record<ClientEventName, Route>;
    const routes: RouteTable = { ...others, ...rentalRoutes({ equipment: floor.equipment, trail }) };
    listening = await listenHub({
      engine: 'ws',
      host: '127.0.0.1',
      port: 0,
      io: {},
      http: () => Promise.resolve({ status: 404, headers: {}, body: '' }),
    });
    const metrics = createHubMetrics();
    const inflight = createInflightTracker();
    const limits = { maxEventBytes: 4_096, ratePerSecond: 500, burst: 1_000 };
    listening.io.use(createHandshake({ tokens, revocations: floor.rt.store.revocations, log: silentLogger }));
    listening.io.on('connection', (socket) => attachInbound(socket, { routes, limits, metrics, inflight, isDraining: () => false, clock: Date.now, log: silentLogger }));
    floor.equipment.subscribe(publishEquipmentLevels(listening.io));
  });
  afterAll(async () => {
    for (const socket of clients) socket.close();
    await listening.close();
    await floor.stop();
  });

  it('a rental desk hands out a tube for a band; a retry with the same nonce answers the same tube', async () => {
    const socket = await desk();
    const band = await floor.issueBand(1);
    const pickup = { band, typeId: TUBE, nonce: 'pickup-0001' };
    const first = await socket.emitWithAck('rental:pickup', pickup);
    expect(first).toMatchObject({ ok: true, data: { kind: 'equipment', id: 'TUBE-001', state: 'in_use', context: { bandUid: band, bookingId: 'bk_1' } } });
    expect(await socket.emitWithAck('rental:pickup', pickup)).toMatchObject({ ok: true, data: { id: 'TUBE-001', version: first.ok ? first.data.version : 0 } });
    expect(await socket.emitWithAck('rental:return', { itemId: 'TUBE-001', condition: 'ok' })).toMatchObject({ ok: true, data: { state: 'available' } });
  });

  it('staff may rent; visitors, finance admins and other devices are refused and audited', async () => {
    const band = await floor.issueBand(2);
    const staff = await person('support_admin');
    expect(await staff.emitWithAck('rental:pickup', { band, typeId: TUBE, itemId: 'TUBE-002', nonce: 'pickup-0002' })).toMatchObject({ ok: true, data: { id: 'TUBE-002' } });
    expect(await staff.emitWithAck('rental:return', { itemId: 'TUBE-002', condition: 'damaged', note: 'seam split' })).toMatchObject({ ok: true, data: { state: 'maintenance' } });
    for (const socket of [await person('visitor'), await person('finance_admin'), await desk('gate')]) {
      expect(await socket.emitWithAck('rental:pickup', { band, typeId: TUBE, nonce: 'pickup-0003' })).toMatchObject({ ok: false, code: 'auth.forbidden' });
      expect(await socket.emitWithAck('rental:return', { itemId: 'TUBE-002', condition: 'ok' })).toMatchObject({ ok: false, code: 'auth.forbidden' });
    }
    const denied = await floor.rt.store.audit.list({ limit: 20 });
    expect(denied.filter((row) => row.outcome === 'denied' && row.action.startsWith('equipment.')).length).toBe(6);
  });

  it('refuses malformed payloads and coded service refusals without changing anything', async () => {
    const socket = await desk();
    const band = await floor.issueBand(3);
    expect(await socket.emitWithAck('rental:pickup', { band, typeId: TUBE, nonce: 'short' })).toMatchObject({ ok: false, code: 'event.invalid' });
    expect(await socket.emitWithAck('rental:return', { itemId: 'TUBE-001', condition: 'lost' } as never)).toMatchObject({ ok: false, code: 'event.invalid' });
    expect(await socket.emitWithAck('rental:pickup', { band: 'UID-none', typeId: TUBE, nonce: 'pickup-0004' })).toMatchObject({ ok: false, code: 'band.unknown' });
    expect(await socket.emitWithAck('rental:pickup', { band, typeId: 'kayak', nonce: 'pickup-0005' })).toMatchObject({ ok: false, code: 'equipment.unknown' });
    expect(await socket.emitWithAck('rental:pickup', { band, typeId: TUBE, itemId: 'TUBE-002', nonce: 'pickup-0006' })).toMatchObject({ ok: false, code: 'equipment.unavailable' });
    expect(await floor.equipment.availability(TUBE)).toMatchObject({ ok: true, data: { available: 1, inUse: 0, maintenance: 1, remaining: 1 } });
  });

  it('equipment:subscribe answers the counts, then pushes every change of the watched type', async () => {
    const watcher = await person('visitor');
    const socket = await desk();
    const answer = await watcher.emitWithAck('equipment:subscribe', { typeIds: [TUBE, 'kayak'] });
    expect(answer).toMatchObject({ ok: true, data: { levels: [{ typeId: TUBE, total: 2, available: 1, maintenance: 1 }] } });
    const pushed = new Promise<EquipmentAvailability>((resolve) => watcher.on('equipment:availability', (level) => level.inUse === 1 && resolve(level)));
    expect(await socket.emitWithAck('rental:pickup', { band: await floor.issueBand(4), typeId: TUBE, nonce: 'pickup-0007' })).toMatchObject({ ok: true });
    expect(await pushed).toMatchObject({ typeId: TUBE, available: 0, inUse: 1, maintenance: 1, remaining: 0 });
    expect(await watcher.emitWithAck('equipment:unsubscribe', { typeIds: [TUBE] })).toEqual({ ok: true, data: { unsubscribed: true } });
    expect(await watcher.emitWithAck('equipment:subscribe', { typeIds: [] })).toMatchObject({ ok: false, code: 'event.invalid' });
  });
});

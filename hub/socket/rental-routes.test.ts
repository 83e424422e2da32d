/**
 * Rental desk routes over real sockets: a socket.io server on port 0 with the real handshake and
 * inbound pipeline serving the rental routes, on a real runtime (temp SQLite) with the equipment
 * and wristband services; real socket.io-client sockets with real device and access tokens.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EquipmentAvailability } from '../../machines/contract/wire.js';
import type { RentalFloor } from '../../workers/equipment/equipment.test-support.js';
import { startRentalFloor } from '../../workers/equipment/equipment.test-support.js';
import { equipmentRoom } from '../../workers/fanout/change-rooms.js';
import { toRooms } from '../../workers/fanout/outbound.js';
import type { DeviceKind, PersonRole } from '../auth/tokens.js';
import { rentalRoutes } from './rental-routes.js';
import { createSocketPublisher } from './socket-publisher.js';
import type { RouteNode } from './route-node.test-support.js';
import { startRouteNode } from './route-node.test-support.js';

const TUBE = 'tube-rental';

describe('rental routes', () => {
  let floor: RentalFloor;
  let node: RouteNode;

  const desk = (deviceKind: DeviceKind = 'rental_desk') => node.device(`${deviceKind}-1`, deviceKind, {});
  const person = (role: PersonRole) => node.person(role);

  beforeAll(async () => {
    floor = await startRentalFloor();
    await floor.equipment.defineItems(TUBE, [{ itemId: 'TUBE-001' }, { itemId: 'TUBE-002' }]);
    node = await startRouteNode({ dataDir: floor.dir, store: floor.store, routes: (trail) => rentalRoutes({ equipment: floor.equipment, trail }) });
    const publisher = createSocketPublisher({ io: node.listening.io, metrics: { messageOut: () => {} } });
    floor.equipment.subscribe((level) => publisher.publish(toRooms(equipmentRoom(level.typeId), 'equipment:availability', level)));
  });
  afterAll(async () => {
    await node.close();
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
    const denied = await floor.store.audit.list({ limit: 20 });
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

/**
 * The SDK covers the contract: every socket event, push and HTTP route of machines/contract has a
 * method (a new one without a method fails here, and does not compile), and the floor's methods
 * work against a real hub: device tokens minted over HTTP, a band linked and scanned in at a
 * gate, occupancy watched, a locker claimed and opened (its bank hears the unlock), a rental
 * picked up and returned while its counts are watched, a locker freed over HTTP.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HTTP_ROUTES } from '../machines/contract/http-api.js';
import { SERVER_PUSHES, SOCKET_EVENTS } from '../machines/contract/socket-api.js';
import type { EquipmentAvailability, LockerUnlock, OccupancyLevel } from '../machines/contract/wire.js';
import type { TicketInput } from '../machines/ticket.schemas.js';
import { connectHub, createHubApi, HTTP_ROUTE_METHODS, SERVER_PUSH_METHODS, SOCKET_EVENT_METHODS, unwrap } from '../clients/sdk/index.js';
import type { HubApi, HubClient } from '../clients/sdk/index.js';
import type { ApiHub } from './api/api.test-support.js';
import { startApiHub } from './api/api.test-support.js';
import { TEST_SLOT, TEST_TICKETS } from './hub.test-support.js';

const META = { who: 'test', eventId: null };
const ZONE = 'sdk-zone';
const TOWEL = 'sdk-towel';

/** Polls until `done` holds (effects and pushes arrive asynchronously). */
async function until(what: string, done: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`${what}: not reached after ${String(timeoutMs)} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('the SDK has a method for every event, push and route of the contract', () => {
  const client = connectHub({ url: 'http://127.0.0.1:1', token: 'none', connectTimeoutMs: 50 });
  client.ready.catch(() => undefined);
  const api = createHubApi({ url: 'http://127.0.0.1:1' });
  afterAll(() => client.close());

  it('socket events', () => {
    expect(Object.keys(SOCKET_EVENT_METHODS).sort()).toEqual(Object.keys(SOCKET_EVENTS).sort());
    for (const [event, method] of Object.entries(SOCKET_EVENT_METHODS)) expect(typeof client[method], `${event} → ${method}`).toBe('function');
  });

  it('server pushes', () => {
    expect(Object.keys(SERVER_PUSH_METHODS).sort()).toEqual(Object.keys(SERVER_PUSHES).sort());
    for (const [push, method] of Object.entries(SERVER_PUSH_METHODS)) expect(client[method], `${push} → ${method}`).toBeDefined();
  });

  it('HTTP routes', () => {
    expect(Object.keys(HTTP_ROUTE_METHODS).sort()).toEqual(Object.keys(HTTP_ROUTES).sort());
    for (const [route, method] of Object.entries(HTTP_ROUTE_METHODS)) expect(typeof api[method], `${route} → ${method}`).toBe('function');
    // The pages a browser opens are addressed, with their params filled in.
    expect(api.url('bookings.page', { params: { id: 'bk 1' } })).toBe('http://127.0.0.1:1/bookings/bk%201');
    expect(api.url('notifications.mailbox', { query: { to: 'a@b.c' } })).toBe('http://127.0.0.1:1/mailbox?to=a%40b.c');
  });
});

describe('the SDK on the venue floor of a real hub', () => {
  let t: ApiHub;
  let api: HubApi;
  let admin: string;
  const clients: HubClient[] = [];

  async function device(deviceId: string, deviceKind: 'gate' | 'locker' | 'rental_desk', scope: { zone?: string; gateId?: string }): Promise<HubClient> {
    const minted = unwrap(await api.mintDevice({ deviceId, deviceKind, scope }, admin));
    const client = connectHub({ url: t.url, token: minted.token, connectTimeoutMs: 5_000 });
    clients.push(client);
    await client.ready;
    return client;
  }

  /** A paid booking of one adult with its ticket in ZONE; answers the ticket and its QR payload. */
  async function paidTicket(bookingId: string): Promise<{ ticketId: string; token: string }> {
    const lines = [{ ticketTypeId: TEST_TICKETS.adult.ticketTypeId, unitPrice: TEST_TICKETS.adult.price, qty: 1 }];
    const held = await t.runtime.bookings.hold({ bookingId, visitorId: 'vis_sdk', slotId: TEST_SLOT, lines, requiresApproval: false }, 'test');
    if (!held.ok) throw new Error(held.message);
    const submitted = await t.runtime.host.send('booking', bookingId, { type: 'booking.submit' }, META);
    if (!submitted.ok) throw new Error(submitted.message);
    const total = (submitted.data.context as { total: number }).total;
    const paid = await t.runtime.host.send('booking', bookingId, { type: 'payment.captured', paymentId: `pay-${bookingId}`, amount: total }, META);
    if (!paid.ok) throw new Error(paid.message);
    const now = Date.now();
    const input: TicketInput = { ticketId: `${bookingId}-t1`, bookingId, visitorId: 'vis_sdk', ticketTypeId: TEST_TICKETS.adult.ticketTypeId, slotId: 'slot_sdk', seq: 1, validFrom: now - 60_000, validUntil: now + 3_600_000, issuedAt: now, zone: ZONE };
    const created = await t.runtime.host.create('ticket', input.ticketId, input, META);
    if (!created.ok) throw new Error(created.message);
    return { ticketId: input.ticketId, token: await t.ticketTokens.sign(input) };
  }

  beforeAll(async () => {
    // The lockers module publishes each unlock to its zone's banks, as on every node.
    t = await startApiHub();
    api = createHubApi({ url: t.url });
    admin = await t.person('sdk-root', 'super_admin');
  });
  afterAll(async () => {
    for (const client of clients) client.close();
    await t?.stop();
  });

  it('links, scans, watches occupancy and equipment, claims and opens a locker, rents and returns', async () => {
    expect(unwrap(await api.defineLockers({ zone: ZONE, size: 'small', ids: ['SDK-S1'] }, admin))).toMatchObject({ lockers: 1 });
    expect(unwrap(await api.defineEquipment({ typeId: TOWEL, items: [{ itemId: 'SDK-TOWEL-1' }] }, admin))).toMatchObject({ items: 1 });
    const gate = await device('sdk-gate', 'gate', { zone: ZONE, gateId: 'gate_sdk' });
    const bank = await device('sdk-lockers', 'locker', { zone: ZONE });
    const desk = await device('sdk-desk', 'rental_desk', {});
    const staff = connectHub({ url: t.url, token: await t.person('sdk-staff', 'support_admin') });
    clients.push(staff);
    await staff.ready;

    const levels: OccupancyLevel[] = [];
    const occupancy = staff.watchOccupancy({ zones: [ZONE], slotIds: ['slot_sdk'] }, (level) => levels.push(level));
    expect(await occupancy.ready).toMatchObject({ ok: true });
    const counts: EquipmentAvailability[] = [];
    const equipment = staff.watchEquipment([TOWEL], (level) => counts.push(level));
    expect(await equipment.ready).toMatchObject({ ok: true, data: { levels: [{ typeId: TOWEL, total: 1, available: 1 }] } });

    const ticket = await paidTicket('bk_sdk1');
    expect(await gate.linkBand({ band: '04:5D:00:01', token: ticket.token })).toMatchObject({ ok: true, data: { kind: 'wristband', state: 'active' } });
    expect(await gate.scan({ band: '04:5D:00:01', nonce: 'sdk-scan-0001', direction: 'entry', at: Date.now() })).toMatchObject({ ok: true, data: { verdict: 'admitted', ticketId: ticket.ticketId } });
    await until('zone and slot occupancy of 1', () => levels.some((l) => l.scope === 'zone' && l.inside === 1) && levels.some((l) => l.scope === 'slot' && l.inside === 1));

    const unlocks: LockerUnlock[] = [];
    const stopUnlocks = bank.on('locker:unlock', (u) => unlocks.push(u));
    const claimed = await bank.claimLocker({ band: '04:5D:00:01', size: 'small', nonce: 'sdk-claim-0001' });
    expect(claimed).toMatchObject({ ok: true, data: { kind: 'locker', id: 'SDK-S1', state: 'assigned' } });
    expect(await bank.openLocker({ lockerId: 'SDK-S1', band: '04:5D:00:01' })).toEqual({ ok: true, data: { lockerId: 'SDK-S1', bandUid: '04:5D:00:01', at: expect.any(Number) } });
    await until('the bank hears the unlock', () => unlocks.length === 1);
    stopUnlocks();

    expect(await desk.pickUpRental({ band: '04:5D:00:01', typeId: TOWEL, itemId: 'SDK-TOWEL-1', nonce: 'sdk-rent-0001' })).toMatchObject({ ok: true, data: { state: 'in_use' } });
    await until('the towel counted in use', () => counts.some((c) => c.inUse === 1));
    expect(await desk.returnRental({ itemId: 'SDK-TOWEL-1', condition: 'ok' })).toMatchObject({ ok: true, data: { state: 'available' } });
    await until('the towel counted back', () => counts.at(-1)?.available === 1);

    // The generic typed request reaches the same events: the exit, through the contract's name.
    expect(await gate.call('gate:scan', { band: '04:5D:00:01', nonce: 'sdk-scan-0002', direction: 'exit', at: Date.now() })).toMatchObject({ ok: true, data: { verdict: 'exited' } });
    await until('zone occupancy back to 0', () => levels.at(-1)?.inside === 0);

    // HTTP: the typed generic caller on a front desk route frees the claimed locker.
    expect(await t.runtime.host.read('locker', 'SDK-S1')).toMatchObject({ ok: true, data: { state: 'assigned', context: { bandUid: '04:5D:00:01' } } });
    expect(await api.call('lockers.release', { params: { id: 'SDK-S1' }, token: admin })).toMatchObject({ ok: true, data: { id: 'SDK-S1', state: 'free' } });
    expect(await api.lockerOutOfService('SDK-S1', 'not-a-token')).toMatchObject({ ok: false, code: 'auth.invalid' });
    expect(unwrap(await api.health())).toEqual({ ok: true });
    expect(unwrap(await api.metrics())).toContain('vh_');
    occupancy.unsubscribe();
    equipment.unsubscribe();
  });
});

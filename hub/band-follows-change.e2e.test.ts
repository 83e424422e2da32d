/**
 * A wristband follows its ticket when a booking admin changes the paid booking, end to end against a
 * real hub process (its SQLite store, the simulated payment provider over real HTTP, a real gate
 * device socket):
 *
 *   a visitor pays for two places; the gate links a band to the second ticket; a booking admin
 *   makes the party three (waived): the tickets are reissued, the old QR codes are refused
 *   (ticket.revoked), and the band, now on the second new ticket, still admits with the new party
 *   size; shrinking another party to one leaves its second place's band without a ticket: it is
 *   deactivated (replaced) and refused at the gate.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buyTickets, issueDevice, openActivityNow, pollUntil } from '../clients/devices/visitor-flow.js';
import type { OpenActivity } from '../clients/devices/visitor-flow.js';
import { connectHub, unwrap } from '../clients/sdk/index.js';
import type { HubClient } from '../clients/sdk/index.js';
import type { ScanVerdict } from '../machines/contract/wire.js';
import type { Result } from '../machines/errors.js';
import { signUpVisitor } from '../load-tests/harness/index.js';
import type { JourneyHub } from './journey.test-support.js';
import { startJourneyHub } from './journey.test-support.js';
import type { DeviceSocket } from './staff-pages.test-support.js';
import { connectDevice } from './staff-pages.test-support.js';

const SCENARIO_MS = 120_000;

describe('a wristband follows its reissued ticket', () => {
  let env: JourneyHub;
  let gate: DeviceSocket;
  let admin: HubClient;
  let activity: OpenActivity;
  let visitorToken: string;
  const run = randomUUID().slice(0, 6);
  let n = 0;

  beforeAll(async () => {
    env = await startJourneyHub();
    activity = await openActivityNow({ url: env.url, adminToken: env.adminToken, activityId: `band-${run}`, zone: `band-${run}`, capacity: 20 });
    const device = await issueDevice(env.url, env.adminToken, { deviceId: `gate-band-${run}`, deviceKind: 'gate', scope: { zone: activity.zone, gateId: `gate-band-${run}` } });
    gate = await connectDevice(env.url, device.token);
    admin = connectHub({ url: env.url, token: env.adminToken });
    await admin.ready;
    visitorToken = (await signUpVisitor(env.api, env.inbox, `band-${run}@example.com`, 'Badr Band')).accessToken;
  }, 120_000);
  afterAll(async () => {
    gate?.close();
    admin?.close();
    await env?.stop();
  });

  const scan = (what: { band: string } | { token: string }): Promise<Result<ScanVerdict>> =>
    gate.emitWithAck('gate:scan', { ...what, nonce: `band-${run}-${++n}`, direction: 'entry', at: Date.now() });

  /** The band's actor as an admin watching it sees it, once `match` holds. */
  async function bandWhen(uid: string, match: (state: string, ticketId: unknown) => boolean): Promise<void> {
    let seen = false;
    const watch = admin.subscribeActor({ kind: 'wristband', id: uid }, (band) => {
      seen ||= match(band.state, (band.context as { ticketId?: unknown }).ticketId);
    });
    try {
      const first = await watch.ready;
      if (!first.ok) throw new Error(`watching band ${uid}: ${first.code}`);
      seen ||= match(first.data.state, (first.data.context as { ticketId?: unknown }).ticketId);
      await pollUntil(`band ${uid} to follow`, () => seen, 30_000);
    } finally {
      watch.unsubscribe();
    }
  }

  /** Pays for `qty` places and links `uid` to the second ticket at the gate. */
  async function paidWithBand(bookingId: string, qty: number, uid: string) {
    const tickets = await buyTickets({ url: env.url, visitorToken, bookingId, slotId: activity.slotId, ticketTypeId: activity.ticketTypeId, qty });
    const linked = await gate.emitWithAck('band:link', { band: uid, token: tickets[1]?.token ?? '' });
    expect(linked).toMatchObject({ ok: true, data: { state: 'active', context: { ticketId: `${bookingId}-t2` } } });
    return tickets;
  }

  it('a bigger party: the band moves to the second new ticket and admits the party of three; the old QR codes are refused', async () => {
    const bookingId = `bk-band-${run}`;
    const uid = `04:BA:${run.slice(0, 2)}:01`;
    const old = await paidWithBand(bookingId, 2, uid);

    const changed = await env.api.changeBooking(bookingId, { slotId: activity.slotId, items: [{ ticketTypeId: activity.ticketTypeId, qty: 3 }], changeId: `change-${run}-0001`, priceIncrease: 'waive' }, env.adminToken);
    expect(changed).toMatchObject({ ok: true, data: { state: 'confirmed', context: { quantity: 3, ticketBase: 2 } } });
    await bandWhen(uid, (state, ticketId) => state === 'active' && ticketId === `${bookingId}-t4`);

    for (const ticket of old) expect(await scan({ token: ticket.token })).toMatchObject({ ok: true, data: { verdict: 'refused', code: 'ticket.revoked' } });
    expect(await scan({ band: uid })).toMatchObject({ ok: true, data: { verdict: 'admitted', ticketId: `${bookingId}-t4`, bookingId, partySize: 3 } });
    const current = unwrap(await env.api.tickets(bookingId, visitorToken));
    expect(current.map((t) => t.ticketId)).toEqual([`${bookingId}-t3`, `${bookingId}-t4`, `${bookingId}-t5`]);
  }, SCENARIO_MS);

  it('a smaller party: the band of a place the party no longer has is deactivated and refused', async () => {
    const bookingId = `bk-band2-${run}`;
    const uid = `04:BA:${run.slice(0, 2)}:02`;
    await paidWithBand(bookingId, 2, uid);

    const changed = await env.api.changeBooking(bookingId, { slotId: activity.slotId, items: [{ ticketTypeId: activity.ticketTypeId, qty: 1 }], changeId: `change-${run}-0002` }, env.adminToken);
    expect(changed).toMatchObject({ ok: true, data: { context: { quantity: 1 } } });
    await bandWhen(uid, (state) => state === 'deactivated');
    expect(await scan({ band: uid })).toMatchObject({ ok: true, data: { verdict: 'refused', code: 'band.inactive' } });
    // The party's one place is the first new ticket.
    const [left] = unwrap(await env.api.tickets(bookingId, visitorToken)).filter((t) => t.state === 'valid');
    expect(left?.ticketId).toBe(`${bookingId}-t3`);
  }, SCENARIO_MS);
});

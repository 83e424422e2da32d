/**
 * The devices read model through a real hub: a minted token creates the device's record, its
 * socket being accepted records when it was last seen, another token counts, a revocation (by
 * `admin:revoke`) marks it revoked; only super admins list devices. And a zone feed's snapshot
 * says how many are inside the zone and its slots, equal to the occupancy counters.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectHub, createHubApi, unwrap } from '../clients/sdk/index.js';
import type { HubApi, HubClient } from '../clients/sdk/index.js';
import type { ActorState, FeedSnapshot } from '../machines/contract/wire.js';
import type { TicketInput } from '../machines/ticket.schemas.js';
import type { ApiHub } from './api/api.test-support.js';
import { startApiHub } from './api/api.test-support.js';
import { TEST_SLOT, TEST_TICKETS } from './hub.test-support.js';

const META = { who: 'test', eventId: null };

async function until<T>(what: string, read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`${what}: still ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('the devices list and zone occupancy', () => {
  let t: ApiHub;
  let api: HubApi;
  let root: string;
  let admin: HubClient;
  const clients: HubClient[] = [];

  const connect = async (token: string): Promise<HubClient> => {
    const client = connectHub({ url: t.url, token, connectTimeoutMs: 5_000 });
    clients.push(client);
    await client.ready;
    return client;
  };
  const device = async (deviceId: string): Promise<ActorState | undefined> => {
    const page = unwrap(await admin.listPage({ list: 'devices', limit: 100 }));
    return page.rows.find((row) => row.id === deviceId);
  };

  beforeAll(async () => {
    t = await startApiHub();
    api = createHubApi({ url: t.url });
    root = await t.person('dev-list-root', 'super_admin');
    admin = await connect(root);
  });
  afterAll(async () => {
    for (const client of clients) client.close();
    await t?.stop();
  });

  it('records minted tokens, the last connection and the revocation', async () => {
    const minted = unwrap(await api.mintDevice({ deviceId: 'gate-list-1', deviceKind: 'gate', scope: { zone: 'pool', gateId: 'gate_l1' } }, root));
    expect(await device('gate-list-1')).toMatchObject({
      kind: 'device',
      state: 'active',
      tags: ['trusted'],
      context: { deviceKind: 'gate', scope: { zone: 'pool', gateId: 'gate_l1' }, issuedBy: 'user:dev-list-root', tokensIssued: 1, expiresAt: minted.expiresAt },
    });
    expect((await device('gate-list-1'))?.context).not.toHaveProperty('lastSeenAt');

    await connect(minted.token);
    const seen = await until('last seen', () => device('gate-list-1'), (row) => typeof (row?.context as { lastSeenAt?: number } | undefined)?.lastSeenAt === 'number');
    expect(seen?.state).toBe('active');

    unwrap(await api.mintDevice({ deviceId: 'gate-list-1', deviceKind: 'gate', scope: { zone: 'slides', gateId: 'gate_l1' } }, root));
    expect(await device('gate-list-1')).toMatchObject({ state: 'active', context: { tokensIssued: 2, scope: { zone: 'slides' } } });
    // Filters on the list's fields: kind, zone, state.
    const inSlides = unwrap(await admin.listPage({ list: 'devices', filters: { zone: 'slides', deviceKind: 'gate', state: 'active' } }));
    expect(inSlides.rows.map((row) => row.id)).toEqual(['gate-list-1']);

    expect(await admin.revoke({ subject: 'device:gate-list-1', reason: 'stolen from the north gate' })).toMatchObject({ ok: true });
    expect(await device('gate-list-1')).toMatchObject({ state: 'revoked', tags: [], context: { revokedBy: 'user:dev-list-root', reason: 'stolen from the north gate', tokensIssued: 2 } });
    expect(unwrap(await admin.listPage({ list: 'devices', filters: { state: 'revoked' } })).rows.map((row) => row.id)).toEqual(['gate-list-1']);
  });

  it('lists devices for super admins only', async () => {
    const support = await connect(await t.person('dev-list-support', 'support_admin'));
    expect(await support.listPage({ list: 'devices' })).toMatchObject({ ok: false, code: 'auth.forbidden' });
    expect(await admin.listPage({ list: 'devices', filters: { gateId: 'x' } })).toMatchObject({ ok: false, code: 'event.invalid' });
  });

  it("a zone feed's snapshot counts who is inside the zone and each slot, as the occupancy counters do", async () => {
    const lines = [{ ticketTypeId: TEST_TICKETS.adult.ticketTypeId, unitPrice: TEST_TICKETS.adult.price, qty: 3 }];
    const held = await t.runtime.bookings.hold({ bookingId: 'bk_zone1', visitorId: 'vis_zone', slotId: TEST_SLOT, lines, requiresApproval: false }, 'test');
    if (!held.ok) throw new Error(held.message);
    const submitted = await t.runtime.host.send('booking', 'bk_zone1', { type: 'booking.submit' }, META);
    if (!submitted.ok) throw new Error(submitted.message);
    const total = (submitted.data.context as { total: number }).total;
    expect(await t.runtime.host.send('booking', 'bk_zone1', { type: 'payment.captured', paymentId: 'pay-bk_zone1', amount: total }, META)).toMatchObject({ ok: true });
    const gate = await connect(unwrap(await api.mintDevice({ deviceId: 'gate-zone-1', deviceKind: 'gate', scope: { zone: 'lagoon', gateId: 'gate_z1' } }, root)).token);
    const now = Date.now();
    for (const [seq, slotId] of [[1, 'slot_a'], [2, 'slot_a'], [3, 'slot_b']] as const) {
      const input: TicketInput = { ticketId: `bk_zone1-t${seq}`, bookingId: 'bk_zone1', visitorId: 'vis_zone', ticketTypeId: TEST_TICKETS.adult.ticketTypeId, slotId, seq, validFrom: now - 60_000, validUntil: now + 3_600_000, issuedAt: now, zone: 'lagoon' };
      expect(await t.runtime.host.create('ticket', input.ticketId, input, META)).toMatchObject({ ok: true });
      expect(await gate.scan({ token: await t.ticketTokens.sign(input), nonce: `zone-scan-${seq}`, direction: 'entry', at: Date.now() })).toMatchObject({ ok: true, data: { verdict: 'admitted' } });
    }
    const snapshots: FeedSnapshot[] = [];
    const feed = admin.subscribeFeed({ feed: 'zone', zone: 'lagoon' }, () => undefined, (snapshot) => snapshots.push(snapshot));
    expect(await feed.ready).toMatchObject({ ok: true });
    expect(snapshots[0]?.rows).toHaveLength(3);
    expect(snapshots[0]?.occupancy).toEqual({ zone: 'lagoon', inside: 3, slots: { slot_a: 2, slot_b: 1 } });
    expect(await t.runtime.visits.inside('zone', 'lagoon')).toBe(3);
    expect([await t.runtime.visits.inside('slot', 'slot_a'), await t.runtime.visits.inside('slot', 'slot_b')]).toEqual([2, 1]);
    await feed.unsubscribe();
  });
});

/**
 * The front desks' feeds through a real hub: who may follow `lockers` and `rentals` (front-desk
 * staff, locker devices their own zone's lockers, rental desks the rentals), what they are
 * answered first, and the change pushed to a subscriber's socket with its cursor; a locker device
 * in a zone of more lockers than one snapshot holds pages through the rest (its zone's only).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectHub, followFeedRows } from '../clients/sdk/index.js';
import type { HubClient } from '../clients/sdk/index.js';
import type { ActorState, FeedSubscribed } from '../machines/contract/wire.js';
import type { ClientSocket, TestHub } from './hub.test-support.js';
import { nextEvent, startTestHub } from './hub.test-support.js';

function subscribed(answer: { ok: boolean; data?: FeedSubscribed }): FeedSubscribed {
  if (!answer.ok || !answer.data) throw new Error(`subscribe refused: ${JSON.stringify(answer)}`);
  return answer.data;
}

describe('the lockers and rentals feeds on a hub', () => {
  let t: TestHub;
  const sockets: ClientSocket[] = [];
  const connect = async (token: string) => {
    const socket = await t.connect(token);
    sockets.push(socket);
    return socket;
  };

  beforeAll(async () => {
    t = await startTestHub();
    expect(await t.runtime.lockers.defineLockers('waterpark', 'large', ['L-01', 'L-02'])).toMatchObject({ ok: true });
    expect(await t.runtime.lockers.defineLockers('kids', 'small', ['K-01'])).toMatchObject({ ok: true });
    expect(await t.runtime.equipment.defineItems('tube-rental', [{ itemId: 'TUBE-001' }])).toMatchObject({ ok: true });
  });
  afterAll(async () => {
    for (const socket of sockets) socket.close();
    await t.stop();
  });

  it('front-desk staff follow every locker and the rentals; other roles are refused', async () => {
    const desk = await connect(await t.person('desk_1', 'support_admin'));
    const all = subscribed(await desk.emitWithAck('feed:subscribe', { feed: 'lockers' }));
    expect(all.snapshot?.rows.map((r) => r.id).sort()).toEqual(['K-01', 'L-01', 'L-02']);
    expect(subscribed(await desk.emitWithAck('feed:subscribe', { feed: 'lockers', zone: 'kids' })).snapshot?.rows.map((r) => r.id)).toEqual(['K-01']);
    expect(subscribed(await desk.emitWithAck('feed:subscribe', { feed: 'rentals' })).snapshot?.rows).toEqual([]);
    expect(await desk.emitWithAck('feed:subscribe', { feed: 'rentals', zone: 'kids' })).toMatchObject({ ok: false, code: 'event.invalid' });

    for (const role of ['finance_admin', 'kitchen_staff', 'visitor'] as const) {
      const other = await connect(await t.person(`other_${role}`, role));
      expect(await other.emitWithAck('feed:subscribe', { feed: 'lockers' })).toMatchObject({ ok: false, code: 'auth.forbidden' });
      expect(await other.emitWithAck('feed:subscribe', { feed: 'rentals' })).toMatchObject({ ok: false, code: 'auth.forbidden' });
    }
  });

  it("a locker device follows its own zone's lockers only; a rental desk the rentals only", async () => {
    const bank = await connect(await t.device('bank-kids', 'locker', { zone: 'kids', lockerBankId: 'kids-1' }));
    expect(subscribed(await bank.emitWithAck('feed:subscribe', { feed: 'lockers', zone: 'kids' })).snapshot?.rows.map((r) => r.id)).toEqual(['K-01']);
    expect(await bank.emitWithAck('feed:subscribe', { feed: 'lockers', zone: 'waterpark' })).toMatchObject({ ok: false, code: 'auth.forbidden' });
    expect(await bank.emitWithAck('feed:subscribe', { feed: 'lockers' })).toMatchObject({ ok: false, code: 'auth.forbidden' });
    expect(await bank.emitWithAck('feed:subscribe', { feed: 'rentals' })).toMatchObject({ ok: false, code: 'auth.forbidden' });

    const rentalDesk = await connect(await t.device('desk-1', 'rental_desk'));
    expect(subscribed(await rentalDesk.emitWithAck('feed:subscribe', { feed: 'rentals' })).snapshot?.rows).toEqual([]);
    expect(await rentalDesk.emitWithAck('feed:subscribe', { feed: 'lockers' })).toMatchObject({ ok: false, code: 'auth.forbidden' });
    const gate = await connect(await t.device('gate-1', 'gate', { zone: 'kids', gateId: 'g1' }));
    expect(await gate.emitWithAck('feed:subscribe', { feed: 'lockers', zone: 'kids' })).toMatchObject({ ok: false, code: 'auth.forbidden' });
  });

  it("pushes a locker's change to the feed's subscribers with its cursor; a resync from the snapshot's cursor has it", async () => {
    const desk = await connect(await t.person('desk_2', 'booking_admin'));
    const bank = await connect(await t.device('bank-park', 'locker', { zone: 'waterpark', lockerBankId: 'park-1' }));
    const first = subscribed(await desk.emitWithAck('feed:subscribe', { feed: 'lockers' }));
    subscribed(await bank.emitWithAck('feed:subscribe', { feed: 'lockers', zone: 'waterpark' }));
    const toDesk = nextEvent(desk, 'feed:changed');
    const toBank = nextEvent(bank, 'feed:changed');
    expect(await t.runtime.lockers.outOfService('L-02', 'user:desk_2')).toMatchObject({ ok: true });
    const pushed = await toDesk;
    expect(pushed).toMatchObject({ feed: 'lockers', member: true, change: { kind: 'locker', id: 'L-02', state: 'out_of_service' } });
    expect(pushed.zone).toBeUndefined();
    expect(pushed.change.cursor).toBeGreaterThan(first.cursor);
    expect(await toBank).toMatchObject({ feed: 'lockers', zone: 'waterpark', member: true, change: { id: 'L-02', cursor: pushed.change.cursor } });
    const since = subscribed(await desk.emitWithAck('feed:subscribe', { feed: 'lockers', cursor: first.cursor }));
    expect(since.changes?.map((c) => [c.change.id, c.change.state, c.change.cursor])).toEqual([['L-02', 'out_of_service', pushed.change.cursor]]);
  });

  it("a locker device in a zone of more lockers than a snapshot holds pages through all of them, its own zone's only, then follows changes", async () => {
    const ids = Array.from({ length: 1_234 }, (_, i) => `BIG-${String(i + 1).padStart(4, '0')}`);
    expect(await t.runtime.lockers.defineLockers('big', 'medium', ids)).toMatchObject({ ok: true, data: { lockers: 1_234 } });
    const token = await t.device('bank-big', 'locker', { zone: 'big', lockerBankId: 'big-1' });
    const clients: HubClient[] = [];
    try {
      const bank = connectHub({ url: t.url, token });
      clients.push(bank);
      await bank.ready;
      // A device is held to its own zone whatever filter it asks for, and lists nothing else.
      const asked = await bank.listPage({ list: 'lockers', filters: { zone: 'kids' }, limit: 500 });
      expect(asked.ok && asked.data.rows.every((row) => (row.context as { zone?: string }).zone === 'big')).toBe(true);
      expect(await bank.listPage({ list: 'equipment', limit: 10 })).toMatchObject({ ok: false, code: 'auth.forbidden' });

      let latest: ReadonlyMap<string, ActorState> = new Map();
      const complete = new Promise<void>((resolve) => {
        const feed = followFeedRows(bank, { feed: 'lockers', zone: 'big', limit: 500 }, { list: 'lockers', filters: { zone: 'big' } }, (rows) => {
          latest = rows;
          if (rows.size === ids.length) resolve();
        });
        void feed.ready.then((answer) => expect(answer).toMatchObject({ ok: true, data: { snapshot: { next: expect.any(String) } } }));
      });
      await complete;
      expect([...latest.keys()].map((key) => key.replace(/^locker\//, '')).sort()).toEqual(ids);
      expect([...latest.values()].every((row) => (row.context as { zone?: string }).zone === 'big')).toBe(true);

      // Then the stream: a change to the last locker arrives with its cursor.
      expect(await t.runtime.lockers.outOfService('BIG-1234', 'user:desk_3')).toMatchObject({ ok: true });
      await new Promise<void>((resolve, reject) => {
        const deadline = setTimeout(() => reject(new Error('the change did not reach the device')), 10_000);
        const check = setInterval(() => {
          if ([...latest.values()].some((row) => row.id === 'BIG-1234' && row.state === 'out_of_service')) {
            clearInterval(check);
            clearTimeout(deadline);
            resolve();
          }
        }, 20);
      });
    } finally {
      for (const client of clients) client.close();
    }
  });
});

/**
 * The SDK against real socket.io servers on port 0 that speak the wire contract with a tiny
 * in-memory actor table: enough to drive gaps, drops, drains and refusals on purpose. The
 * real hub (one node and many) is exercised in hub/*.test.ts.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import { afterEach, describe, expect, it } from 'vitest';
import type { ActorState, ClientToServerEvents, FeedChanged, FeedSubscribed, MenuView, ServerToClientEvents } from '../../machines/contract/wire.js';
import { followFeedRows } from './feed-rows.js';
import { connectHub } from './hub-client.js';
import type { HubClient } from './hub-client.js';

interface FakeHub {
  url: string;
  io: Server<ClientToServerEvents, ServerToClientEvents>;
  subscribes: number;
  /** Commits a change; `publish: false` loses its notice (as Redis may). */
  commit(id: string, publish?: boolean): ActorState;
  close(): Promise<void>;
}

const open: { hubs: FakeHub[]; clients: HubClient[] } = { hubs: [], clients: [] };

async function fakeHub(options: { silentCommands?: boolean; draining?: boolean } = {}): Promise<FakeHub> {
  const http = createServer();
  const io = new Server<ClientToServerEvents, ServerToClientEvents>(http, { transports: ['websocket'] });
  const actors = new Map<string, ActorState>();
  const hub: FakeHub = {
    url: '',
    io,
    subscribes: 0,
    commit(id, publish = true) {
      const before = actors.get(id);
      const next: ActorState = { kind: 'booking', id, version: (before?.version ?? 0) + 1, state: 'held', status: 'active', context: {}, tags: [] };
      actors.set(id, next);
      if (publish) io.to(`actor:booking/${id}`).emit('actor:changed', { ...next, eventType: 'test.step', at: Date.now(), cursor: 0 });
      return next;
    },
    close: () => new Promise((resolve) => void io.close(() => resolve())),
  };
  io.use((socket, next) => {
    const token: unknown = socket.handshake.auth['token'];
    if (token === 'good') return next();
    next(Object.assign(new Error('refused'), { data: { code: token ? 'auth.invalid' : 'auth.missing', message: 'refused by the fake hub' } }));
  });
  io.on('connection', (socket) => {
    socket.on('actor:subscribe', (ref, ack) => {
      hub.subscribes++;
      const state = actors.get(ref.id);
      if (!state) return ack({ ok: false, code: 'actor.not_found', message: 'no such actor' });
      void socket.join(`actor:booking/${ref.id}`);
      ack({ ok: true, data: state });
    });
    socket.on('actor:command', (command, ack) => {
      if (options.silentCommands) return;
      if (options.draining) {
        ack({ ok: false, code: 'hub.draining', message: 'this node is draining' });
        socket.emit('session:reconnect', { reason: 'draining', retryAfterMs: 20 });
        return;
      }
      ack({ ok: true, data: hub.commit(command.id) });
    });
    socket.on('locker:open', (open, ack) => {
      if (open.band !== 'BAND-RIGHT') return ack({ ok: false, code: 'locker.not_yours', message: 'another band' });
      const unlock = { lockerId: open.lockerId, bandUid: open.band, at: 1 };
      socket.emit('locker:unlock', unlock);
      ack({ ok: true, data: unlock });
    });
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  hub.url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  open.hubs.push(hub);
  return hub;
}

function client(url: string | string[], token = 'good', extra: { requestTimeoutMs?: number } = {}): HubClient {
  const c = connectHub({ url, token, connectTimeoutMs: 3_000, backoffMinMs: 20, backoffMaxMs: 200, drainJitterMs: 10, ...extra });
  open.clients.push(c);
  return c;
}

async function until(check: () => boolean, timeoutMs = 3_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

afterEach(async () => {
  for (const c of open.clients.splice(0)) c.close();
  await Promise.all(open.hubs.splice(0).map((h) => h.close()));
});

describe('connectHub', () => {
  it('rejects ready with the handshake refusal code', async () => {
    const hub = await fakeHub();
    await expect(client(hub.url, 'forged').ready).rejects.toMatchObject({ name: 'HubError', code: 'auth.invalid' });
    const anonymous = client(hub.url, '');
    await expect(anonymous.ready).rejects.toMatchObject({ code: 'auth.missing' });
    await expect(anonymous.ended).resolves.toMatchObject({ code: 'auth.missing' });
  });

  it('sends any contract event with call() and hears locker:unlock', async () => {
    const hub = await fakeHub();
    const c = client(hub.url);
    const doors: string[] = [];
    c.onLockerUnlock((unlock) => doors.push(unlock.lockerId));
    expect(await c.call('locker:open', { lockerId: 'L-001', band: 'BAND-RIGHT' })).toEqual({ ok: true, data: { lockerId: 'L-001', bandUid: 'BAND-RIGHT', at: 1 } });
    expect(await c.call('locker:open', { lockerId: 'L-001', band: 'BAND-WRONG' })).toMatchObject({ ok: false, code: 'locker.not_yours' });
    await until(() => doors.length === 1);
    expect(doors).toEqual(['L-001']);
  });

  it('rejects ready with client.unreachable when nothing listens', async () => {
    const c = connectHub({ url: 'http://127.0.0.1:9', token: 'good', connectTimeoutMs: 300, backoffMinMs: 20 });
    open.clients.push(c);
    await expect(c.ready).rejects.toMatchObject({ code: 'client.unreachable' });
  });

  it('applies changes in version order and re-subscribes on a gap', async () => {
    const hub = await fakeHub();
    hub.commit('b1');
    const c = client(hub.url);
    const seen: { version: number; gap: boolean; source: string }[] = [];
    const sub = c.subscribeActor({ kind: 'booking', id: 'b1' }, (state, update) => seen.push({ version: state.version, gap: update.gap, source: update.source }));
    await expect(sub.ready).resolves.toMatchObject({ ok: true, data: { version: 1 } });
    hub.commit('b1'); // v2 arrives
    hub.commit('b1', false); // v3 lost
    hub.commit('b1', false); // v4 lost
    await until(() => sub.current()?.version === 2);
    expect(hub.subscribes).toBe(1);
    hub.commit('b1'); // v5: a gap
    await until(() => hub.subscribes === 2);
    hub.commit('b1', false); // v6 lost and nothing follows it: only an explicit resync finds it
    c.resync();
    await until(() => sub.current()?.version === 6);
    expect(seen.map((s) => s.version)).toEqual([1, 2, 5, 6]);
    expect(seen.find((s) => s.version === 5)).toMatchObject({ gap: true, source: 'change' });
  });

  it('refuses a subscription to an unknown actor without retrying', async () => {
    const hub = await fakeHub();
    const c = client(hub.url);
    const sub = c.subscribeActor({ kind: 'booking', id: 'nope' }, () => {});
    await expect(sub.ready).resolves.toMatchObject({ ok: false, code: 'actor.not_found' });
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    expect(hub.subscribes).toBe(1);
  });

  it('re-subscribes after the server drops the socket and catches up', async () => {
    const hub = await fakeHub();
    hub.commit('b2');
    const c = client(hub.url);
    const sub = c.subscribeActor({ kind: 'booking', id: 'b2' }, () => {});
    await sub.ready;
    hub.io.disconnectSockets(true);
    hub.commit('b2'); // committed while the client is away
    await until(() => sub.current()?.version === 2);
    expect(hub.subscribes).toBe(2);
    hub.commit('b2');
    await until(() => sub.current()?.version === 3);
  });

  it('follows session:reconnect to the next URL, round-robin', async () => {
    const a = await fakeHub();
    const b = await fakeHub();
    const c = client([a.url, b.url]);
    await c.ready;
    expect(c.url).toBe(a.url);
    const moved = new Promise<string>((resolve) => c.onStatus((status, url) => status === 'connected' && resolve(url)));
    a.io.emit('session:reconnect', { reason: 'draining', retryAfterMs: 50 });
    await expect(moved).resolves.toBe(b.url);
    expect(c.connected).toBe(true);
  });

  it('sends a command refused with hub.draining again on the next node', async () => {
    const draining = await fakeHub({ draining: true });
    const next = await fakeHub();
    const c = client([draining.url, next.url]);
    await c.ready;
    await expect(c.command('booking', 'b4', { type: 'x' }, { commandId: 'cmd-00000004' })).resolves.toMatchObject({ ok: true, data: { version: 1 } });
    expect(c.url).toBe(next.url);
  });

  it('stops on session:ended and surfaces its code', async () => {
    const hub = await fakeHub();
    const c = client(hub.url);
    await c.ready;
    hub.io.emit('session:ended', { code: 'auth.revoked', message: 'device revoked' });
    await expect(c.ended).resolves.toEqual({ code: 'auth.revoked', message: 'device revoked' });
    await expect(c.command('booking', 'b', { type: 'x' })).resolves.toMatchObject({ ok: false, code: 'client.closed' });
  });

  it('reconnects with a fresh token when the session expires and the token is a function', async () => {
    const hub = await fakeHub();
    let asked = 0;
    const c = connectHub({ url: hub.url, token: () => (asked++, 'good'), backoffMinMs: 20 });
    open.clients.push(c);
    await c.ready;
    const again = new Promise<void>((resolve) => c.onStatus((status) => status === 'connected' && resolve()));
    hub.io.emit('session:ended', { code: 'auth.expired', message: 'the session token expired' });
    await again;
    expect(asked).toBe(2);
  });

  it('applies a feed push that arrives before the subscribe answer after the snapshot, unless the snapshot has it', async () => {
    const hub = await fakeHub();
    const locker = (id: string, version: number, state: string): ActorState => ({ kind: 'locker', id, version, state, status: 'active', context: {}, tags: [] });
    const push = (id: string, version: number, state: string, cursor: number): FeedChanged => ({ feed: 'lockers', member: true, change: { ...locker(id, version, state), eventType: 'test.step', at: 1, cursor } });
    const answers: FeedSubscribed[] = [];
    let early: FeedChanged[] = [];
    hub.io.on('connection', (socket) => {
      socket.on('feed:subscribe', (request, ack) => {
        void socket.join('feed:lockers');
        // The hub read its snapshot (cursor 10); these were committed around it and pushed before the answer.
        for (const change of early) socket.emit('feed:changed', change);
        const answer = answers.shift();
        if (answer) ack({ ok: true, data: answer });
      });
    });
    answers.push({ feed: 'lockers', cursor: 10, snapshot: { rows: [locker('L-1', 1, 'free'), locker('L-2', 3, 'assigned')] } });
    early = [push('L-3', 1, 'assigned', 8), push('L-1', 2, 'assigned', 11)];
    const c = client(hub.url);
    const seen: string[] = [];
    const rows = new Map<string, ActorState>();
    const feed = c.subscribeFeed(
      { feed: 'lockers' },
      (change) => {
        seen.push(`${change.change.id}@${change.change.version}`);
        rows.set(change.change.id, change.change);
      },
      (snapshot, cursor) => {
        seen.push(`snapshot@${cursor}`);
        rows.clear();
        for (const row of snapshot.rows) rows.set(row.id, row);
      },
    );
    await expect(feed.ready).resolves.toMatchObject({ ok: true, data: { cursor: 10 } });
    // L-3's change (cursor 8) is in the snapshot already (it left again before it): not applied over it.
    expect(seen).toEqual(['snapshot@10', 'L-1@2']);
    expect(rows.get('L-1')?.state).toBe('assigned');
    expect(feed.cursor()).toBe(11);

    // Dropped and back: asked again from cursor 11, answered with a fresh snapshot, a push before it.
    const asked = new Promise<number | undefined>((resolve) => hub.io.on('connection', (socket) => socket.once('feed:subscribe', (request) => resolve(request.cursor))));
    answers.push({ feed: 'lockers', cursor: 20, snapshot: { rows: [locker('L-1', 3, 'free'), locker('L-2', 4, 'free')] } });
    early = [push('L-2', 4, 'free', 19), push('L-2', 5, 'assigned', 21)];
    hub.io.disconnectSockets(true);
    await expect(asked).resolves.toBe(11);
    await until(() => feed.cursor() === 21);
    expect(seen).toEqual(['snapshot@10', 'L-1@2', 'snapshot@20', 'L-2@5']);
    expect([...rows.values()].map((r) => `${r.id}@${r.version}:${r.state}`)).toEqual(['L-1@3:free', 'L-2@5:assigned']);
  });

  it("follows a feed's rows past its snapshot through list:page; a row that left stays gone when a later page lists it", async () => {
    const hub = await fakeHub();
    const item = (id: string, version: number): ActorState => ({ kind: 'equipment', id, version, state: 'in_use', status: 'active', context: {}, tags: [] });
    const pages: Array<{ list: string; after?: string; filters?: unknown }> = [];
    hub.io.on('connection', (socket) => {
      socket.on('feed:subscribe', (_request, ack) => {
        void socket.join('feed:rentals');
        ack({ ok: true, data: { feed: 'rentals', cursor: 10, snapshot: { rows: [item('TUBE-1', 1)], next: 'page-2' } } });
      });
      socket.on('list:page', (request, ack) => {
        pages.push(request);
        // TUBE-2 came back (a push) before the page, read from a read model a change behind, still lists it.
        socket.emit('feed:changed', { feed: 'rentals', member: false, change: { ...item('TUBE-2', 3), state: 'available', eventType: 'equipment.return', at: 1, cursor: 11 } });
        ack({ ok: true, data: { list: 'equipment', rows: [item('TUBE-2', 2), item('TUBE-3', 1)], cursor: 10 } });
      });
    });
    const c = client(hub.url);
    const seen: string[][] = [];
    const rows = followFeedRows(c, { feed: 'rentals' }, { list: 'equipment', filters: { state: 'in_use' } }, (now) => seen.push([...now.values()].map((r) => `${r.id}@${r.version}`)));
    await expect(rows.ready).resolves.toMatchObject({ ok: true });
    await until(() => seen.length === 2);
    expect(pages).toEqual([{ list: 'equipment', filters: { state: 'in_use' }, after: 'page-2', limit: 500 }]);
    expect(seen).toEqual([['TUBE-1@1'], ['TUBE-1@1', 'TUBE-3@1']]);
    hub.io.to('feed:rentals').emit('feed:changed', { feed: 'rentals', member: true, change: { ...item('TUBE-2', 4), eventType: 'equipment.pickup', at: 2, cursor: 12 } });
    await until(() => rows.rows().size === 3);
    rows.stop();
  });

  it('answers client.timeout when the hub never acks, and passes acks through', async () => {
    const quiet = await fakeHub({ silentCommands: true });
    const c = client(quiet.url, 'good', { requestTimeoutMs: 200 });
    await c.ready;
    await expect(c.command('booking', 'b', { type: 'x' })).resolves.toMatchObject({ ok: false, code: 'client.timeout' });
    const hub = await fakeHub();
    const d = client(hub.url);
    await expect(d.command('booking', 'b3', { type: 'x' }, { commandId: 'cmd-00000001' })).resolves.toMatchObject({ ok: true, data: { version: 1 } });
  });

  it('follows the menu in revision order: the next 86 applied, a repeat or an older menu dropped, a gap or a reconnect asks for the whole menu again', async () => {
    const hub = await fakeHub();
    const menuAt = (version: number): MenuView => ({ version, timeZone: 'Asia/Riyadh', categories: [] });
    let current = 5;
    let asked = 0;
    hub.io.on('connection', (socket) => {
      socket.on('menu:subscribe', (_request, ack) => {
        asked++;
        void socket.join('menu');
        ack({ ok: true, data: menuAt(current) });
      });
    });
    const c = client(hub.url);
    const seen: string[] = [];
    const watch = c.followMenu(
      (menu) => seen.push(`menu@${menu.version}`),
      (change) => seen.push(`${change.itemId}@${change.version}`),
    );
    await expect(watch.ready).resolves.toMatchObject({ ok: true, data: { version: 5 } });
    const change = (itemId: string, version: number) => hub.io.to('menu').emit('menu:changed', { version, itemId, soldOut: true, at: 1 });
    current = 6;
    change('fries', 6);
    change('fries', 6);
    hub.io.to('menu').emit('menu:updated', { version: 4, edit: { kind: 'menu_item', id: 'old' }, menu: menuAt(4), at: 0 });
    await until(() => seen.length === 2);
    // Revision 7 never arrives (Redis dropped it): 8 shows the gap, the whole menu is asked again.
    current = 8;
    change('juice', 8);
    await until(() => seen.length === 3);
    expect(asked).toBe(2);
    // A newer whole menu replaces it; a reconnect asks again (the same revision, shown again) and the next 86 follows.
    hub.io.to('menu').emit('menu:updated', { version: 9, edit: { kind: 'menu_item', id: 'tea' }, menu: menuAt(9), at: 2 });
    await until(() => seen.length === 4);
    current = 9;
    hub.io.disconnectSockets(true);
    await until(() => asked === 3);
    change('tea', 10);
    await until(() => seen.length === 6);
    expect(seen).toEqual(['menu@5', 'fries@6', 'menu@8', 'menu@9', 'menu@9', 'tea@10']);
    watch.unsubscribe();
  });
});

/**
 * The hub end to end on both engines: a real server on port 0, real clients, a real SQLite store.
 * Subscriptions answer state with its version, commands reach subscribers as version + 1 on the
 * actor room and the dashboard feed, the role policy refuses (and audits) what it must.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClientSocket, TestHub } from './hub.test-support.js';
import { holdOf, nextEvent, SOCKET_ENGINES, startTestHub } from './hub.test-support.js';
import { sampleValue, scrape } from './prometheus.test-support.js';

describe.each(SOCKET_ENGINES)('hub on the %s engine', (engine) => {
  let t: TestHub;
  let visitor: ClientSocket;
  let other: ClientSocket;
  let admin: ClientSocket;
  const web = mkdtempSync(join(tmpdir(), 'vh-web-'));
  writeFileSync(join(web, 'index.html'), '<h1>Venue Hub</h1>');

  beforeAll(async () => {
    t = await startTestHub({ config: { SOCKET_ENGINE: engine }, deps: { staticDir: web } });
    visitor = await t.connect(await t.person('vis_a', 'visitor'));
    other = await t.connect(await t.person('vis_b', 'visitor'));
    admin = await t.connect(await t.person('adm_1', 'booking_admin'));
  });
  afterAll(async () => {
    for (const s of [visitor, other, admin]) s?.close();
    await t?.stop();
    rmSync(web, { recursive: true, force: true });
  });

  it('serves health, readiness, metrics, JWKS and coded 404s on the socket port', async () => {
    expect(await (await fetch(`${t.url}/healthz`)).json()).toEqual({ ok: true });
    expect(await (await fetch(`${t.url}/readyz`)).json()).toEqual({ ok: true });
    const families = await scrape(t.url); // a text-format parser: throws on any invalid line
    expect(sampleValue(families, 'vh_socket_connections')).toBe(3);
    expect(sampleValue(families, 'vh_sockets', { role: 'visitor' })).toBe(2);
    expect(sampleValue(families, 'vh_sockets', { role: 'booking_admin' })).toBe(1);
    for (const name of ['process_cpu_seconds_total', 'process_resident_memory_bytes', 'process_start_time_seconds', 'nodejs_eventloop_lag_p99_seconds', 'nodejs_heap_size_used_bytes', 'nodejs_gc_duration_seconds']) {
      expect(families.families.has(name), name).toBe(true);
    }
    const jwks = (await (await fetch(`${t.url}/.well-known/jwks.json`)).json()) as { keys: { kid: string; d?: string }[] };
    expect(jwks.keys[0]?.kid).toBe(t.keyRing.active.kid);
    expect(jwks.keys[0]).not.toHaveProperty('d');
    const page = await fetch(`${t.url}/`);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await page.text()).toBe('<h1>Venue Hub</h1>');
    expect((await fetch(`${t.url}/%2e%2e/%2e%2e/etc/passwd`)).status).toBe(404);
    const missing = await fetch(`${t.url}/nope`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ ok: false, code: 'route.not_found' });
  });

  it('subscribe answers state and version; a command reaches the actor room and the dashboard as version + 1', async () => {
    const held = await visitor.emitWithAck('booking:hold', holdOf(`${engine}-b1`));
    expect(held).toMatchObject({ ok: true, data: { kind: 'booking', id: `${engine}-b1`, version: 1, state: 'held' } });
    expect(await visitor.emitWithAck('actor:subscribe', { kind: 'booking', id: `${engine}-b1` })).toMatchObject({
      ok: true,
      data: { version: 1, state: 'held', context: { visitorId: 'vis_a' } },
    });
    const dashboard = await admin.emitWithAck('feed:subscribe', { feed: 'dashboard' });
    expect(dashboard).toMatchObject({ ok: true, data: { feed: 'dashboard', snapshot: { rows: [], summary: { openAlerts: 0 } } } });
    const snapshotCursor = dashboard.ok ? dashboard.data.cursor : -1;
    expect(snapshotCursor).toBeGreaterThan(0);

    const onActor = nextEvent(visitor, 'actor:changed', (c) => c.id === `${engine}-b1`);
    const onFeed = nextEvent(admin, 'feed:changed', (f) => f.change.id === `${engine}-b1`);
    const submitted = await visitor.emitWithAck('actor:command', { kind: 'booking', id: `${engine}-b1`, event: { type: 'booking.submit' }, commandId: 'cmd-0001' });
    expect(submitted).toMatchObject({ ok: true, data: { version: 2, state: 'awaiting_payment' } });
    expect(await onActor).toMatchObject({ version: 2, state: 'awaiting_payment', eventType: 'booking.submit' });
    const fed = await onFeed;
    expect(fed).toMatchObject({ feed: 'dashboard', change: { version: 2, state: 'awaiting_payment' } });
    // Every change carries its cursor, after the snapshot's.
    expect(fed.change.cursor).toBeGreaterThan(snapshotCursor);

    // A retry of the same command answers the same state and applies nothing.
    const retried = await visitor.emitWithAck('actor:command', { kind: 'booking', id: `${engine}-b1`, event: { type: 'booking.submit' }, commandId: 'cmd-0001' });
    expect(retried).toMatchObject({ ok: true, data: { version: 2, state: 'awaiting_payment', duplicate: true } });
    expect((await t.store.eventLog('booking', `${engine}-b1`)).map((e) => e.eventId)).toEqual([`hold:${engine}-b1`, 'cmd:vis_a:cmd-0001']);
  });

  it("refuses another visitor's booking and audits the attempts as denied", async () => {
    await visitor.emitWithAck('booking:hold', holdOf(`${engine}-b2`));
    expect(await other.emitWithAck('actor:subscribe', { kind: 'booking', id: `${engine}-b2` })).toMatchObject({ ok: false, code: 'auth.forbidden' });
    expect(await other.emitWithAck('actor:command', { kind: 'booking', id: `${engine}-b2`, event: { type: 'booking.cancel' } })).toMatchObject({
      ok: false,
      code: 'auth.forbidden',
    });
    // Holding with someone else's booking id must not hand back their booking.
    expect(await other.emitWithAck('booking:hold', holdOf(`${engine}-b2`))).toMatchObject({ ok: false, code: 'auth.forbidden' });
    // A booking that does not exist gets the same answer, so ids cannot be probed.
    expect(await other.emitWithAck('actor:subscribe', { kind: 'booking', id: `${engine}-none` })).toMatchObject({ ok: false, code: 'auth.forbidden' });
    const rows = await t.store.audit.list({ limit: 10, who: 'user:vis_b' });
    expect(rows.map((r) => [r.action, r.target, r.outcome, r.code])).toEqual([
      ['actor.subscribe', `booking/${engine}-none`, 'denied', 'auth.forbidden'],
      ['booking.hold', `booking/${engine}-b2`, 'denied', 'auth.forbidden'],
      ['booking.cancel', `booking/${engine}-b2`, 'denied', 'auth.forbidden'],
      ['actor.subscribe', `booking/${engine}-b2`, 'denied', 'auth.forbidden'],
    ]);
    expect((await t.store.load('booking', `${engine}-b2`))?.version).toBe(1);
  });

  it('an admin approves as themselves (audited), the reviews feed sees the booking enter and leave review', async () => {
    const id = `${engine}-b3`;
    await visitor.emitWithAck('booking:hold', holdOf(id, true));
    expect(await admin.emitWithAck('feed:subscribe', { feed: 'reviews' })).toMatchObject({ ok: true });
    const entered = nextEvent(admin, 'feed:changed', (f) => f.feed === 'reviews' && f.change.id === id && f.change.state === 'under_review');
    await visitor.emitWithAck('actor:command', { kind: 'booking', id, event: { type: 'booking.submit' } });
    expect(await entered).toMatchObject({ change: { version: 2 } });

    const left = nextEvent(admin, 'feed:changed', (f) => f.feed === 'reviews' && f.change.id === id && f.change.version === 3);
    const approved = await admin.emitWithAck('actor:command', { kind: 'booking', id, event: { type: 'booking.approve', adminId: 'someone-else' }, commandId: 'approve-01' });
    expect(approved).toMatchObject({ ok: true, data: { version: 3, state: 'awaiting_payment', context: { reviewedBy: 'adm_1' } } });
    expect(await left).toMatchObject({ change: { state: 'awaiting_payment' } });
    const [row] = await t.store.audit.list({ limit: 1, who: 'user:adm_1' });
    expect(row).toMatchObject({ action: 'booking.approve', target: `booking/${id}`, outcome: 'allowed', role: 'booking_admin', detail: { commandId: 'approve-01' } });

    // Approving again is refused by the machine: a failed row follows the allowed one.
    expect(await admin.emitWithAck('actor:command', { kind: 'booking', id, event: { type: 'booking.approve' } })).toMatchObject({ ok: false, code: 'event.rejected' });
    expect((await t.store.audit.list({ limit: 1, who: 'user:adm_1' }))[0]).toMatchObject({ outcome: 'failed', code: 'event.rejected' });
  });

  it('never takes payment or check-in events from a socket, and visitors may not review', async () => {
    const id = `${engine}-b4`;
    await visitor.emitWithAck('booking:hold', holdOf(id));
    for (const event of [{ type: 'payment.captured', paymentId: 'p1', amount: 5_000 }, { type: 'booking.check_in', at: 1 }]) {
      expect(await admin.emitWithAck('actor:command', { kind: 'booking', id, event })).toMatchObject({ ok: false, code: 'auth.forbidden' });
    }
    expect(await visitor.emitWithAck('actor:command', { kind: 'booking', id, event: { type: 'booking.approve' } })).toMatchObject({ ok: false, code: 'auth.forbidden' });
    expect(await visitor.emitWithAck('actor:command', { kind: 'booking', id, event: { type: 'booking.cancel', refundAmount: 100 } })).toMatchObject({
      ok: false,
      code: 'auth.forbidden',
    });
    expect(await admin.emitWithAck('booking:hold', holdOf(`${engine}-b5`))).toMatchObject({ ok: false, code: 'auth.forbidden' });
    expect(await visitor.emitWithAck('feed:subscribe', { feed: 'dashboard' })).toMatchObject({ ok: false, code: 'auth.forbidden' });
    expect(await visitor.emitWithAck('feed:subscribe', { feed: 'zone' })).toMatchObject({ ok: false, code: 'event.invalid' });
    expect(await visitor.emitWithAck('actor:command', { kind: 'booking', id, event: { type: 'booking.cancel' } })).toMatchObject({ ok: true, data: { state: 'cancelled' } });
  });

  it('unsubscribing stops the notices of that actor', async () => {
    const id = `${engine}-b6`;
    await visitor.emitWithAck('booking:hold', holdOf(id));
    await visitor.emitWithAck('booking:hold', holdOf(`${id}-marker`));
    await visitor.emitWithAck('actor:subscribe', { kind: 'booking', id });
    await visitor.emitWithAck('actor:subscribe', { kind: 'booking', id: `${id}-marker` });
    expect(await visitor.emitWithAck('actor:unsubscribe', { kind: 'booking', id })).toEqual({ ok: true, data: { unsubscribed: true } });
    const seen: string[] = [];
    visitor.on('actor:changed', (c) => seen.push(c.id));
    const marker = nextEvent(visitor, 'actor:changed', (c) => c.id === `${id}-marker`);
    await visitor.emitWithAck('actor:command', { kind: 'booking', id, event: { type: 'booking.submit' } });
    await visitor.emitWithAck('actor:command', { kind: 'booking', id: `${id}-marker`, event: { type: 'booking.submit' } });
    await marker;
    expect(seen).toEqual([`${id}-marker`]);
  });

  it('counts holds by outcome and times every command in /metrics', async () => {
    const before = await scrape(t.url);
    const held = (f: typeof before) => sampleValue(f, 'vh_holds_total', { outcome: 'ok' }) ?? 0;
    const timed = (f: typeof before, event: string) => sampleValue(f, 'vh_command_duration_seconds', { event }) ?? 0;
    await visitor.emitWithAck('booking:hold', holdOf(`${engine}-b7`));
    await visitor.emitWithAck('actor:command', { kind: 'booking', id: `${engine}-b7`, event: { type: 'booking.submit' } });
    const after = await scrape(t.url);
    expect(held(after)).toBe(held(before) + 1);
    expect(timed(after, 'booking:hold')).toBe(timed(before, 'booking:hold') + 1);
    expect(timed(after, 'actor:command')).toBe(timed(before, 'actor:command') + 1);
    expect(after.families.get('vh_command_duration_seconds')?.type).toBe('HISTOGRAM');
  });
});

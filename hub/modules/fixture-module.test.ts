/**
 * A module added from a test fixture folder (`fixtures/stamp-card/`) works end to end through a
 * real hub with nothing edited outside its folder: the only change is the module list passed in.
 * Its machine runs, its effect is handled, its socket events and HTTP route answer under its
 * policy rows, its feed answers a snapshot from its read model and then pushes changes, and its own
 * message reaches the card holder. On a node started from the environment as the mains start one,
 * its own variable is parsed with the core configuration and its node part wires it.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FeedChanged, FeedSubscribed } from '../../machines/contract/wire.js';
import type { NotificationAlert } from '../../machines/contract/notification-alert.js';
import type { Result } from '../../machines/errors.js';
import type { RawSocket, TestHub } from '../hub.test-support.js';
import { startTestHub } from '../hub.test-support.js';
import { silentLogger } from '../../workers/logger.js';
import { loadConfig } from '../config.js';
import { startNodeServices } from '../node-services.js';
import { stampCardModule } from './fixtures/stamp-card/index.js';
import { stampCardDefinition } from './fixtures/stamp-card/stamp-card.machine.js';
import { VENUE_MODULES } from './index.js';
import { envSections } from './node-part.js';

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`condition not met in time: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('a module added in a fixture folder', () => {
  let t: TestHub;
  let staff: RawSocket;
  let admin: RawSocket;
  let adminToken: string;
  const punch = (socket: RawSocket, cardId: string) => socket.emitWithAck('stamps:punch', { cardId, holder: 'vis_stamps' }) as Promise<Result<{ state: string; context: { stamps: number } }>>;
  const readCard = async (cardId: string, token: string) => {
    const answer = await fetch(`${t.url}/api/stamps/${cardId}`, { headers: { authorization: `Bearer ${token}` } });
    const body = (await answer.json()) as Result<{ state: string; context: { rewardCode?: string } }>;
    return { status: answer.status, body, card: body.ok ? body.data : undefined };
  };

  beforeAll(async () => {
    // The ws engine: the second hub below shares this process (one uWebSockets.js hub per process).
    t = await startTestHub({ modules: [...VENUE_MODULES, stampCardModule], config: { SOCKET_ENGINE: 'ws' } });
    staff = await t.connectRaw(await t.person('sup_stamps', 'support_admin'));
    adminToken = await t.person('adm_stamps', 'super_admin');
    admin = await t.connectRaw(adminToken);
  });
  afterAll(async () => {
    staff?.close();
    admin?.close();
    await t?.stop();
  });

  it('runs its machine from its socket event, hands its effect to its handler, and serves its HTTP route', async () => {
    const holder = await t.connectRaw(await t.person('vis_stamps', 'visitor'));
    const told = new Promise<NotificationAlert>((resolve) => holder.on('notification:alert', (alert: NotificationAlert) => alert.template === 'stamps.rewarded' && resolve(alert)));
    expect(await punch(staff, 'card-1')).toMatchObject({ ok: true, data: { state: 'collecting', context: { stamps: 1 } } });
    expect(await punch(staff, 'card-1')).toMatchObject({ ok: true, data: { state: 'collecting', context: { stamps: 2 } } });
    expect(await punch(staff, 'card-1')).toMatchObject({ ok: true, data: { state: 'full', context: { stamps: 3 } } });
    // The full card emitted stamps.reward; the module's handler rewards it through the outbox.
    const rewarded = await until(() => readCard('card-1', adminToken), (r) => r.card?.state === 'rewarded');
    expect(rewarded.status).toBe(200);
    expect(rewarded.card?.context.rewardCode).toMatch(/^reward-/);
    // Its own message, routed by the module: the holder's sockets hear the reward.
    expect(await told).toMatchObject({ id: 'stamps-card-1', body: `Your reward code: ${rewarded.card?.context.rewardCode ?? ''}` });
    holder.close();
    // Its events are parsed by its own schema like every event.
    expect(await staff.emitWithAck('stamps:punch', { cardId: '' })).toMatchObject({ ok: false, code: 'event.invalid' });
  });

  it('decides its actions by its own policy rows, on sockets and HTTP alike', async () => {
    const visitor = await t.connectRaw(await t.person('vis_stamps', 'visitor'));
    expect(await punch(visitor, 'card-2')).toMatchObject({ ok: false, code: 'auth.forbidden' });
    expect(await visitor.emitWithAck('stamps:watch', {})).toMatchObject({ ok: false, code: 'auth.forbidden' });
    visitor.close();
    expect((await readCard('card-1', await t.person('vis_stamps', 'visitor'))).status).toBe(403);
    expect((await readCard('card-1', await t.person('fin_stamps', 'finance_admin'))).body).toMatchObject({ code: 'auth.forbidden' });
    expect((await readCard('card-1', await t.person('sup_stamps', 'support_admin'))).card).toMatchObject({ state: 'rewarded' });
  });

  it('answers its feed with a snapshot of its read model, then pushes each change with its cursor', async () => {
    const first = (await admin.emitWithAck('stamps:watch', {})) as Result<FeedSubscribed>;
    if (!first.ok) throw new Error(first.message);
    expect(first.data.feed).toBe('stamp_rewards');
    expect(first.data.snapshot?.rows.map((row) => `${row.id}:${row.state}`)).toEqual(['card-1:rewarded']);

    const pushed: FeedChanged[] = [];
    admin.on('feed:changed', (change: FeedChanged) => pushed.push(change));
    for (let i = 0; i < 3; i++) await punch(staff, 'card-3');
    await until(async () => pushed, (p) => p.some((c) => c.change.id === 'card-3' && c.member === true));
    const mine = pushed.filter((c) => c.change.id === 'card-3');
    expect(mine.map((c) => [c.feed, c.change.state, c.member])).toEqual([
      ['stamp_rewards', 'full', false],
      ['stamp_rewards', 'rewarded', true],
    ]);
    expect(mine.every((c) => c.change.cursor > first.data.cursor)).toBe(true);

    // From the snapshot's cursor, the feed's changes since then, once and in order.
    const again = (await admin.emitWithAck('stamps:watch', { cursor: first.data.cursor })) as Result<FeedSubscribed>;
    if (!again.ok) throw new Error(again.message);
    expect(again.data.changes?.map((c) => `${c.change.id}:${c.change.state}:${String(c.member)}`)).toEqual(['card-3:full:false', 'card-3:rewarded:true']);
  });

  it('is named nowhere outside its folder but by this test', () => {
    const root = process.cwd();
    const files = (dir: string): string[] =>
      readdirSync(dir).flatMap((name) => {
        if (name === 'node_modules' || name.startsWith('.')) return [];
        const path = join(dir, name);
        return statSync(path).isDirectory() ? files(path) : /\.(ts|js|mjs|md|json)$/.test(name) ? [path] : [];
      });
    const naming = ['machines', 'workers', 'hub', 'clients', 'load-tests', 'scripts', 'docs']
      .flatMap((top) => files(join(root, top)))
      .map((file) => relative(root, file))
      .filter((file) => !file.startsWith('hub/modules/fixtures/stamp-card/') && file !== 'hub/modules/fixture-module.test.ts')
      .filter((file) => /stamp-card|stampcard|stamp_cards|stampCardModule/.test(readFileSync(join(root, file), 'utf8')));
    expect(naming).toEqual([]);
  });

  it('is unknown to a hub whose list does not name it', async () => {
    const plain = await startTestHub({ config: { SOCKET_ENGINE: 'ws' } });
    try {
      const socket = await plain.connectRaw(await plain.person('sup_plain', 'support_admin'));
      expect(await socket.emitWithAck('stamps:punch', { cardId: 'card-1', holder: 'h' })).toMatchObject({ ok: false, code: 'event.unknown' });
      socket.close();
      expect((await fetch(`${plain.url}/api/stamps/card-1`)).status).toBe(404);
    } finally {
      await plain.stop();
    }
  });
});

describe('a module added in a fixture folder, on a node started from the environment', () => {
  const modules = [...VENUE_MODULES, stampCardModule];
  const process = { hostname: 'stamps-node', pid: 1 };

  it('has its own variable parsed with the core configuration, and a bad value refused with how to fix it', () => {
    expect(loadConfig({ STAMP_REWARD_PREFIX: 'Gift Card' }, process, envSections(modules))).toEqual({
      ok: false,
      problems: ['STAMP_REWARD_PREFIX=Gift Card: must be 1-16 lowercase letters or digits and a dash, e.g. STAMP_REWARD_PREFIX=reward-'],
    });
    const loaded = loadConfig({ STAMP_REWARD_PREFIX: 'gift-' }, process, envSections(modules));
    expect(loaded.ok && loaded.settings.get('stamp-cards')).toEqual({ STAMP_REWARD_PREFIX: 'gift-' });
    // A list without the module reads no such variable: it is ignored like any unrelated one.
    expect(loadConfig({ STAMP_REWARD_PREFIX: 'Gift Card' }, process, envSections(VENUE_MODULES)).ok).toBe(true);
  });

  it('is wired by its own node part when the node starts its list', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vh-stamps-node-'));
    const loaded = loadConfig({ DATA_DIR: dir, SEED_DEMO: 'false', STAMP_REWARD_PREFIX: 'gift-' }, process, envSections(modules));
    if (!loaded.ok) throw new Error(loaded.problems.join('; '));
    const services = await startNodeServices({ config: loaded.config, settings: loaded.settings, log: silentLogger, modules, publicUrl: 'http://127.0.0.1:1' });
    try {
      for (let i = 0; i < 3; i++) expect(await services.runtime.service(stampCardModule).punch('card-n', 'vis_n', 'support_admin:sup_n')).toMatchObject({ ok: true });
      const card = await until(
        () => services.runtime.host.read(stampCardDefinition, 'card-n'),
        (read) => read.ok && read.data.state === 'rewarded',
      );
      expect(card.ok && card.data.context.rewardCode).toMatch(/^gift-/);
    } finally {
      await services.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

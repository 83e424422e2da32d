/**
 * Handshake attacks against a real hub: every refusal is a coded connect_error (or, for a foreign
 * Origin, a 403 before the upgrade), and revocation reaches open sockets, not only new ones.
 */
import { createHmac } from 'node:crypto';
import { request } from 'node:http';
import { base64url, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTokenService } from './auth/tokens.js';
import type { TestHub } from './hub.test-support.js';
import { disconnected, holdOf, nextEvent, SOCKET_ENGINES, startTestHub } from './hub.test-support.js';

/** The `{code, message}` a refused handshake carries in its connect_error. */
async function refusal(attempt: Promise<unknown>): Promise<unknown> {
  try {
    await attempt;
  } catch (error) {
    return error instanceof Error && 'data' in error ? error.data : { message: error instanceof Error ? error.message : String(error) };
  }
  throw new Error('the handshake was accepted');
}

const json = (value: unknown) => base64url.encode(JSON.stringify(value));

describe('handshake', () => {
  let t: TestHub;
  beforeAll(async () => {
    t = await startTestHub();
  });
  afterAll(async () => {
    await t?.stop();
  });

  const claims = (overrides: Record<string, unknown> = {}) => {
    const now = Math.floor(Date.now() / 1000);
    return { iss: 'venue-hub', aud: 'venue-hub:people', sub: 'mallory', role: 'super_admin', jti: 'j1', iat: now, exp: now + 600, ...overrides };
  };
  const signed = (payload: Record<string, unknown>, typ = 'vh-access+jwt') =>
    new SignJWT(payload).setProtectedHeader({ alg: 'EdDSA', typ, kid: t.keyRing.active.kid }).sign(t.keyRing.active.privateKey);

  it('refuses a socket without a token with auth.missing', async () => {
    expect(await refusal(t.connect(undefined))).toMatchObject({ code: 'auth.missing' });
    expect(await refusal(t.connect(''))).toMatchObject({ code: 'auth.missing' });
  });

  it('refuses an expired token with auth.expired', async () => {
    const past = createTokenService({ keyRing: t.keyRing, issuer: 'venue-hub', accessTtlSeconds: 60, clock: () => Date.now() - 3_600_000 });
    const { token } = await past.issueAccessToken({ sub: 'vis_old', role: 'visitor' });
    expect(await refusal(t.connect(token))).toMatchObject({ code: 'auth.expired' });
  });

  it('refuses another audience, alg none, HS256 and garbage', async () => {
    expect(await refusal(t.connect(await signed(claims({ aud: 'elsewhere' }))))).toMatchObject({ code: 'auth.wrong_audience' });
    const none = `${json({ alg: 'none', typ: 'vh-access+jwt', kid: t.keyRing.active.kid })}.${json(claims())}.`;
    expect(await refusal(t.connect(none))).toMatchObject({ code: 'auth.invalid' });
    const input = `${json({ alg: 'HS256', typ: 'vh-access+jwt', kid: t.keyRing.active.kid })}.${json(claims())}`;
    const hs256 = `${input}.${createHmac('sha256', base64url.decode(t.keyRing.publicJwks().keys[0]?.x ?? '')).update(input).digest('base64url')}`;
    expect(await refusal(t.connect(hs256))).toMatchObject({ code: 'auth.invalid' });
    expect(await refusal(t.connect('not-a-token'))).toMatchObject({ code: 'auth.invalid' });
    expect(await refusal(t.connectRaw(undefined, { auth: { token: { nested: true } } }))).toMatchObject({ code: 'auth.invalid' });
  });

  it('refuses a person token with a foreign typ, and a device token claiming to be a person', async () => {
    expect(await refusal(t.connect(await signed(claims(), 'JWT')))).toMatchObject({ code: 'auth.wrong_type' });
    const device = await signed(claims({ aud: 'venue-hub:devices', device_kind: 'gate', device_scope: {} }), 'vh-access+jwt');
    expect(await refusal(t.connect(device))).toMatchObject({ code: 'auth.wrong_audience' });
  });

  it('accepts a bearer token in the Authorization header', async () => {
    const socket = await t.connect(undefined, { extraHeaders: { authorization: `Bearer ${await t.person('vis_h', 'visitor')}` } });
    expect(await socket.emitWithAck('booking:hold', holdOf('hdr-1'))).toMatchObject({ ok: true, data: { context: { visitorId: 'vis_h' } } });
    socket.close();
  });

  it('gives devices their scope and nothing a person needs', async () => {
    const gate = await t.connect(await t.device('gate-n1', 'gate', { zone: 'north', gateId: 'n1' }));
    expect(await gate.emitWithAck('feed:subscribe', { feed: 'zone', zone: 'north' })).toMatchObject({ ok: true, data: { feed: 'zone', zone: 'north', snapshot: { rows: [] } } });
    expect(await gate.emitWithAck('feed:subscribe', { feed: 'zone', zone: 'south' })).toMatchObject({ ok: false, code: 'auth.forbidden' });
    expect(await gate.emitWithAck('feed:subscribe', { feed: 'dashboard' })).toMatchObject({ ok: false, code: 'auth.forbidden' });
    expect(await gate.emitWithAck('booking:hold', holdOf('gate-b1'))).toMatchObject({ ok: false, code: 'auth.forbidden' });
    expect(await gate.emitWithAck('actor:command', { kind: 'booking', id: 'hdr-1', event: { type: 'booking.submit' } })).toMatchObject({
      ok: false,
      code: 'auth.forbidden',
    });
    expect((await t.store.audit.list({ limit: 1, who: 'device:gate-n1' }))[0]).toMatchObject({ role: 'device:gate', outcome: 'denied' });
    const board = await t.connect(await t.device('kb-1', 'kitchen_board'));
    expect(await board.emitWithAck('feed:subscribe', { feed: 'kitchen' })).toMatchObject({ ok: true });
    gate.close();
    board.close();
  });

  it('ends a session when its token expires', async () => {
    const soon = createTokenService({ keyRing: t.keyRing, issuer: 'venue-hub', accessTtlSeconds: 60, clock: () => Date.now() - 58_500 });
    const socket = await t.connect((await soon.issueAccessToken({ sub: 'vis_exp', role: 'visitor' })).token);
    expect(await nextEvent(socket, 'session:ended')).toMatchObject({ code: 'auth.expired' });
    await disconnected(socket);
  });

  it('revokes live: the open socket is ended, the old token cannot reconnect, a newer one can', async () => {
    const victimToken = await t.person('vis_r', 'visitor');
    const victim = await t.connect(victimToken);
    const bystander = await t.connect(await t.person('vis_s', 'visitor'));
    const root = await t.connect(await t.person('root', 'super_admin'));
    const visitor = await t.connect(await t.person('vis_x', 'visitor'));

    expect(await visitor.emitWithAck('admin:revoke', { subject: 'user:vis_r', reason: 'try' })).toMatchObject({ ok: false, code: 'auth.forbidden' });
    const ended = nextEvent(victim, 'session:ended');
    const gone = disconnected(victim);
    const answer = await root.emitWithAck('admin:revoke', { subject: 'user:vis_r', reason: 'demoted' });
    expect(answer).toMatchObject({ ok: true, data: { subject: 'user:vis_r' } });
    expect(await ended).toMatchObject({ code: 'auth.revoked' });
    expect(await gone).toBe('io server disconnect');
    expect(bystander.connected).toBe(true);
    expect((await t.store.audit.list({ limit: 1, who: 'user:root' }))[0]).toMatchObject({ action: 'session.revoke', target: 'user:vis_r', outcome: 'allowed' });
    expect(await refusal(t.connect(victimToken))).toMatchObject({ code: 'auth.revoked' });

    const later = createTokenService({ keyRing: t.keyRing, issuer: 'venue-hub', accessTtlSeconds: 900, clock: () => Date.now() + 2_000 });
    const again = await t.connect((await later.issueAccessToken({ sub: 'vis_r', role: 'visitor' })).token);
    expect(again.connected).toBe(true);
    for (const s of [again, bystander, root, visitor]) s.close();
  });
});

/** Sends a raw WebSocket upgrade and returns the HTTP status and body the hub answers with. */
function upgrade(url: string, origin: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}/socket.io/?EIO=4&transport=websocket`, {
      headers: { connection: 'Upgrade', upgrade: 'websocket', 'sec-websocket-version': '13', 'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==', origin },
    });
    req.on('response', (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('upgrade', (_res, socket) => {
      socket.destroy();
      resolve({ status: 101, body: '' });
    });
    req.on('error', reject);
    req.end();
  });
}

describe.each(SOCKET_ENGINES)('Origin allowlist on the %s engine', (engine) => {
  let t: TestHub;
  let token: string;
  beforeAll(async () => {
    t = await startTestHub({ config: { SOCKET_ENGINE: engine, ALLOWED_ORIGINS: ['https://venue.example'] } });
    token = await t.person('vis_o', 'visitor');
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('refuses a foreign Origin before the upgrade with auth.origin', async () => {
    await expect(t.connect(token, { extraHeaders: { origin: 'https://evil.example' } })).rejects.toThrow();
    const answer = await upgrade(t.url, 'https://evil.example');
    // engine.io answers a refused upgrade with 403 on uWebSockets.js and 400 on the ws engine.
    expect(answer.status).toBe(engine === 'uws' ? 403 : 400);
    expect(answer.body).toContain('auth.origin');
    expect(await (await fetch(`${t.url}/metrics`)).text()).toMatch(/vh_refusals_total\{code="auth.origin"\} [1-9]/);
  });

  it('accepts listed origins, its own origin and clients that send none', async () => {
    const headerSets: Record<string, string>[] = [{ origin: 'https://venue.example' }, { origin: t.url }, {}];
    for (const headers of headerSets) {
      const socket = await t.connect(token, { extraHeaders: headers });
      expect(socket.connected).toBe(true);
      socket.close();
    }
  });
});

import { createHmac } from 'node:crypto';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { base64url, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSigningJwk, keyFilePath, loadOrCreateKeyRing } from './keys.js';
import type { KeyRing } from './keys.js';
import { createTokenService } from './tokens.js';
import type { TokenServiceDeps } from './tokens.js';

const T0 = Date.UTC(2025, 5, 1, 10, 0, 0);
let dataDir: string;
let ring: KeyRing;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'vh-tokens-'));
  ring = await loadOrCreateKeyRing({ dataDir });
});
afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

function service(overrides: Partial<TokenServiceDeps> = {}) {
  return createTokenService({ keyRing: ring, issuer: 'venue-hub', accessTtlSeconds: 900, clock: () => T0, ...overrides });
}

const json = (value: unknown) => base64url.encode(JSON.stringify(value));
const claims = (overrides: Record<string, unknown> = {}) => ({
  iss: 'venue-hub',
  aud: 'venue-hub:people',
  sub: 'user-1',
  role: 'visitor',
  jti: 'jti-1',
  iat: T0 / 1000,
  exp: T0 / 1000 + 900,
  ...overrides,
});

describe('issuing and verifying', () => {
  it('accepts a valid person token', async () => {
    const tokens = service();
    const issued = await tokens.issueAccessToken({ sub: 'user-1', role: 'booking_admin' });
    expect(issued.expiresAt).toBe(T0 / 1000 + 900);
    const result = await tokens.verify(issued.token, 'access');
    expect(result).toEqual({
      ok: true,
      principal: { kind: 'person', userId: 'user-1', role: 'booking_admin', jti: issued.jti, iat: T0 / 1000, exp: issued.expiresAt },
    });
  });

  it('accepts a valid device token with its scope and a 30-day default life', async () => {
    const tokens = service();
    const issued = await tokens.issueDeviceToken({ deviceId: 'gate-7', deviceKind: 'gate', scope: { zone: 'north', gateId: 'g7' } });
    expect(issued.expiresAt).toBe(T0 / 1000 + 30 * 24 * 3600);
    const result = await tokens.verify(issued.token, 'device');
    expect(result).toEqual({
      ok: true,
      principal: { kind: 'device', deviceId: 'gate-7', deviceKind: 'gate', scope: { zone: 'north', gateId: 'g7' }, jti: issued.jti, iat: T0 / 1000, exp: issued.expiresAt },
    });
  });

  it('signs with EdDSA, its typ and the active kid', async () => {
    const { token } = await service().issueAccessToken({ sub: 'u', role: 'visitor' });
    const header: unknown = JSON.parse(new TextDecoder().decode(base64url.decode(token.split('.')[0] ?? '')));
    expect(header).toEqual({ alg: 'EdDSA', typ: 'vh-access+jwt', kid: ring.active.kid });
  });

  it('refuses a missing token with auth.missing and a non-string with auth.invalid', async () => {
    const tokens = service();
    for (const missing of [undefined, null, '', '   ']) {
      expect(await tokens.verify(missing, 'access')).toMatchObject({ ok: false, code: 'auth.missing' });
    }
    expect(await tokens.verify(42, 'access')).toMatchObject({ ok: false, code: 'auth.invalid' });
    expect(await tokens.verify('not.a.jwt', 'access')).toMatchObject({ ok: false, code: 'auth.invalid' });
    expect(await tokens.verify('x'.repeat(10_000), 'access')).toMatchObject({ ok: false, code: 'auth.invalid' });
  });

  it('refuses an expired token with auth.expired', async () => {
    const { token } = await service().issueAccessToken({ sub: 'user-1', role: 'visitor' });
    const later = service({ clock: () => T0 + 900_000 + 10_000 });
    expect(await later.verify(token, 'access')).toMatchObject({ ok: false, code: 'auth.expired' });
  });

  it('refuses a token for another audience with auth.wrong_audience', async () => {
    const token = await new SignJWT(claims({ aud: 'somebody-else' }))
      .setProtectedHeader({ alg: 'EdDSA', typ: 'vh-access+jwt', kid: ring.active.kid })
      .sign(ring.active.privateKey);
    expect(await service().verify(token, 'access')).toMatchObject({ ok: false, code: 'auth.wrong_audience' });
  });

  it('refuses a token from another issuer with auth.invalid', async () => {
    const { token } = await service({ issuer: 'elsewhere' }).issueAccessToken({ sub: 'user-1', role: 'visitor' });
    expect(await service().verify(token, 'access')).toMatchObject({ ok: false, code: 'auth.invalid' });
  });

  it('refuses a device token used as a person, and the reverse, with auth.wrong_type', async () => {
    const tokens = service();
    const device = await tokens.issueDeviceToken({ deviceId: 'locker-1', deviceKind: 'locker', scope: { lockerBankId: 'b1' } });
    const person = await tokens.issueAccessToken({ sub: 'user-1', role: 'super_admin' });
    expect(await tokens.verify(device.token, 'access')).toMatchObject({ ok: false, code: 'auth.wrong_type' });
    expect(await tokens.verify(person.token, 'device')).toMatchObject({ ok: false, code: 'auth.wrong_type' });
  });

  it('refuses claims of the wrong shape with auth.invalid even when signed', async () => {
    const token = await new SignJWT(claims({ role: 'root' }))
      .setProtectedHeader({ alg: 'EdDSA', typ: 'vh-access+jwt', kid: ring.active.kid })
      .sign(ring.active.privateKey);
    expect(await service().verify(token, 'access')).toMatchObject({ ok: false, code: 'auth.invalid' });
  });
});

describe('forgeries', () => {
  it('refuses an unsigned alg:none token', async () => {
    const token = `${json({ alg: 'none', typ: 'vh-access+jwt', kid: ring.active.kid })}.${json(claims())}.`;
    expect(await service().verify(token, 'access')).toMatchObject({ ok: false, code: 'auth.invalid', message: expect.stringContaining('algorithm') });
  });

  it('refuses an HS256 token keyed with the public key', async () => {
    const publicX = ring.publicJwks().keys[0]?.x ?? '';
    const signingInput = `${json({ alg: 'HS256', typ: 'vh-access+jwt', kid: ring.active.kid })}.${json(claims({ role: 'super_admin' }))}`;
    for (const secret of [base64url.decode(publicX), Buffer.from(JSON.stringify(ring.publicJwks().keys[0]))]) {
      const signature = createHmac('sha256', secret).update(signingInput).digest('base64url');
      const result = await service().verify(`${signingInput}.${signature}`, 'access');
      expect(result).toMatchObject({ ok: false, code: 'auth.invalid', message: expect.stringContaining('algorithm') });
    }
  });

  it('refuses a token signed by a key with an unknown kid', async () => {
    const { privateKey } = await generateKeyPair('EdDSA');
    const stranger = await new SignJWT(claims()).setProtectedHeader({ alg: 'EdDSA', typ: 'vh-access+jwt', kid: 'stranger' }).sign(privateKey);
    expect(await service().verify(stranger, 'access')).toMatchObject({ ok: false, code: 'auth.invalid', message: expect.stringContaining('key') });
    const borrowedKid = await new SignJWT(claims()).setProtectedHeader({ alg: 'EdDSA', typ: 'vh-access+jwt', kid: ring.active.kid }).sign(privateKey);
    expect(await service().verify(borrowedKid, 'access')).toMatchObject({ ok: false, code: 'auth.invalid', message: expect.stringContaining('signature') });
    const noKid = await new SignJWT(claims()).setProtectedHeader({ alg: 'EdDSA', typ: 'vh-access+jwt' }).sign(ring.active.privateKey);
    expect(await service().verify(noKid, 'access')).toMatchObject({ ok: false, code: 'auth.invalid' });
  });

  it('refuses a token whose payload was altered', async () => {
    const { token } = await service().issueAccessToken({ sub: 'user-1', role: 'visitor' });
    const [header, , signature] = token.split('.');
    const forged = `${header}.${json(claims({ role: 'super_admin' }))}.${signature}`;
    expect(await service().verify(forged, 'access')).toMatchObject({ ok: false, code: 'auth.invalid', message: expect.stringContaining('signature') });
  });
});

describe('revocation', () => {
  it('refuses a revoked jti with auth.revoked and lets others through', async () => {
    const revoked = new Set<string>();
    const tokens = service({ isRevoked: (jti) => revoked.has(jti) });
    const first = await tokens.issueAccessToken({ sub: 'user-1', role: 'visitor' });
    const second = await tokens.issueAccessToken({ sub: 'user-1', role: 'visitor' });
    revoked.add(first.jti);
    expect(await tokens.verify(first.token, 'access')).toMatchObject({ ok: false, code: 'auth.revoked' });
    expect(await tokens.verify(second.token, 'access')).toMatchObject({ ok: true });
  });
});

describe('key ring', () => {
  it('persists the generated key with mode 0600 and reuses it', async () => {
    const again = await loadOrCreateKeyRing({ dataDir });
    expect(again.active.kid).toBe(ring.active.kid);
    const file = keyFilePath(dataDir, 'access');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const { token } = await service().issueAccessToken({ sub: 'u', role: 'visitor' });
    const fromReloaded = createTokenService({ keyRing: again, issuer: 'venue-hub', accessTtlSeconds: 900, clock: () => T0 });
    expect(await fromReloaded.verify(token, 'access')).toMatchObject({ ok: true });
  });

  it('agrees on one key when two loaders race on a fresh directory', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vh-race-'));
    try {
      const [a, b] = await Promise.all([loadOrCreateKeyRing({ dataDir: dir }), loadOrCreateKeyRing({ dataDir: dir })]);
      expect(a.active.kid).toBe(b.active.kid);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('keeps ticket keys apart from access keys', async () => {
    const tickets = await loadOrCreateKeyRing({ dataDir, purpose: 'ticket' });
    expect(tickets.active.kid).not.toBe(ring.active.kid);
    expect(keyFilePath(dataDir, 'ticket')).not.toBe(keyFilePath(dataDir, 'access'));
    expect(tickets.verificationKey(ring.active.kid)).toBeUndefined();
  });

  it('publishes only public halves', async () => {
    const text = JSON.stringify(ring.publicJwks());
    expect(text).not.toContain('"d"');
    const file = JSON.parse(await readFile(keyFilePath(dataDir, 'access'), 'utf8')) as { keys: { d?: string }[] };
    expect(file.keys[0]?.d).toBeTypeOf('string');
    expect(ring.publicJwks().keys).toEqual([expect.objectContaining({ kid: ring.active.kid, alg: 'EdDSA', use: 'sig', kty: 'OKP', crv: 'Ed25519' })]);
  });

  it('still verifies tokens of a retired key listed as verify-only after rotation', async () => {
    const oldJwk = await generateSigningJwk();
    const newJwk = await generateSigningJwk();
    const before = await loadOrCreateKeyRing({ dataDir, privateJwks: [oldJwk] });
    const oldToken = await createTokenService({ keyRing: before, issuer: 'venue-hub', accessTtlSeconds: 900, clock: () => T0 }).issueAccessToken({
      sub: 'user-1',
      role: 'visitor',
    });

    const { d: _secret, ...oldPublic } = oldJwk;
    for (const retired of [oldJwk, oldPublic]) {
      const after = await loadOrCreateKeyRing({ dataDir, privateJwks: [newJwk, retired] });
      const tokens = createTokenService({ keyRing: after, issuer: 'venue-hub', accessTtlSeconds: 900, clock: () => T0 });
      expect(after.active.kid).toBe(newJwk.kid);
      expect(await tokens.verify(oldToken.token, 'access')).toMatchObject({ ok: true });
      const fresh = await tokens.issueAccessToken({ sub: 'user-2', role: 'visitor' });
      expect(await tokens.verify(fresh.token, 'access')).toMatchObject({ ok: true });
      expect(after.publicJwks().keys.map((k) => k.kid)).toEqual([newJwk.kid, oldJwk.kid]);
    }
  });

  it('refuses configured keys that cannot sign', async () => {
    const a = await generateSigningJwk();
    const b = await generateSigningJwk();
    const { d: _secret, ...publicOnly } = a;
    await expect(loadOrCreateKeyRing({ dataDir, privateJwks: [publicOnly] })).rejects.toMatchObject({ code: 'config.invalid' });
    await expect(loadOrCreateKeyRing({ dataDir, privateJwks: [{ ...a, d: b.d }] })).rejects.toMatchObject({ code: 'config.invalid' });
    await expect(loadOrCreateKeyRing({ dataDir, privateJwks: [a, { ...b, kid: a.kid }] })).rejects.toMatchObject({ code: 'config.invalid' });
  });
});

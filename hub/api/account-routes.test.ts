import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccountView } from '../../workers/accounts/account-service.js';
import { holdOf } from '../hub.test-support.js';
import type { SignedInAnswer } from './account-routes.js';
import type { ApiHub } from './api.test-support.js';
import { data, startApiHub } from './api.test-support.js';

describe('account routes over HTTP', () => {
  let t: ApiHub;
  beforeAll(async () => {
    // Codes may be re-sent at once so that the per-account lock can be reached across codes.
    t = await startApiHub({ accountLimits: { resendGapMs: 0 } });
  });
  afterAll(() => t.stop());

  it('registers, verifies by the emailed code, and the access token opens a socket that can book', async () => {
    const registered = await t.call<{ verificationId: string }>('POST', '/api/auth/register', { name: 'Noura', email: 'Noura@Example.com' });
    expect(registered.status).toBe(200);
    const { message } = await t.services.codeFor('noura@example.com', data(registered).verificationId);
    expect(message).toMatchObject({ kind: 'verify', code: expect.stringMatching(/^\d{6}$/) });
    const signedIn = data(await t.call<SignedInAnswer>('POST', '/api/auth/verify', { verificationId: data(registered).verificationId, code: message.code }));
    expect(signedIn.account).toMatchObject({ name: 'Noura', email: 'noura@example.com', emailVerified: true, role: 'visitor', status: 'active' });
    expect(signedIn.accessExpiresAt).toBeGreaterThan(Date.now());
    expect(signedIn.refreshExpiresAt).toBeGreaterThan(signedIn.accessExpiresAt);

    expect(data(await t.call<AccountView>('GET', '/api/me', undefined, signedIn.accessToken))).toMatchObject({ userId: signedIn.account.userId });
    const socket = await t.connect(signedIn.accessToken);
    const held = await socket.emitWithAck('booking:hold', holdOf('acct-b1'));
    expect(held).toMatchObject({ ok: true, data: { state: 'held', context: { visitorId: signedIn.account.userId, total: 5_000 } } });
    socket.close();
  });

  it('verifies by the emailed confirmation link as well', async () => {
    const { verificationId } = data(await t.call<{ verificationId: string }>('POST', '/api/auth/register', { name: 'Linked', email: 'linked@example.com' }));
    const { message } = await t.services.codeFor('linked@example.com', verificationId);
    const fragment = new URLSearchParams(new URL(message.link ?? 'http://x/').hash.slice(1));
    expect(fragment.get('v')).toBe(verificationId);
    const signedIn = data(await t.call<SignedInAnswer>('POST', '/api/auth/verify-link', { verificationId, token: fragment.get('t') }));
    expect(signedIn.account).toMatchObject({ email: 'linked@example.com', emailVerified: true });
    // Single use: the code of the same verification no longer works.
    expect((await t.call('POST', '/api/auth/verify', { verificationId, code: message.code })).body).toMatchObject({ ok: false, code: 'otp.invalid' });
  });

  it('answers a registration for an already verified address exactly like a new one', async () => {
    const first = await t.signUp('taken@example.com', 'First');
    const again = await t.call<{ verificationId: string }>('POST', '/api/auth/register', { name: 'Someone', email: 'taken@example.com' });
    const fresh = await t.call<{ verificationId: string }>('POST', '/api/auth/register', { name: 'Someone', email: 'fresh@example.com' });
    expect(again.status).toBe(fresh.status);
    expect(Object.keys(again.body)).toEqual(Object.keys(fresh.body));
    expect(Object.keys(data(again))).toEqual(Object.keys(data(fresh)));
    expect(data(again).verificationId).toMatch(/^v_/);
    // Only the owner's inbox learns that the account exists; its code signs the owner in.
    const { message } = await t.services.codeFor('taken@example.com', data(again).verificationId);
    expect(message.kind).toBe('account_exists');
    const owner = data(await t.call<SignedInAnswer>('POST', '/api/auth/verify', { verificationId: data(again).verificationId, code: message.code }));
    expect(owner.account).toMatchObject({ userId: first.account.userId, name: 'First' });
  });

  it('cuts off an OTP brute force: 5 wrong tries lock a code, 10 lock the account across codes', async () => {
    const email = 'brute@example.com';
    const attempt = async (verificationId: string, code: string) => {
      const answer = await t.call('POST', '/api/auth/verify', { verificationId, code });
      return answer.body.ok ? 'ok' : `${answer.status} ${answer.body.code}`;
    };
    const wrongFor = (code: string) => (code === '000000' ? '111111' : '000000');
    const first = data(await t.call<{ verificationId: string }>('POST', '/api/auth/register', { name: 'Target', email })).verificationId;
    const firstCode = (await t.services.codeFor(email, first)).message.code;
    const tries: string[] = [];
    for (let i = 0; i < 5; i++) tries.push(await attempt(first, wrongFor(firstCode)));
    expect(tries).toEqual(['400 otp.invalid', '400 otp.invalid', '400 otp.invalid', '400 otp.invalid', '429 otp.locked']);
    expect(await attempt(first, firstCode)).toBe('429 otp.locked');

    // A new code does not reset the count: the 10th failure locks the account itself.
    const second = data(await t.call<{ verificationId: string }>('POST', '/api/auth/resend', { verificationId: first })).verificationId;
    const secondCode = (await t.services.codeFor(email, second)).message.code;
    const more: string[] = [];
    for (let i = 0; i < 5; i++) more.push(await attempt(second, wrongFor(secondCode)));
    expect(more).toEqual(['400 otp.invalid', '400 otp.invalid', '400 otp.invalid', '400 otp.invalid', '429 otp.locked']);
    const third = data(await t.call<{ verificationId: string }>('POST', '/api/auth/resend', { verificationId: second })).verificationId;
    const thirdCode = (await t.services.codeFor(email, third)).message.code;
    expect(await attempt(third, thirdCode)).toBe('429 otp.locked');
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import { flushBackground, openAccountsHarness, seededRandom, type AccountsHarness } from './account-service.test-support.js';

const MIN = 60_000;
let h: AccountsHarness;
const harnesses: AccountsHarness[] = [];
async function open(options: Parameters<typeof openAccountsHarness>[0] = {}): Promise<AccountsHarness> {
  const opened = await openAccountsHarness(options);
  harnesses.push(opened);
  return opened;
}
afterEach(async () => {
  for (const x of harnesses.splice(0)) await x.close();
});

async function register(email: string): Promise<string> {
  const r = await h.service.register({ name: 'Sara', email });
  if (!r.ok) throw new Error(`${r.code}: ${r.message}`);
  return r.data.verificationId;
}

describe('registration and verification', () => {
  it('sends a 6-digit code and a link, verifies the address, and only then allows booking', async () => {
    h = await open();
    const verificationId = await register('  Sara@Example.TEST ');
    const { channel, message } = await h.lastSent('sara@example.test');
    expect(channel).toBe('email');
    expect(message.kind).toBe('verify');
    expect(message.code).toMatch(/^\d{6}$/);
    expect(message.link).toMatch(new RegExp(`^https://venue\\.example/verify#v=${verificationId}&t=[A-Za-z0-9_-]{43}$`));
    expect(message.expiresAt).toBe(h.now.value + 10 * MIN);

    const user = (await h.accounts.challenges.get(verificationId))?.userId ?? '';
    expect(await h.service.assertCanBook(user)).toMatchObject({ ok: false, code: 'account.unverified' });
    const verified = await h.service.verify({ verificationId, code: message.code });
    expect(verified).toMatchObject({ ok: true, data: { userId: user, email: 'sara@example.test', emailVerified: true, phoneVerified: false, role: 'visitor' } });
    expect(await h.service.canBook(user)).toBe(true);
    // Single use.
    expect(await h.service.verify({ verificationId, code: message.code })).toMatchObject({ ok: false, code: 'otp.invalid' });
  });

  it('verifies by the emailed link token instead, under the same single-use rule', async () => {
    h = await open();
    const verificationId = await register('link@example.test');
    const { message } = await h.lastSent('link@example.test');
    const token = new URL(message.link ?? '').hash.split('&t=')[1] ?? '';
    expect(await h.service.verifyLink({ verificationId, token: token.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A')) })).toMatchObject({ code: 'otp.invalid' });
    expect(await h.service.verifyLink({ verificationId, token })).toMatchObject({ ok: true, data: { emailVerified: true } });
    expect(await h.service.verify({ verificationId, code: message.code })).toMatchObject({ ok: false, code: 'otp.invalid' });
  });

  it('verifies a phone by SMS code, normalised to E.164', async () => {
    h = await open();
    const r = await h.service.register({ name: 'Omar', phone: '00966 50-123 4567' });
    expect(r.ok).toBe(true);
    const { channel, message } = await h.lastSent('+966501234567');
    expect(channel).toBe('sms');
    expect(message.link).toBeNull();
    expect(await h.service.verify({ verificationId: r.ok ? r.data.verificationId : '', code: message.code })).toMatchObject({ ok: true, data: { phone: '+966501234567', phoneVerified: true } });
    expect(await h.service.register({ name: 'x', phone: '12345' })).toMatchObject({ ok: false, code: 'input.invalid' });
    expect(await h.service.register({ name: 'x' })).toMatchObject({ ok: false, code: 'input.invalid' });
  });

  it('expires codes after the TTL', async () => {
    h = await open();
    const verificationId = await register('late@example.test');
    const { message } = await h.lastSent('late@example.test');
    h.advance(10 * MIN);
    expect(await h.service.verify({ verificationId, code: message.code })).toMatchObject({ ok: false, code: 'otp.expired' });
  });

  it('invalidates the previous code when a new one is sent', async () => {
    h = await open();
    const first = await register('twice@example.test');
    const old = (await h.lastSent('twice@example.test')).message.code;
    h.advance(31_000);
    const again = await h.service.resend({ verificationId: first });
    expect(again.ok).toBe(true);
    const fresh = (await h.lastSent('twice@example.test')).message.code;
    expect(await h.service.verify({ verificationId: first, code: old })).toMatchObject({ ok: false, code: 'otp.invalid' });
    expect(await h.service.verify({ verificationId: again.ok ? again.data.verificationId : '', code: fresh })).toMatchObject({ ok: true });
  });

  it('throttles sends per address: one per 30 s and five per hour, whatever the entry point', async () => {
    h = await open();
    const first = await register('busy@example.test');
    expect(await h.service.resend({ verificationId: first })).toMatchObject({ ok: false, code: 'otp.throttled' });
    expect(await h.service.register({ name: 'again', email: 'busy@example.test' })).toMatchObject({ ok: false, code: 'otp.throttled' });
    for (let i = 0; i < 4; i++) {
      h.advance(31_000);
      expect((await h.service.resend({ verificationId: first })).ok).toBe(true);
    }
    h.advance(31_000);
    expect(await h.service.resend({ verificationId: first })).toMatchObject({ ok: false, code: 'otp.throttled' });
    await flushBackground();
    expect(h.sent).toHaveLength(5);
    h.advance(60 * MIN);
    expect((await h.service.resend({ verificationId: first })).ok).toBe(true);
  });
});

describe('brute force', () => {
  it('locks one code after 5 wrong tries and the account after 10, even across new codes', async () => {
    h = await open();
    const userId = await h.verifiedVisitor('owner@example.test');
    h.advance(31_000);
    const start = await h.service.startSignIn({ email: 'owner@example.test' });
    let verificationId = start.ok ? start.data.verificationId : '';
    let code = (await h.lastSent('owner@example.test')).message.code;
    const wrong = code === '000000' ? '111111' : '000000';

    for (let i = 0; i < 4; i++) expect(await h.service.completeSignIn({ verificationId, code: wrong })).toMatchObject({ code: 'otp.invalid' });
    expect(await h.service.completeSignIn({ verificationId, code: wrong })).toMatchObject({ code: 'otp.locked' });
    expect(await h.service.completeSignIn({ verificationId, code })).toMatchObject({ ok: false, code: 'otp.locked' });

    h.advance(31_000);
    const second = await h.service.startSignIn({ email: 'owner@example.test' });
    verificationId = second.ok ? second.data.verificationId : '';
    code = (await h.lastSent('owner@example.test')).message.code;
    for (let i = 0; i < 4; i++) expect(await h.service.completeSignIn({ verificationId, code: wrong })).toMatchObject({ code: 'otp.invalid' });
    expect(await h.service.completeSignIn({ verificationId, code: wrong })).toMatchObject({ ok: false, code: 'otp.locked' });
    // The right code of a fresh OTP is refused too: the lock is on the account.
    h.advance(31_000);
    const third = await h.service.startSignIn({ email: 'owner@example.test' });
    expect(third.ok).toBe(true);
    const thirdCode = (await h.lastSent('owner@example.test')).message.code;
    const thirdId = third.ok ? third.data.verificationId : '';
    expect(await h.service.completeSignIn({ verificationId: thirdId, code: thirdCode })).toMatchObject({ ok: false, code: 'otp.locked' });

    // After the cool-down a fresh code works again.
    h.advance(30 * MIN);
    const fourth = await h.service.startSignIn({ email: 'owner@example.test' });
    const fourthCode = (await h.lastSent('owner@example.test')).message.code;
    expect(await h.service.completeSignIn({ verificationId: fourth.ok ? fourth.data.verificationId : '', code: fourthCode })).toEqual({ ok: true, data: { userId, role: 'visitor' } });
  });

  it('cuts off 50 concurrent guesses at the per-code limit', async () => {
    h = await open();
    const verificationId = await register('race@example.test');
    const code = (await h.lastSent('race@example.test')).message.code;
    const guesses = Array.from({ length: 50 }, (_, i) => String((Number(code) + 1 + i) % 1_000_000).padStart(6, '0'));
    const answers = await Promise.all(guesses.map((g) => h.service.verify({ verificationId, code: g })));
    expect(answers.filter((a) => !a.ok && a.code === 'otp.invalid')).toHaveLength(4);
    expect((await h.accounts.challenges.get(verificationId))?.attempts).toBe(5);
    expect(await h.service.verify({ verificationId, code })).toMatchObject({ ok: false, code: 'otp.locked' });
  });
});

describe('no account enumeration', () => {
  /** Two identical services; the compared call runs with the same random sequence in both. */
  async function twin(): Promise<{ a: AccountsHarness; b: AccountsHarness; ra: ReturnType<typeof seededRandom>; rb: ReturnType<typeof seededRandom> }> {
    const ra = seededRandom();
    const rb = seededRandom();
    const a = await open({ random: ra });
    const b = await open({ random: rb });
    await a.verifiedVisitor('known@example.test');
    await b.verifiedVisitor('known@example.test');
    a.advance(31_000);
    b.advance(31_000);
    ra.reset(1000);
    rb.reset(1000);
    a.hashCalls.count = 0;
    b.hashCalls.count = 0;
    return { a, b, ra, rb };
  }

  it('answers a sign-up of a new and of an existing address identically, with the same hashing work', async () => {
    const { a, b } = await twin();
    const fresh = await a.service.register({ name: 'New', email: 'new@example.test' });
    const existing = await b.service.register({ name: 'New', email: 'known@example.test' });
    expect(existing).toEqual(fresh);
    expect(b.hashCalls.count).toBe(a.hashCalls.count);
    // The owner is told someone tried, with a code that signs them in.
    const told = await b.lastSent('known@example.test');
    expect(told.message.kind).toBe('account_exists');
    expect(await b.service.verify({ verificationId: existing.ok ? existing.data.verificationId : '', code: told.message.code })).toMatchObject({ ok: true, data: { email: 'known@example.test' } });
  });

  it('never sends a code for an account to an address that is not that account\'s', async () => {
    h = await open();
    const r = await h.service.register({ name: 'Owner', phone: '+966500000001' });
    const sms = await h.lastSent('+966500000001');
    const owner = await h.service.verify({ verificationId: r.ok ? r.data.verificationId : '', code: sms.message.code });
    // Someone else signs up with their own email and the owner's phone.
    const other = await h.service.register({ name: 'Other', email: 'other@example.test', phone: '+966500000001' });
    const mail = await h.lastSent('other@example.test');
    expect(mail.message.kind).toBe('verify');
    const verified = await h.service.verify({ verificationId: other.ok ? other.data.verificationId : '', code: mail.message.code });
    expect(verified).toMatchObject({ ok: true, data: { email: 'other@example.test', phone: '+966500000001', phoneVerified: false } });
    expect(verified.ok && owner.ok && verified.data.userId !== owner.data.userId).toBe(true);
  });

  it('answers a sign-in of an unknown and of a known address identically, and the decoy never redeems', async () => {
    const { a, b } = await twin();
    const unknown = await a.service.startSignIn({ email: 'nobody@example.test' });
    const known = await b.service.startSignIn({ email: 'known@example.test' });
    expect(unknown).toEqual(known);
    expect(a.hashCalls.count).toBe(b.hashCalls.count);
    await flushBackground();
    expect(a.sent.filter((s) => s.to === 'nobody@example.test')).toEqual([]);
    const decoy = unknown.ok ? unknown.data.verificationId : '';
    for (let i = 0; i < 4; i++) expect(await a.service.completeSignIn({ verificationId: decoy, code: String(i).padStart(6, '0') })).toMatchObject({ code: 'otp.invalid' });
    expect(await a.service.completeSignIn({ verificationId: decoy, code: '000009' })).toMatchObject({ code: 'otp.locked' });
  });
});

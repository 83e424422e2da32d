import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../workers/store/actor-store.js';
import { disconnected, holdOf, nextEvent, TEST_ACTIVITY, TEST_SLOT, TEST_TICKETS } from '../hub.test-support.js';
import type { SignedInAnswer } from './account-routes.js';
import type { ApiHub } from './api.test-support.js';
import { data, startApiHub } from './api.test-support.js';

const TICKET = { ticketTypeId: 'test-senior', activityId: TEST_ACTIVITY, name: 'Senior', price: 2_000, maxPerBooking: 4 };

describe('admin routes', () => {
  let t: ApiHub;
  let admin: string;
  beforeAll(async () => {
    t = await startApiHub({ accountLimits: { resendGapMs: 0 } });
    admin = await t.person('root', 'super_admin');
  });
  afterAll(() => t.stop());

  const audit = async (query: string, token = admin) => data(await t.call<{ entries: AuditEntry[] }>('GET', `/api/admin/audit?${query}`, undefined, token)).entries;

  it('refuses visitors and other staff, and audits every refused attempt', async () => {
    const visitor = await t.person('adm-vis', 'visitor');
    const attempts = [
      await t.call('POST', '/api/admin/catalog/ticket_type', TICKET, visitor),
      await t.call('PATCH', `/api/admin/catalog/ticket_type/${TEST_TICKETS.adult.ticketTypeId}`, { price: 1 }, visitor),
      await t.call('POST', '/api/admin/users/root/role', { role: 'visitor' }, visitor),
      await t.call('POST', '/api/admin/users/root/suspend', { reason: 'mine now' }, visitor),
      await t.call('GET', '/api/admin/audit', undefined, visitor),
    ];
    expect(attempts.map((a) => `${a.status} ${a.body.ok ? 'ok' : a.body.code}`)).toEqual(Array(5).fill('403 auth.forbidden'));
    const rows = await audit('who=user:adm-vis');
    expect(rows.map((r) => `${r.outcome} ${r.action} ${r.target ?? ''}`).sort()).toEqual([
      'denied account.set_role account/root',
      'denied account.suspend account/root',
      'denied audit.read ',
      'denied catalog.create ticket_type/new',
      `denied catalog.update ticket_type/${TEST_TICKETS.adult.ticketTypeId}`,
    ]);
    const finance = await t.person('adm-fin', 'finance_admin');
    expect((await t.call('POST', '/api/admin/catalog/ticket_type', TICKET, finance)).status).toBe(403);
    expect((await audit('limit=5', finance)).length).toBe(5);
    expect((await t.call('GET', '/api/admin/audit')).body).toMatchObject({ ok: false, code: 'auth.missing' });
    expect((await t.call('GET', '/api/admin/audit?limit=0', undefined, admin)).body).toMatchObject({ ok: false, code: 'event.invalid' });
  });

  it('lets a super admin change the catalog, and holds are priced from the change', async () => {
    const created = await t.call('POST', '/api/admin/catalog/ticket_type', TICKET, admin);
    expect(created.status).toBe(201);
    expect(data(created)).toMatchObject({ ticketTypeId: 'test-senior', requiresApproval: false, admits: 1 });
    expect((await t.call('POST', '/api/admin/catalog/ticket_type', TICKET, admin)).body).toMatchObject({ ok: false, code: 'catalog.invalid' });
    expect((await t.call('POST', '/api/admin/catalog/rides', {}, admin)).status).toBe(404);
    expect(data(await t.call('PATCH', '/api/admin/catalog/ticket_type/test-senior', { price: 2_500, requiresApproval: true }, admin))).toMatchObject({ price: 2_500, requiresApproval: true });

    const socket = await t.connect(await t.person('senior-vis', 'visitor'));
    const held = await socket.emitWithAck('booking:hold', { bookingId: 'senior-1', slotId: TEST_SLOT, items: [{ ticketTypeId: 'test-senior', qty: 2 }] });
    expect(held).toMatchObject({ ok: true, data: { context: { total: 5_000, requiresApproval: true } } });
    socket.close();
    expect((await audit('who=user:root')).some((r) => r.action === 'catalog.update' && r.outcome === 'allowed')).toBe(true);
  });

  it('demotion ends the demoted person’s open sockets', async () => {
    const staffToken = await t.person('adm-booker', 'booking_admin');
    const socket = await t.connect(staffToken);
    const ended = nextEvent(socket, 'session:ended');
    const changed = data(await t.call<{ account: { role: string }; revokedBefore: number | null }>('POST', '/api/admin/users/adm-booker/role', { role: 'visitor' }, admin));
    expect(changed).toMatchObject({ account: { role: 'visitor' }, revokedBefore: expect.any(Number) });
    expect(await ended).toMatchObject({ code: 'auth.revoked' });
    await expect(t.connect(staffToken)).rejects.toMatchObject({ data: { code: 'auth.revoked' } });
    expect((await t.call('POST', '/api/admin/users/root/role', { role: 'visitor' }, admin)).body).toMatchObject({ ok: false, code: 'auth.forbidden' });
    expect((await t.call('POST', '/api/admin/users/adm-booker/role', { role: 'owner' }, admin)).body).toMatchObject({ ok: false, code: 'event.invalid' });
  });

  it('suspension ends sessions and stops booking and sign-in until reinstated', async () => {
    const person: SignedInAnswer = await t.signUp('suspect@example.com');
    const userId = person.account.userId;
    const socket = await t.connect(person.accessToken);
    expect(await socket.emitWithAck('booking:hold', holdOf('susp-1'))).toMatchObject({ ok: true });
    const gone = disconnected(socket);
    const support = await t.person('adm-support', 'support_admin');
    const suspended = data(await t.call<{ revokedBefore: number }>('POST', `/api/admin/users/${userId}/suspend`, { reason: 'chargebacks' }, support));
    expect(suspended).toMatchObject({ userId, status: 'suspended' });
    expect(await gone).toBe('io server disconnect');
    await expect(t.connect(person.accessToken)).rejects.toMatchObject({ data: { code: 'auth.revoked' } });

    // Even a token signed after the cut-off second cannot book for a suspended account.
    // A timer may fire a fraction of a millisecond early: wait until the clock has really passed the cut-off second.
    while (Date.now() < (suspended.revokedBefore + 1) * 1_000) await new Promise((resolve) => setTimeout(resolve, (suspended.revokedBefore + 1) * 1_000 - Date.now() + 1));
    const later = await t.connect((await t.tokens.issueAccessToken({ sub: userId, role: 'visitor' })).token);
    expect(await later.emitWithAck('booking:hold', holdOf('susp-2'))).toMatchObject({ ok: false, code: 'account.suspended' });
    later.close();
    expect((await t.call('POST', '/api/auth/refresh', { refreshToken: person.refreshToken })).body).toMatchObject({ ok: false, code: 'session.invalid' });
    const { verificationId } = data(await t.call<{ verificationId: string }>('POST', '/api/auth/sign-in', { email: 'suspect@example.com' }));
    expect(t.services.sent.some((s) => (s.message.link ?? '').includes(verificationId))).toBe(false);

    // Support admins act on visitors only; super admins reinstate.
    await t.person('adm-fin-2', 'finance_admin');
    expect((await t.call('POST', '/api/admin/users/adm-fin-2/suspend', { reason: 'x' }, support)).body).toMatchObject({ ok: false, code: 'auth.forbidden' });
    expect(data(await t.call('POST', `/api/admin/users/${userId}/reinstate`, {}, admin))).toMatchObject({ account: { userId, status: 'active' } });
    const back = await t.call<{ verificationId: string }>('POST', '/api/auth/sign-in', { email: 'suspect@example.com' });
    const { message } = await t.services.codeFor('suspect@example.com', data(back).verificationId);
    expect(data(await t.call<SignedInAnswer>('POST', '/api/auth/sign-in/complete', { verificationId: data(back).verificationId, code: message.code })).account.status).toBe('active');
  });
});

/**
 * Offline scan uploads on a real floor: passages recorded at their own time, double entries found
 * by the ticket actor and alerted through the relay, admissions the hub refuses alerted here, and
 * every scan applied once however often it is uploaded.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GateSync, MAX_OFFLINE_SCANS_PER_SYNC, TICKET_TOKEN_FORMAT } from '../../machines/contract/wire.js';
import type { OfflineScan } from '../../machines/contract/wire.js';
import { TicketContext } from '../../machines/ticket.schemas.js';
import { TICKET_ALG, TICKET_AUDIENCE, TICKET_TOKEN_TYPE } from '../tickets/ticket-token.js';
import type { OfflineFloor } from './offline-floor.test-support.js';
import { startOfflineFloor } from './offline-floor.test-support.js';

const GATE_A = { gateId: 'gate_a', zone: 'pool' };
const GATE_B = { gateId: 'gate_b', zone: 'pool' };

describe('offline sync', () => {
  let floor: OfflineFloor;
  let n = 0;
  const nonce = () => `sync-nonce-${String(++n).padStart(4, '0')}`;
  const entry = (token: string, at = Date.now()): OfflineScan => ({ token, nonce: nonce(), direction: 'entry', at, verdictShown: 'admitted' });
  const exit = (token: string, at = Date.now()): OfflineScan => ({ token, nonce: nonce(), direction: 'exit', at, verdictShown: 'exited' });
  const ticket = async (ticketId: string) => {
    const read = await floor.rt.host.read('ticket', ticketId);
    if (!read.ok) throw new Error(read.message);
    return { state: read.data.state, version: read.data.version, context: TicketContext.parse(read.data.context) };
  };

  beforeAll(async () => {
    floor = await startOfflineFloor();
  });
  afterAll(async () => {
    await floor?.stop();
  });

  it('signs and verifies tokens in the format gates are told about', () => {
    expect(TICKET_TOKEN_FORMAT).toEqual({ alg: TICKET_ALG, typ: TICKET_TOKEN_TYPE, audience: TICKET_AUDIENCE });
  });

  it('records an offline entry at its own time, checks the booking in, and answers a re-upload the same without applying twice', async () => {
    const [t] = await floor.confirmedBooking('bk_s1');
    const at = Date.now() - 60_000;
    const scans = [entry(t!.token, at), exit(t!.token, at + 1_000)];
    const first = await floor.sync.sync({ scans, ...GATE_B }, 'gate-b');
    expect(first.results).toEqual([
      { nonce: scans[0]!.nonce, recorded: true, ticketId: t!.ticketId, doubleEntry: false },
      { nonce: scans[1]!.nonce, recorded: true, ticketId: t!.ticketId, doubleEntry: false },
    ]);
    const after = await ticket(t!.ticketId);
    expect(after).toMatchObject({ state: 'valid', context: { lastEntry: { at, gateId: 'gate_b', nonce: scans[0]!.nonce }, lastExit: { at: at + 1_000 } } });
    expect(await floor.rt.host.read('booking', 'bk_s1')).toMatchObject({ ok: true, data: { state: expect.stringMatching(/^(checked_in|leaving)$/) } });
    expect(await floor.sync.sync({ scans, ...GATE_B }, 'gate-b')).toEqual(first);
    expect((await ticket(t!.ticketId)).version).toBe(after.version);
  });

  it('records an entry made offline while the hub had the ticket inside as a double entry, and alerts staff', async () => {
    const [t] = await floor.confirmedBooking('bk_s2');
    expect(await floor.scans.scan({ token: t!.token, nonce: nonce(), direction: 'entry', at: Date.now(), ...GATE_A }, 'gate-a')).toMatchObject({ verdict: 'admitted' });
    const scan = entry(t!.token);
    expect(await floor.sync.sync({ scans: [scan], ...GATE_B }, 'gate-b')).toEqual({ results: [{ nonce: scan.nonce, recorded: true, ticketId: t!.ticketId, doubleEntry: true }] });
    const after = await ticket(t!.ticketId);
    expect(after.state).toBe('inside');
    expect(after.context.doubleEntries).toEqual([{ at: scan.at, gateId: 'gate_b', nonce: scan.nonce }]);
    expect(after.context.lastEntry?.gateId).toBe('gate_a');
    const alert = await floor.waitForAlert((a) => a.type === 'double_entry' && a.ticketId === t!.ticketId);
    expect(alert).toMatchObject({ type: 'double_entry', bookingId: 'bk_s2', gateId: 'gate_b', at: scan.at, state: 'inside', previous: { gateId: 'gate_a' } });
    // Uploaded again: the same answer, still one double entry.
    expect(await floor.sync.sync({ scans: [scan], ...GATE_B }, 'gate-b')).toEqual({ results: [{ nonce: scan.nonce, recorded: true, ticketId: t!.ticketId, doubleEntry: true }] });
    expect((await ticket(t!.ticketId)).context.doubleEntries).toHaveLength(1);
  });

  it('records the entry of a used single-entry ticket as a double entry', async () => {
    const [t] = await floor.confirmedBooking('bk_s3', { ticketTypeId: 'single' });
    for (const direction of ['entry', 'exit'] as const) {
      await floor.scans.scan({ token: t!.token, nonce: nonce(), direction, at: Date.now(), ...GATE_A }, 'gate-a');
    }
    expect((await ticket(t!.ticketId)).state).toBe('used');
    const scan = entry(t!.token);
    expect((await floor.sync.sync({ scans: [scan], ...GATE_B }, 'gate-b')).results).toEqual([{ nonce: scan.nonce, recorded: true, ticketId: t!.ticketId, doubleEntry: true }]);
    expect(await floor.waitForAlert((a) => a.type === 'double_entry' && a.ticketId === t!.ticketId)).toMatchObject({ state: 'used' });
  });

  it('a scan that reached the hub online applies once when it is uploaded too', async () => {
    const [t] = await floor.confirmedBooking('bk_s4');
    const scan = entry(t!.token);
    expect(await floor.scans.scan({ token: t!.token, nonce: scan.nonce, direction: 'entry', at: scan.at, ...GATE_B }, 'gate-b')).toMatchObject({ verdict: 'admitted' });
    const before = await ticket(t!.ticketId);
    expect((await floor.sync.sync({ scans: [scan], ...GATE_B }, 'gate-b')).results).toEqual([{ nonce: scan.nonce, recorded: true, ticketId: t!.ticketId, doubleEntry: false }]);
    expect(await ticket(t!.ticketId)).toEqual(before);
  });

  it('judges the ticket window at the scan time, not at the upload', async () => {
    const [t] = await floor.confirmedBooking('bk_s5', { slot: 'early' });
    expect(await floor.scans.scan({ token: t!.token, nonce: nonce(), direction: 'entry', at: Date.now(), ...GATE_A }, 'gate-a')).toMatchObject({ verdict: 'refused', code: 'ticket.invalid' });
    const inWindow = entry(t!.token, Date.now() - 4 * 3_600_000);
    const late = entry(t!.token, Date.now() - 60_000);
    const { results } = await floor.sync.sync({ scans: [inWindow, late], ...GATE_B }, 'gate-b');
    expect(results).toEqual([
      { nonce: inWindow.nonce, recorded: true, ticketId: t!.ticketId, doubleEntry: false },
      { nonce: late.nonce, recorded: false, code: 'ticket.invalid', message: 'the ticket is past its slot' },
    ]);
    expect(await floor.waitForAlert((a) => a.type === 'offline_admit_refused' && a.alertId.endsWith(late.nonce))).toMatchObject({ ticketId: t!.ticketId, code: 'ticket.invalid' });
  });

  it('refuses a revoked, forged or foreign-zone admission, alerts staff of each, and records nothing', async () => {
    const [revoked] = await floor.confirmedBooking('bk_s6');
    await floor.rt.host.send('ticket', revoked!.ticketId, { type: 'ticket.revoke', reason: 'booking.cancelled', at: Date.now() }, { who: 'test' });
    const [other] = await floor.confirmedBooking('bk_s7');
    const [header, payload, signature] = other!.token.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
    const forged = `${header}.${Buffer.from(JSON.stringify({ ...claims, jti: 'bk_s7-t9' })).toString('base64url')}.${signature}`;
    const scans = [entry(revoked!.token), entry(forged), { ...entry(other!.token), verdictShown: 'refused' as const }];
    const before = await ticket(other!.ticketId);
    const { results } = await floor.sync.sync({ scans, ...GATE_B }, 'gate-b');
    expect(results).toMatchObject([
      { nonce: scans[0]!.nonce, recorded: false, code: 'ticket.revoked' },
      { nonce: scans[1]!.nonce, recorded: false, code: 'ticket.invalid' },
      { nonce: scans[2]!.nonce, recorded: false, code: 'event.rejected' },
    ]);
    expect(await ticket(other!.ticketId)).toEqual(before);
    expect((await ticket(revoked!.ticketId)).state).toBe('revoked');
    expect(await floor.waitForAlert((a) => a.type === 'offline_admit_refused' && a.ticketId === revoked!.ticketId)).toMatchObject({
      alertId: `offline-admit:gate_b:${scans[0]!.nonce}`,
      gateId: 'gate_b',
      at: scans[0]!.at,
      code: 'ticket.revoked',
    });
    expect(await floor.waitForAlert((a) => a.type === 'offline_admit_refused' && a.ticketId === 'bk_s7-t9')).toMatchObject({ code: 'ticket.invalid' });
    // A scan the gate itself refused is no admission: no alert.
    expect(floor.alerts.some((a) => a.alertId.endsWith(scans[2]!.nonce))).toBe(false);

    const wrongZone = entry(other!.token);
    expect((await floor.sync.sync({ scans: [wrongZone], gateId: 'gate_s', zone: 'slides' }, 'gate-s')).results).toMatchObject([{ recorded: false, code: 'ticket.wrong_zone' }]);
    expect(await ticket(other!.ticketId)).toEqual(before);
  });

  it('answers an exit the hub already has as not inside, and a scan time from the future as invalid', async () => {
    const [t] = await floor.confirmedBooking('bk_s8', { ticketTypeId: 'single' });
    for (const direction of ['entry', 'exit'] as const) {
      await floor.scans.scan({ token: t!.token, nonce: nonce(), direction, at: Date.now(), ...GATE_A }, 'gate-a');
    }
    const out = exit(t!.token);
    const future = entry(t!.token, Date.now() + 3_600_000);
    expect((await floor.sync.sync({ scans: [out, future], ...GATE_B }, 'gate-b')).results).toMatchObject([
      { nonce: out.nonce, recorded: false, code: 'ticket.not_inside' },
      { nonce: future.nonce, recorded: false, code: 'event.invalid' },
    ]);
    expect((await ticket(t!.ticketId)).context.doubleEntries).toBeUndefined();
  });

  it('records band taps through the band linked to the ticket', async () => {
    const [t] = await floor.confirmedBooking('bk_s9');
    expect(await floor.rt.wristbands.link('04:0F:F1:1E', t!.ticketId)).toMatchObject({ ok: true });
    const tap: OfflineScan = { band: '04:0F:F1:1E', nonce: nonce(), direction: 'entry', at: Date.now(), verdictShown: 'admitted' };
    const unknown: OfflineScan = { band: 'FF:FF:00:00', nonce: nonce(), direction: 'entry', at: Date.now(), verdictShown: 'admitted' };
    expect((await floor.sync.sync({ scans: [tap, unknown], ...GATE_B }, 'gate-b')).results).toMatchObject([
      { recorded: true, ticketId: t!.ticketId, doubleEntry: false },
      { recorded: false, code: 'band.unknown' },
    ]);
    expect(await floor.waitForAlert((a) => a.type === 'offline_admit_refused' && a.ticketId === 'band:FF:FF:00:00')).toMatchObject({ code: 'band.unknown' });
  });

  it('the upload schema bounds the batch and rejects inconsistent scans', () => {
    const scan = { token: 'x.y.z', nonce: 'nonce-0001', direction: 'entry', at: 1, verdictShown: 'admitted' };
    expect(GateSync.safeParse({ scans: [scan] }).success).toBe(true);
    expect(GateSync.safeParse({ scans: [] }).success).toBe(false);
    expect(GateSync.safeParse({ scans: Array.from({ length: MAX_OFFLINE_SCANS_PER_SYNC + 1 }, (_, i) => ({ ...scan, nonce: `nonce-${i}-xx` })) }).success).toBe(false);
    expect(GateSync.safeParse({ scans: [{ ...scan, direction: 'exit' }] }).success).toBe(false);
    expect(GateSync.safeParse({ scans: [{ ...scan, band: '04:AA:BB:CC' }] }).success).toBe(false);
    expect(GateSync.safeParse({ scans: [{ ...scan, gateId: 'gate_z' }] }).success).toBe(false);
  });
});

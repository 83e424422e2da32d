/**
 * Finance refunds against a real hub process (`hub/main.ts`, simulated provider, signed webhooks):
 * a refund of the whole amount cancels the booking and its tickets are refused at the gate; a
 * partial refund that cancels one ticket refuses that ticket and admits the other; a goodwill
 * refund keeps the visit; the booking's refunded amount follows every refund, and a refund beyond
 * what is left answers `refund.exceeds_capture`.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { io } from 'socket.io-client';
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buyTickets, issueDevice, openActivityNow, pollUntil } from '../clients/devices/visitor-flow.js';
import type { OpenActivity, PaidTicket } from '../clients/devices/visitor-flow.js';
import { createHubApi, unwrap } from '../clients/sdk/index.js';
import type { HubApi } from '../clients/sdk/index.js';
import { startHubNode } from '../load-tests/harness/index.js';
import type { HubNode } from '../load-tests/harness/index.js';
import type { ClientToServerEvents, ServerToClientEvents } from '../machines/contract/wire.js';

let node: HubNode;
let dataDir: string;
let api: HubApi;
let admin: string;
let gate: Socket<ServerToClientEvents, ClientToServerEvents>;
let activity: OpenActivity;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'vh-refunds-'));
  node = await startHubNode({ dataDir });
  api = createHubApi({ url: node.url });
  if (node.adminToken === undefined) throw new Error('the node printed no demo admin token');
  admin = node.adminToken;
  activity = await openActivityNow({ url: node.url, adminToken: admin, activityId: 'refund-pool', zone: 'refunds' });
  const device = await issueDevice(node.url, admin, { deviceId: 'refund-gate', deviceKind: 'gate', scope: { zone: 'refunds', gateId: 'refund_gate' } });
  gate = io(node.url, { transports: ['websocket'], reconnection: false, auth: { token: device.token } });
  await new Promise((resolve, reject) => {
    gate.once('connect', () => resolve(undefined));
    gate.once('connect_error', reject);
  });
});
afterAll(async () => {
  gate?.close();
  await node?.kill();
  rmSync(dataDir, { recursive: true, force: true });
});

async function paidBooking(qty: number): Promise<{ bookingId: string; tickets: PaidTicket[]; paymentId: string; total: number }> {
  const bookingId = `refund-${randomUUID()}`;
  const visitorToken = node.visitorToken ?? '';
  const tickets = await buyTickets({ url: node.url, visitorToken, bookingId, slotId: activity.slotId, ticketTypeId: activity.ticketTypeId, qty });
  const capture = unwrap(await api.transactions({ bookingId }, admin)).find((t) => t.movement === 'payment.captured');
  if (!capture) throw new Error(`no capture logged for ${bookingId}`);
  return { bookingId, tickets, paymentId: capture.paymentId, total: capture.amount };
}

let nonces = 0;
const scan = (token: string) => gate.emitWithAck('gate:scan', { token, nonce: `refund-scan-${++nonces}`, direction: 'entry', at: Date.now() });

/** The booking as staff read it, once `check` holds (refund outcomes arrive through the provider's webhooks). */
async function bookingOnce(bookingId: string, what: string, check: (b: { state: string; context: Record<string, unknown> }) => boolean) {
  let last: { state: string; context: Record<string, unknown> } | undefined;
  await pollUntil(what, async () => {
    const read = await api.request<{ state: string; context: Record<string, unknown> }>('GET', `/api/bookings/${encodeURIComponent(bookingId)}`, { token: admin });
    last = read.ok ? read.data : undefined;
    return last !== undefined && check(last);
  }, 20_000);
  return last;
}

describe('finance refunds against hub/main.ts', () => {
  it('a full refund cancels the booking: its tickets are refused at the gate, its refunded amount follows', async () => {
    const { bookingId, tickets, paymentId, total } = await paidBooking(2);
    const refunded = await api.refund({ paymentId, amount: total, requestId: `full-${bookingId}` }, admin);
    expect(refunded).toMatchObject({ ok: true, data: { bookingId, bookingState: 'cancelled', amount: total } });
    for (const ticket of tickets) {
      const verdict = await scan(ticket.token);
      expect(verdict.ok && verdict.data.verdict).not.toBe('admitted');
    }
    const booking = await bookingOnce(bookingId, 'the refund to reach the booking', (b) => b.state === 'refunded');
    expect(booking?.context).toMatchObject({ capturedAmount: total, refundRequestedAmount: total, refundedAmount: total });
    expect(await api.refund({ paymentId, amount: 1, requestId: `more-${bookingId}` }, admin)).toMatchObject({ ok: false, code: 'refund.exceeds_capture' });
  });

  it('a partial refund cancelling one ticket refuses that ticket and admits the other; a goodwill refund keeps the visit', async () => {
    const { bookingId, tickets, paymentId, total } = await paidBooking(2);
    const [kept, cancelled] = tickets;
    if (!kept || !cancelled) throw new Error('two tickets expected');
    const half = total / 2;
    const partial = await api.refund({ paymentId, amount: half, requestId: `part-${bookingId}`, policy: 'cancel_tickets', ticketIds: [cancelled.ticketId] }, admin);
    expect(partial).toMatchObject({ ok: true, data: { bookingState: 'confirmed', policy: 'cancel_tickets' } });
    await bookingOnce(bookingId, 'the partial refund to settle', (b) => b.context['refundedAmount'] === half);
    expect(await scan(cancelled.token)).toMatchObject({ ok: true, data: { verdict: 'refused', code: 'ticket.revoked' } });
    const goodwill = await api.refund({ paymentId, amount: 500, requestId: `goodwill-${bookingId}` }, admin);
    expect(goodwill).toMatchObject({ ok: true, data: { bookingState: 'confirmed', policy: 'keep_visit' } });
    expect(await scan(kept.token)).toMatchObject({ ok: true, data: { verdict: 'admitted', ticketId: kept.ticketId } });
    const booking = await bookingOnce(bookingId, 'the goodwill refund to settle', (b) => b.context['refundedAmount'] === half + 500);
    expect(booking).toMatchObject({ state: 'checked_in', context: { cancelledTickets: [cancelled.ticketId] } });
    expect(await api.refund({ paymentId, amount: half, requestId: `rest-${bookingId}` }, admin)).toMatchObject({ ok: false, code: 'refund.exceeds_capture' });
    const log = unwrap(await api.transactions({ bookingId }, admin));
    expect(log.filter((t) => t.movement === 'refund.succeeded').map((t) => t.amount).sort((a, b) => a - b)).toEqual([500, half]);
  });
});

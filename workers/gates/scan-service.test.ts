/**
 * Entries of a party and its booking's check-in, on a real floor with the outbox relay stopped so
 * that what each commit wrote can be read before it is delivered (`relay.drain()` delivers it):
 *
 *   first member in    the gate checks the booking in; the ticket's ticket.entered is written too
 *                      (it checks the booking in if the node dies before the gate did)
 *   next members       the booking was read checked in: no ticket.entered while it stays so
 *   the races          an entry and the last member's exit, both ways round: the visit stays open
 *
 * The races are forced by a host that lets one command through at the moment the other is between
 * its read and its commit (the real host and store underneath).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ActorHost } from '../actors/actor-host.js';
import { silentLogger } from '../logger.js';
import { createVisitService } from '../visits/visit-service.js';
import type { OfflineFloor } from './offline-floor.test-support.js';
import { startOfflineFloor } from './offline-floor.test-support.js';
import { createScanService } from './scan-service.js';
import type { ScanVerdict } from './scan-service.js';

const GATE = { gateId: 'gate_a', zone: 'pool' };
const GRACE_MS = 600_000;

describe('entries of a party and the booking check-in', () => {
  let floor: OfflineFloor;
  const parties = new Map<string, Array<{ ticketId: string; token: string }>>();
  let n = 0;
  const nonce = () => `party-nonce-${String(++n).padStart(4, '0')}`;

  beforeAll(async () => {
    floor = await startOfflineFloor();
    for (const bookingId of ['bk_p1', 'bk_p2', 'bk_p3']) parties.set(bookingId, await floor.confirmedBooking(bookingId, { qty: 3 }));
    // From here on effects wait in the outbox until a test drains them.
    await floor.rt.relay.drain();
    await floor.rt.relay.stop();
  });
  afterAll(async () => {
    await floor?.stop();
  });

  const member = (bookingId: string, index: number) => {
    const ticket = parties.get(bookingId)?.[index];
    if (!ticket) throw new Error(`no member ${index} of ${bookingId}`);
    return ticket;
  };
  const scan = (token: string, direction: 'entry' | 'exit', host: Pick<ActorHost, 'send' | 'read'> = floor.rt.host): Promise<ScanVerdict> =>
    createScanService({ host, tickets: floor.tokens, clock: Date.now, log: silentLogger }).scan({ token, nonce: nonce(), direction, at: Date.now(), ...GATE }, 'gate-a');
  const pending = async (type: string) => (await floor.store.pendingEffects(100, [type])).map((e) => e.actorId);
  const bookingState = async (bookingId: string) => {
    const read = await floor.rt.host.read('booking', bookingId);
    return read.ok ? read.data.state : read.code;
  };

  it('writes ticket.entered for the member who checks the booking in, and none for those entering it checked in', async () => {
    const [a, b, c] = [0, 1, 2].map((i) => member('bk_p1', i));
    expect(await scan(a!.token, 'entry')).toMatchObject({ verdict: 'admitted' });
    expect(await bookingState('bk_p1')).toBe('checked_in');
    expect(await scan(b!.token, 'entry')).toMatchObject({ verdict: 'admitted' });
    expect(await scan(c!.token, 'entry')).toMatchObject({ verdict: 'admitted' });
    expect(await pending('ticket.entered')).toEqual([a!.ticketId]);
    expect(await floor.rt.visits.inside('slot', floor.slots.day)).toBe(3);
    await floor.rt.relay.drain();
    expect(await pending('ticket.entered')).toEqual([]);
    expect(await bookingState('bk_p1')).toBe('checked_in');
  });

  it('an entry committed just before the last member’s all_out: the exit’s second look checks the booking back in', async () => {
    const [a, b] = [0, 1].map((i) => member('bk_p2', i));
    expect(await scan(a!.token, 'entry')).toMatchObject({ verdict: 'admitted' });
    await floor.rt.relay.drain();
    expect(await scan(a!.token, 'exit')).toMatchObject({ verdict: 'exited' });
    const [exited] = await floor.store.pendingEffects(100, ['ticket.exited']);
    expect(exited?.actorId).toBe(a!.ticketId);

    // The exit's handler has found nobody inside; B is admitted before its all_out commits.
    let admitted: ScanVerdict | undefined;
    const racing: Pick<ActorHost, 'send' | 'read'> = {
      read: floor.rt.host.read.bind(floor.rt.host),
      async send(kind, id, event, meta) {
        if ((event as { type: string }).type === 'booking.all_out') admitted = await scan(b!.token, 'entry');
        return floor.rt.host.send(kind, id, event, meta);
      },
    };
    const visits = createVisitService({ host: racing, counters: floor.store, checkoutGraceMs: GRACE_MS, clock: Date.now, log: silentLogger });
    await visits.effectHandlers['ticket.exited']?.(exited!);
    expect(admitted).toMatchObject({ verdict: 'admitted' });
    // B found the booking checked in and unchanged at its commit: no ticket.entered to repair it.
    expect(await pending('ticket.entered')).toEqual([]);
    expect(await bookingState('bk_p2')).toBe('checked_in');
    await floor.store.ackEffects([exited!]);
  });

  it('an entry whose booking moved between the gate’s read and its commit keeps ticket.entered, which checks it back in', async () => {
    const [a, b] = [0, 1].map((i) => member('bk_p3', i));
    expect(await scan(a!.token, 'entry')).toMatchObject({ verdict: 'admitted' });
    await floor.rt.relay.drain();
    expect(await scan(a!.token, 'exit')).toMatchObject({ verdict: 'exited' });

    // The gate has read the booking checked in; A's exit handler commits all_out before B's entry does.
    const racing: Pick<ActorHost, 'send' | 'read'> = {
      read: floor.rt.host.read.bind(floor.rt.host),
      async send(kind, id, event, meta) {
        if ((event as { type: string }).type === 'ticket.scan') {
          const allOut = await floor.rt.host.send('booking', 'bk_p3', { type: 'booking.all_out', at: Date.now(), graceMs: GRACE_MS }, { who: 'test', eventId: null });
          expect(allOut).toMatchObject({ ok: true, data: { state: 'leaving' } });
        }
        return floor.rt.host.send(kind, id, event, meta);
      },
    };
    expect(await scan(b!.token, 'entry', racing)).toMatchObject({ verdict: 'admitted' });
    expect(await pending('ticket.entered')).toEqual([b!.ticketId]);
    expect(await bookingState('bk_p3')).toBe('leaving');
    await floor.rt.relay.drain();
    expect(await bookingState('bk_p3')).toBe('checked_in');
  });
});

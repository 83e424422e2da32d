/**
 * The venue floor end to end over real sockets: a real hub (temp SQLite, real runtime and outbox
 * relay), gate, locker and rental desk devices, staff and visitor sockets.
 *
 *   refusals        wrong zone, booking not paid, single entry used, revoked, exit while outside
 *   admitted        party size, add-ons to collect, the re-entry flag
 *   occupancy       subscribe ack with the current levels, `occupancy:changed` on entries and exits
 *   bands, lockers  activation at the gate, band taps, locker claim / open / unlock, band swap
 *   check-out       unreturned rentals block the exit; the last exit starts the grace; closing the
 *                   visit frees lockers, deactivates bands and empties occupancy; a re-entry during
 *                   the grace keeps everything
 *   floor alerts    an offline double entry raises a `double_entry` alert
 *
 * Effects reach their handlers through the outbox relay, so their results are polled for.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BookingAddOn, BookingLine } from '../machines/booking.schemas.js';
import { FloorAlert } from '../machines/contract/floor-alert.js';
import type { OccupancyLevel, ScanVerdict } from '../machines/contract/wire.js';
import type { Result } from '../machines/errors.js';
import type { LockerContext } from '../machines/locker.schemas.js';
import type { TicketContext, TicketInput } from '../machines/ticket.schemas.js';
import type { WristbandContext } from '../machines/wristband.schemas.js';
import type { ActorView } from '../workers/actors/actor-host.js';
import type { ClientSocket, TestHub } from './hub.test-support.js';
import { nextEvent, startTestHub, TEST_SLOT, TEST_TICKETS } from './hub.test-support.js';

const VISITOR = 'vis_floor';
const META = { who: 'test', eventId: null };
const ADULT = { ticketTypeId: TEST_TICKETS.adult.ticketTypeId, unitPrice: TEST_TICKETS.adult.price };
const CHILD = { ticketTypeId: TEST_TICKETS.child.ticketTypeId, unitPrice: TEST_TICKETS.child.price };

/** Polls `read` until `done` holds; fails with the last value after `timeoutMs`. */
async function until<T>(what: string, read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`${what}: still ${JSON.stringify(value)} after ${String(timeoutMs)} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The view behind an ok result; fails the test otherwise. */
function viewOf(result: Result<ActorView>): ActorView {
  if (!result.ok) throw new Error(`${result.code}: ${result.message}`);
  return result.data;
}

interface PartyTicket {
  ticketId: string;
  token: string;
  input: TicketInput;
}

interface PartyOptions {
  lines?: Array<Pick<BookingLine, 'ticketTypeId' | 'unitPrice'> & { qty: number; admits?: number }>;
  addOns?: BookingAddOn[];
  /** How far the booking gets: held, awaiting_payment (submitted), confirmed (paid). Default confirmed. */
  until?: 'held' | 'awaiting_payment' | 'confirmed';
  /** The zone written into every ticket. */
  zone?: string;
  /** Occupancy slot of the tickets; default `slot_1`. */
  slotId?: string;
  reentry?: boolean;
  /** How many tickets to create; default one per person of the booking. */
  tickets?: number;
}

/** The floor helpers of one test hub. */
function floorOf(hub: () => TestHub) {
  let n = 0;
  const nonce = (prefix = 'scan') => `${prefix}-${String(++n).padStart(5, '0')}`;

  /** A booking (capacity taken through the booking service) with its tickets created through the host. */
  async function party(bookingId: string, options: PartyOptions = {}): Promise<{ bookingId: string; tickets: PartyTicket[] }> {
    const t = hub();
    const lines = options.lines ?? [{ ...ADULT, qty: 1 }];
    const request = { bookingId, visitorId: VISITOR, slotId: TEST_SLOT, lines, requiresApproval: false, ...(options.addOns === undefined ? {} : { addOns: options.addOns }) };
    const held = viewOf(await t.runtime.bookings.hold(request, 'test'));
    const stage = options.until ?? 'confirmed';
    if (stage !== 'held') {
      const submitted = viewOf(await t.runtime.host.send('booking', bookingId, { type: 'booking.submit' }, META));
      expect(submitted.state).toBe('awaiting_payment');
      if (stage === 'confirmed') {
        const total = (submitted.context as { total: number }).total;
        const paid = viewOf(await t.runtime.host.send('booking', bookingId, { type: 'payment.captured', paymentId: `pay-${bookingId}`, amount: total }, META));
        expect(paid.state).toBe('confirmed');
      }
    }
    const quantity = (held.context as { quantity: number }).quantity;
    const now = Date.now();
    const tickets: PartyTicket[] = [];
    for (let seq = 1; seq <= (options.tickets ?? quantity); seq++) {
      const input: TicketInput = {
        ticketId: `${bookingId}-t${String(seq)}`,
        bookingId,
        visitorId: VISITOR,
        ticketTypeId: lines[0]?.ticketTypeId ?? ADULT.ticketTypeId,
        slotId: options.slotId ?? 'slot_1',
        seq,
        validFrom: now - 60_000,
        validUntil: now + 3_600_000,
        issuedAt: now,
        ...(options.zone === undefined ? {} : { zone: options.zone }),
        ...(options.reentry === undefined ? {} : { reentry: options.reentry }),
      };
      viewOf(await t.runtime.host.create('ticket', input.ticketId, input, META));
      tickets.push({ ticketId: input.ticketId, token: await t.ticketTokens.sign(input), input });
    }
    return { bookingId, tickets };
  }

  function scan(gate: ClientSocket, token: string, direction: 'entry' | 'exit' = 'entry', id = nonce()): Promise<Result<ScanVerdict>> {
    return gate.emitWithAck('gate:scan', { token, nonce: id, direction, at: Date.now() });
  }

  function tap(gate: ClientSocket, band: string, direction: 'entry' | 'exit' = 'entry', id = nonce('tap')): Promise<Result<ScanVerdict>> {
    return gate.emitWithAck('gate:scan', { band, nonce: id, direction, at: Date.now() });
  }

  async function read(kind: string, id: string): Promise<ActorView> {
    return viewOf(await hub().runtime.host.read(kind, id));
  }

  /** Waits for the actor to reach `state` (effects are delivered asynchronously). */
  function reaches(kind: string, id: string, state: string, timeoutMs?: number): Promise<ActorView> {
    return until(`${kind}/${id} → ${state}`, () => read(kind, id), (view) => view.state === state, timeoutMs);
  }

  /** Waits until the visit service counts `inside` people in the zone or slot. */
  function occupancyIs(scope: 'zone' | 'slot', id: string, inside: number): Promise<number> {
    return until(`occupancy of ${scope} ${id}`, () => hub().runtime.visits.inside(scope, id), (value) => value === inside);
  }

  return { nonce, party, scan, tap, read, reaches, occupancyIs };
}

describe('gate refusals on the venue floor', () => {
  let t: TestHub;
  let gate: ClientSocket;
  const floor = floorOf(() => t);

  beforeAll(async () => {
    t = await startTestHub({ floor: { checkoutGraceMs: 300 } });
    gate = await t.connect(await t.device('gate-ref', 'gate', { zone: 'pool', gateId: 'gate_ref' }));
  });
  afterAll(async () => {
    gate?.close();
    await t?.stop();
  });

  it('refuses a ticket of another zone with ticket.wrong_zone and leaves it outside', async () => {
    const { tickets } = await floor.party('bk_ref_zone', { zone: 'slides' });
    const [ticket] = tickets as [PartyTicket];
    expect(await floor.scan(gate, ticket.token)).toMatchObject({ ok: true, data: { verdict: 'refused', code: 'ticket.wrong_zone' } });
    expect(await floor.read('ticket', ticket.ticketId)).toMatchObject({ state: 'valid', version: 1 });
    expect(await floor.read('booking', 'bk_ref_zone')).toMatchObject({ state: 'confirmed' });
    // The same ticket at a gate of its own zone is admitted.
    const slides = await t.connect(await t.device('gate-slides', 'gate', { zone: 'slides', gateId: 'gate_slides' }));
    try {
      expect(await floor.scan(slides, ticket.token)).toMatchObject({ ok: true, data: { verdict: 'admitted', ticketId: ticket.ticketId } });
    } finally {
      slides.close();
    }
  });

  it('refuses the ticket of a booking still awaiting payment, or cancelled, with booking.not_paid', async () => {
    const unpaid = await floor.party('bk_ref_unpaid', { until: 'awaiting_payment' });
    const [unpaidTicket] = unpaid.tickets as [PartyTicket];
    expect(await floor.scan(gate, unpaidTicket.token)).toMatchObject({ ok: true, data: { verdict: 'refused', code: 'booking.not_paid' } });
    expect(await floor.read('ticket', unpaidTicket.ticketId)).toMatchObject({ state: 'valid', version: 1 });

    const cancelled = await floor.party('bk_ref_cancel');
    const [cancelledTicket] = cancelled.tickets as [PartyTicket];
    const cancel = { type: 'booking.cancel', reason: 'changed plans', refundAmount: 0, at: Date.now() };
    expect(viewOf(await t.runtime.host.send('booking', 'bk_ref_cancel', cancel, META)).state).toBe('cancelled');
    // This hub issues and revokes no tickets itself: the ticket is still valid, its booking refuses it.
    expect(await floor.read('ticket', cancelledTicket.ticketId)).toMatchObject({ state: 'valid' });
    expect(await floor.scan(gate, cancelledTicket.token)).toMatchObject({ ok: true, data: { verdict: 'refused', code: 'booking.not_paid' } });
    expect(await floor.read('ticket', cancelledTicket.ticketId)).toMatchObject({ state: 'valid', version: 1 });
  });

  it('lets a single-entry ticket in and out once; the next entry is ticket.used', async () => {
    const { tickets } = await floor.party('bk_ref_single', { reentry: false });
    const [ticket] = tickets as [PartyTicket];
    expect(await floor.scan(gate, ticket.token)).toMatchObject({ ok: true, data: { verdict: 'admitted', reentry: false } });
    expect(await floor.scan(gate, ticket.token, 'exit')).toEqual({ ok: true, data: { verdict: 'exited', ticketId: ticket.ticketId, bookingId: 'bk_ref_single' } });
    expect(await floor.read('ticket', ticket.ticketId)).toMatchObject({ state: 'used' });
    expect(await floor.scan(gate, ticket.token)).toMatchObject({ ok: true, data: { verdict: 'refused', code: 'ticket.used' } });
    // Once the visit closed (grace 300 ms) the answer is the same.
    await floor.reaches('booking', 'bk_ref_single', 'checked_out');
    expect(await floor.scan(gate, ticket.token)).toMatchObject({ ok: true, data: { verdict: 'refused', code: 'ticket.used' } });
    expect(await floor.read('ticket', ticket.ticketId)).toMatchObject({ state: 'used' });
  });

  it('refuses a revoked ticket with ticket.revoked, at entry and at exit', async () => {
    const { tickets } = await floor.party('bk_ref_revoked');
    const [ticket] = tickets as [PartyTicket];
    viewOf(await t.runtime.host.send('ticket', ticket.ticketId, { type: 'ticket.revoke', reason: 'fraud', at: Date.now() }, META));
    expect(await floor.scan(gate, ticket.token)).toMatchObject({ ok: true, data: { verdict: 'refused', code: 'ticket.revoked', message: expect.stringContaining('fraud') } });
    expect(await floor.scan(gate, ticket.token, 'exit')).toMatchObject({ ok: true, data: { verdict: 'refused', code: 'ticket.revoked' } });
  });

  it('refuses the exit of a ticket that is outside with ticket.not_inside', async () => {
    const { tickets } = await floor.party('bk_ref_outside');
    const [ticket] = tickets as [PartyTicket];
    expect(await floor.scan(gate, ticket.token, 'exit')).toMatchObject({ ok: true, data: { verdict: 'refused', code: 'ticket.not_inside' } });
    expect(await floor.scan(gate, ticket.token)).toMatchObject({ ok: true, data: { verdict: 'admitted' } });
    expect(await floor.scan(gate, ticket.token, 'exit')).toMatchObject({ ok: true, data: { verdict: 'exited' } });
    expect(await floor.scan(gate, ticket.token, 'exit')).toMatchObject({ ok: true, data: { verdict: 'refused', code: 'ticket.not_inside' } });
  });
});

describe('the admitted verdict', () => {
  let t: TestHub;
  let gate: ClientSocket;
  const floor = floorOf(() => t);

  beforeAll(async () => {
    t = await startTestHub();
    gate = await t.connect(await t.device('gate-adm', 'gate', { zone: 'pool', gateId: 'gate_adm' }));
  });
  afterAll(async () => {
    gate?.close();
    await t?.stop();
  });

  it('names the party size of the booking and the add-ons to hand over', async () => {
    const addOns: BookingAddOn[] = [
      { addOnId: 'test-locker', kind: 'locker', qty: 2, unitPrice: 2_500 },
      { addOnId: 'towel', kind: 'equipment', qty: 1, unitPrice: 1_000 },
    ];
    const { tickets } = await floor.party('bk_adm_family', { lines: [{ ...ADULT, qty: 2 }, { ...CHILD, qty: 1 }], addOns });
    expect(tickets).toHaveLength(3);
    const [first, second] = tickets as [PartyTicket, PartyTicket];
    const expected = {
      verdict: 'admitted',
      ticketId: first.ticketId,
      bookingId: 'bk_adm_family',
      ticketTypeId: ADULT.ticketTypeId,
      partySize: 3,
      addOns: [
        { addOnId: 'test-locker', kind: 'locker', qty: 2 },
        { addOnId: 'towel', kind: 'equipment', qty: 1 },
      ],
      reentry: true,
    };
    expect(await floor.scan(gate, first.token)).toEqual({ ok: true, data: expected });
    expect(await floor.scan(gate, second.token)).toEqual({ ok: true, data: { ...expected, ticketId: second.ticketId } });
    expect(await floor.read('booking', 'bk_adm_family')).toMatchObject({ state: 'checked_in', context: { checkedInGateId: 'gate_adm' } });
  });

  it('counts people, not tickets (a family pass admits four), with no add-ons', async () => {
    const { tickets } = await floor.party('bk_adm_pass', { lines: [{ ...ADULT, qty: 1, admits: 4 }], tickets: 1 });
    const [ticket] = tickets as [PartyTicket];
    expect(await floor.scan(gate, ticket.token)).toMatchObject({ ok: true, data: { verdict: 'admitted', partySize: 4, addOns: [], reentry: true } });
  });

  it('flags a single-entry ticket with reentry false', async () => {
    const { tickets } = await floor.party('bk_adm_single', { reentry: false });
    const [ticket] = tickets as [PartyTicket];
    expect(await floor.scan(gate, ticket.token)).toEqual({
      ok: true,
      data: { verdict: 'admitted', ticketId: ticket.ticketId, bookingId: 'bk_adm_single', ticketTypeId: ADULT.ticketTypeId, partySize: 1, addOns: [], reentry: false },
    });
  });
});

describe('live occupancy', () => {
  let t: TestHub;
  let gate: ClientSocket;
  let watcher: ClientSocket;
  let other: ClientSocket;
  const floor = floorOf(() => t);
  const ZONE = 'lagoon';
  const SLOT = 'lagoon-slot-1000';

  beforeAll(async () => {
    t = await startTestHub();
    gate = await t.connect(await t.device('gate-occ', 'gate', { zone: ZONE, gateId: 'gate_occ' }));
    watcher = await t.connect(await t.person('vis_occ', 'visitor'));
    other = await t.connect(await t.person('vis_occ2', 'visitor'));
  });
  afterAll(async () => {
    for (const socket of [gate, watcher, other]) socket?.close();
    await t?.stop();
  });

  const level = (scope: 'zone' | 'slot', id: string, inside: number) => (l: OccupancyLevel) => l.scope === scope && l.id === id && l.inside === inside;

  it('answers the current levels, then pushes every entry (+1) and exit (-1); the visit service agrees', async () => {
    const subscribed = await watcher.emitWithAck('occupancy:subscribe', { zones: [ZONE], slotIds: [SLOT] });
    expect(subscribed).toEqual({
      ok: true,
      data: {
        levels: [
          { scope: 'zone', id: ZONE, inside: 0, at: expect.any(Number) },
          { scope: 'slot', id: SLOT, inside: 0, at: expect.any(Number) },
        ],
      },
    });
    const { tickets } = await floor.party('bk_occ1', { lines: [{ ...ADULT, qty: 2 }], zone: ZONE, slotId: SLOT });
    const [a, b] = tickets as [PartyTicket, PartyTicket];

    let zone = nextEvent(watcher, 'occupancy:changed', level('zone', ZONE, 1));
    let slot = nextEvent(watcher, 'occupancy:changed', level('slot', SLOT, 1));
    expect(await floor.scan(gate, a.token)).toMatchObject({ ok: true, data: { verdict: 'admitted' } });
    expect(await zone).toEqual({ scope: 'zone', id: ZONE, inside: 1, at: expect.any(Number) });
    await slot;
    expect(await t.runtime.visits.inside('zone', ZONE)).toBe(1);

    zone = nextEvent(watcher, 'occupancy:changed', level('zone', ZONE, 2));
    slot = nextEvent(watcher, 'occupancy:changed', level('slot', SLOT, 2));
    expect(await floor.scan(gate, b.token)).toMatchObject({ ok: true, data: { verdict: 'admitted' } });
    await Promise.all([zone, slot]);
    expect(await t.runtime.visits.inside('zone', ZONE)).toBe(2);
    expect(await t.runtime.visits.inside('slot', SLOT)).toBe(2);

    // A retried entry scan (same nonce) and an "already used" scan count nobody twice.
    const retry = floor.nonce();
    const c = (await floor.party('bk_occ2', { zone: ZONE, slotId: SLOT })).tickets[0] as PartyTicket;
    zone = nextEvent(watcher, 'occupancy:changed', level('zone', ZONE, 3));
    expect(await floor.scan(gate, c.token, 'entry', retry)).toMatchObject({ ok: true, data: { verdict: 'admitted' } });
    expect(await floor.scan(gate, c.token, 'entry', retry)).toMatchObject({ ok: true, data: { verdict: 'admitted' } });
    expect(await floor.scan(gate, c.token)).toMatchObject({ ok: true, data: { verdict: 'already_used' } });
    await zone;

    zone = nextEvent(watcher, 'occupancy:changed', level('zone', ZONE, 2));
    slot = nextEvent(watcher, 'occupancy:changed', level('slot', SLOT, 2));
    expect(await floor.scan(gate, a.token, 'exit')).toMatchObject({ ok: true, data: { verdict: 'exited' } });
    await Promise.all([zone, slot]);
    expect(await t.runtime.visits.inside('zone', ZONE)).toBe(2);

    // A fresh subscription reads the same number.
    expect(await other.emitWithAck('occupancy:subscribe', { zones: [ZONE] })).toMatchObject({ ok: true, data: { levels: [{ scope: 'zone', id: ZONE, inside: 2 }] } });

    for (const ticket of [b, c]) {
      const inside = (await t.runtime.visits.inside('zone', ZONE)) - 1;
      zone = nextEvent(watcher, 'occupancy:changed', level('zone', ZONE, inside));
      expect(await floor.scan(gate, ticket.token, 'exit')).toMatchObject({ ok: true, data: { verdict: 'exited' } });
      await zone;
    }
    expect(await t.runtime.visits.inside('zone', ZONE)).toBe(0);
    await floor.occupancyIs('slot', SLOT, 0);
  });

  it('a staff check-out of a party still inside, and a ticket revoked inside, bring the counts back down', async () => {
    const base = await t.runtime.visits.inside('zone', ZONE);
    const { tickets } = await floor.party('bk_occ_staff', { lines: [{ ...ADULT, qty: 2 }], zone: ZONE, slotId: SLOT });
    for (const ticket of tickets) expect(await floor.scan(gate, ticket.token)).toMatchObject({ ok: true, data: { verdict: 'admitted' } });
    await floor.occupancyIs('zone', ZONE, base + 2);

    const back = nextEvent(watcher, 'occupancy:changed', level('zone', ZONE, base));
    expect(await t.runtime.host.send('booking', 'bk_occ_staff', { type: 'booking.check_out', at: Date.now() }, { who: 'user:front-desk' })).toMatchObject({ ok: true, data: { state: 'checked_out' } });
    await back;
    for (const ticket of tickets) await floor.reaches('ticket', ticket.ticketId, 'valid');
    expect(await t.runtime.visits.inside('slot', SLOT)).toBe(await t.runtime.visits.inside('zone', ZONE));
    expect(await other.emitWithAck('occupancy:subscribe', { zones: [ZONE] })).toMatchObject({ ok: true, data: { levels: [{ scope: 'zone', id: ZONE, inside: base }] } });
    expect(await floor.scan(gate, (tickets[0] as PartyTicket).token)).toMatchObject({ ok: true, data: { verdict: 'refused', code: 'ticket.used' } });

    const revoked = (await floor.party('bk_occ_revoked', { zone: ZONE, slotId: SLOT })).tickets[0] as PartyTicket;
    expect(await floor.scan(gate, revoked.token)).toMatchObject({ ok: true, data: { verdict: 'admitted' } });
    await floor.occupancyIs('zone', ZONE, base + 1);
    expect(await t.runtime.host.send('ticket', revoked.ticketId, { type: 'ticket.revoke', reason: 'staff', at: Date.now() }, { who: 'test' })).toMatchObject({ ok: true });
    await floor.occupancyIs('zone', ZONE, base);
    await floor.occupancyIs('slot', SLOT, base);
  });

  it('stops pushing after occupancy:unsubscribe', async () => {
    expect(await watcher.emitWithAck('occupancy:unsubscribe', { zones: [ZONE], slotIds: [SLOT] })).toEqual({ ok: true, data: { unsubscribed: true } });
    const seen: OccupancyLevel[] = [];
    const record = (l: OccupancyLevel) => seen.push(l);
    watcher.on('occupancy:changed', record);
    try {
      const ticket = (await floor.party('bk_occ3', { zone: ZONE, slotId: SLOT })).tickets[0] as PartyTicket;
      const pushed = nextEvent(other, 'occupancy:changed', level('zone', ZONE, 1));
      expect(await floor.scan(gate, ticket.token)).toMatchObject({ ok: true, data: { verdict: 'admitted' } });
      await pushed;
      // A round trip on the watcher after the push went out: nothing reached it.
      await watcher.emitWithAck('occupancy:unsubscribe', { zones: [ZONE] });
      expect(seen).toEqual([]);
    } finally {
      watcher.off('occupancy:changed', record);
    }
  });

  it('refuses an empty subscription', async () => {
    expect(await watcher.emitWithAck('occupancy:subscribe', {})).toMatchObject({ ok: false, code: 'event.invalid' });
  });
});

describe('wristbands and lockers', () => {
  let t: TestHub;
  let gate: ClientSocket;
  let lockerBank: ClientSocket;
  let otherBank: ClientSocket;
  let staff: ClientSocket;
  let desk: ClientSocket;
  const floor = floorOf(() => t);
  const ZONE = 'spa';
  const TOWEL = 'spa-towel';

  beforeAll(async () => {
    // The lockers module tells the locker bank of the unlocked locker's zone to open the door.
    t = await startTestHub();
    expect(await t.runtime.lockers.defineLockers(ZONE, 'small', ['SPA-S1', 'SPA-S2'])).toMatchObject({ ok: true });
    expect(await t.runtime.lockers.defineLockers('gym', 'small', ['GYM-S1'])).toMatchObject({ ok: true });
    expect(await t.runtime.equipment.defineItems(TOWEL, [{ itemId: 'SPA-TOWEL-1' }])).toMatchObject({ ok: true });
    gate = await t.connect(await t.device('gate-band', 'gate', { zone: ZONE, gateId: 'gate_band' }));
    lockerBank = await t.connect(await t.device('lockers-spa', 'locker', { zone: ZONE }));
    otherBank = await t.connect(await t.device('lockers-gym', 'locker', { zone: 'gym' }));
    staff = await t.connect(await t.person('staff_floor', 'support_admin'));
    desk = await t.connect(await t.device('desk-spa', 'rental_desk', {}));
  });
  afterAll(async () => {
    for (const socket of [gate, lockerBank, otherBank, staff, desk]) socket?.close();
    await t?.stop();
  });

  it('activates a band at the gate, admits its tap, and opens only its own locker', async () => {
    const { tickets } = await floor.party('bk_band1', { lines: [{ ...ADULT, qty: 2 }], zone: ZONE });
    const [a, b] = tickets as [PartyTicket, PartyTicket];
    const linked = await gate.emitWithAck('band:link', { band: '04:AA:00:01', token: a.token });
    expect(linked).toMatchObject({ ok: true, data: { kind: 'wristband', id: '04:AA:00:01', state: 'active', context: { ticketId: a.ticketId, bookingId: 'bk_band1' } } });
    expect(await gate.emitWithAck('band:link', { band: '04:AA:00:02', token: b.token })).toMatchObject({ ok: true, data: { state: 'active' } });
    expect(await floor.read('ticket', a.ticketId)).toMatchObject({ context: { bandUid: '04:AA:00:01' } });
    // A gate must show the QR: linking by ticket id is for staff.
    expect(await gate.emitWithAck('band:link', { band: '04:AA:00:09', ticketId: a.ticketId })).toMatchObject({ ok: false, code: 'auth.forbidden' });
    // One band per ticket, one ticket per band.
    expect(await gate.emitWithAck('band:link', { band: '04:AA:00:09', token: a.token })).toMatchObject({ ok: false, code: 'band.ticket_has_band' });
    expect(await gate.emitWithAck('band:link', { band: '04:AA:00:01', token: b.token })).toMatchObject({ ok: false, code: 'band.in_use' });

    expect(await floor.tap(gate, '04:AA:00:01')).toMatchObject({ ok: true, data: { verdict: 'admitted', ticketId: a.ticketId, bookingId: 'bk_band1', partySize: 2 } });
    expect(await floor.tap(gate, '04:AA:00:02')).toMatchObject({ ok: true, data: { verdict: 'admitted', ticketId: b.ticketId } });
    expect(await floor.read('booking', 'bk_band1')).toMatchObject({ state: 'checked_in' });

    const claimNonce = floor.nonce('claim');
    const claimed = await lockerBank.emitWithAck('locker:claim', { band: '04:AA:00:01', size: 'small', nonce: claimNonce });
    expect(claimed).toMatchObject({ ok: true, data: { kind: 'locker', state: 'assigned', context: { zone: ZONE, bandUid: '04:AA:00:01', bookingId: 'bk_band1' } } });
    const lockerId = claimed.ok ? claimed.data.id : '';
    // A retried claim answers the same locker.
    expect(await lockerBank.emitWithAck('locker:claim', { band: '04:AA:00:01', size: 'small', nonce: claimNonce })).toMatchObject({ ok: true, data: { id: lockerId } });

    const seenByGym: unknown[] = [];
    const gymListener = (u: unknown) => seenByGym.push(u);
    otherBank.on('locker:unlock', gymListener);
    try {
      const unlocked = nextEvent(lockerBank, 'locker:unlock', (u) => u.lockerId === lockerId);
      const opened = await lockerBank.emitWithAck('locker:open', { lockerId, band: '04:AA:00:01' });
      expect(opened).toEqual({ ok: true, data: { lockerId, bandUid: '04:AA:00:01', at: expect.any(Number) } });
      expect(await unlocked).toEqual({ lockerId, bandUid: '04:AA:00:01', at: expect.any(Number) });
      await otherBank.emitWithAck('occupancy:unsubscribe', { zones: [ZONE] });
      expect(seenByGym).toEqual([]);
    } finally {
      otherBank.off('locker:unlock', gymListener);
    }

    // The other member's band, and a locker bank of another zone, are refused.
    expect(await lockerBank.emitWithAck('locker:open', { lockerId, band: '04:AA:00:02' })).toMatchObject({ ok: false, code: 'locker.not_yours' });
    expect(await otherBank.emitWithAck('locker:open', { lockerId, band: '04:AA:00:01' })).toMatchObject({ ok: false, code: 'locker.wrong_zone' });
    // A gate is not a locker device.
    expect(await gate.emitWithAck('locker:open', { lockerId, band: '04:AA:00:01' })).toMatchObject({ ok: false, code: 'auth.forbidden' });
    expect(await floor.read('locker', lockerId)).toMatchObject({ state: 'assigned', context: { bandUid: '04:AA:00:01' } });
  });

  it('gives no band or locker to a visit that does not admit (unpaid, cancelled)', async () => {
    const unpaid = await floor.party('bk_band_unpaid', { until: 'awaiting_payment', zone: ZONE, tickets: 1 });
    const [ticket] = unpaid.tickets as [PartyTicket];
    expect(await gate.emitWithAck('band:link', { band: '04:DD:00:01', token: ticket.token })).toMatchObject({ ok: false, code: 'booking.not_paid' });

    const paid = await floor.party('bk_band_cancel', { zone: ZONE });
    const [paidTicket] = paid.tickets as [PartyTicket];
    expect(await gate.emitWithAck('band:link', { band: '04:DD:00:02', token: paidTicket.token })).toMatchObject({ ok: true });
    expect(await t.runtime.host.send('booking', 'bk_band_cancel', { type: 'booking.cancel', refundAmount: 0, at: Date.now() }, META)).toMatchObject({ ok: true, data: { state: 'cancelled' } });
    expect(await lockerBank.emitWithAck('locker:claim', { band: '04:DD:00:02', size: 'small', nonce: floor.nonce('claim') })).toMatchObject({ ok: false, code: 'booking.not_paid' });
  });

  it('a band cloned onto two gates tapping at once is admitted once; the other gate answers already used', async () => {
    const second = await t.connect(await t.device('gate-band-2', 'gate', { zone: ZONE, gateId: 'gate_band_2' }));
    try {
      for (let round = 1; round <= 5; round++) {
        const { tickets } = await floor.party(`bk_clone${String(round)}`, { zone: ZONE });
        const [ticket] = tickets as [PartyTicket];
        const band = `04:CC:00:0${String(round)}`;
        expect(await gate.emitWithAck('band:link', { band, token: ticket.token })).toMatchObject({ ok: true });
        const answers = await Promise.all([floor.tap(gate, band), floor.tap(second, band)]);
        const verdicts = answers.map((a) => (a.ok ? a.data.verdict : a.code)).sort();
        expect(verdicts).toEqual(['admitted', 'already_used']);
        expect(await floor.read('ticket', ticket.ticketId)).toMatchObject({ state: 'inside' });
      }
    } finally {
      second.close();
    }
  });

  it('swaps a lost band: the old one is refused everywhere, the new one is the same ticket with its locker and rentals', async () => {
    const { tickets } = await floor.party('bk_band2', { lines: [{ ...ADULT, qty: 2 }], zone: ZONE });
    const [ticket, mate] = tickets as [PartyTicket, PartyTicket];
    expect(await gate.emitWithAck('band:link', { band: '04:BB:00:01', token: ticket.token })).toMatchObject({ ok: true, data: { state: 'active' } });
    expect(await gate.emitWithAck('band:link', { band: '04:BB:00:03', token: mate.token })).toMatchObject({ ok: true, data: { state: 'active' } });
    expect(await floor.tap(gate, '04:BB:00:01')).toMatchObject({ ok: true, data: { verdict: 'admitted', ticketId: ticket.ticketId } });
    expect(await floor.tap(gate, '04:BB:00:03')).toMatchObject({ ok: true, data: { verdict: 'admitted', ticketId: mate.ticketId } });
    const claimed = await lockerBank.emitWithAck('locker:claim', { band: '04:BB:00:01', size: 'small', nonce: floor.nonce('claim') });
    expect(claimed).toMatchObject({ ok: true, data: { state: 'assigned' } });
    const lockerId = claimed.ok ? claimed.data.id : '';
    expect(await desk.emitWithAck('rental:pickup', { band: '04:BB:00:01', typeId: TOWEL, itemId: 'SPA-TOWEL-1', nonce: floor.nonce('rent') })).toMatchObject({ ok: true, data: { state: 'in_use' } });

    // Only staff replace a band.
    expect(await gate.emitWithAck('band:link', { band: '04:BB:00:02', replaces: '04:BB:00:01' })).toMatchObject({ ok: false, code: 'auth.forbidden' });
    const swapped = await staff.emitWithAck('band:link', { band: '04:BB:00:02', replaces: '04:BB:00:01' });
    expect(swapped).toMatchObject({ ok: true, data: { id: '04:BB:00:02', state: 'active', context: { ticketId: ticket.ticketId } } });
    expect(await floor.read('wristband', '04:BB:00:01')).toMatchObject({ state: 'deactivated', context: { reason: 'lost' } });
    expect(await floor.read('ticket', ticket.ticketId)).toMatchObject({ state: 'inside', context: { bandUid: '04:BB:00:02' } });

    // The lost band opens nothing any more: not the gate, not the locker, not a new locker.
    expect(await floor.tap(gate, '04:BB:00:01', 'exit')).toMatchObject({ ok: true, data: { verdict: 'refused', code: 'band.inactive' } });
    expect(await floor.tap(gate, '04:BB:00:01')).toMatchObject({ ok: true, data: { verdict: 'refused', code: 'band.inactive' } });
    expect(await lockerBank.emitWithAck('locker:open', { lockerId, band: '04:BB:00:01' })).toMatchObject({ ok: false, code: 'band.inactive' });
    expect(await lockerBank.emitWithAck('locker:claim', { band: '04:BB:00:01', size: 'small', nonce: floor.nonce('claim') })).toMatchObject({ ok: false, code: 'band.inactive' });
    // The new band opens the locker the lost one had; the mate's band still does not.
    const unlocked = nextEvent(lockerBank, 'locker:unlock', (u) => u.lockerId === lockerId);
    expect(await lockerBank.emitWithAck('locker:open', { lockerId, band: '04:BB:00:02' })).toEqual({ ok: true, data: { lockerId, bandUid: '04:BB:00:02', at: expect.any(Number) } });
    // The bank is told which band opened it: the new one.
    expect(await unlocked).toMatchObject({ lockerId, bandUid: '04:BB:00:02' });
    expect(await lockerBank.emitWithAck('locker:open', { lockerId, band: '04:BB:00:03' })).toMatchObject({ ok: false, code: 'locker.not_yours' });

    // The towel rented with the lost band is still this ticket's: it keeps the new band in, not the mate.
    expect(await floor.tap(gate, '04:BB:00:02')).toMatchObject({ ok: true, data: { verdict: 'already_used', ticketId: ticket.ticketId } });
    expect(await floor.tap(gate, '04:BB:00:02', 'exit')).toMatchObject({
      ok: true,
      data: { verdict: 'refused', code: 'equipment.unreturned', unreturned: [{ itemId: 'SPA-TOWEL-1', typeId: TOWEL, bandUid: '04:BB:00:01' }] },
    });
    expect(await floor.tap(gate, '04:BB:00:03', 'exit')).toMatchObject({ ok: true, data: { verdict: 'exited', ticketId: mate.ticketId } });
    expect(await desk.emitWithAck('rental:return', { itemId: 'SPA-TOWEL-1', condition: 'ok' })).toMatchObject({ ok: true, data: { state: 'available' } });
    expect(await floor.tap(gate, '04:BB:00:02', 'exit')).toEqual({ ok: true, data: { verdict: 'exited', ticketId: ticket.ticketId, bookingId: 'bk_band2' } });
    expect(await floor.tap(gate, '04:BB:00:02')).toMatchObject({ ok: true, data: { verdict: 'admitted', ticketId: ticket.ticketId, bookingId: 'bk_band2' } });
  });
});

describe('check-out releases everything', () => {
  let t: TestHub;
  let gate: ClientSocket;
  let lockerBank: ClientSocket;
  let desk: ClientSocket;
  const floor = floorOf(() => t);
  const ZONE = 'wave';
  const SLOT = 'wave-slot-1000';
  const TUBE = 'wave-tube';

  beforeAll(async () => {
    t = await startTestHub({ floor: { checkoutGraceMs: 300 } });
    expect(await t.runtime.lockers.defineLockers(ZONE, 'medium', ['WAVE-M1'])).toMatchObject({ ok: true });
    expect(await t.runtime.equipment.defineItems(TUBE, [{ itemId: 'WAVE-TUBE-1' }, { itemId: 'WAVE-TUBE-2' }])).toMatchObject({ ok: true });
    gate = await t.connect(await t.device('gate-wave', 'gate', { zone: ZONE, gateId: 'gate_wave' }));
    lockerBank = await t.connect(await t.device('lockers-wave', 'locker', { zone: ZONE }));
    desk = await t.connect(await t.device('desk-wave', 'rental_desk', {}));
  });
  afterAll(async () => {
    for (const socket of [gate, lockerBank, desk]) socket?.close();
    await t?.stop();
  });

  it('blocks the exit of the member holding a rented item, then closes the visit after the grace', async () => {
    const { tickets } = await floor.party('bk_out1', { lines: [{ ...ADULT, qty: 2 }], zone: ZONE, slotId: SLOT });
    const [a, b] = tickets as [PartyTicket, PartyTicket];
    for (const [band, ticket] of [['04:CC:00:01', a], ['04:CC:00:02', b]] as const) {
      expect(await gate.emitWithAck('band:link', { band, token: ticket.token })).toMatchObject({ ok: true, data: { state: 'active' } });
      expect(await floor.tap(gate, band)).toMatchObject({ ok: true, data: { verdict: 'admitted', ticketId: ticket.ticketId } });
    }
    await floor.occupancyIs('zone', ZONE, 2);
    const claimed = await lockerBank.emitWithAck('locker:claim', { band: '04:CC:00:01', size: 'medium', nonce: floor.nonce('claim') });
    expect(claimed).toMatchObject({ ok: true, data: { id: 'WAVE-M1', state: 'assigned' } });
    const picked = await desk.emitWithAck('rental:pickup', { band: '04:CC:00:02', typeId: TUBE, itemId: 'WAVE-TUBE-1', nonce: floor.nonce('rent') });
    expect(picked).toMatchObject({ ok: true, data: { id: 'WAVE-TUBE-1', state: 'in_use', context: { bandUid: '04:CC:00:02', bookingId: 'bk_out1' } } });

    // The holder may not leave with the tube.
    const blocked = await floor.tap(gate, '04:CC:00:02', 'exit');
    expect(blocked).toMatchObject({
      ok: true,
      data: { verdict: 'refused', code: 'equipment.unreturned', unreturned: [{ itemId: 'WAVE-TUBE-1', typeId: TUBE, bandUid: '04:CC:00:02' }] },
    });
    expect(blocked.ok && blocked.data.verdict === 'refused' ? blocked.data.message : '').toContain('WAVE-TUBE-1');
    expect(await floor.read('ticket', b.ticketId)).toMatchObject({ state: 'inside' });

    expect(await desk.emitWithAck('rental:return', { itemId: 'WAVE-TUBE-1', condition: 'ok' })).toMatchObject({ ok: true, data: { state: 'available' } });
    expect(await floor.tap(gate, '04:CC:00:01', 'exit')).toMatchObject({ ok: true, data: { verdict: 'exited', ticketId: a.ticketId } });
    expect(await floor.read('booking', 'bk_out1')).toMatchObject({ state: 'checked_in' });
    expect(await floor.tap(gate, '04:CC:00:02', 'exit')).toMatchObject({ ok: true, data: { verdict: 'exited', ticketId: b.ticketId } });

    // The last exit starts the grace; when it runs out the visit closes.
    const closed = await floor.reaches('booking', 'bk_out1', 'checked_out');
    const context = closed.context as { leftAt?: number; checkedOutAt?: number; checkoutGraceMs?: number };
    expect(context.checkoutGraceMs).toBe(300);
    expect(context.checkedOutAt).toBe((context.leftAt ?? 0) + 300);

    const locker = await until('locker freed', () => floor.read('locker', 'WAVE-M1'), (view) => view.state === 'free');
    expect((locker.context as LockerContext).bandUid).toBeUndefined();
    for (const band of ['04:CC:00:01', '04:CC:00:02']) {
      const view = await until(`band ${band} deactivated`, () => floor.read('wristband', band), (v) => v.state === 'deactivated');
      expect((view.context as WristbandContext).reason).toBe('returned');
      expect(await floor.tap(gate, band)).toMatchObject({ ok: true, data: { verdict: 'refused', code: 'band.inactive' } });
    }
    for (const ticket of [a, b]) {
      await until(`ticket ${ticket.ticketId} unlinked`, () => floor.read('ticket', ticket.ticketId), (v) => (v.context as TicketContext).bandUid === undefined);
    }
    expect(await t.runtime.visits.inside('zone', ZONE)).toBe(0);
    expect(await t.runtime.visits.inside('slot', SLOT)).toBe(0);
    // The closed visit's tickets do not admit again.
    expect(await floor.scan(gate, a.token)).toMatchObject({ ok: true, data: { verdict: 'refused', code: 'ticket.used' } });
    // The freed locker goes to the next visitor.
    const next = (await floor.party('bk_out2', { zone: ZONE, slotId: SLOT })).tickets[0] as PartyTicket;
    expect(await gate.emitWithAck('band:link', { band: '04:CC:00:03', token: next.token })).toMatchObject({ ok: true });
    expect(await lockerBank.emitWithAck('locker:claim', { band: '04:CC:00:03', size: 'medium', nonce: floor.nonce('claim') })).toMatchObject({ ok: true, data: { id: 'WAVE-M1' } });
  });

  it('lets the others out while the holder stays; a damaged return lets the holder out and the visit closes', async () => {
    const { tickets } = await floor.party('bk_out3', { lines: [{ ...ADULT, qty: 2 }], zone: ZONE, slotId: SLOT });
    const [a, b] = tickets as [PartyTicket, PartyTicket];
    for (const [band, ticket] of [['04:CD:00:01', a], ['04:CD:00:02', b]] as const) {
      expect(await gate.emitWithAck('band:link', { band, token: ticket.token })).toMatchObject({ ok: true });
      expect(await floor.tap(gate, band)).toMatchObject({ ok: true, data: { verdict: 'admitted' } });
    }
    expect(await desk.emitWithAck('rental:pickup', { band: '04:CD:00:02', typeId: TUBE, nonce: floor.nonce('rent') })).toMatchObject({ ok: true, data: { state: 'in_use' } });
    const out = await t.runtime.equipment.unreturned('bk_out3');
    const itemId = out.ok ? out.data[0]?.itemId : undefined;
    expect(itemId).toBeDefined();
    // The member without the item leaves while the holder is inside.
    expect(await floor.tap(gate, '04:CD:00:01', 'exit')).toMatchObject({ ok: true, data: { verdict: 'exited' } });
    // The holder is refused; a staff return lets them out and the visit closes.
    expect(await floor.tap(gate, '04:CD:00:02', 'exit')).toMatchObject({ ok: true, data: { verdict: 'refused', code: 'equipment.unreturned' } });
    expect(await desk.emitWithAck('rental:return', { itemId: itemId ?? '', condition: 'damaged', note: 'torn' })).toMatchObject({ ok: true, data: { state: 'maintenance' } });
    expect(await floor.tap(gate, '04:CD:00:02', 'exit')).toMatchObject({ ok: true, data: { verdict: 'exited' } });
    await floor.reaches('booking', 'bk_out3', 'checked_out');
    await until('bands of bk_out3 deactivated', async () => Promise.all(['04:CD:00:01', '04:CD:00:02'].map((band) => floor.read('wristband', band))), (views) => views.every((v) => v.state === 'deactivated'));
  });
});

describe('a re-entry during the check-out grace', () => {
  let t: TestHub;
  let gate: ClientSocket;
  let lockerBank: ClientSocket;
  const floor = floorOf(() => t);
  const ZONE = 'river';
  const GRACE_MS = 3_000;

  beforeAll(async () => {
    t = await startTestHub({ floor: { checkoutGraceMs: GRACE_MS } });
    expect(await t.runtime.lockers.defineLockers(ZONE, 'large', ['RIVER-L1'])).toMatchObject({ ok: true });
    gate = await t.connect(await t.device('gate-river', 'gate', { zone: ZONE, gateId: 'gate_river' }));
    lockerBank = await t.connect(await t.device('lockers-river', 'locker', { zone: ZONE }));
  });
  afterAll(async () => {
    for (const socket of [gate, lockerBank]) socket?.close();
    await t?.stop();
  });

  it('returns the booking to checked_in and releases nothing', async () => {
    const { tickets } = await floor.party('bk_back1', { zone: ZONE });
    const [ticket] = tickets as [PartyTicket];
    expect(await gate.emitWithAck('band:link', { band: '04:DD:00:01', token: ticket.token })).toMatchObject({ ok: true });
    expect(await floor.tap(gate, '04:DD:00:01')).toMatchObject({ ok: true, data: { verdict: 'admitted' } });
    expect(await lockerBank.emitWithAck('locker:claim', { band: '04:DD:00:01', size: 'large', nonce: floor.nonce('claim') })).toMatchObject({ ok: true, data: { id: 'RIVER-L1' } });

    const exitedAt = Date.now();
    expect(await floor.tap(gate, '04:DD:00:01', 'exit')).toMatchObject({ ok: true, data: { verdict: 'exited' } });
    const leaving = await floor.reaches('booking', 'bk_back1', 'leaving');
    const graceEnds = leaving.deadline ?? 0;
    expect(graceEnds).toBeGreaterThanOrEqual(exitedAt + GRACE_MS);
    expect(graceEnds).toBeLessThanOrEqual(Date.now() + GRACE_MS);
    expect(await floor.tap(gate, '04:DD:00:01')).toMatchObject({ ok: true, data: { verdict: 'admitted' } });
    const back = await floor.read('booking', 'bk_back1');
    expect(back).toMatchObject({ state: 'checked_in' });
    expect(back.deadline).toBeUndefined();
    expect((back.context as { leftAt?: number }).leftAt).toBeUndefined();

    // Past the old grace, with every overdue timer fired, the visit is still open.
    await until('the old grace is over', async () => Date.now(), (now) => now > graceEnds + 50, GRACE_MS + 5_000);
    await t.runtime.timers.sweep();
    expect(await floor.read('booking', 'bk_back1')).toMatchObject({ state: 'checked_in' });
    expect(await floor.read('locker', 'RIVER-L1')).toMatchObject({ state: 'assigned', context: { bookingId: 'bk_back1' } });
    expect(await floor.read('wristband', '04:DD:00:01')).toMatchObject({ state: 'active' });
    expect(await floor.occupancyIs('zone', ZONE, 1)).toBe(1);

    // Leaving again starts a new grace, and this time the visit closes.
    expect(await floor.tap(gate, '04:DD:00:01', 'exit')).toMatchObject({ ok: true, data: { verdict: 'exited' } });
    await floor.reaches('booking', 'bk_back1', 'leaving');
    await floor.reaches('booking', 'bk_back1', 'checked_out', GRACE_MS + 10_000);
    await floor.reaches('locker', 'RIVER-L1', 'free');
    await floor.reaches('wristband', '04:DD:00:01', 'deactivated');
    await floor.occupancyIs('zone', ZONE, 0);
  });
});

describe('floor alerts', () => {
  let t: TestHub;
  let gate: ClientSocket;
  const alerts: FloorAlert[] = [];
  const floor = floorOf(() => t);
  const ZONE = 'arcade';

  beforeAll(async () => {
    t = await startTestHub({ floor: { alert: (alert) => alerts.push(alert), checkoutGraceMs: 60_000 } });
    gate = await t.connect(await t.device('gate-alert', 'gate', { zone: ZONE, gateId: 'gate_alert' }));
  });
  afterAll(async () => {
    gate?.close();
    await t?.stop();
  });

  const offlineEntry = (ticketId: string, nonce: string, at: number) =>
    t.runtime.host.send('ticket', ticketId, { type: 'ticket.offline_scan', direction: 'entry', gateId: 'gate_offline', nonce, at }, { who: 'device:gate-offline', eventId: `offline:${nonce}` });

  it('raises a double_entry alert for an offline entry of a ticket already inside, and counts it once', async () => {
    const { tickets } = await floor.party('bk_alert1', { zone: ZONE });
    const [ticket] = tickets as [PartyTicket];
    expect(await floor.scan(gate, ticket.token)).toMatchObject({ ok: true, data: { verdict: 'admitted' } });
    await floor.occupancyIs('zone', ZONE, 1);
    const entered = (await floor.read('ticket', ticket.ticketId)).context as TicketContext;

    const at = Date.now();
    const recorded = viewOf(await offlineEntry(ticket.ticketId, 'offline-00001', at));
    expect(recorded).toMatchObject({ state: 'inside', context: { doubleEntries: [{ gateId: 'gate_offline', at }] } });
    const [alert] = await until('a double_entry alert', async () => alerts.filter((a) => a.type === 'double_entry' && a.ticketId === ticket.ticketId), (found) => found.length > 0);
    expect(FloorAlert.parse(alert)).toEqual({
      type: 'double_entry',
      alertId: expect.any(String),
      ticketId: ticket.ticketId,
      bookingId: 'bk_alert1',
      gateId: 'gate_offline',
      at,
      state: 'inside',
      previous: { at: entered.lastEntry?.at, gateId: 'gate_alert' },
    });
    // The upload retried (same event id) is a duplicate: no second alert.
    expect(viewOf(await offlineEntry(ticket.ticketId, 'offline-00001', at))).toMatchObject({ duplicate: true });
    expect(await t.runtime.visits.inside('zone', ZONE)).toBe(1);
    expect(alerts.filter((a) => a.type === 'double_entry' && a.ticketId === ticket.ticketId)).toHaveLength(1);
  });

  it('raises one with state used for an offline entry of a used single-entry ticket', async () => {
    const { tickets } = await floor.party('bk_alert2', { zone: ZONE, reentry: false });
    const [ticket] = tickets as [PartyTicket];
    expect(await floor.scan(gate, ticket.token)).toMatchObject({ ok: true, data: { verdict: 'admitted' } });
    expect(await floor.scan(gate, ticket.token, 'exit')).toMatchObject({ ok: true, data: { verdict: 'exited' } });
    viewOf(await offlineEntry(ticket.ticketId, 'offline-00002', Date.now()));
    const found = await until('a used double_entry alert', async () => alerts.filter((a) => a.type === 'double_entry' && a.ticketId === ticket.ticketId), (list) => list.length > 0);
    expect(found).toEqual([expect.objectContaining({ type: 'double_entry', state: 'used', gateId: 'gate_offline', bookingId: 'bk_alert2' })]);
    expect(await floor.read('ticket', ticket.ticketId)).toMatchObject({ state: 'used' });
  });
});

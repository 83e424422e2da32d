/**
 * The venue floor, start to finish, against a running hub: a visitor's party of two checks in with
 * QR tickets and wristbands, takes a locker that opens for one band only, and checks out.
 *
 *   npm run demo:floor -- --url http://localhost:8080 --admin-token <super admin> --visitor-token <visitor> [--wait-checkout]
 *   npm run demo:floor -- --url http://localhost:8080 --admin-token <super admin> --watch-booking <booking id>
 *
 *    1 activity   super admin: an activity open round the clock in the zone (or --activity <id>)
 *    2 purchase   visitor: hold 2 tickets, submit, pay on the simulated hosted page (test card) ─▶ QR tokens
 *    3 devices    super admin mints a gate (zone of the activity) and a locker bank (--zone)
 *    4 bands      gate: band:link band A ─▶ ticket 1, band B ─▶ ticket 2 (by their QR tokens)
 *    5 check-in   gate:scan entry ticket 1 by QR, ticket 2 by band B ─▶ admitted; booking checked_in
 *    6 locker     locker:claim for band A ─▶ a free locker of --size in the zone
 *    7 open A     locker:open with band A ─▶ opens; the bank hears locker:unlock
 *    8 open B     locker:open with band B ─▶ refused locker.not_yours; no unlock
 *    9 check-out  gate:scan exit band A, ticket 2 by QR ─▶ exited; booking leaving
 *   10 closed     (--wait-checkout) booking checked_out after CHECKOUT_GRACE_MINUTES; locker free, bands off
 *
 * Each step prints what the hub answered; the last line is `summary {…}` (JSON). Exit codes: 0 when
 * every step answered as expected, 1 when one did not (the message says which and what came back),
 * 2 on bad arguments, 3 when the hub could not be reached or refused a device's connection.
 */
import { z } from 'zod';
import type { ActorRef, ActorState, LockerUnlock, OccupancyLevel, ScanVerdict } from '../../machines/contract/wire.js';
import { LockerClaim } from '../../machines/contract/wire.js';
import type { ActorSubscription, HubClient, HubResult } from '../sdk/index.js';
import { isMainModule, parseCli, runId } from './device-cli.js';
import { connectGate, GateConnectionError, linkBandOn, scanBandOn, scanOn } from './gate-simulator.js';
import { claimOn, connectLocker, issueLockerDevice, openOn, watchUnlocks } from './locker-simulator.js';
import type { LockerSize, UnlockWatch } from './locker-simulator.js';
import { buyTickets, issueDevice, nextSlotOf, openActivityNow, pollUntil } from './visitor-flow.js';
import type { OpenActivity, PaidTicket } from './visitor-flow.js';

/** Every device and the observer talk to the hub through the SDK. */
type HubSocket = HubClient;

/** What the demo needs. */
export interface FloorDemoOptions {
  url: string;
  adminToken: string;
  visitorToken: string;
  /** The zone of the new activity and of the locker bank (default waterpark: the demo venue's lockers). */
  zone: string;
  /** Reuse this activity instead of creating one (its zone then binds the gate). */
  activityId?: string;
  ticketTypeId?: string;
  lockerSize: LockerSize;
  /** Wristband UIDs (default fresh ones: a band is deactivated at check-out and cannot be linked again). */
  bandA?: string;
  bandB?: string;
  /** Wait for the booking's check-out (and check what it released). */
  waitCheckout: boolean;
  checkoutTimeoutMs: number;
  /** Timeout of each wait for an asynchronous change (check-in, occupancy, unlocks), ms. */
  stepTimeoutMs: number;
}

/** What the demo did, for scripts and tests. */
export interface FloorDemoSummary {
  url: string;
  activityId: string;
  slotId: string;
  bookingId: string;
  tickets: string[];
  bands: [string, string];
  gateDeviceId: string;
  lockerDeviceId: string;
  lockerId: string;
  /** The unlocks the locker bank heard. */
  unlocks: LockerUnlock[];
  /** Every booking state seen, in order. */
  bookingStates: string[];
  /** The last booking state seen. */
  booking: string;
  checkedOut: boolean;
}

/** A step answered something else than expected. */
export class FloorDemoFailure extends Error {
  constructor(
    readonly step: string,
    message: string,
  ) {
    super(message);
    this.name = 'FloorDemoFailure';
  }
}

type Print = (line: string) => void;

const STEPS = 10;

/** Compact JSON of an answer, for messages. */
const show = (value: unknown): string => JSON.stringify(value);

/** The data of an accepted ack, or a failure naming the step and the refusal. */
function expectOk<T>(step: string, what: string, answer: HubResult<T>): T {
  if (!answer.ok) throw new FloorDemoFailure(step, `${what}: the hub refused with ${answer.code} (${answer.message})`);
  return answer.data;
}

/** The verdict of a scan, which must be `verdict` for `ticketId`. */
function expectVerdict<V extends ScanVerdict['verdict']>(step: string, what: string, answer: HubResult<ScanVerdict>, verdict: V, ticketId: string): Extract<ScanVerdict, { verdict: V }> {
  const data = expectOk(step, what, answer);
  if (data.verdict !== verdict || !('ticketId' in data) || data.ticketId !== ticketId) {
    throw new FloorDemoFailure(step, `${what}: expected ${verdict} for ${ticketId}, the gate showed ${show(data)}`);
  }
  return data as Extract<ScanVerdict, { verdict: V }>;
}

/** Reads actors and occupancy as a super admin: every state seen of a followed actor is kept in order. */
class Observer {
  private readonly seen = new Map<string, string[]>();
  private readonly followed = new Map<string, ActorSubscription>();

  constructor(
    private readonly socket: HubSocket,
    private readonly onChange?: (state: ActorState, eventType: string | undefined) => void,
  ) {}

  private note(kind: string, id: string, state: string): void {
    const key = `${kind}/${id}`;
    const states = this.seen.get(key) ?? [];
    if (states.at(-1) !== state) states.push(state);
    this.seen.set(key, states);
  }

  /** The actor's current state (and it is followed from now on). */
  async read(kind: string, id: string): Promise<HubResult<ActorState>> {
    const ref: ActorRef = { kind, id };
    const key = `${kind}/${id}`;
    let followed = this.followed.get(key);
    if (followed === undefined) {
      followed = this.socket.subscribeActor(ref, (state, update) => {
        this.note(kind, id, state.state);
        if (update.source === 'change') this.onChange?.(state, update.eventType);
      });
      this.followed.set(key, followed);
      const first = await followed.ready;
      if (!first.ok) this.followed.delete(key);
      return first;
    }
    // Asked again each time (a fresh answer, whatever the notices did).
    const answer = await this.socket.call('actor:subscribe', ref);
    if (answer.ok) this.note(kind, id, answer.data.state);
    return answer;
  }

  /** Every state seen of a followed actor, in order. */
  states(kind: string, id: string): string[] {
    return [...(this.seen.get(`${kind}/${id}`) ?? [])];
  }

  /** Waits until the actor is in one of `states` (seen now or later); answers its state then. */
  async reach(step: string, kind: string, id: string, states: readonly string[], timeoutMs: number): Promise<ActorState> {
    let last: HubResult<ActorState> | undefined;
    try {
      await pollUntil(
        `${kind} ${id} to be ${states.join(' or ')}`,
        async () => {
          last = await this.read(kind, id);
          return last.ok && states.includes(last.data.state);
        },
        timeoutMs,
        250,
      );
    } catch {
      const now = last === undefined ? 'no answer' : last.ok ? `it is ${last.data.state}` : `${last.code}: ${last.message}`;
      throw new FloorDemoFailure(step, `${kind} ${id} did not become ${states.join(' or ')} within ${timeoutMs} ms (${now})`);
    }
    return (last as { ok: true; data: ActorState }).data;
  }

  /** People inside a slot now. */
  async inside(slotId: string): Promise<number> {
    const answer = await this.socket.call('occupancy:subscribe', { slotIds: [slotId] });
    if (!answer.ok) throw new FloorDemoFailure('occupancy', `occupancy:subscribe refused: ${answer.code} (${answer.message})`);
    return answer.data.levels.find((l: OccupancyLevel) => l.scope === 'slot' && l.id === slotId)?.inside ?? 0;
  }

  /** Waits until `count` people are inside the slot. */
  async insideReaches(step: string, slotId: string, count: number, timeoutMs: number): Promise<void> {
    let now = -1;
    try {
      await pollUntil(`${count} inside ${slotId}`, async () => (now = await this.inside(slotId)) === count, timeoutMs, 100);
    } catch {
      throw new FloorDemoFailure(step, `occupancy of slot ${slotId}: expected ${count} inside, the hub counts ${now}`);
    }
  }
}

/** A context field of an actor state. */
const field = (state: ActorState, name: string): unknown => (typeof state.context === 'object' && state.context !== null ? (state.context as Record<string, unknown>)[name] : undefined);

/** A readable line for an admitted verdict. */
function admittedLine(v: Extract<ScanVerdict, { verdict: 'admitted' }>): string {
  const who = v.holderName ?? v.visitorName;
  const addOns = v.addOns.length === 0 ? 'no add-ons' : `add-ons ${v.addOns.map((a) => `${a.qty}× ${a.addOnId}`).join(', ')}`;
  return `admitted ${v.ticketId} (booking ${v.bookingId}${who === undefined ? '' : `, ${who}`}, party of ${v.partySize}, ${v.reentry ? 're-entry allowed' : 'single entry'}, ${addOns})`;
}

/** Runs the whole story; resolves with what happened or rejects with a FloorDemoFailure (or GateConnectionError). */
export async function runFloorDemo(options: FloorDemoOptions, print: Print = (line) => console.log(line)): Promise<FloorDemoSummary> {
  const { url, adminToken, visitorToken, stepTimeoutMs } = options;
  const run = runId();
  const bands: [string, string] = [options.bandA ?? `BAND-A-${run}`, options.bandB ?? `BAND-B-${run}`];
  const sockets: HubSocket[] = [];
  let unlocks: UnlockWatch | undefined;
  let n = 0;
  const step = (title: string, line: string) => print(`[${String(++n).padStart(2)}/${STEPS}] ${title.padEnd(9)} ${line}`);
  const detail = (line: string) => print(`             ${line}`);

  print(`Venue floor demo against ${url}`);
  try {
    const observerSocket = await connectGate(url, adminToken);
    sockets.push(observerSocket);
    const observer = new Observer(observerSocket);

    // 1. An activity whose tickets scan now.
    let activity: OpenActivity;
    try {
      activity =
        options.activityId === undefined
          ? await openActivityNow({ url, adminToken, activityId: `floor-demo-${run}`, zone: options.zone })
          : await nextSlotOf(url, options.activityId, options.ticketTypeId);
    } catch (error) {
      throw new FloorDemoFailure('activity', (error as Error).message);
    }
    step('activity', `${activity.activityId} in zone ${activity.zone}${options.activityId === undefined ? ', open round the clock (new)' : ' (reused)'}`);
    detail(`next slot ${activity.slotId} starts ${new Date(activity.startsAt).toISOString()}; ticket type ${activity.ticketTypeId}`);

    // 2. The visitor buys two tickets the way the booking page does.
    const bookingId = `bk-floor-${run}`;
    let tickets: PaidTicket[];
    try {
      tickets = await buyTickets({ url, visitorToken, bookingId, slotId: activity.slotId, ticketTypeId: activity.ticketTypeId, qty: 2 });
    } catch (error) {
      throw new FloorDemoFailure('purchase', `the visitor's purchase failed: ${(error as Error).message}`);
    }
    const [t1, t2] = tickets as [PaidTicket, PaidTicket];
    const booking = await observer.reach('purchase', 'booking', bookingId, ['confirmed'], stepTimeoutMs);
    step('purchase', `booking ${bookingId} ${booking.state}: held, submitted, paid by card on the hosted page`);
    detail(`ticket 1 ${t1.ticketId}, ticket 2 ${t2.ticketId} (QR tokens issued)`);

    // 3. Devices, minted by the super admin.
    const gateId = `floor_gate_${run}`;
    const gateDevice = await issueDevice(url, adminToken, { deviceId: `floor-gate-${run}`, deviceKind: 'gate', scope: { zone: activity.zone, gateId } });
    const lockerDevice = await issueLockerDevice(url, adminToken, options.zone, `floor-lockers-${run}`);
    const gate = await connectGate(url, gateDevice.token);
    sockets.push(gate);
    const bank = await connectLocker(url, lockerDevice.token);
    sockets.push(bank);
    unlocks = watchUnlocks(bank);
    step('devices', `gate ${gateDevice.deviceId} (gate ${gateId}, zone ${activity.zone}) and locker bank ${lockerDevice.deviceId} (zone ${options.zone}) connected`);

    // 4. The gate activates a wristband on each ticket by its QR token.
    for (const [i, ticket] of [t1, t2].entries()) {
      const band = bands[i] as string;
      const linked = expectOk('bands', `band:link ${band} → ${ticket.ticketId}`, await linkBandOn(gate, band, ticket.token));
      if (linked.state !== 'active' || field(linked, 'ticketId') !== ticket.ticketId) {
        throw new FloorDemoFailure('bands', `band:link ${band}: expected an active band on ${ticket.ticketId}, the hub answered ${show(linked)}`);
      }
      const line = `band ${i === 0 ? 'A' : 'B'} ${band} active on ${ticket.ticketId}`;
      if (i === 0) step('bands', line);
      else detail(line);
    }

    // 5. Check-in: ticket 1 shows its QR, ticket 2 taps band B.
    const before = await observer.inside(activity.slotId);
    const in1 = expectVerdict('check-in', `entry scan of ${t1.ticketId} by QR`, await scanOn(gate, t1.token, 'entry'), 'admitted', t1.ticketId);
    step('check-in', `QR of ticket 1: ${admittedLine(in1)}`);
    const in2 = expectVerdict('check-in', `entry tap of band B ${bands[1]}`, await scanBandOn(gate, bands[1], 'entry'), 'admitted', t2.ticketId);
    detail(`band B:        ${admittedLine(in2)}`);
    const checkedIn = await observer.reach('check-in', 'booking', bookingId, ['checked_in'], stepTimeoutMs);
    await observer.insideReaches('check-in', activity.slotId, before + 2, stepTimeoutMs);
    detail(`booking ${bookingId} ${checkedIn.state}; ${before + 2} inside slot ${activity.slotId}`);

    // 6. A locker for band A.
    const claimed = expectOk('locker', `locker:claim ${options.lockerSize} for band A`, await claimOn(bank, bands[0], options.lockerSize));
    if (claimed.state !== 'assigned' || field(claimed, 'bandUid') !== bands[0]) {
      throw new FloorDemoFailure('locker', `locker:claim: expected a locker assigned to ${bands[0]}, the hub answered ${show(claimed)}`);
    }
    const lockerId = claimed.id;
    step('locker', `${lockerId} (${options.lockerSize}, zone ${String(field(claimed, 'zone') ?? options.zone)}) assigned to band A`);

    // 7. Band A opens it, and the bank hears the unlock.
    const opened = expectOk('open A', `locker:open ${lockerId} with band A`, await openOn(bank, lockerId, bands[0]));
    const heard = await unlocks.next((u) => u.lockerId === lockerId && u.bandUid === bands[0], stepTimeoutMs);
    if (heard === undefined) throw new FloorDemoFailure('open A', `the hub accepted band A at ${lockerId} but the locker bank heard no locker:unlock within ${stepTimeoutMs} ms`);
    step('open A', `band A opens ${opened.lockerId}; the bank heard locker:unlock ${show(heard)}`);

    // 8. Band B (same party, another band) does not.
    const refused = await openOn(bank, lockerId, bands[1]);
    if (refused.ok || refused.code !== 'locker.not_yours') {
      throw new FloorDemoFailure('open B', `locker:open ${lockerId} with band B: expected locker.not_yours, the hub answered ${show(refused)}`);
    }
    const stray = await unlocks.next((u) => u.bandUid === bands[1], 500);
    if (stray !== undefined) throw new FloorDemoFailure('open B', `the locker bank heard an unlock for band B: ${show(stray)}`);
    step('open B', `band B refused at ${lockerId}: ${refused.code} (${refused.message}); no unlock`);

    // 9. Both leave: band A taps out, ticket 2 shows its QR.
    const out1 = expectVerdict('check-out', `exit tap of band A ${bands[0]}`, await scanBandOn(gate, bands[0], 'exit'), 'exited', t1.ticketId);
    step('check-out', `band A:        exited ${out1.ticketId}`);
    const out2 = expectVerdict('check-out', `exit scan of ${t2.ticketId} by QR`, await scanOn(gate, t2.token, 'exit'), 'exited', t2.ticketId);
    detail(`QR of ticket 2: exited ${out2.ticketId}`);
    await observer.insideReaches('check-out', activity.slotId, before, stepTimeoutMs);
    let last = await observer.reach('check-out', 'booking', bookingId, ['leaving', 'checked_out'], stepTimeoutMs);
    detail(`booking ${bookingId} ${last.state}; ${before} inside slot ${activity.slotId}`);

    // 10. The visit closes after the check-out grace: the locker is freed and the bands go off.
    let checkedOut = last.state === 'checked_out';
    if (options.waitCheckout || checkedOut) {
      if (!checkedOut) detail(`waiting up to ${Math.round(options.checkoutTimeoutMs / 1000)} s for the check-out grace (CHECKOUT_GRACE_MINUTES) to run out…`);
      last = await observer.reach('closed', 'booking', bookingId, ['checked_out'], options.checkoutTimeoutMs);
      checkedOut = true;
      const locker = await observer.reach('closed', 'locker', lockerId, ['free'], stepTimeoutMs);
      for (const band of bands) await observer.reach('closed', 'wristband', band, ['deactivated'], stepTimeoutMs);
      step('closed', `booking ${bookingId} checked_out; locker ${lockerId} ${locker.state}; bands A and B deactivated`);
    } else {
      step('closed', `not waited for: the booking is checked_out CHECKOUT_GRACE_MINUTES (default 15) after the last exit, unless someone re-enters`);
      detail(`watch it: npm run demo:floor -- --url ${url} --admin-token <super admin token> --watch-booking ${bookingId}`);
      detail(`(or run the demo with --wait-checkout; a hub started with CHECKOUT_GRACE_MINUTES=0 checks out at once)`);
    }

    const summary: FloorDemoSummary = {
      url,
      activityId: activity.activityId,
      slotId: activity.slotId,
      bookingId,
      tickets: [t1.ticketId, t2.ticketId],
      bands,
      gateDeviceId: gateDevice.deviceId,
      lockerDeviceId: lockerDevice.deviceId,
      lockerId,
      unlocks: [...unlocks.seen],
      bookingStates: observer.states('booking', bookingId),
      booking: last.state,
      checkedOut,
    };
    print(`Floor demo passed: checked in, locker ${lockerId} opened for band A only, ${checkedOut ? 'checked out' : `booking ${last.state}`}.`);
    print(`summary ${JSON.stringify(summary)}`);
    return summary;
  } finally {
    unlocks?.stop();
    for (const socket of sockets) socket.close();
  }
}

/** `--watch-booking`: follows a booking until it is checked out, printing each state. */
export async function watchBooking(url: string, adminToken: string, bookingId: string, timeoutMs: number, print: Print = (line) => console.log(line)): Promise<ActorState> {
  const socket = await connectGate(url, adminToken);
  try {
    const observer = new Observer(socket, (change, eventType) => {
      if (change.kind === 'booking' && change.id === bookingId) print(`booking ${bookingId} ${change.state} (${eventType ?? 'change'})`);
    });
    const now = expectOk('watch', `actor:subscribe booking ${bookingId}`, await observer.read('booking', bookingId));
    print(`booking ${bookingId} ${now.state}${now.state === 'checked_out' ? '' : `; waiting up to ${Math.round(timeoutMs / 1000)} s for checked_out`}`);
    return await observer.reach('watch', 'booking', bookingId, ['checked_out'], timeoutMs);
  } finally {
    socket.close();
  }
}

const USAGE = [
  'usage: demo:floor --url http://localhost:8080 --admin-token <super admin token> --visitor-token <visitor token>',
  '                  [--zone waterpark] [--activity <id> [--ticket-type <id>]] [--size small|medium|large]',
  '                  [--band-a <uid>] [--band-b <uid>] [--wait-checkout] [--checkout-timeout <seconds>] [--step-timeout <seconds>]',
  '       demo:floor --url http://localhost:8080 --admin-token <super admin token> --watch-booking <booking id> [--checkout-timeout <seconds>]',
].join('\n');

const Id = z.string().regex(/^[A-Za-z0-9_.:-]{1,128}$/, 'letters, digits and _ . : - only');
const Band = z.string().regex(/^[A-Za-z0-9:-]{4,64}$/, 'letters, digits, : and - only, 4–64 characters');

const Args = z
  .object({
    url: z.url({ protocol: /^https?$/, error: 'an http(s) URL of the hub' }),
    'admin-token': z.string().min(1, 'the super admin token `npm start` prints'),
    'visitor-token': z.string().min(1).optional(),
    zone: LockerClaim.shape.zone.unwrap().default('waterpark'),
    activity: Id.optional(),
    'ticket-type': Id.optional(),
    size: LockerClaim.shape.size.default('medium'),
    'band-a': Band.optional(),
    'band-b': Band.optional(),
    'wait-checkout': z.boolean().default(false),
    'checkout-timeout': z.coerce.number().positive().default(20 * 60),
    'step-timeout': z.coerce.number().positive().default(15),
    'watch-booking': Id.optional(),
  })
  .refine((a) => a['watch-booking'] !== undefined || a['visitor-token'] !== undefined, { message: '--visitor-token: the visitor token `npm start` prints', path: ['visitor-token'] })
  .refine((a) => a['band-a'] === undefined || a['band-a'] !== a['band-b'], { message: 'two different bands', path: ['band-b'] });

const OPTIONS = {
  url: { type: 'string', default: 'http://localhost:8080' },
  'admin-token': { type: 'string' },
  'visitor-token': { type: 'string' },
  zone: { type: 'string' },
  activity: { type: 'string' },
  'ticket-type': { type: 'string' },
  size: { type: 'string' },
  'band-a': { type: 'string' },
  'band-b': { type: 'string' },
  'wait-checkout': { type: 'boolean' },
  'checkout-timeout': { type: 'string' },
  'step-timeout': { type: 'string' },
  'watch-booking': { type: 'string' },
} as const;

/** Runs the command line; answers the exit code. `print` receives the story, `warn` the failure. */
export async function main(argv: readonly string[], print: Print = (line) => console.log(line), warn: Print = (line) => console.error(line)): Promise<number> {
  const args = parseCli(argv, OPTIONS, Args);
  if (!args.ok) {
    warn(`${args.message}\n${USAGE}`);
    return 2;
  }
  if (args.positionals.length > 0) {
    warn(`unexpected arguments: ${args.positionals.join(' ')}\n${USAGE}`);
    return 2;
  }
  const a = args.values;
  try {
    if (a['watch-booking'] !== undefined) {
      await watchBooking(a.url, a['admin-token'], a['watch-booking'], a['checkout-timeout'] * 1000, print);
      print(`booking ${a['watch-booking']} checked_out: its lockers are freed and its bands deactivated`);
      return 0;
    }
    await runFloorDemo(
      {
        url: a.url,
        adminToken: a['admin-token'],
        visitorToken: a['visitor-token'] ?? '',
        zone: a.zone,
        ...(a.activity === undefined ? {} : { activityId: a.activity }),
        ...(a['ticket-type'] === undefined ? {} : { ticketTypeId: a['ticket-type'] }),
        lockerSize: a.size,
        ...(a['band-a'] === undefined ? {} : { bandA: a['band-a'] }),
        ...(a['band-b'] === undefined ? {} : { bandB: a['band-b'] }),
        waitCheckout: a['wait-checkout'],
        checkoutTimeoutMs: a['checkout-timeout'] * 1000,
        stepTimeoutMs: a['step-timeout'] * 1000,
      },
      print,
    );
    return 0;
  } catch (error) {
    if (error instanceof GateConnectionError) {
      warn(`FAILED: could not connect (${error.code ?? 'connection.failed'}): ${error.message}`);
      return 3;
    }
    if (error instanceof FloorDemoFailure) {
      warn(`FAILED at step "${error.step}": ${error.message}`);
      return 1;
    }
    const code = (error as { code?: unknown }).code;
    warn(`FAILED: ${typeof code === 'string' ? `${code}: ` : ''}${(error as Error).message}`);
    return code === 'client.unreachable' ? 3 : 1;
  }
}

if (isMainModule(import.meta.url)) {
  process.exitCode = await main(process.argv.slice(2));
}

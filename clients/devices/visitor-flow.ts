/**
 * Paid tickets that admit right now, bought the way a visitor buys them, and the device tokens that
 * scan them: for the floor demo, gate and locker simulators, gate tests and benches against real
 * hub nodes (the demo venue's slots start at 10:00 venue time at the earliest, so its tickets do not
 * scan at every hour of the day).
 *
 *   openActivityNow   super admin ──POST /api/admin/catalog/{activity,ticket_type,schedule}──▶ a slot
 *                     starting every 15 minutes, all week: the next one starts within 15 minutes,
 *                     so its tickets (slot window ± the ticket grace of an hour) verify now
 *   nextSlotOf        an existing activity's next bookable slot (and its zone and ticket type)
 *   buyTickets        visitor ──booking:hold, booking.submit──▶ POST /api/bookings/:id/pay
 *                     ──the simulated provider's hosted page (test card)──▶ webhook ─▶ confirmed
 *                     ─▶ tickets issued ─▶ GET /api/bookings/:id/tickets (QR tokens)
 *   issueDevice       super admin ──POST /api/admin/devices──▶ a device token
 *
 * A node started with PORT=0 and no PUBLIC_URL names port 0 in the links it hands out (its public
 * URL is fixed before the port is known), so the payer's browser here posts the hosted page's form
 * to the same path at the node's real address.
 */
import type { DeviceKind } from '../../machines/contract/wire.js';
import { connectHub, createHubApi, unwrap } from '../sdk/index.js';
import type { HubApi } from '../sdk/index.js';

/** The simulated provider's test card that succeeds. */
const SUCCESS_CARD = '4111111111111111';
/** A slot is picked only if it starts at least this much later, so the hold is not refused as started. */
const HOLD_LEAD_MS = 60_000;
/** Start times every 15 minutes, round the clock. */
const EVERY_QUARTER_HOUR = Array.from({ length: 96 }, (_, i) => `${String(Math.floor(i / 4)).padStart(2, '0')}:${String((i % 4) * 15).padStart(2, '0')}`);
const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;

/** Polls `check` every `everyMs` (default 25) until it is true; throws naming `what` after `timeoutMs`. */
export async function pollUntil(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 10_000, everyMs = 25): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

/** An activity open round the clock and the slot to book now. */
export interface OpenActivity {
  activityId: string;
  ticketTypeId: string;
  zone: string;
  /** The next slot that has not started (it starts within about 16 minutes). */
  slotId: string;
  startsAt: number;
}

/** Options of `openActivityNow`. */
export interface OpenActivityOptions {
  /** A node's URL. */
  url: string;
  /** A super admin's access token (e.g. the demo token a node prints). */
  adminToken: string;
  /** Catalog id, unique per run (lower case, digits, dashes). */
  activityId: string;
  /** The venue zone of the activity (a gate scanning its tickets is bound to it). */
  zone: string;
  /** Places per slot (default 500). */
  capacity?: number;
}

/** Creates an activity with one ticket type (1 admission, up to 50 a booking) open every 15 minutes. */
export async function openActivityNow(options: OpenActivityOptions): Promise<OpenActivity> {
  const api = createHubApi({ url: options.url });
  const { activityId, zone, adminToken } = options;
  const ticketTypeId = `${activityId}-entry`;
  const { timeZone } = unwrap(await api.activities());
  const today = localDate(Date.now(), timeZone);
  unwrap(await api.createCatalogItem('activity', { activityId, name: `Gate test ${activityId}`, zone }, adminToken));
  unwrap(await api.createCatalogItem('ticket_type', { ticketTypeId, activityId, name: 'Entry', price: 2_500, maxPerBooking: 50 }, adminToken));
  const days = Object.fromEntries(WEEKDAYS.map((d) => [d, EVERY_QUARTER_HOUR]));
  const schedule = { scheduleId: `${activityId}-all-day`, activityId, days, durationMinutes: 60, capacity: options.capacity ?? 500, validFrom: today };
  unwrap(await api.createCatalogItem('schedule', schedule, adminToken));

  // Saving the schedule generated its slots from today; the next one may be tomorrow (just before midnight).
  const slot = await nextBookableSlot(api, activityId, timeZone);
  return { activityId, ticketTypeId, zone, ...slot };
}

/**
 * An existing activity (e.g. one `openActivityNow` created on an earlier run) with its next
 * bookable slot, today or tomorrow: its first active ticket type unless one is named.
 */
export async function nextSlotOf(url: string, activityId: string, ticketTypeId?: string): Promise<OpenActivity> {
  const api = createHubApi({ url });
  const { timeZone, activities } = unwrap(await api.activities());
  const activity = activities.find((a) => a.activityId === activityId);
  if (!activity) throw new Error(`there is no activity ${activityId} in the catalog`);
  const ticketType = activity.ticketTypes.find((t) => t.active && (ticketTypeId === undefined || t.ticketTypeId === ticketTypeId));
  if (!ticketType) throw new Error(`activity ${activityId} has no active ticket type${ticketTypeId === undefined ? '' : ` ${ticketTypeId}`}`);
  const slot = await nextBookableSlot(api, activityId, timeZone);
  return { activityId, ticketTypeId: ticketType.ticketTypeId, zone: activity.zone, ...slot };
}

async function nextBookableSlot(api: HubApi, activityId: string, timeZone: string): Promise<{ slotId: string; startsAt: number }> {
  const notBefore = Date.now() + HOLD_LEAD_MS;
  for (const date of [localDate(Date.now(), timeZone), localDate(Date.now() + 86_400_000, timeZone)]) {
    const slot = unwrap(await api.slots(activityId, date)).slots.find((s) => s.bookable && s.startsAt > notBefore);
    if (slot) return { slotId: slot.slotId, startsAt: slot.startsAt };
  }
  throw new Error(`no bookable ${activityId} slot starting after ${new Date(notBefore).toISOString()}`);
}

/** A ticket of a paid booking with its signed QR payload. */
export interface PaidTicket {
  ticketId: string;
  bookingId: string;
  ticketTypeId: string;
  /** The QR payload a gate scans. */
  token: string;
}

/** Options of `buyTickets`. */
export interface BuyTicketsOptions {
  /** A node's URL: the visitor's socket, the payment and the hosted page all go to it. */
  url: string;
  /** A verified visitor's access token (e.g. the demo visitor token a node prints). */
  visitorToken: string;
  bookingId: string;
  slotId: string;
  ticketTypeId: string;
  qty: number;
  /** A food pre-order to pay with the tickets (an order request: `{lines, pickup}`). */
  food?: unknown;
  /** Add-ons booked with the tickets (handed over at the gate). */
  addOns?: { addOnId: string; qty: number }[];
  /** How long to wait for the tickets after paying, ms (default 20 000). */
  timeoutMs?: number;
}

/** Holds, submits and pays for `qty` tickets; resolves with the issued tickets in order once all are there. */
export async function buyTickets(options: BuyTicketsOptions): Promise<PaidTicket[]> {
  const { url, visitorToken, bookingId, qty } = options;
  const api = createHubApi({ url });
  // Each answer may wait as long as the whole purchase may (a busy hub preparing a bench answers late).
  const visitor = connectHub({ url, token: visitorToken, requestTimeoutMs: Math.max(10_000, options.timeoutMs ?? 20_000) });
  try {
    await visitor.ready;
    unwrap(await visitor.hold({ bookingId, slotId: options.slotId, items: [{ ticketTypeId: options.ticketTypeId, qty }], ...(options.food === undefined ? {} : { food: options.food }), ...(options.addOns ? { addOns: options.addOns } : {}) }));
    unwrap(await visitor.command('booking', bookingId, { type: 'booking.submit' }, { commandId: `submit-${bookingId}` }));
  } finally {
    visitor.close();
  }
  const payment = unwrap(await api.pay(bookingId, 'card', visitorToken));
  await payOnHostedPage(url, payment.redirectUrl);
  return waitForTickets(api, visitorToken, bookingId, qty, options.timeoutMs ?? 20_000);
}

/** Submits the simulated provider's hosted page with the test card that succeeds, at the node's address. */
export async function payOnHostedPage(nodeUrl: string, redirectUrl: string): Promise<void> {
  const page = new URL(redirectUrl);
  const response = await fetch(new URL(`${page.pathname}${page.search}`, nodeUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ method: 'card', card_number: SUCCESS_CARD }).toString(),
    redirect: 'manual',
  });
  await response.arrayBuffer();
  if (response.status !== 303) throw new Error(`the hosted page answered ${response.status} to the payment form`);
}

async function waitForTickets(api: HubApi, token: string, bookingId: string, qty: number, timeoutMs: number): Promise<PaidTicket[]> {
  let tickets: PaidTicket[] = [];
  await pollUntil(
    `${qty} tickets of ${bookingId}`,
    async () => {
      const answer = await api.tickets(bookingId, token);
      if (!answer.ok) return false;
      tickets = answer.data.flatMap((t) => (t.token === undefined ? [] : [{ ticketId: t.ticketId, bookingId: t.bookingId, ticketTypeId: t.ticketTypeId, token: t.token }]));
      return tickets.length === qty;
    },
    timeoutMs,
  );
  return tickets;
}

/** A device as `POST /api/admin/devices` issues it. */
export interface IssuedDevice {
  deviceId: string;
  token: string;
  /** Epoch seconds. */
  expiresAt: number;
}

/** Mints a device token over HTTP as a super admin. */
export async function issueDevice(
  url: string,
  adminToken: string,
  device: { deviceId: string; deviceKind: DeviceKind; scope: { zone?: string; gateId?: string; lockerBankId?: string; station?: string } },
): Promise<IssuedDevice> {
  return unwrap(await createHubApi({ url }).mintDevice(device, adminToken));
}

/** The venue-local date (`yyyy-mm-dd`) of an instant. */
export function localDate(at: number, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}

/**
 * Bookings: holding places in a slot, and the places left in slots.
 */
import { z } from 'zod';
import { Id, Unsubscribed } from './common.js';
import { ActorState } from './actors.js';
import { serverPush, socketEvent } from './contract.js';
import { httpRoute } from './contract.js';
import { BOOKING_STATES } from '../booking.schemas.js';

/**
 * A visitor asks to hold places in a slot (the first step of a booking): which ticket types and
 * how many. Prices and whether an admin must approve come from the catalog, never from the client.
 */
export const BookingHold = z.strictObject({
  bookingId: Id,
  slotId: Id,
  items: z.array(z.strictObject({ ticketTypeId: Id, qty: z.number().int().min(1).max(50) })).min(1).max(10),
  addOns: z.array(z.strictObject({ addOnId: Id, qty: z.number().int().min(1).max(20) })).max(20).optional(),
  /**
   * A food pre-order paid with the booking: an order request without a booking id, priced by the
   * menu for the slot's day (a price or total in it is refused with order.priced_by_client).
   */
  food: z
    .unknown()
    .optional()
    .describe('A food pre-order: {lines: [{itemId, qty, modifiers?: [{modifierId, choiceId}], note?}], pickup: {mode: "on_arrival"} | {mode: "at", time: "hh:mm"}}; carried as the add-on food-preorder at the order\'s total, and placed as the food order <bookingId>-food.'),
});
export type BookingHold = z.infer<typeof BookingHold>;

/** The places left in one slot, pushed whenever holds take or give back places. */
export const SlotAvailability = z.object({
  slotId: z.string(),
  capacity: z.number().int().nonnegative(),
  taken: z.number().int().nonnegative(),
  remaining: z.number().int().nonnegative(),
  /** Epoch ms of the reading; keep the newest. */
  at: z.number().int().nonnegative(),
});
export type SlotAvailability = z.infer<typeof SlotAvailability>;

/** Watch the places left in some slots (a day's slots on a booking screen). */
export const AvailabilitySubscribe = z.strictObject({ slotIds: z.array(Id).min(1).max(50) });
export type AvailabilitySubscribe = z.infer<typeof AvailabilitySubscribe>;

/** Places left in each watched slot, as `availability:subscribe` answers. */
export const SlotLevels = z.object({ slots: z.array(SlotAvailability) });

/** The socket events of bookings. */
export const BOOKING_EVENTS = {
  'booking:hold': socketEvent({
    payload: BookingHold,
    ack: ActorState,
    summary: 'Hold places in a slot: creates the booking in `held` (or `under_review` after booking.submit when a ticket type requires approval).',
    description: 'Prices and the approval rule come from the catalog. The visitor must be verified and not suspended; unpaid places per visitor are capped (booking.hold_limit). Then send booking.submit with actor:command and pay over HTTP (POST /api/bookings/{id}/pay). When the payment is captured the booking moves to `confirmed`; its tickets are issued right after by the hub (an outbox effect), usually within a second: follow the booking (actor:subscribe) and, on `confirmed`, fetch GET /api/bookings/{id}/tickets, asking again after a short pause while it answers an empty list.',
    by: 'visitors',
  }),
  'availability:subscribe': socketEvent({ payload: AvailabilitySubscribe, ack: SlotLevels, summary: 'Watch the places left in up to 50 slots: the current levels first, then slot:availability on every change.', by: 'anyone signed in' }),
  'availability:unsubscribe': socketEvent({ payload: AvailabilitySubscribe, ack: Unsubscribed, summary: 'Stop watching slots.', by: 'anyone subscribed' }),
} as const;

/** The pushes of bookings. */
export const BOOKING_PUSHES = {
  'slot:availability': serverPush({ payload: SlotAvailability, summary: 'The places left in a watched slot; keep the newest `at`.', to: 'sockets watching the slot' }),
} as const;

const BookingParams = z.strictObject({ id: Id });

/**
 * What a paid booking's change costing more does with the difference: the visitor pays it first
 * (`collect`: the change waits, its new places reserved, until the difference is paid through the
 * usual pay flow) or the booking admin waives it (`waive`: applied at once).
 */
export const PriceIncrease = z.enum(['collect', 'waive']);
export type PriceIncrease = z.infer<typeof PriceIncrease>;

/** A booking admin's change: the new slot and the whole new party (ticket types and quantities). */
export const BookingChangeRequest = z.strictObject({
  slotId: Id,
  items: z.array(z.strictObject({ ticketTypeId: Id, qty: z.number().int().min(1).max(50) })).min(1).max(10),
  changeId: z.string().min(8).max(128).describe('Once per form: a retry answers the same instead of changing twice.'),
  priceIncrease: PriceIncrease.optional().describe('A paid booking whose change costs more: collect (default: the visitor pays the difference before the change applies) or waive (applied at once, nothing to pay). Ignored otherwise.'),
});
export type BookingChangeRequest = z.infer<typeof BookingChangeRequest>;

/** Where a booking was or went, in a change's history row. */
const ChangePlace = z.object({ slotId: z.string(), people: z.number().int(), total: z.number().int().describe('Halalas.') });

/** A paid booking's change as its history shows it (on the event that asked for it and the payment that paid it). */
export const BookingHistoryChange = z.object({
  changeId: z.string(),
  adminId: z.string(),
  from: ChangePlace,
  to: ChangePlace,
  difference: z.number().int().describe('New total − old total, halalas: below 0 went back to the visitor, above 0 was due.'),
  settlement: z.enum(['none', 'refunded', 'waived', 'due', 'paid', 'lapsed', 'withdrawn']).describe('What became of the difference.'),
  paymentId: z.string().optional().describe('The payment of a difference that was due.'),
  settledAt: z.number().int().optional(),
});
export type BookingHistoryChange = z.infer<typeof BookingHistoryChange>;

/** A booking's event log as staff read it: each committed event with who, when, from and to. */
export const BookingHistory = z.object({
  bookingId: z.string(),
  events: z.array(
    z.object({
      version: z.number().int().positive(),
      eventType: z.string().describe('The machine event, e.g. booking.submit, booking.approve, payment.captured.'),
      who: z.string().describe('user:<id>, device:<id>, system, or the service that sent it.'),
      at: z.number().int().describe('Epoch ms of the commit.'),
      from: z.string().nullable().describe('The state before (null for the creation).'),
      to: z.string(),
      change: BookingHistoryChange.optional().describe('A change of the paid booking this event asked for or paid: from → to and the money.'),
    }),
  ),
});
export type BookingHistory = z.infer<typeof BookingHistory>;

/** What a visitor's cancellation did: the booking's state and the refund the policy gave. */
export const CancelAnswer = z.object({
  state: z.string(),
  /** Halalas going back (0 before payment or past the policy's last window). */
  refundAmount: z.number().int().nonnegative(),
  /** `unpaid`: nothing was captured, so nothing goes back. */
  rule: z.enum(['full', 'partial', 'none', 'unpaid']),
});

const SlotHoldRow = z.object({ holdId: z.string().describe('The booking id.'), qty: z.number().int(), status: z.enum(['held', 'confirmed']), holder: z.string().optional() });

/** The HTTP routes of bookings. */
/**
 * Where a resent tickets email is: waiting in the outbox (`accepted`), being handed to the mail
 * server (`sending`), refused for now and waiting for its next try (`retrying`), or settled:
 * `sent`, `failed` (the mail server refused the address for good) or `skipped` (nothing left to
 * send: the tickets stopped admitting, or the visitor has no email address any more).
 */
export const ResendStatus = z.enum(['accepted', 'sending', 'retrying', 'sent', 'failed', 'skipped']);
export type ResendStatus = z.infer<typeof ResendStatus>;

/** A resend of a booking's tickets email, as asked for and as it is now. */
export const TicketsResend = z.object({
  bookingId: z.string(),
  reference: z.string().describe('The resend\'s reference (the outbox effect that carries it): ask GET /api/admin/bookings/{id}/resend-tickets?reference=… how it went.'),
  email: z.string().describe('Where the email goes: the visitor\'s address.'),
  tickets: z.number().int().nonnegative().describe('How many tickets (QR images) it carries.'),
  status: ResendStatus,
  attempts: z.number().int().nonnegative().describe('How many times the mail server was tried so far.'),
  detail: z.string().nullable().describe('The mail server\'s message id once sent; why it failed or was skipped; null before.'),
  updatedAt: z.number().int().nonnegative().nullable().describe('Epoch ms of the latest attempt; null before the first.'),
});
export type TicketsResend = z.infer<typeof TicketsResend>;

/** Which resend to report on. */
export const ResendQuery = z.strictObject({ reference: z.string().min(1).max(200) });

export const BOOKING_ROUTES = {
  booking: httpRoute({
    method: 'GET',
    path: '/api/bookings/:id',
    params: BookingParams,
    answer: ActorState,
    auth: 'bearer',
    by: 'the booking\'s visitor, staff',
    summary: `A booking's current state (${BOOKING_STATES.join(', ')}).`,
    description: 'A booking moves to `confirmed` when its payment is captured; its tickets are issued right after, by the hub\'s outbox (usually well under a second, longer under load). Wait for `confirmed` (actor:subscribe on the booking, or poll this route), then GET /api/bookings/{id}/tickets; while that answers an empty list, ask again after a short pause. A notification:alert `tickets ready` also arrives on the visitor\'s sockets.',
  }),
  cancel: httpRoute({
    method: 'POST',
    path: '/api/bookings/:id/cancel',
    params: BookingParams,
    body: z.strictObject({ reason: z.string().trim().max(500).optional() }),
    answer: CancelAnswer,
    auth: 'bearer',
    by: 'the booking\'s visitor',
    summary: 'Cancel your booking under the venue\'s refund policy (REFUND_* settings: full up to 48 h before the slot, half up to 24 h, none later, by default); a repeat answers the same.',
  }),
  cancellation: httpRoute({
    method: 'GET',
    path: '/api/bookings/:id/cancellation',
    params: BookingParams,
    answer: CancelAnswer,
    auth: 'bearer',
    by: 'the booking\'s visitor',
    summary: 'What cancelling your booking now would give back, under the same policy as POST …/cancel, without cancelling (shown before the visitor confirms); a cancelled booking answers what its cancellation gave.',
  }),
  holds: httpRoute({
    method: 'GET',
    path: '/api/admin/holds',
    query: z.union([z.strictObject({ slotId: Id }), z.strictObject({ visitorId: Id })], { error: 'give exactly one of slotId and visitorId' }),
    answer: z.union([
      z.object({
        slotId: z.string(),
        level: z.object({ slotId: z.string(), capacity: z.number().int(), taken: z.number().int(), remaining: z.number().int() }),
        holds: z.array(SlotHoldRow),
        holders: z.array(z.object({ holder: z.string(), held: z.number().int(), confirmed: z.number().int() })),
      }),
      z.object({ visitorId: z.string(), held: z.number().int().describe('Unpaid places over every slot.'), holds: z.array(SlotHoldRow) }),
    ]),
    auth: 'bearer',
    by: 'super, booking and support admins',
    summary: 'Who holds places: a slot\'s holds and places per holder (?slotId=), or one visitor\'s holds (?visitorId=).',
  }),
  history: httpRoute({
    method: 'GET',
    path: '/api/admin/bookings/:id/history',
    params: BookingParams,
    answer: BookingHistory,
    auth: 'bearer',
    by: 'super, finance, booking and support admins',
    summary: 'Why a booking is in its state: every committed event, oldest first, with who sent it, when, and the state before and after.',
  }),
  change: httpRoute({
    method: 'POST',
    path: '/api/admin/bookings/:id/change',
    params: BookingParams,
    body: BookingChangeRequest,
    answer: ActorState,
    auth: 'bearer',
    by: 'super and booking admins (audited)',
    summary: 'Move a booking to another slot of its activity and/or change its party: priced again from the catalog, its places moved in the slot ledger at once.',
    description:
      'A booking held, under review or awaiting payment (no payment under way) simply takes the new slot, party and total. A confirmed (paid, not checked in) booking is changed under the money rule: cheaper, the difference goes back at once through the refund path (one refund per payment it was paid with, reason change, in the transaction log); the same price, nothing moves; dearer, the booking admin waives the difference (priceIncrease waive: applied at once) or the visitor pays it (collect, the default): the change waits in the booking\'s pendingChange, its new places reserved, until the visitor pays the difference with POST /api/bookings/{id}/pay, then applies; unpaid within 24 h (never past the new slot\'s start), withdrawn, or overtaken by the check-in or a cancellation, it lapses and the reserved places go back. Every applied change reissues the tickets: the earlier ones stop admitting, the visitor is told (email, SMS, push, in-app, in their language) and their open booking page follows. ' +
      'Refusals write nothing: event.rejected (checked in, cancelled or over; a change already waiting; tickets cancelled by a refund; a food pre-order; nothing new), slot.sold_out (no room; the booking\'s own places count when it stays in its slot), slot.invalid (the new slot has started), catalog.invalid (ticket types of another activity), refund.exceeds_capture (the payments have less left to refund than the change gives back), auth.forbidden (other roles). The answer is the booking; the places of both slots follow live.',
  }),
  changeWithdraw: httpRoute({
    method: 'POST',
    path: '/api/admin/bookings/:id/change/withdraw',
    params: BookingParams,
    body: z.strictObject({}),
    answer: ActorState,
    auth: 'bearer',
    by: 'super and booking admins (audited)',
    summary: 'Withdraw a paid booking\'s change that waits for its difference: the booking stays as it was and the reserved places go back.',
    description: 'event.rejected when no change waits (paid, lapsed or withdrawn already). A payment of the difference made afterwards is refunded in full automatically.',
  }),
  resendTickets: httpRoute({
    method: 'POST',
    path: '/api/admin/bookings/:id/resend-tickets',
    params: BookingParams,
    answer: TicketsResend,
    status: 202,
    auth: 'bearer',
    by: 'super and support admins (audited)',
    summary: 'Send the booking\'s tickets email (every ticket\'s QR) to its visitor again: accepted at once, sent through the outbox.',
    description:
      'The booking records the request (its history names the admin) and the email goes out through the durable outbox like every other message: a mail server that is down or answers 4xx is tried again with backoff until it takes the message. The answer (202) is the resend with its reference and status accepted; GET on the same path with ?reference= says how it went. ' +
      'Only a booking whose tickets admit (confirmed or checked in) has tickets to send (booking.not_paid otherwise); a visitor without an email address gets account.invalid. The email goes out whatever the visitor\'s channel preferences (they asked for it); every resend is a new message.',
  }),
  resendStatus: httpRoute({
    method: 'GET',
    path: '/api/admin/bookings/:id/resend-tickets',
    params: BookingParams,
    query: ResendQuery,
    answer: TicketsResend,
    auth: 'bearer',
    by: 'super and support admins',
    summary: 'How a resend of the tickets email went: accepted, sending, retrying, sent, failed or skipped, with the attempts so far.',
    description: 'event.invalid when the reference is not a resend of this booking; account.invalid when the visitor no longer has an email address.',
  }),
  page: httpRoute({ method: 'GET', path: '/bookings/:id', params: BookingParams, answer: z.string(), produces: ['text/html'], auth: 'none', by: 'anyone', summary: 'The visitor app on a booking (the links in messages open it): signs in, pays, shows the live status and the tickets.' }),
  payPage: httpRoute({ method: 'GET', path: '/bookings/:id/pay', params: BookingParams, answer: z.string(), produces: ['text/html'], auth: 'none', by: 'anyone', summary: 'The visitor app on a booking, opened on paying.' }),
  ticketsPage: httpRoute({ method: 'GET', path: '/bookings/:id/tickets', params: BookingParams, answer: z.string(), produces: ['text/html'], auth: 'none', by: 'anyone', summary: 'The visitor app on a booking, opened on the tickets.' }),
  bookingsPage: httpRoute({ method: 'GET', path: '/bookings', answer: z.string(), produces: ['text/html'], auth: 'none', by: 'anyone', summary: 'The visitor app: my bookings.' }),
  activityPage: httpRoute({ method: 'GET', path: '/activities/:id', params: BookingParams, answer: z.string(), produces: ['text/html'], auth: 'none', by: 'anyone', summary: 'The visitor app: book an activity (day, time, tickets, add-ons).' }),
  signInPage: httpRoute({ method: 'GET', path: '/sign-in', answer: z.string(), produces: ['text/html'], auth: 'none', by: 'anyone', summary: 'The visitor app: sign up or sign in with a code.' }),
  verifyPage: httpRoute({ method: 'GET', path: '/verify', answer: z.string(), produces: ['text/html'], auth: 'none', by: 'anyone', summary: 'The visitor app: the emailed confirmation link (/verify#v=<verificationId>&t=<token>, redeemed with POST /api/auth/verify-link).' }),
  accountPage: httpRoute({ method: 'GET', path: '/account', answer: z.string(), produces: ['text/html'], auth: 'none', by: 'anyone', summary: 'The visitor app: notification preferences, language, sign-out.' }),
} as const;

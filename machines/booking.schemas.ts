/**
 * Zod catalog of the booking actor: what creates it (input), what callers may send it
 * (events), what it asks the host to do (effects) and how it is stored (persisted snapshot).
 *
 * Money is integer halalas (SAR minor units); times are epoch milliseconds carried in events.
 */
import { z } from 'zod';

const Id = z.string().min(1).max(64);
const Money = z.number().int().nonnegative();
const EpochMs = z.number().int().nonnegative();
const Duration = z.number().int().positive();

/** Every state of the booking machine, in lifecycle order. */
export const BOOKING_STATES = [
  'held',
  'under_review',
  'awaiting_payment',
  'confirmed',
  'checked_in',
  'leaving',
  'checked_out',
  'cancelled',
  'refunded',
  'expired',
  'rejected',
] as const;

/** The states of version 2 (before the check-out grace). */
export const BOOKING_V2_STATES = BOOKING_STATES.filter((state): state is Exclude<(typeof BOOKING_STATES)[number], 'leaving'> => state !== 'leaving');

/**
 * The states after which the booking accepts no event (XState status `done`). `expired` is not
 * among them since version 2: a payment captured after the deadline still reaches the booking.
 * Since version 4 neither are `refunded` nor `checked_out`: a finance refund, a refund's outcome
 * or a payment nobody can use still has to be accounted for on the booking.
 */
export const BOOKING_FINAL_STATES = ['rejected'] as const;

/** The final states of versions 1-3 (stored with status `done`). */
export const BOOKING_V3_FINAL_STATES = ['checked_out', 'refunded', 'rejected'] as const;

/** A booking state name. */
export const BookingState = z.enum(BOOKING_STATES);
export type BookingState = z.infer<typeof BookingState>;

/**
 * One ticket type in a booking with its quantity and unit price in halalas. `admits` is how many
 * people one ticket of this type lets in (a family pass: 4); absent means 1. It is optional so
 * snapshots written before it existed read unchanged.
 */
export const BookingLine = z.object({
  ticketTypeId: Id,
  qty: z.number().int().min(1).max(50),
  unitPrice: Money,
  admits: z.number().int().min(1).max(20).optional(),
});

/** People a set of lines admits (places taken, tickets issued): Σ qty × admits. */
export function peopleOf(lines: ReadonlyArray<Pick<BookingLine, 'qty' | 'admits'>>): number {
  return lines.reduce((sum, line) => sum + line.qty * (line.admits ?? 1), 0);
}
export type BookingLine = z.infer<typeof BookingLine>;

/** Kinds of extra a booking can carry (lockers, rental equipment, food). */
export const AddOnKind = z.enum(['locker', 'equipment', 'food']);
export type AddOnKind = z.infer<typeof AddOnKind>;

/**
 * The add-on a food pre-order is carried as: qty 1 at the order's total, so the booking's total
 * (and its one payment) covers the food; the order itself is the food module's `<bookingId>-food`.
 */
export const FOOD_PREORDER_ADDON = 'food-preorder';

/**
 * Refunds of a cancelled pre-order are asked of its booking (they go back on the booking's payment)
 * with ids that start with this prefix, so the booking can tell the food order when one is through.
 */
export const PREORDER_REFUND_PREFIX = 'rf_food_';

/** Whether a refund of a booking was asked for its food pre-order. */
export function isPreOrderRefund(refundId: string): boolean {
  return refundId.startsWith(PREORDER_REFUND_PREFIX);
}

/** One extra sold with the booking: what it is, how many and the unit price in halalas. */
export const BookingAddOn = z.object({
  addOnId: Id,
  kind: AddOnKind,
  qty: z.number().int().min(1).max(20),
  unitPrice: Money,
});
export type BookingAddOn = z.infer<typeof BookingAddOn>;

/** What the caller gives when it creates a booking, after it has taken the slot capacity. */
export const BookingInput = z.object({
  bookingId: Id,
  visitorId: Id,
  slotId: Id,
  lines: z.array(BookingLine).min(1).max(10),
  /** Extras to collect on the day (absent in snapshots written before version 3). */
  addOns: z.array(BookingAddOn).max(20).optional(),
  requiresApproval: z.boolean(),
  /** Who the visitor is, as staff search for the booking (absent in snapshots written before it existed). */
  holder: z.object({ name: z.string().min(1).max(200), email: z.string().max(320).optional(), phone: z.string().max(32).optional() }).optional(),
  holdMs: Duration.default(15 * 60 * 1000),
  reviewMs: Duration.default(24 * 60 * 60 * 1000),
  paymentMs: Duration.default(15 * 60 * 1000),
});
export type BookingInput = z.infer<typeof BookingInput>;

/**
 * One reported payment outcome; failed attempts record the amount that was asked for.
 * `unneeded` (version 4): captured, but the booking could not use it (paid already, cancelled,
 * too little), so it is being refunded in full; it counts in `capturedAmount` all the same.
 */
export const BookingPayment = z.object({
  paymentId: Id,
  amount: Money,
  status: z.enum(['failed', 'captured', 'unneeded']),
  reason: z.string().max(500).optional(),
});
export type BookingPayment = z.infer<typeof BookingPayment>;

/** One refund the gateway reported as done. */
export const BookingRefund = z.object({ refundId: Id, amount: Money });
export type BookingRefund = z.infer<typeof BookingRefund>;

/**
 * The seed's payment statuses as the booking shows them: `pending` (the payer has to act on the
 * provider's page, a 3-D Secure or Apple Pay confirmation, or the bank answers later),
 * `authorized` (approved and funds captured), `failed` (denied or an error; the visitor may retry).
 */
export const PaymentStatus = z.enum(['pending', 'authorized', 'failed']);
export type PaymentStatus = z.infer<typeof PaymentStatus>;

/** Why a payment is pending: what the payer (or their bank) still has to do. */
export const PendingReason = z.enum(['three_d_secure', 'apple_pay_confirmation', 'bank_processing']);
export type PendingReason = z.infer<typeof PendingReason>;

/**
 * What a partial finance refund does to the visit, as the booking admin chose it: keep every
 * ticket (a goodwill refund), or cancel the tickets listed. A refund of everything that is left
 * always cancels the booking.
 */
export const RefundPolicy = z.enum(['keep_visit', 'cancel_tickets']);
export type RefundPolicy = z.infer<typeof RefundPolicy>;

/**
 * How a change of a paid booking settled its price difference (new total − old total):
 *
 *   none       the same price
 *   refunded   cheaper: the difference went back through the refund path
 *   waived     dearer, and the booking admin waived the difference
 *   due        dearer: waiting for the visitor to pay the difference (nothing moved yet)
 *   paid       dearer, paid by the visitor: the change was applied then
 *   lapsed     dearer, not paid in time (or the visit started, or the booking was cancelled first)
 *   withdrawn  dearer, withdrawn by a booking admin before it was paid
 */
export const ChangeSettlement = z.enum(['none', 'refunded', 'waived', 'due', 'paid', 'lapsed', 'withdrawn']);
export type ChangeSettlement = z.infer<typeof ChangeSettlement>;

/** A change's form id (the console's, once per form): a retry answers the same. */
const ChangeId = z.string().min(8).max(128);

/** Where a booking was (or went): its slot, its people and its total. */
export const BookingPlace = z.object({ slotId: Id, people: z.number().int().positive(), total: Money });
export type BookingPlace = z.infer<typeof BookingPlace>;

/** One change of a paid booking as its history shows it: who, when, from → to and the money. */
export const BookingChangeRecord = z.object({
  changeId: ChangeId,
  adminId: Id,
  at: EpochMs,
  from: BookingPlace,
  to: BookingPlace,
  /** New total − old total, halalas: below 0 went back to the visitor, above 0 was due. */
  difference: z.number().int(),
  settlement: ChangeSettlement,
  /** The payment that paid a due difference. */
  paymentId: Id.optional(),
  /** When it was paid, lapsed or withdrawn (for a change that waited). */
  settledAt: EpochMs.optional(),
});
export type BookingChangeRecord = z.infer<typeof BookingChangeRecord>;

/** How many changes a booking remembers in detail (the oldest go first). */
export const MAX_CHANGES_KEPT = 20;

/**
 * A change of a paid booking that costs more, waiting for the visitor to pay the difference
 * (`due`) before `dueMs` after it was asked for. Its places are reserved under `holdId` (the
 * places the new party needs beyond what the booking holds in that slot); none when it needs none.
 */
export const PendingChange = z.object({
  changeId: ChangeId,
  adminId: Id,
  at: EpochMs,
  slotId: Id,
  lines: z.array(BookingLine).min(1).max(10),
  addOns: z.array(BookingAddOn).max(20).optional(),
  requiresApproval: z.boolean(),
  total: Money,
  due: z.number().int().positive(),
  holdId: Id.optional(),
  dueMs: Duration,
});
export type PendingChange = z.infer<typeof PendingChange>;

/** The machine context: the input plus totals, payment ledger and lifecycle facts. */
export const BookingContext = BookingInput.extend({
  // Durations are required once stored: a missing one means a damaged snapshot, not a default.
  holdMs: Duration,
  reviewMs: Duration,
  paymentMs: Duration,
  total: Money,
  quantity: z.number().int().positive(),
  payments: z.array(BookingPayment),
  paymentAttempts: z.number().int().nonnegative(),
  capturedAmount: Money,
  refundRequestedAmount: Money,
  refundedAmount: Money,
  refunds: z.array(BookingRefund),
  reviewedBy: Id.optional(),
  rejectReason: z.string().min(1).max(500).optional(),
  cancelReason: z.string().max(500).optional(),
  cancelledAt: EpochMs.optional(),
  checkedInAt: EpochMs.optional(),
  checkedInGateId: Id.optional(),
  /** When the last member of the party went out (the check-out grace started). */
  leftAt: EpochMs.optional(),
  /** How long after the last exit the visit closes unless someone comes back in. */
  checkoutGraceMs: z.number().int().nonnegative().optional(),
  checkedOutAt: EpochMs.optional(),
  /** The latest payment attempt's status (version 4); absent before any attempt reported. */
  paymentStatus: PaymentStatus.optional(),
  /** While `paymentStatus` is pending: what the payer or the bank still has to do. */
  pendingReason: PendingReason.optional(),
  /** Tickets cancelled by partial finance refunds (they no longer admit); the others still do. */
  cancelledTickets: z.array(Id).max(50).optional(),
  /**
   * Version 5: tickets numbered before the current ones (every change of a paid booking reissues
   * its tickets after the last number used). The current tickets are `-t{base+1}` … `-t{base+quantity}`.
   */
  ticketBase: z.number().int().nonnegative().optional(),
  /** Version 5: a change waiting for its difference to be paid. */
  pendingChange: PendingChange.optional(),
  /** Version 5: the changes of the booking once paid, oldest first. */
  changes: z.array(BookingChangeRecord).max(MAX_CHANGES_KEPT).optional(),
});
export type BookingContext = z.infer<typeof BookingContext>;

/**
 * Every event a caller may send. One `booking.cancel` shape serves all states: a cancel of a
 * confirmed booking must carry `refundAmount` (from the caller's refund policy), others need not.
 */
export const BookingEvent = z.discriminatedUnion('type', [
  z.object({ type: z.literal('booking.submit') }),
  z.object({ type: z.literal('booking.approve'), adminId: Id }),
  z.object({ type: z.literal('booking.reject'), adminId: Id, reason: z.string().min(1).max(500) }),
  // A booking admin moved it to another slot or changed its party: the booking service priced the
  // new lines from the catalog and has already moved its places in the ledger (or, for a paid
  // booking's dearer change the visitor pays first, reserved the new places under `holdId`).
  // A paid booking's change (version 5) carries its form id and how the difference settles:
  // `refund` (cheaper: `refunds` say from which payments), `waive` or `collect` (dearer).
  z.object({
    type: z.literal('booking.change'),
    adminId: Id,
    slotId: Id,
    lines: z.array(BookingLine).min(1).max(10),
    addOns: z.array(BookingAddOn).max(20).optional(),
    requiresApproval: z.boolean(),
    at: EpochMs,
    changeId: ChangeId.optional(),
    settle: z.enum(['refund', 'waive', 'collect']).optional(),
    refunds: z.array(z.object({ paymentId: Id, amount: z.number().int().positive() })).max(10).optional(),
    holdId: Id.optional(),
    dueMs: Duration.max(7 * 24 * 3_600_000).optional(),
  }),
  // A booking admin withdraws a change still waiting for its difference (version 5).
  z.object({ type: z.literal('booking.change_withdraw'), adminId: Id, at: EpochMs }),
  // A support admin asks for the tickets email again: the booking emits a notify effect, so the
  // email goes through the outbox (retried until the mail server takes it) like every other message.
  z.object({ type: z.literal('booking.resend_tickets'), adminId: Id, at: EpochMs }),
  z.object({
    type: z.literal('booking.cancel'),
    reason: z.string().max(500).optional(),
    refundAmount: Money.optional(),
    at: EpochMs.optional(),
  }),
  z.object({ type: z.literal('payment.captured'), paymentId: Id, amount: Money }),
  // Late payment (expired booking): the payments service re-took the capacity, or could not.
  z.object({ type: z.literal('payment.captured_late'), paymentId: Id, amount: Money }),
  z.object({ type: z.literal('payment.refund_late'), paymentId: Id, amount: Money }),
  z.object({ type: z.literal('payment.failed'), paymentId: Id, reason: z.string().max(500).optional() }),
  z.object({ type: z.literal('payment.refunded'), refundId: Id, amount: Money }),
  z.object({ type: z.literal('booking.check_in'), at: EpochMs, gateId: Id.optional() }),
  z.object({ type: z.literal('booking.check_out'), at: EpochMs }),
  // The last member of the party went out: the visit closes after the grace unless someone re-enters.
  z.object({ type: z.literal('booking.all_out'), at: EpochMs, graceMs: z.number().int().nonnegative().max(24 * 3_600_000) }),
  // Version 4, money after the fact. A finance refund of one of the booking's payments (the
  // payments service sends it, with the refund id the payment will carry):
  z.object({
    type: z.literal('booking.refund'),
    refundId: Id,
    paymentId: Id,
    amount: z.number().int().positive(),
    policy: RefundPolicy.optional(),
    ticketIds: z.array(Id).min(1).max(50).optional(),
    at: EpochMs,
  }),
  // The payment is waiting for the payer (3-D Secure, Apple Pay) or the bank.
  z.object({ type: z.literal('payment.pending'), paymentId: Id, reason: PendingReason }),
  // A captured payment the booking could not use: it is being refunded in full.
  z.object({ type: z.literal('payment.unneeded'), paymentId: Id, amount: z.number().int().positive() }),
  // A refund made outside this system (the provider's dashboard).
  z.object({ type: z.literal('payment.refunded_externally'), refundId: Id, amount: z.number().int().positive() }),
  // A refund that was asked for and did not happen: its amount may be refunded again.
  z.object({ type: z.literal('payment.refund_failed'), refundId: Id, amount: z.number().int().positive() }),
]);
export type BookingEvent = z.infer<typeof BookingEvent>;

/**
 * The events XState raises for the `after` deadlines (ids `xstate.after.<delay>.<machine>.<state>`);
 * the host stores them as durable timers and sends them back when due.
 */
export const BOOKING_TIMER_EVENTS = [
  'xstate.after.hold.booking.held',
  'xstate.after.review.booking.under_review',
  'xstate.after.payment.booking.awaiting_payment',
  'xstate.after.checkoutGrace.booking.leaving',
] as const;

/** A deadline event the host sends back when a booking timer is due. */
export const BookingTimerEvent = z.object({ type: z.enum(BOOKING_TIMER_EVENTS) });
export type BookingTimerEvent = z.infer<typeof BookingTimerEvent>;

/** The timer id of a pending change's deadline. */
export const CHANGE_DUE_TIMER = 'change_due';

/**
 * The deadline of a change waiting for payment (version 5), raised by the machine itself under
 * CHANGE_DUE_TIMER; never sent by a caller (it is not among the events a caller may send).
 */
export const BookingChangeLapse = z.object({ type: z.literal('booking.change_lapse'), changeId: ChangeId });
export type BookingChangeLapse = z.infer<typeof BookingChangeLapse>;

/** The notification templates the booking asks the notifier to send. */
export const NotifyTemplate = z.enum([
  'booking.held',
  'booking.under_review',
  'booking.approved',
  'booking.rejected',
  'booking.expired',
  'payment.failed',
  // A payment arrived after the booking expired and the slot was full: it is being refunded in full.
  'payment.refunded_late',
  // A payment the booking could not use (already paid, cancelled, …) is being refunded in full.
  'payment.refunded_auto',
  'booking.confirmed',
  'booking.cancelled',
  'booking.refunded',
  'booking.checked_in',
  'booking.checked_out',
  // Version 5: a booking admin changed a paid booking (new tickets; the earlier ones no longer admit).
  'booking.changed',
  // ...or asked to change it for a higher price: the visitor pays the difference to have it.
  'booking.change_due',
  // ...and that difference was not paid by the deadline: the change lapsed, the booking stays as it was.
  'booking.change_lapsed',
  // Support sent the booking's tickets (every QR) to the visitor again, by email only.
  'booking.tickets_resent',
]);
export type NotifyTemplate = z.infer<typeof NotifyTemplate>;

/**
 * Why a booking asks for a refund: the visitor's cancellation, a payment that came after expiry
 * with no capacity left, a finance admin's refund, or a booking admin's change to something
 * cheaper (version 5).
 */
export const RefundRequestReason = z.enum(['cancellation', 'late_payment', 'admin', 'change']);
export type RefundRequestReason = z.infer<typeof RefundRequestReason>;

/**
 * The tickets were reissued by a change (version 5, emitted after tickets.revoke and tickets.issue):
 * the band of each old ticket follows to the new ticket of the same place in the party (old seq
 * from.first + i ─▶ new seq to.first + i); a band whose place the new party no longer has is deactivated.
 */
const SeqRange = z.object({ first: z.number().int().positive(), last: z.number().int().positive() });
export const BandsFollow = z.object({ type: z.literal('bands.follow'), bookingId: Id, from: SeqRange, to: SeqRange });
export type BandsFollow = z.infer<typeof BandsFollow>;

/** Every effect the booking emits; the host writes each as an outbox row for the relay. */
export const BookingEffect = z.discriminatedUnion('type', [
  z.object({ type: z.literal('capacity.release'), holdId: Id, slotId: Id }),
  z.object({ type: z.literal('capacity.confirm'), holdId: Id, slotId: Id }),
  z.object({ type: z.literal('tickets.issue'), bookingId: Id, visitorId: Id, quantity: z.number().int().positive() }),
  // Emitted when a confirmed booking is cancelled (with or without a refund): its tickets stop
  // admitting; with `ticketIds` (a partial finance refund) only those; with `seqs` (a change of a
  // paid booking reissued them, version 5) the tickets numbered first … last.
  z.object({
    type: z.literal('tickets.revoke'),
    bookingId: Id,
    reason: z.string().min(1).max(200),
    ticketIds: z.array(Id).min(1).max(50).optional(),
    seqs: z.object({ first: z.number().int().positive(), last: z.number().int().positive() }).optional(),
  }),
  z.object({
    type: z.literal('refund.request'),
    bookingId: Id,
    paymentId: Id,
    amount: z.number().int().positive(),
    reason: RefundRequestReason.optional(),
    /** Set by finance refunds (the id the admin's request derived); otherwise derived from the effect id. */
    refundId: Id.optional(),
  }),
  // An expired booking got a payment: take its capacity again (hold id = booking id) before confirming.
  z.object({
    type: z.literal('capacity.retake'),
    holdId: Id,
    slotId: Id,
    qty: z.number().int().positive(),
    paymentId: Id,
    amount: z.number().int().positive(),
  }),
  z.object({ type: z.literal('notify'), template: NotifyTemplate, bookingId: Id, visitorId: Id }),
  BandsFollow,
  // A paid change's difference was paid (version 5): the booking's places move to the new slot and
  // size, onto the places the change reserved (`absorb`, given back in the same step).
  z.object({ type: z.literal('capacity.move'), holdId: Id, slotId: Id, qty: z.number().int().positive(), absorb: Id.optional() }),
  // A confirmed booking with rental add-ons reserves its units (add-on id = equipment type id).
  z.object({ type: z.literal('addons.reserve'), bookingId: Id, items: z.array(z.object({ addOnId: Id, qty: z.number().int().positive() })).min(1) }),
  // A cancelled booking gives its rental reservations back.
  z.object({ type: z.literal('addons.release'), bookingId: Id }),
  // The visit is over: free its lockers, deactivate its bands, give back unused rental reservations.
  z.object({ type: z.literal('visit.close'), bookingId: Id, visitorId: Id, quantity: z.number().int().positive(), at: EpochMs }),
  // A booking carrying a food pre-order (FOOD_PREORDER_ADDON) tells the food module: paid with this
  // payment (the add-on's amount), the party came in at a gate, the booking ended unpaid or cancelled.
  z.object({ type: z.literal('food.preorder_paid'), bookingId: Id, paymentId: Id, amount: Money }),
  z.object({ type: z.literal('food.preorder_arrived'), bookingId: Id, at: EpochMs, gateId: Id.optional() }),
  z.object({ type: z.literal('food.preorder_cancel'), bookingId: Id }),
  // A refund asked for the pre-order (PREORDER_REFUND_PREFIX) went through: the order records it.
  z.object({ type: z.literal('food.preorder_refunded'), bookingId: Id, refundId: Id, amount: Money }),
  // ...or failed at the provider: the order may ask for that amount again.
  z.object({ type: z.literal('food.preorder_refund_failed'), bookingId: Id, refundId: Id, amount: Money }),
]);
export type BookingEffect = z.infer<typeof BookingEffect>;

const finalStates: ReadonlySet<BookingState> = new Set(BOOKING_FINAL_STATES);

/**
 * The persisted snapshot of the current machine version (what `getPersistedSnapshot` returns);
 * the status must agree with the state, since a final state is always `done`.
 */
export const BookingPersisted = z
  .object({
    status: z.enum(['active', 'done']),
    value: BookingState,
    context: BookingContext,
    historyValue: z.strictObject({}),
    children: z.strictObject({}),
  })
  .refine((s) => (s.status === 'done') === finalStates.has(s.value), {
    message: 'status must be "done" exactly in a final state',
    path: ['status'],
  });
export type BookingPersisted = z.infer<typeof BookingPersisted>;

/**
 * The facts callers ask of a booking (XState state tags, set on the machine's states):
 *
 *   admits       the visit admits people: tickets enter, bands and lockers are handed out
 *   seated       the places are sold to it (tickets exist and stay valid until the visit closes)
 *   pending      not paid yet, with a running deadline (hold, review or payment)
 *   in_review    waiting for a booking admin
 *   payable      the visitor may pay now
 *   inside       someone of the party is in the venue
 *   cancellable  the visitor may still cancel it
 */
export const BOOKING_TAGS = ['admits', 'seated', 'pending', 'in_review', 'payable', 'inside', 'cancellable'] as const;
export type BookingTag = (typeof BOOKING_TAGS)[number];


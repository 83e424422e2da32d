/**
 * Zod catalog of the food order actor: what creates it (input: lines already priced by the menu),
 * what callers may send it (events), what it asks the host to do (effects) and how it is stored
 * (persisted snapshot). Money is integer halalas with VAT included; times are epoch milliseconds
 * carried in events.
 */
import { z } from 'zod';

const Id = z.string().min(1).max(128);
const Money = z.number().int().nonnegative();
const EpochMs = z.number().int().nonnegative();
/** Who caused it: `user:<id>`, `device:<id>`, `system`. */
const Who = z.string().min(1).max(128);

/** Every state of the food order machine, in lifecycle order. */
export const FOOD_ORDER_STATES = ['placed', 'paid', 'scheduled', 'preparing', 'ready', 'delivered', 'cancelled', 'not_collected'] as const;
export const FoodOrderState = z.enum(FOOD_ORDER_STATES);
export type FoodOrderState = z.infer<typeof FoodOrderState>;

/**
 * One chosen modifier choice, at the menu's price when the order was placed: `name` in English
 * ("Bread: Saj"), `nameAr` in Arabic when the menu names the modifier or the choice in Arabic (version 3).
 */
export const FoodLineModifier = z.object({ modifierId: Id, choiceId: Id, name: z.string().min(1).max(200), nameAr: z.string().min(1).max(200).optional(), price: Money });
export type FoodLineModifier = z.infer<typeof FoodLineModifier>;

/**
 * One priced line: the item, its station and prep time, the unit price with its modifiers. The
 * dish keeps the names it was ordered by: `name` (English) and, when the menu gives it, `nameAr`
 * (version 3), so the visitor's page and the kitchen's boards name it in their language whatever
 * the menu says later.
 */
export const FoodLine = z.object({
  lineId: Id,
  itemId: Id,
  name: z.string().min(1).max(100),
  nameAr: z.string().min(1).max(100).optional(),
  station: Id,
  prepMinutes: z.number().int().min(0).max(240),
  qty: z.number().int().min(1).max(20),
  /** Halalas, VAT included: the item's price plus its chosen modifiers'. */
  unitPrice: Money,
  vatPercent: z.number().int().min(0).max(100),
  modifiers: z.array(FoodLineModifier).max(20),
  note: z.string().max(200).optional(),
});
export type FoodLine = z.infer<typeof FoodLine>;

/**
 * When the order is picked up: fired by the visitor's entry at the gate (a pre-order), as soon as
 * it is paid (an order during the visit, version 2), or ready at a time.
 */
export const FoodPickup = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('on_arrival') }),
  z.object({ mode: z.literal('asap') }),
  z.object({ mode: z.literal('at'), at: EpochMs }),
]);
export type FoodPickup = z.infer<typeof FoodPickup>;

/** What the food service gives when it creates an order (after the menu priced it). */
export const FoodOrderInput = z.object({
  orderId: Id,
  visitorId: Id,
  /** Pre-order: paid with this booking's payment and fired by its entry. */
  bookingId: Id.optional(),
  /**
   * Ordered during the visit of this booking (version 2): the order has a payment of its own, and
   * its refunds go back on that payment. Never together with `bookingId`.
   */
  visitBookingId: Id.optional(),
  lines: z.array(FoodLine).min(1).max(30),
  pickup: FoodPickup,
  /** Where the visitor collects it (shown on the order and in the ready message). */
  pickupPoint: z.string().min(1).max(100),
  /** The same place named in Arabic, when the venue gives it. */
  pickupPointAr: z.string().min(1).max(100).optional(),
  placedAt: EpochMs,
  /** How long a ready order waits before it counts as not collected. */
  notCollectedMs: z.number().int().positive().max(24 * 3_600_000),
  /**
   * An order paid on its own (version 3): cancelled when it is not paid by then (a durable timer);
   * a pre-order has none (its booking's payment deadline ends it).
   */
  payBy: EpochMs.optional(),
});
export type FoodOrderInput = z.infer<typeof FoodOrderInput>;

/** The stages of one station's ticket: a cook bumps it forward, a recall takes the last bump back. */
export const TICKET_STAGES = ['queued', 'cooking', 'done'] as const;
export const TicketStage = z.enum(TICKET_STAGES);
export type TicketStage = z.infer<typeof TicketStage>;

/** The part of an order one station makes. */
export const StationTicket = z.object({
  station: Id,
  lineIds: z.array(Id).min(1),
  stage: TicketStage,
  /** The last bump or recall. */
  changedAt: EpochMs.optional(),
  changedBy: Who.optional(),
});
export type StationTicket = z.infer<typeof StationTicket>;

/** One refund the gateway reported as done. */
export const FoodRefund = z.object({ refundId: Id, amount: Money });

/** Why an order was cancelled when nobody asked for it (version 3): its payment deadline passed, or finance gave everything back. */
export const FOOD_CANCEL_CAUSES = ['payment_due', 'finance_refund'] as const;
export const FoodCancelCause = z.enum(FOOD_CANCEL_CAUSES);
export type FoodCancelCause = z.infer<typeof FoodCancelCause>;

/** The machine context: the input plus money, tickets and lifecycle facts. */
export const FoodOrderContext = FoodOrderInput.extend({
  /** Halalas, VAT included: Σ qty × unit price. */
  total: Money,
  /** The longest prep time of its lines, in ms. */
  prepMs: z.number().int().nonnegative(),
  /** When a chosen pickup fires: pickup time − prep time. */
  fireAt: EpochMs.optional(),
  paymentId: Id.optional(),
  capturedAmount: Money,
  refundRequestedAmount: Money,
  refundedAmount: Money,
  refunds: z.array(FoodRefund),
  /**
   * Of `refundedAmount`, what finance gave back on the order's own payment without the order asking
   * (version 3; absent when none): a goodwill refund, or everything back (then the order is cancelled).
   */
  financeRefundedAmount: Money.optional(),
  paidAt: EpochMs.optional(),
  /** The last attempt of an order's own payment that failed (version 2; cleared once paid): the visitor may pay again. */
  paymentFailure: z.object({ paymentId: Id, reason: z.string().max(500).optional(), at: EpochMs }).optional(),
  firedAt: EpochMs.optional(),
  /** Per station, created when the order is fired. */
  tickets: z.array(StationTicket),
  readyAt: EpochMs.optional(),
  /** The visitor has been told once that it is ready (a recall and a second ready tell nobody again). */
  readyNotified: z.boolean(),
  deliveredAt: EpochMs.optional(),
  cancelledAt: EpochMs.optional(),
  cancelledBy: Who.optional(),
  cancelReason: z.string().max(500).optional(),
  /** Set when the order was cancelled without anyone asking (version 3). */
  cancelCause: FoodCancelCause.optional(),
});
export type FoodOrderContext = z.infer<typeof FoodOrderContext>;

/** Every event a caller may send (the food service, the gate's entry, kitchen boards, staff, payments). */
export const FoodOrderEvent = z.discriminatedUnion('type', [
  // A payment for the order was captured: the booking's share for a pre-order, its own otherwise.
  // An order during the visit takes every payment it hears of: one that pays it, or one it did
  // not need (a second attempt captured too), which it asks back at once.
  z.object({ type: z.literal('food.paid'), paymentId: Id, amount: Money, at: EpochMs }),
  // An attempt of the order's own payment failed at the provider (version 2): the visitor may try again.
  z.object({ type: z.literal('food.payment_failed'), paymentId: Id, reason: z.string().max(500).optional(), at: EpochMs }),
  // The visitor came in at a gate: an "on arrival" order goes to the kitchen.
  z.object({ type: z.literal('food.arrived'), at: EpochMs, gateId: Id.optional() }),
  // Staff fire an order now (paid or scheduled).
  z.object({ type: z.literal('food.fire'), at: EpochMs, by: Who }),
  // A board bumps its station's ticket from the stage it shows to the next.
  z.object({ type: z.literal('food.bump'), station: Id, stage: z.enum(['queued', 'cooking']), at: EpochMs, by: Who }),
  z.object({ type: z.literal('food.recall'), station: Id, at: EpochMs, by: Who }),
  z.object({ type: z.literal('food.deliver'), at: EpochMs, by: Who }),
  // Before the kitchen starts, the refund is everything captured; after, `refundAmount` (the policy's).
  // `byBooking`: the pre-order's booking ended (cancelled, expired, rejected); the booking's own
  // refund, under its policy, covers the food, so the order asks for nothing back itself.
  z.object({ type: z.literal('food.cancel'), at: EpochMs, by: Who, reason: z.string().max(500).optional(), refundAmount: Money.optional(), byBooking: z.boolean().optional() }),
  z.object({ type: z.literal('payment.refunded'), refundId: Id, amount: Money }),
  // A refund the order asked for failed at the provider: that amount is no longer on its way back.
  z.object({ type: z.literal('payment.refund_failed'), refundId: Id, amount: Money }),
  // The payment deadline of an order paid on its own (version 3; its durable timer): still unpaid, it is cancelled.
  z.object({ type: z.literal('food.payment_due'), at: EpochMs }),
  // Finance refunded part or all of the order's own payment (version 3), through at the provider:
  // the order records it; everything left given back before the food was served cancels the order.
  z.object({ type: z.literal('finance.refunded'), refundId: Id, amount: z.number().int().positive(), by: Who, at: EpochMs }),
]);
export type FoodOrderEvent = z.infer<typeof FoodOrderEvent>;

/**
 * Every effect the food order emits; the host writes each as an outbox row. Their types are the
 * food module's own: the booking's `notify` and `refund.request` handlers expect a booking.
 */
export const FoodOrderEffect = z.discriminatedUnion('type', [
  // Once per order: the visitor's push, in-app alert and (if chosen) SMS, with the pickup point.
  z.object({ type: z.literal('food.notify_ready'), orderId: Id, visitorId: Id, bookingId: Id.optional(), pickupPoint: z.string(), pickupPointAr: z.string().optional() }),
  // Give money back on the order's payment (the booking's, for a pre-order; its own, for an order
  // during the visit). `unneeded_payment` (version 2): a second payment of an order already paid.
  z.object({
    type: z.literal('food.refund_request'),
    orderId: Id,
    bookingId: Id.optional(),
    paymentId: Id,
    amount: z.number().int().positive(),
    reason: z.enum(['cancellation', 'late_payment', 'unneeded_payment']),
  }),
]);
export type FoodOrderEffect = z.infer<typeof FoodOrderEffect>;

/** The persisted snapshot of the current machine version (no final state: money may still move). */
export const FoodOrderPersisted = z.object({
  status: z.literal('active'),
  value: FoodOrderState,
  context: FoodOrderContext,
  historyValue: z.strictObject({}),
  children: z.strictObject({}),
});
export type FoodOrderPersisted = z.infer<typeof FoodOrderPersisted>;

/**
 * The facts callers ask of an order (XState state tags):
 *
 *   unpaid          waiting for its payment
 *   awaiting_fire   paid, not sent to the kitchen yet (on arrival, or its time)
 *   in_kitchen      on the kitchen's boards (preparing or ready)
 *   awaiting_pickup ready at the pickup point
 *   cancellable     the visitor may still cancel it (in full)
 */
export const FOOD_ORDER_TAGS = ['unpaid', 'awaiting_fire', 'in_kitchen', 'awaiting_pickup', 'cancellable'] as const;
export type FoodOrderTag = (typeof FOOD_ORDER_TAGS)[number];

/**
 * The food module's socket events, pushes and HTTP routes: kitchen boards bump and recall station
 * tickets, the expo fires and hands over orders, visitors cancel theirs and follow the menu, staff
 * 86 items and read the food report. Schemas live in `food.ts`.
 *
 *   feed:subscribe {feed: kitchen}                   the expo board: every order in the kitchen
 *   feed:subscribe {feed: kitchen, zone: <station>}  a station board (a board's token may pin it)
 *   kitchen:bump / kitchen:recall                    a station's ticket of an order, one stage
 *   actor:subscribe {kind: food_order, id}           the visitor's own order, live
 *   POST /api/bookings/:id/food-orders, POST /api/food/orders/:id/pay   ordering during the visit, paid on its own
 */
import { z } from 'zod';
import { ActorState } from './actors.js';
import { Unsubscribed } from './common.js';
import { httpRoute, serverPush, socketEvent } from './contract.js';
import { FoodReport, FoodReportQuery, KitchenBump, KitchenRecall, MenuAdminView, MenuChanged, MenuItemView, MenuSubscribe, MenuUpdated, MenuView, OrderCancel, OrderId, OrderRef, SoldOutChange, VisitOrderRequest } from './food.js';
import { StartedPayment } from './payments.js';
import { PaymentMethod } from '../payment.schemas.js';

/** The socket events of food and the kitchen. */
export const FOOD_EVENTS = {
  'kitchen:bump': socketEvent({
    payload: KitchenBump,
    ack: ActorState,
    summary: "Bump a station's ticket of an order from the stage the board shows to the next (queued → cooking → done).",
    description:
      'When every station of the order is done the order is ready and the visitor is told once. The loser of two boards bumping one ticket at once gets kitchen.stale_bump (reload the order from the ack of the feed); a board pinned to another station gets kitchen.wrong_station.',
    by: 'kitchen boards (their station), kitchen staff, super admins',
  }),
  'kitchen:recall': socketEvent({ payload: KitchenRecall, ack: ActorState, summary: "Take back the last bump of a station's ticket (a ready order returns to preparing).", by: 'kitchen boards (their station), kitchen staff, super admins' }),
  'kitchen:fire': socketEvent({ payload: OrderRef, ack: ActorState, summary: 'Send a paid or scheduled order to the kitchen now.', by: 'the expo board, kitchen staff, super admins' }),
  'kitchen:deliver': socketEvent({ payload: OrderRef, ack: ActorState, summary: 'Hand a ready (or not collected) order over at the pickup point.', by: 'the expo board, kitchen staff, super admins' }),
  'food:cancel': socketEvent({
    payload: OrderCancel,
    ack: ActorState,
    summary: 'Cancel an order: everything captured goes back before the kitchen starts; after, the venue\'s percent.',
    description: "A pre-order's refund goes back on its booking's payment (the booking's refundRequestedAmount grows by it).",
    by: 'the visitor (own order, before the kitchen starts), kitchen staff, super admins',
  }),
  'menu:subscribe': socketEvent({ payload: MenuSubscribe, ack: MenuView, summary: 'Follow the menu: its view now, then menu:changed on every 86 and return, menu:updated (the whole menu) on every other edit.', by: 'anyone signed in' }),
  'menu:unsubscribe': socketEvent({ payload: MenuSubscribe, ack: Unsubscribed, summary: 'Stop following the menu.', by: 'anyone subscribed' }),
} as const;

/** The pushes of food. */
export const FOOD_PUSHES = {
  'menu:changed': serverPush({ payload: MenuChanged, summary: 'An item was 86\'d or is back: mark it sold out or orderable again.', to: 'sockets following the menu' }),
  'menu:updated': serverPush({
    payload: MenuUpdated,
    summary: 'An item or a category was created or changed (price, names, choices, serving hours, order, shown or hidden): the whole menu now, to show instead.',
    description: 'Prices in it are the menu\'s own, VAT inside; an order is priced by the hub again whatever a screen shows.',
    to: 'sockets following the menu',
  }),
} as const;

const ItemParams = z.strictObject({ id: z.string().min(1).max(64) });
const BookingParams = z.strictObject({ id: z.string().min(1).max(64) });
const OrderParams = z.strictObject({ id: OrderId });

/** The HTTP routes of food. */
export const FOOD_ROUTES = {
  kitchenPage: httpRoute({
    method: 'GET',
    path: '/kitchen',
    answer: z.string(),
    produces: ['text/html'],
    auth: 'none',
    by: 'anyone (the board connects with its device token or a kitchen staff session)',
    summary: 'The kitchen display (clients/web): a station board (?station=, or the station its device token is pinned to; open it once as /kitchen#token=<device token>) or the expo.',
  }),
  menu: httpRoute({ method: 'GET', path: '/api/menu', answer: MenuView, auth: 'none', by: 'anyone', summary: 'The menu: active categories and items with the VAT in each price, sold-out and orderable-now flags.' }),
  adminMenu: httpRoute({ method: 'GET', path: '/api/admin/menu', answer: MenuAdminView, auth: 'bearer', by: 'super admins, kitchen staff', summary: 'Every menu category and item, inactive ones too (the menu editor). Create and change them with POST /api/admin/catalog/menu_category|menu_item and PATCH …/:id.' }),
  soldOut: httpRoute({
    method: 'POST',
    path: '/api/admin/menu/items/:id/sold-out',
    params: ItemParams,
    body: SoldOutChange,
    answer: MenuItemView,
    auth: 'bearer',
    by: 'super admins, kitchen staff',
    summary: '86 an item ({soldOut: true}) or bring it back; every open menu hears menu:changed (audited).',
  }),
  order: httpRoute({ method: 'GET', path: '/api/food/orders/:id', params: OrderParams, answer: ActorState, auth: 'bearer', by: 'the visitor (own order), kitchen staff, super admins', summary: 'A food order: its lines, pickup, money and station tickets.' }),
  cancel: httpRoute({ method: 'POST', path: '/api/food/orders/:id/cancel', params: OrderParams, body: z.strictObject({ reason: z.string().trim().min(1).max(500).optional() }), answer: ActorState, auth: 'bearer', by: 'the visitor (own order), kitchen staff, super admins', summary: 'Cancel an order (as food:cancel).' }),
  visitOrder: httpRoute({
    method: 'POST',
    path: '/api/bookings/:id/food-orders',
    params: BookingParams,
    body: VisitOrderRequest,
    answer: ActorState,
    auth: 'bearer',
    by: "the booking's visitor",
    summary: 'Order food during the visit of a booking, paid on its own: the order, placed, with its lines priced by the menu (then POST /api/food/orders/{id}/pay).',
    description:
      "The order must be paid by context.payBy (FOOD_PAYMENT_MINUTES after it was placed), or it is cancelled (cancelCause payment_due). The booking must be paid and for today: checked in (or out for a moment with the visit still open), or confirmed while its tickets still admit; otherwise order.no_visit. pickup {mode: asap} goes to the kitchen once paid; {mode: at, time: hh:mm} is ready at that time today (at least the prep time ahead; order.pickup_invalid). A price or total in the body is order.priced_by_client; an item sold out, not served at that time, or a modifier that is not the item's is refused (menu.sold_out, menu.unavailable, menu.modifier_invalid) and nothing is written. Someone else's booking answers actor.not_found.",
  }),
  payOrder: httpRoute({
    method: 'POST',
    path: '/api/food/orders/:id/pay',
    params: OrderParams,
    body: z.strictObject({ method: PaymentMethod }),
    answer: StartedPayment,
    auth: 'bearer',
    by: "the order's visitor",
    summary: 'Start (or reopen) paying a food order placed during the visit: open redirectUrl in the payer\'s browser.',
    description: 'The same provider, hosted page and webhook as a booking\'s payment; the payer comes back to /food-orders/{id}. When the payment is captured the order is paid and goes to the kitchen (asap) or is scheduled; a failed attempt shows on the order (context.paymentFailure) and may be retried. A pre-order (paid with its booking), an order already paid, and one past its payment deadline (context.payBy, FOOD_PAYMENT_MINUTES after it was placed: it is cancelled then) answer event.rejected.',
  }),
  visitPage: httpRoute({ method: 'GET', path: '/bookings/:id/food', params: BookingParams, answer: z.string(), produces: ['text/html'], auth: 'none', by: 'anyone', summary: 'The visitor app: ordering food during the visit of a booking (the menu, the cart, pickup).' }),
  orderPage: httpRoute({ method: 'GET', path: '/food-orders/:id', params: OrderParams, answer: z.string(), produces: ['text/html'], auth: 'none', by: 'anyone', summary: 'The visitor app on a food order: its priced lines, paying, and its status live (preparing → ready).' }),
  report: httpRoute({ method: 'GET', path: '/api/admin/reports/food', query: FoodReportQuery, answer: FoodReport, auth: 'bearer', by: 'finance and super admins', summary: 'Food of a venue day by menu category: quantities, gross with VAT, cancelled and served, and captured − refunded.', description: 'Always captured − refunded = served − servedRefunded + keptOnCancel + open + refundPending: finance refunds of orders\' own payments are in refunded (financeRefunded), those of served orders in servedRefunded.' }),
} as const;

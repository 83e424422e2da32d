/**
 * The food module: the food order actor, the menu and order services, the `food_orders` read model
 * and the `kitchen` feed, order-ready messages, and what a booking's pre-order hears from its
 * booking (all through the outbox, so none is lost to a crash):
 *
 *   booking confirmed ─food.preorder_paid─▶ order food.paid (the booking's payment, the food's share)
 *   booking check_in  ─food.preorder_arrived─▶ order food.arrived ─▶ preparing: on the station boards
 *   booking cancelled, expired, rejected ─food.preorder_cancel─▶ order food.cancel {byBooking}
 *   order ready ─food.notify_ready─▶ push, in-app, SMS (chosen), once per order
 *   order cancelled ─food.refund_request─▶ the booking's booking.refund (keep_visit): the money goes
 *     back on the booking's payment, through the booking's ledger
 *   booking refund through ─food.preorder_refunded─▶ order payment.refunded (its refundedAmount)
 *   booking refund failed ─food.preorder_refund_failed─▶ order payment.refund_failed (refundable again)
 *   menu 86 ─▶ menu:changed to every open menu
 *   catalog saved a menu category or item ─▶ menu:updated (the whole menu) to every open menu
 *
 * An order during the visit (visit-orders.ts) is paid on its own: its payment's notices
 * (food.order_paid, …_payment_failed, …_refunded, …_refund_failed) and its refund requests go
 * between the order and that payment (own-payment-effects.ts), never through the booking.
 */
import { BookingEffect, PREORDER_REFUND_PREFIX } from '../../machines/booking.schemas.js';
import { foodOrderDefinition } from '../../machines/food-order.machine.js';
import { FoodOrderEffect } from '../../machines/food-order.schemas.js';
import { PaymentEffect } from '../../machines/payment.schemas.js';
import { refuse } from '../../machines/errors.js';
import type { Result } from '../../machines/errors.js';
import { catalogRuntime } from '../catalog/catalog.module.js';
import { localDate } from '../catalog/venue-time.js';
import { menuRoom } from '../fanout/change-rooms.js';
import { toRooms } from '../fanout/outbound.js';
import type { RuntimeModule } from '../modules/runtime-module.js';
import { effectPayloads } from '../modules/runtime-module.js';
import { createFoodReadyNotifier } from '../notifications/food-ready.js';
import { notificationsRuntime } from '../notifications/notifications.module.js';
import { refundIdFor } from '../payments/payment-ids.js';
import type { CatalogStore, SlotRepository } from '../catalog/catalog-store.js';
import type { FoodOrderService, FoodOrderView, FoodSettings } from './food-order-service.js';
import { createFoodOrderService, preOrderId } from './food-order-service.js';
import { foodOrdersProjection, kitchenFeed, visitorFoodFeed } from './kitchen-queue.js';
import type { MenuService } from './menu-service.js';
import { createMenuService } from './menu-service.js';
import { createOwnPaymentHandlers } from './own-payment-effects.js';
import { createVisitOrders } from './visit-orders.js';

/** What the food module offers; both parts are absent when the runtime was given no menu. */
export interface FoodModuleService {
  readonly menu: MenuService | undefined;
  readonly orders: FoodOrderService | undefined;
  /** The venue's time zone (report days are local to it). */
  readonly timeZone: string | undefined;
  /** Places a hold's pre-order `<bookingId>-food` for the slot starting at `startsAt` (a retried hold answers ok). */
  placePreOrder(visitorId: string, bookingId: string, food: unknown, startsAt: number): Promise<Result<unknown>>;
  /** Places an order during the visit of the visitor's booking, to be paid on its own (visit-orders.ts). */
  placeVisitOrder(visitorId: string, bookingId: string, request: unknown): Promise<Result<FoodOrderView>>;
}

const NO_MENU = async (): Promise<Result<never>> => refuse('menu.unavailable', 'this venue runs no menu');

const FROM_BOOKINGS = effectPayloads(BookingEffect, 'food.preorder_paid', 'food.preorder_arrived', 'food.preorder_cancel', 'food.preorder_refunded', 'food.preorder_refund_failed');
const FROM_ORDERS = effectPayloads(FoodOrderEffect, 'food.notify_ready', 'food.refund_request');
const FROM_OWN_PAYMENTS = effectPayloads(PaymentEffect, 'food.order_paid', 'food.order_payment_failed', 'food.order_refunded', 'food.order_refund_failed');

/** The id of the refund a pre-order's cancellation asks of its booking (the booking tells the order when it is through). */
function preOrderRefundId(effectId: string): string {
  return `${PREORDER_REFUND_PREFIX}${refundIdFor(`food:${effectId}`).slice('rf_'.length)}`;
}

/** The menu (catalog kinds menu_category, menu_item) and the food service's settings. */
export interface FoodWiring {
  menuStore: Pick<CatalogStore, 'items'>;
  /** The catalog's slots: an order during a visit is taken on its booking's day only. Without them, such orders are refused. */
  slots?: Pick<SlotRepository, 'get'>;
  /** The venue's IANA time zone: availability windows and pickup times are local to it. */
  timeZone: string;
  settings: FoodSettings;
}

/** Unwired, the module runs no menu: orders are refused. */
export const foodRuntime: RuntimeModule<FoodModuleService, FoodWiring> = {
  name: 'food',
  machines: [foodOrderDefinition],
  effects: { ...FROM_BOOKINGS, ...FROM_ORDERS, ...FROM_OWN_PAYMENTS },
  projections: (env) => [foodOrdersProjection(env.timeZone)],
  feeds: [kitchenFeed, visitorFoodFeed],
  start(ctx) {
    const food = ctx.wiring;
    if (food === undefined) return { service: { menu: undefined, orders: undefined, timeZone: undefined, placePreOrder: NO_MENU, placeVisitOrder: NO_MENU } };
    const log = ctx.log.child({ part: 'food' });
    const menu = createMenuService({ store: food.menuStore, audit: ctx.store.audit, clock: ctx.clock, timeZone: food.timeZone, log });
    // Categories and items are saved by the catalog's admin changes (the module before this one):
    // every open menu hears the menu after each, as it hears an 86.
    ctx.service(catalogRuntime)?.onSaved((saved) => {
      if (saved.kind === 'menu_category' || saved.kind === 'menu_item') void menu.edited({ kind: saved.kind, id: saved.id }, saved.at);
    });
    const orders = createFoodOrderService({ host: ctx.host, menu, clock: ctx.clock, timeZone: food.timeZone, settings: food.settings });
    const channels = ctx.service(notificationsRuntime)?.channels;
    const notifyReady = channels && createFoodReadyNotifier({ ...channels, clock: ctx.clock, log });
    const system = { who: 'system:food', eventId: null };
    const visitOrders = createVisitOrders({ host: ctx.host, orders, slots: food.slots, clock: ctx.clock, timeZone: food.timeZone });
    const ownPayments = createOwnPaymentHandlers({ host: ctx.host, audit: ctx.store.audit, clock: ctx.clock, log });

    /** The order a booking's effect is about, unless there is none (a booking without one never emits). */
    const preOrder = async (bookingId: string) => {
      const order = await orders.read(preOrderId(bookingId));
      if (!order.ok) log.warn('a booking speaks of a pre-order that does not exist', { bookingId, code: order.code });
      return order.ok ? order.data : null;
    };

    return {
      service: {
        menu,
        orders,
        timeZone: food.timeZone,
        async placePreOrder(visitorId, bookingId, request, startsAt) {
          const orderId = preOrderId(bookingId);
          const placed = await orders.place(visitorId, request, { orderId, bookingId, date: localDate(startsAt, food.timeZone), arriveAt: startsAt });
          return !placed.ok && placed.code === 'actor.exists' ? { ok: true, data: null } : placed;
        },
        placeVisitOrder: (visitorId, bookingId, request) => visitOrders.place(visitorId, bookingId, request),
      },
      publishes: (publisher) => {
        const stops = [
          menu.onChange((change) => publisher.publish(toRooms(menuRoom(), 'menu:changed', change))),
          menu.onUpdate((update) => publisher.publish(toRooms(menuRoom(), 'menu:updated', update))),
        ];
        return () => stops.forEach((stop) => stop());
      },
      effects: {
        ...ownPayments.effects,
        'food.preorder_paid': async (effect) => {
          const { bookingId, paymentId, amount } = BookingEffect.parse({ type: effect.type, ...effect.payload }) as Extract<BookingEffect, { type: 'food.preorder_paid' }>;
          const order = await preOrder(bookingId);
          // A booking confirmed late after its pre-order was cancelled with it: the booking's own refund settles the money.
          if (!order || order.state !== 'placed') return;
          const paid = await orders.paid(order.id, paymentId, amount);
          if (!paid.ok) log.warn('pre-order payment not taken', { orderId: order.id, code: paid.code, message: paid.message });
        },
        'food.preorder_arrived': async (effect) => {
          const { bookingId, gateId } = BookingEffect.parse({ type: effect.type, ...effect.payload }) as Extract<BookingEffect, { type: 'food.preorder_arrived' }>;
          const fired = await orders.arrived(bookingId, gateId);
          if (fired) log.info('pre-order fired by the gate entry', { orderId: fired.id, gateId });
        },
        'food.preorder_cancel': async (effect) => {
          const { bookingId } = BookingEffect.parse({ type: effect.type, ...effect.payload }) as Extract<BookingEffect, { type: 'food.preorder_cancel' }>;
          const order = await preOrder(bookingId);
          if (!order || order.state === 'cancelled' || order.state === 'delivered') return;
          const event = { type: 'food.cancel', at: effect.createdAt, by: 'system:bookings', reason: 'the booking ended', byBooking: true };
          const sent = await ctx.host.send(foodOrderDefinition.kind, order.id, event, { who: 'system:bookings', eventId: `preorder-cancel:${effect.effectId}` });
          if (!sent.ok) log.warn('pre-order not cancelled with its booking', { orderId: order.id, code: sent.code });
        },
        'food.preorder_refunded': async (effect) => {
          const { bookingId, refundId, amount } = BookingEffect.parse({ type: effect.type, ...effect.payload }) as Extract<BookingEffect, { type: 'food.preorder_refunded' }>;
          const event = { type: 'payment.refunded', refundId, amount };
          const sent = await ctx.host.send(foodOrderDefinition.kind, preOrderId(bookingId), event, { who: 'system:payments', eventId: `preorder-refunded:${refundId}` });
          if (!sent.ok) log.warn('pre-order refund not recorded on the order', { bookingId, refundId, code: sent.code, message: sent.message });
        },
        'food.preorder_refund_failed': async (effect) => {
          const { bookingId, refundId, amount } = BookingEffect.parse({ type: effect.type, ...effect.payload }) as Extract<BookingEffect, { type: 'food.preorder_refund_failed' }>;
          const event = { type: 'payment.refund_failed', refundId, amount };
          const sent = await ctx.host.send(foodOrderDefinition.kind, preOrderId(bookingId), event, { who: 'system:payments', eventId: `preorder-refund-failed:${refundId}` });
          if (!sent.ok) log.warn('pre-order refund failure not recorded on the order', { bookingId, refundId, code: sent.code, message: sent.message });
          else log.warn('pre-order refund failed at the provider: the amount is refundable again', { bookingId, refundId, amount });
        },
        ...(notifyReady === undefined
          ? {}
          : {
              'food.notify_ready': async (effect) => {
                const ready = FoodOrderEffect.parse({ type: effect.type, ...effect.payload }) as Extract<FoodOrderEffect, { type: 'food.notify_ready' }>;
                await notifyReady(effect, ready);
              },
            }),
        'food.refund_request': async (effect) => {
          const request = FoodOrderEffect.parse({ type: effect.type, ...effect.payload }) as Extract<FoodOrderEffect, { type: 'food.refund_request' }>;
          // An order paid on its own asks its own payment.
          if (request.bookingId === undefined) return ownPayments.refund(effect, request);
          // The booking's ledger holds the payment: it asks the gateway and hears the outcome.
          const refund = { type: 'booking.refund', refundId: preOrderRefundId(effect.effectId), paymentId: request.paymentId, amount: request.amount, policy: 'keep_visit', at: effect.createdAt };
          const sent = await ctx.host.send('booking', request.bookingId, refund, { ...system, who: 'system:food', eventId: `food-refund:${effect.effectId}` });
          if (!sent.ok) log.warn('food refund refused by its booking', { orderId: request.orderId, bookingId: request.bookingId, code: sent.code, message: sent.message });
        },
      },
    };
  },
};

/**
 * The food order service: places orders priced by the menu as `food_order` actors, and turns what
 * happens around them into their events: the payment, the gate's entry, a board's bump or recall,
 * the hand-over, a cancellation under the venue's policy.
 *
 *   place(visitor, request) ─▶ menu.priceOrder (for the pickup time, the arrival or now) ─▶ host.create
 *   gate entry of a booking ─▶ arrived(bookingId) ─▶ its pre-order (id `<bookingId>-food`) ─▶ food.arrived
 *   board bump {order, station, stage} ─▶ wrong station? kitchen.wrong_station ─▶ host.send ─▶ moved on? kitchen.stale_bump
 *
 * A booking carries at most one pre-order, named after it, so the gate's entry finds it without a
 * search; orders during the visit get ids of their own (visit-orders.ts).
 */
import type { TypedActorView } from '../../machines/actor-definition.js';
import { refuse, type Result } from '../../machines/errors.js';
import { foodOrderDefinition, refundableOf } from '../../machines/food-order.machine.js';
import type { FoodOrderContext, FoodOrderInput, FoodOrderState, FoodOrderTag } from '../../machines/food-order.schemas.js';
import type { ActorHost, ActorView } from '../actors/actor-host.js';
import { localDate, zonedTime } from '../catalog/venue-time.js';
import type { MenuService } from './menu-service.js';

/** A food order as the service answers it. */
export type FoodOrderView = TypedActorView<FoodOrderContext, FoodOrderState, FoodOrderTag>;

/** Venue settings of the food service. */
export interface FoodSettings {
  /** Where orders are collected (shown on the order and in the ready message). */
  pickupPoint: string;
  /** The same place named in Arabic, when the venue gives it. */
  pickupPointAr?: string;
  /** How long a ready order waits before it counts as not collected (default 30 minutes). */
  notCollectedMs?: number;
  /** Percent of the order refunded when it is cancelled once the kitchen started (default 0). */
  kitchenRefundPercent?: number;
  /** How long a visitor has to pay an order placed during the visit before it is cancelled (default 15 minutes). */
  payWithinMs?: number;
}

/** What the food order service needs. */
export interface FoodOrderServiceDeps {
  host: Pick<ActorHost, 'create' | 'send' | 'read'>;
  menu: Pick<MenuService, 'priceOrder'>;
  clock: () => number;
  timeZone: string;
  settings: FoodSettings;
}

/** Where an order is placed from. */
export interface PlaceOptions {
  orderId: string;
  /** Pre-order: paid with this booking and fired by its entry (the order id is then `preOrderId(bookingId)`). */
  bookingId?: string;
  /** Ordered during the visit of this booking: paid on its own, to the kitchen once paid unless a time is chosen. */
  visitBookingId?: string;
  /** The venue-local day the order is for (a pre-order: its slot's day); default today. */
  date?: string;
  /** When the visitor is expected in, for an "on arrival" order's availability check; default now. */
  arriveAt?: number;
}

/** A board asking: the station it shows, when it is a station's board (the expo board shows all). */
export interface BoardActor {
  who: string;
  station?: string;
}

/** The food order service. */
export interface FoodOrderService {
  place(visitorId: string, request: unknown, options: PlaceOptions): Promise<Result<FoodOrderView>>;
  /** The order's payment was captured (on its own, or the booking's that carried it). */
  paid(orderId: string, paymentId: string, amount: number): Promise<Result<FoodOrderView>>;
  /** The booking's party came in at a gate: its "on arrival" pre-order goes to the kitchen; null when there is none to fire. */
  arrived(bookingId: string, gateId?: string): Promise<FoodOrderView | null>;
  fire(orderId: string, by: string): Promise<Result<FoodOrderView>>;
  bump(orderId: string, station: string, stage: 'queued' | 'cooking', board: BoardActor): Promise<Result<FoodOrderView>>;
  recall(orderId: string, station: string, board: BoardActor): Promise<Result<FoodOrderView>>;
  deliver(orderId: string, by: string): Promise<Result<FoodOrderView>>;
  /** Cancels: in full before the kitchen starts, by the venue's percent after. */
  cancel(orderId: string, by: string, reason?: string): Promise<Result<FoodOrderView>>;
  read(orderId: string): Promise<Result<FoodOrderView>>;
}

/** The id of a booking's pre-order. */
export function preOrderId(bookingId: string): string {
  return `${bookingId}-food`;
}

const KIND = foodOrderDefinition.kind;

/** How long a visitor has to pay an order placed during the visit, unless the venue says otherwise. */
export const DEFAULT_PAY_WITHIN_MS = 15 * 60_000;

/** Creates the food order service. */
export function createFoodOrderService(deps: FoodOrderServiceDeps): FoodOrderService {
  const { host, clock, timeZone, settings } = deps;
  const notCollectedMs = settings.notCollectedMs ?? 30 * 60_000;
  const payWithinMs = settings.payWithinMs ?? DEFAULT_PAY_WITHIN_MS;
  const read = (orderId: string) => host.read(foodOrderDefinition, orderId);
  const typed = async (answer: Promise<Result<ActorView>>): Promise<Result<FoodOrderView>> => {
    const result = await answer;
    return result.ok ? { ok: true, data: result.data as FoodOrderView } : result;
  };
  const send = (orderId: string, event: object, who: string) => typed(host.send(KIND, orderId, event, { who }));

  /** Checks the board may touch the station's ticket of this order. */
  async function stationCheck(orderId: string, station: string, board: BoardActor): Promise<Result<FoodOrderView>> {
    if (board.station !== undefined && board.station !== station) return refuse('kitchen.wrong_station', `this board shows ${board.station}, not ${station}`);
    const order = await read(orderId);
    if (!order.ok) return order;
    if (!order.data.context.tickets.some((t) => t.station === station)) return refuse('kitchen.wrong_station', `order ${orderId} has no ${station} ticket in the kitchen`);
    return order;
  }

  /** A refused kitchen event means the ticket moved on (another board) or there is nothing to take back. */
  const staleWhenRejected = (result: Result<FoodOrderView>, what: string): Result<FoodOrderView> =>
    !result.ok && result.code === 'event.rejected' ? refuse('kitchen.stale_bump', `${what}: the ticket is no longer where this board saw it; the board reloads it`) : result;

  return {
    async place(visitorId, request, options) {
      const now = clock();
      const date = options.date ?? localDate(now, timeZone);
      const pickupRequest = (request as { pickup?: { mode?: unknown; time?: unknown } } | null)?.pickup;
      const pickupAt = pickupRequest?.mode === 'at' && typeof pickupRequest.time === 'string' && /^\d\d:\d\d$/.test(pickupRequest.time) ? zonedTime(date, pickupRequest.time, timeZone) : undefined;
      const priced = await deps.menu.priceOrder(request, pickupAt ?? options.arriveAt ?? now);
      if (!priced.ok) return priced;
      const { lines, prepMinutes, request: parsed } = priced.data;
      if (parsed.bookingId !== undefined && parsed.bookingId !== options.bookingId) return refuse('input.invalid', 'bookingId: order with the booking, through its hold');
      if (pickupAt !== undefined && pickupAt < now + prepMinutes * 60_000) {
        return refuse('order.pickup_invalid', `the kitchen needs ${prepMinutes} minutes: choose a pickup time after ${new Date(now + prepMinutes * 60_000).toISOString()}`);
      }
      const input: FoodOrderInput = {
        orderId: options.orderId,
        visitorId,
        ...(options.bookingId === undefined ? {} : { bookingId: options.bookingId }),
        ...(options.visitBookingId === undefined ? {} : { visitBookingId: options.visitBookingId }),
        lines,
        pickup: pickupAt !== undefined ? { mode: 'at', at: pickupAt } : options.visitBookingId === undefined ? { mode: 'on_arrival' } : { mode: 'asap' },
        pickupPoint: settings.pickupPoint,
        ...(settings.pickupPointAr === undefined ? {} : { pickupPointAr: settings.pickupPointAr }),
        placedAt: now,
        notCollectedMs,
        // Paid on its own: cancelled unless paid in time (a pre-order is paid with its booking).
        ...(options.visitBookingId === undefined ? {} : { payBy: now + payWithinMs }),
      };
      return typed(host.create(KIND, options.orderId, input, { who: `user:${visitorId}` }));
    },

    paid: (orderId, paymentId, amount) => send(orderId, { type: 'food.paid', paymentId, amount, at: clock() }, 'system:payments'),

    async arrived(bookingId, gateId) {
      const sent = await send(preOrderId(bookingId), { type: 'food.arrived', at: clock(), ...(gateId === undefined ? {} : { gateId }) }, gateId === undefined ? 'system:gates' : `device:${gateId}`);
      // No pre-order, a timed one, or one fired already: the entry has nothing to fire.
      return sent.ok ? sent.data : null;
    },

    fire: (orderId, by) => send(orderId, { type: 'food.fire', at: clock(), by }, by),

    async bump(orderId, station, stage, board) {
      const checked = await stationCheck(orderId, station, board);
      if (!checked.ok) return checked;
      return staleWhenRejected(await send(orderId, { type: 'food.bump', station, stage, at: clock(), by: board.who }, board.who), `bump of ${station} from ${stage}`);
    },

    async recall(orderId, station, board) {
      const checked = await stationCheck(orderId, station, board);
      if (!checked.ok) return checked;
      return staleWhenRejected(await send(orderId, { type: 'food.recall', station, at: clock(), by: board.who }, board.who), `recall of ${station}`);
    },

    deliver: (orderId, by) => send(orderId, { type: 'food.deliver', at: clock(), by }, by),

    async cancel(orderId, by, reason) {
      const order = await read(orderId);
      if (!order.ok) return order;
      const inKitchen = order.data.tags.includes('in_kitchen');
      const percent = settings.kitchenRefundPercent ?? 0;
      const refundAmount = inKitchen ? Math.floor((refundableOf(order.data.context) * percent) / 100) : undefined;
      return send(orderId, { type: 'food.cancel', at: clock(), by, ...(reason === undefined ? {} : { reason }), ...(refundAmount === undefined ? {} : { refundAmount }) }, by);
    },

    read,
  };
}

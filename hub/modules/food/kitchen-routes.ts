/**
 * The food module's socket events: kitchen boards bump and recall their station's tickets, the
 * expo fires and hands over orders, visitors (and the kitchen) cancel, screens follow the menu.
 *
 *   kitchen:bump {orderId, station, stage} ─▶ policy kitchen.bump ─▶ board pinned to another station? kitchen.wrong_station
 *                                          ─▶ orders.bump ─▶ the ticket moved on? kitchen.stale_bump ─▶ ack ActorState
 *   food:cancel {orderId} ─▶ policy food.cancel (own order, or kitchen staff; audited) ─▶ a visitor only before the kitchen starts
 *   menu:subscribe ─▶ join `menu` ─▶ ack the menu; then menu:changed on every 86
 *
 * The board that bumps is the caller: a device's pinned station (device token scope), or none
 * for the expo board and kitchen staff (they may bump any station).
 */
import type { ActorState, MenuView } from '../../../machines/contract/wire.js';
import { accept, refuse } from '../../../machines/errors.js';
import type { Result } from '../../../machines/errors.js';
import type { FoodModuleService } from '../../../workers/food/food.module.js';
import type { BoardActor } from '../../../workers/food/food-order-service.js';
import type { Principal } from '../../auth/tokens.js';
import type { AuditTrail } from '../../policy/audit-trail.js';
import type { Policy } from '../../policy/policy-table.js';
import { ownerOf } from '../../policy/role-policy.js';
import { menuRoom, subjectOf } from '../../rooms.js';
import { route } from '../../socket/inbound.js';
import type { Route } from '../../socket/inbound.js';

/** What the kitchen routes need. */
export interface KitchenRouteDeps {
  food: () => FoodModuleService;
  policy: Pick<Policy, 'decide'>;
  trail: AuditTrail;
}

const NO_FOOD = 'this hub node runs no menu';

/** Who is acting, as the order's history records it, and the station a board is pinned to. */
export function boardOf(principal: Principal): BoardActor {
  const who = subjectOf(principal);
  return principal.kind === 'device' && principal.scope.station !== undefined ? { who, station: principal.scope.station } : { who };
}

/** Cancels an order for a caller the policy allowed: a visitor only while it is cancellable (before the kitchen). */
export async function cancelOrder(deps: KitchenRouteDeps, principal: Principal, orderId: string, reason: string | undefined): Promise<Result<ActorState>> {
  const orders = deps.food().orders;
  if (!orders) return refuse('menu.unavailable', NO_FOOD);
  const target = `food_order/${orderId}`;
  const current = await orders.read(orderId);
  const decision = deps.policy.decide(principal, 'food.cancel', { ownerId: current.ok ? ownerOf(current.data) : undefined });
  if (!decision.allowed) return deps.trail.deny(principal, 'food.cancel', target, decision);
  if (!current.ok) return current;
  const visitor = principal.kind === 'person' && principal.role === 'visitor';
  if (visitor && !current.data.tags.includes('cancellable')) return refuse('event.rejected', 'the kitchen has started this order: ask at the pickup point');
  if (!(await deps.trail.allow(principal, 'food.cancel', target, reason === undefined ? undefined : { reason }))) return refuse('store.unavailable', 'the audit trail cannot be written right now; retry shortly');
  const result = await orders.cancel(orderId, subjectOf(principal), reason);
  if (!result.ok) await deps.trail.failed(principal, 'food.cancel', target, result);
  return result;
}

/** The socket routes of food and the kitchen. */
export function kitchenRoutes(deps: KitchenRouteDeps): Record<string, Route> {
  const { policy, trail } = deps;
  /** The order service for a caller the policy allows `action`, or the refusal. */
  const allowed = async (principal: Principal, action: string, target: string) => {
    const decision = policy.decide(principal, action);
    if (!decision.allowed) return trail.deny(principal, action, target, decision);
    const orders = deps.food().orders;
    return orders ? accept(orders) : refuse('menu.unavailable', NO_FOOD);
  };

  return {
    'kitchen:bump': route('kitchen:bump', async ({ principal }, { orderId, station, stage }): Promise<Result<ActorState>> => {
      const orders = await allowed(principal, 'kitchen.bump', `food_order/${orderId}`);
      return orders.ok ? orders.data.bump(orderId, station, stage, boardOf(principal)) : orders;
    }),
    'kitchen:recall': route('kitchen:recall', async ({ principal }, { orderId, station }): Promise<Result<ActorState>> => {
      const orders = await allowed(principal, 'kitchen.bump', `food_order/${orderId}`);
      return orders.ok ? orders.data.recall(orderId, station, boardOf(principal)) : orders;
    }),
    'kitchen:fire': route('kitchen:fire', async ({ principal }, { orderId }): Promise<Result<ActorState>> => {
      const orders = await allowed(principal, 'kitchen.expo', `food_order/${orderId}`);
      return orders.ok ? orders.data.fire(orderId, subjectOf(principal)) : orders;
    }),
    'kitchen:deliver': route('kitchen:deliver', async ({ principal }, { orderId }): Promise<Result<ActorState>> => {
      const orders = await allowed(principal, 'kitchen.expo', `food_order/${orderId}`);
      return orders.ok ? orders.data.deliver(orderId, subjectOf(principal)) : orders;
    }),
    'food:cancel': route('food:cancel', ({ principal }, { orderId, reason }) => cancelOrder(deps, principal, orderId, reason)),
    'menu:subscribe': route('menu:subscribe', async ({ socket, principal }): Promise<Result<MenuView>> => {
      const decision = policy.decide(principal, 'menu.watch');
      if (!decision.allowed) return trail.deny(principal, 'menu.watch', menuRoom(), decision);
      const menu = deps.food().menu;
      if (!menu) return refuse('menu.unavailable', NO_FOOD);
      // Joined before reading: an 86 while the menu is read arrives after the answer, never lost.
      await socket.join(menuRoom());
      return accept(await menu.menu());
    }),
    'menu:unsubscribe': route('menu:unsubscribe', async ({ socket }) => {
      await socket.leave(menuRoom());
      return accept({ unsubscribed: true as const });
    }),
  };
}

/**
 * Ordering food during the visit over HTTP (machines/contract/kitchen.ts FOOD_ROUTES):
 *
 *   POST /api/bookings/:id/food-orders {lines, pickup}  the booking's visitor   the order, placed (priced by the menu)
 *   POST /api/food/orders/:id/pay {method}              the order's visitor     {paymentId, redirectUrl}: its own payment
 *
 * Someone else's booking or order answers as if it did not exist (ids cannot be probed); staff
 * roles are refused and audited. The visit rule and the pricing are the food module's
 * (workers/food/visit-orders.ts); the payment is the payments module's, through the same hosted
 * page and webhook as a booking's.
 */
import { z } from 'zod';
import { PaymentMethod } from '../../../machines/payment.schemas.js';
import { OrderId } from '../../../machines/contract/food.js';
import { refuse } from '../../../machines/errors.js';
import type { Result } from '../../../machines/errors.js';
import type { ActorHost } from '../../../workers/actors/actor-host.js';
import type { FoodModuleService } from '../../../workers/food/food.module.js';
import type { PaymentService } from '../../../workers/payments/payment-service.js';
import type { ApiRequest, ApiRoute } from '../../api/api-router.js';
import { readJson } from '../../api/api-router.js';
import type { PersonPrincipal } from '../../auth/tokens.js';
import type { AuditTrail } from '../../policy/audit-trail.js';
import type { Policy } from '../../policy/policy-table.js';
import { ownerOf } from '../../policy/role-policy.js';
import { subjectOf } from '../../rooms.js';

/** What the routes need. */
export interface VisitOrderRouteDeps {
  authenticate(req: ApiRequest): Promise<Result<PersonPrincipal>>;
  policy: Pick<Policy, 'decide'>;
  trail: AuditTrail;
  host: Pick<ActorHost, 'read'>;
  food: () => FoodModuleService;
  /** The node's payments; absent where no gateway is configured. */
  payments: () => Pick<PaymentService, 'startOrderPayment'> | undefined;
}

const BookingId = z.string().regex(/^[A-Za-z0-9_.:-]{1,64}$/);
const PayBody = z.strictObject({ method: PaymentMethod });

/** The routes of ordering during the visit. */
export function visitOrderRoutes(deps: VisitOrderRouteDeps): ApiRoute[] {
  /**
   * The signed-in person, allowed `action` on the actor `kind/id` by its owner; a visitor who does
   * not own it is told it does not exist, staff are refused by the policy (audited).
   */
  async function owner(req: ApiRequest, action: string, kind: 'booking' | 'food_order', id: string): Promise<Result<PersonPrincipal>> {
    const person = await deps.authenticate(req);
    if (!person.ok) return person;
    const actor = await deps.host.read(kind, id);
    const decision = deps.policy.decide(person.data, action, { ownerId: actor.ok ? ownerOf(actor.data) : undefined });
    if (decision.allowed) return person;
    const what = kind === 'booking' ? 'booking' : 'food order';
    return person.data.role === 'visitor' ? refuse('actor.not_found', `no ${what} ${id} of yours`) : deps.trail.deny(person.data, action, `${kind}/${id}`, decision);
  }

  return [
    {
      method: 'POST',
      pattern: '/api/bookings/:id/food-orders',
      handler: async (req) => {
        const id = BookingId.safeParse(req.params['id']);
        if (!id.success) return refuse('event.invalid', 'id: not a booking id');
        const person = await owner(req, 'food.order', 'booking', id.data);
        if (!person.ok) return person;
        const body = readJson(z.unknown(), req);
        if (!body.ok) return body;
        // The food module refuses money fields, parses the rest, checks the visit and prices it.
        return deps.food().placeVisitOrder(person.data.userId, id.data, body.data);
      },
    },
    {
      method: 'POST',
      pattern: '/api/food/orders/:id/pay',
      handler: async (req) => {
        const id = OrderId.safeParse(req.params['id']);
        if (!id.success) return refuse('event.invalid', 'id: not a food order id');
        const person = await owner(req, 'food.pay', 'food_order', id.data);
        if (!person.ok) return person;
        const body = readJson(PayBody, req);
        if (!body.ok) return body;
        const payments = deps.payments();
        if (!payments) return refuse('route.not_found', 'this hub node takes no payments');
        return payments.startOrderPayment(id.data, body.data.method, subjectOf(person.data));
      },
    },
  ];
}

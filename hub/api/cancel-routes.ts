/**
 * The visitor cancels their own booking over HTTP, under the venue's refund policy.
 *
 *   GET  /api/bookings/:id/cancellation       the booking's visitor → what cancelling now would give back
 *   POST /api/bookings/:id/cancel {reason?}   the booking's visitor → {state, refundAmount, rule}
 *
 *   read booking ──not theirs──▶ actor.not_found
 *     │ confirmed: slot start (catalog) + policy ─▶ booking.cancel {reason, refundAmount, at}
 *     │ before payment:                            booking.cancel {reason, at}
 *     ▼
 *   host.send(eventId = cancel:<bookingId>)  a second click is a duplicate: one cancel, one refund
 *
 * The machine revokes the tickets and asks the payments side for the refund (refund.request).
 * Over sockets a visitor may only cancel without a refund; this route is where the policy decides.
 */
import { z } from 'zod';
import { accept, refuse } from '../../machines/errors.js';
import type { Result } from '../../machines/errors.js';
import type { ActorHost, ActorView } from '../../workers/actors/actor-host.js';
import type { SlotRepository } from '../../workers/catalog/catalog-store.js';
import type { RefundPolicy } from '../../workers/bookings/refund-policy.js';
import { DEFAULT_REFUND_POLICY, refundFor } from '../../workers/bookings/refund-policy.js';
import type { Principal } from '../auth/tokens.js';
import { ownerOf } from '../policy/role-policy.js';
import { subjectOf } from '../rooms.js';
import type { ApiRequest, ApiRoute } from './api-router.js';
import { readJson } from './api-router.js';

/** What the cancel route needs. */
export interface CancelRouteDeps {
  authenticate: (req: ApiRequest) => Promise<Result<Principal>>;
  host: Pick<ActorHost, 'read' | 'send'>;
  /** Slot start times (the catalog store's slots). */
  slots: Pick<SlotRepository, 'get'>;
  /** The venue's policy; the defaults (48 h full, 24 h half, later nothing) when not given. */
  policy?: RefundPolicy | undefined;
  clock: () => number;
}

/** `unpaid`: nothing was captured, so nothing goes back. */
export type CancelRule = 'full' | 'partial' | 'none' | 'unpaid';

/** What the visitor is told. */
export interface CancelAnswer {
  state: string;
  refundAmount: number;
  rule: CancelRule;
}

const CancelBody = z.strictObject({ reason: z.string().trim().max(500).optional() });

interface Paid {
  slotId: string;
  capturedAmount: number;
  refundRequestedAmount: number;
}

function paidFacts(view: ActorView): Paid {
  const context = view.context as Partial<Paid>;
  return { slotId: context.slotId ?? '', capturedAmount: context.capturedAmount ?? 0, refundRequestedAmount: context.refundRequestedAmount ?? 0 };
}

/** The answer for a booking that was already cancelled (a repeated click): told from what it recorded. */
function answerOf(view: ActorView): CancelAnswer {
  const { capturedAmount, refundRequestedAmount } = paidFacts(view);
  const rule: CancelRule = capturedAmount === 0 ? 'unpaid' : refundRequestedAmount >= capturedAmount ? 'full' : refundRequestedAmount > 0 ? 'partial' : 'none';
  return { state: view.state, refundAmount: refundRequestedAmount, rule };
}

/** The cancel routes: the terms shown before confirming, and the cancellation itself. */
export function cancelRoutes(deps: CancelRouteDeps): ApiRoute[] {
  /** The caller's booking, or the same refusal for an unknown one and someone else's (ids are not probed). */
  async function ownBooking(req: ApiRequest, bookingId: string): Promise<Result<{ who: Principal; booking: ActorView }>> {
    const who = await deps.authenticate(req);
    if (!who.ok) return who;
    const booking = await deps.host.read('booking', bookingId);
    if (!booking.ok || who.data.kind !== 'person' || ownerOf(booking.data) !== who.data.userId) {
      return refuse('actor.not_found', `no booking ${bookingId} of yours`);
    }
    return accept({ who: who.data, booking: booking.data });
  }

  /** What the policy gives back for cancelling `booking` at `now`. */
  async function decide(booking: ActorView, now: number): Promise<Result<{ amount: number; rule: CancelRule }>> {
    if (booking.state !== 'confirmed') return accept({ amount: 0, rule: 'unpaid' });
    const paid = paidFacts(booking);
    const slot = await deps.slots.get(paid.slotId);
    if (!slot) return refuse('slot.not_found', `the slot of booking ${booking.id} is not in the catalog; ask the venue to cancel it`);
    return accept(refundFor({ capturedAmount: paid.capturedAmount, alreadyRequested: paid.refundRequestedAmount, slotStartsAt: slot.startsAt, now, policy: deps.policy ?? DEFAULT_REFUND_POLICY }));
  }

  return [
    {
      method: 'GET',
      pattern: '/api/bookings/:id/cancellation',
      handler: async (req): Promise<Result<CancelAnswer>> => {
        const own = await ownBooking(req, req.params['id'] ?? '');
        if (!own.ok) return own;
        const { booking } = own.data;
        if (booking.state === 'cancelled' || booking.state === 'refunded') return accept(answerOf(booking));
        if (!booking.tags.includes('cancellable')) return refuse('event.rejected', `a booking in ${booking.state} cannot be cancelled`);
        const decided = await decide(booking, deps.clock());
        return decided.ok ? accept({ state: booking.state, refundAmount: decided.data.amount, rule: decided.data.rule }) : decided;
      },
    },
    {
      method: 'POST',
      pattern: '/api/bookings/:id/cancel',
      handler: async (req): Promise<Result<CancelAnswer>> => {
        const bookingId = req.params['id'] ?? '';
        const own = await ownBooking(req, bookingId);
        if (!own.ok) return own;
        const body = readJson(CancelBody, req);
        if (!body.ok) return body;
        const { who, booking } = own.data;
        if (booking.state === 'cancelled' || booking.state === 'refunded') return accept(answerOf(booking));

        const now = deps.clock();
        const reason = body.data.reason === undefined ? {} : { reason: body.data.reason };
        const meta = { who: subjectOf(who), eventId: `cancel:${bookingId}` };
        const decided = await decide(booking, now);
        if (!decided.ok) return decided;
        const event: Record<string, unknown> =
          booking.state === 'confirmed' ? { type: 'booking.cancel', ...reason, at: now, refundAmount: decided.data.amount } : { type: 'booking.cancel', ...reason, at: now };
        const sent = await deps.host.send('booking', bookingId, event, meta);
        if (!sent.ok) return sent;
        if (sent.data.duplicate) return accept(answerOf(sent.data));
        return accept({ state: sent.data.state, refundAmount: decided.data.amount, rule: decided.data.rule });
      },
    },
  ];
}

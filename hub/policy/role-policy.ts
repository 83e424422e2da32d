/**
 * Who may watch and do what, by role, actor kind and event type: the one place the hub decides.
 * Pure functions over the principal and, where ownership matters, the actor's current state.
 *
 *   watch booking      visitor: own (context.visitorId) · super/finance/booking/support admin: any
 *   feed dashboard     any admin role            feed reviews   booking_admin, super_admin
 *   feed kitchen       kitchen_staff, super_admin, kitchen_board devices (a board pinned to a station: that station's)
 *   feed zone:<z>      admins; gate devices whose scope.zone is <z>
 *   feed lockers[:<z>] super, booking and support admins; locker devices: lockers:<their scope.zone> only
 *   list:page lockers  super, booking and support admins; locker devices: filtered to their scope.zone
 *   feed rentals       super, booking and support admins; rental desk devices
 *   feed food_orders:<v>  visitor v (their own); kitchen staff, super_admin
 *   booking.submit     visitor, own booking      booking.cancel visitor, own, without refund
 *   booking.approve    booking_admin, super_admin (privileged; adminId = the caller)
 *   booking.reject     booking_admin, super_admin (privileged; adminId = the caller)
 *   payment.*, check-in/out   never from a socket (payment gateway and gates)
 *   booking:hold       visitor (for themselves)  admin:revoke   super_admin (privileged)
 *   gate:scan          gate devices bound to a gate (scope.gateId)
 *   gate:offline_bundle / gate:sync   gate devices bound to a gate (the bundle names today's visitors)
 *   rental:pickup/return   rental desk devices; super, booking and support admins
 *   menu:subscribe     anyone, a signed-out visitor's guest session too; counts (occupancy, places,
 *                      equipment): everyone but a guest session
 *
 * Privileged decisions are audited when allowed; every denial is audited by the caller. The roles
 * behind each decision are rows of the one policy table (`policy-table.ts`); the functions here add
 * the rules a row cannot say alone (a gate's bound zone and gate, refunds over sockets, forced filters).
 */
import type { FeedName, ListName } from '../../machines/contract/wire.js';
import type { Principal } from '../auth/tokens.js';
import { decide, roleOf } from './policy-table.js';
import type { Allowed, Decision, Denied, PolicyAction } from './policy-table.js';

export { roleOf } from './policy-table.js';
export type { Allowed, Decision, Denied } from './policy-table.js';

/** An actor command event as it will be sent to the host (the policy may rewrite fields). */
export type CommandEvent = { type: string } & Record<string, unknown>;

/** A decision on a command, with the event to send when allowed. */
export type CommandDecision = (Allowed & { event: CommandEvent }) | Denied;

/** What the policy reads of an actor: its state as the host reports it. */
export interface ActorFacts {
  context: unknown;
}

const NOT_FROM_SOCKETS = /^(payment\.|booking\.check_(in|out)$)/;

const deny = (message: string): Denied => ({ allowed: false, code: 'auth.forbidden', message });

/** The visitor a booking belongs to, read defensively from the actor's context. */
export function ownerOf(actor: ActorFacts | null): string | undefined {
  const context = actor?.context;
  if (typeof context !== 'object' || context === null || !('visitorId' in context)) return undefined;
  return typeof context.visitorId === 'string' ? context.visitorId : undefined;
}

/**
 * May the principal watch this actor? `actor` is null when it does not exist; a visitor gets the
 * same refusal for "not yours" and "does not exist", so ids cannot be probed.
 */
export function mayWatchActor(principal: Principal, kind: string, actor: ActorFacts | null): Decision {
  if (kind === 'food_order') return decide(principal, 'food.watch', { ownerId: ownerOf(actor) });
  if (kind !== 'booking') return principal.kind === 'person' && principal.role === 'super_admin' ? { allowed: true, privileged: false } : deny(`${roleOf(principal)} may not watch ${kind} actors`);
  return decide(principal, 'booking.watch', { ownerId: ownerOf(actor) });
}

/** May the principal watch this feed (and zone)? A gate or a locker device watches the zone it is bound to only. */
export function mayWatchFeed(principal: Principal, feed: FeedName, zone: string | undefined): Decision {
  const decision = decide(principal, `feed.${feed}`);
  if (decision.allowed && feed === 'zone' && principal.kind === 'device' && (zone === undefined || principal.scope.zone !== zone)) {
    return deny('a gate watches the feed of its own zone only');
  }
  if (decision.allowed && feed === 'lockers' && principal.kind === 'device' && (zone === undefined || principal.scope.zone !== zone)) {
    return deny("a locker device watches its own zone's lockers only");
  }
  if (decision.allowed && feed === 'kitchen' && principal.kind === 'device' && principal.scope.station !== undefined && zone !== principal.scope.station) {
    return deny(`this kitchen board shows station ${principal.scope.station} only`);
  }
  if (decision.allowed && feed === 'food_orders' && principal.kind === 'person' && principal.role === 'visitor' && zone !== principal.userId) {
    return deny('a visitor follows their own food orders only (zone: your user id)');
  }
  return decision;
}

/** May the principal send this event to this actor? Approvals and rejections name the caller as admin. */
export function mayCommand(principal: Principal, kind: string, event: CommandEvent, actor: ActorFacts | null): CommandDecision {
  if (principal.kind === 'device') return deny(`devices send no actor commands over sockets`);
  if (NOT_FROM_SOCKETS.test(event.type)) return deny(`${event.type} comes from the payment gateway or a gate, not from a socket`);
  if (kind !== 'booking') return deny(`${principal.role} may not command ${kind} actors`);
  const facts = { ownerId: ownerOf(actor) };
  switch (event.type) {
    case 'booking.submit':
      return withEvent(decide(principal, 'booking.submit', facts), event);
    case 'booking.cancel': {
      const refund = event['refundAmount'];
      if (refund !== undefined && refund !== 0) return deny('a cancellation with a refund goes through POST /api/bookings/:id/cancel or a finance admin');
      return withEvent(decide(principal, 'booking.cancel', facts), event);
    }
    case 'booking.approve':
    case 'booking.reject':
      return withEvent(decide(principal, event.type, facts), { ...event, adminId: principal.userId });
    default:
      return deny(`${principal.role} may not send ${event.type}`);
  }
}

function withEvent(decision: Decision, event: CommandEvent): CommandDecision {
  return decision.allowed ? { ...decision, event } : decision;
}

/** May the principal hold places (start a booking)? Only visitors, and only for themselves. */
export function mayHold(principal: Principal): Decision {
  return decide(principal, 'booking.hold');
}

/** May the principal revoke sessions? Only super admins. */
export function mayRevoke(principal: Principal): Decision {
  return decide(principal, 'session.revoke');
}

/** A gate device's action, which also needs the device bound to a gate. */
function boundGate(principal: Principal, action: PolicyAction): Decision {
  const decision = decide(principal, action);
  if (!decision.allowed || principal.kind !== 'device') return decision;
  return principal.scope.gateId === undefined ? deny('this gate device is not bound to a gate') : decision;
}

/** May the principal scan tickets? Only gate devices whose token binds them to a gate. */
export function mayScan(principal: Principal): Decision {
  return boundGate(principal, 'gate.scan');
}

/** May the principal download an offline bundle and upload offline scans? Gate devices bound to a gate. */
export function mayWorkOffline(principal: Principal): Decision {
  return boundGate(principal, 'gate.offline');
}

/** May the principal hand out and take back rental equipment? Rental desk devices and front-desk staff. */
export function mayRent(principal: Principal): Decision {
  return decide(principal, 'equipment.rent');
}

/** May the principal watch counts (occupancy, places left, equipment)? Everyone with an account or a device; not a guest session. */
export function mayWatchCounts(principal: Principal): Decision {
  return decide(principal, 'occupancy.watch');
}

/** May the principal open or hand out lockers? Locker bank devices and front-desk staff. */
export function mayLocker(principal: Principal): Decision {
  return decide(principal, 'locker.use');
}

/** A decision on a list page, with the filters the caller is held to (a visitor: their own bookings). */
export type ListDecision = (Allowed & { filters: Record<string, string> }) | Denied;

/** May the principal page through this list? */
export function mayList(principal: Principal, list: ListName): ListDecision {
  const decision = decide(principal, `list.${list}`);
  if (!decision.allowed) return decision;
  if (principal.kind === 'device') {
    // A locker device pages through its own zone's lockers only (the rest of its feed's snapshot).
    if (list !== 'lockers' || principal.scope.zone === undefined) return deny('a locker device lists the lockers of its own zone only');
    return { ...decision, filters: { zone: principal.scope.zone } };
  }
  // `self`: a visitor lists only their own bookings.
  const filters: Record<string, string> = principal.role === 'visitor' ? { visitorId: principal.userId } : {};
  return { ...decision, filters };
}

/** May the principal acknowledge or resolve staff alerts? Any admin (audited). */
export function mayHandleAlert(principal: Principal, action: 'alert.acknowledge' | 'alert.resolve' = 'alert.acknowledge'): Decision {
  return decide(principal, action);
}

/** May the principal link wristbands to tickets? Gates (activation at check-in) and front-desk staff. */
export function mayLinkBand(principal: Principal): Decision {
  return decide(principal, 'band.link');
}

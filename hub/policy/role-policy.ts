/**
 * Who may watch and do what, by role, actor kind and event type: the one place the hub decides.
 * Pure functions over the principal and, where ownership matters, the actor's current state.
 *
 *   watch booking      visitor: own (context.visitorId) · super/finance/booking/support admin: any
 *   feed dashboard     any admin role            feed reviews   booking_admin, super_admin
 *   feed kitchen       kitchen_staff, super_admin, kitchen_board devices
 *   feed zone:<z>      admins; gate devices whose scope.zone is <z>
 *   booking.submit     visitor, own booking      booking.cancel visitor, own, without refund
 *   booking.approve    booking_admin, super_admin (privileged; adminId = the caller)
 *   booking.reject     booking_admin, super_admin (privileged; adminId = the caller)
 *   payment.*, check-in/out   never from a socket (payment gateway and gates)
 *   booking:hold       visitor (for themselves)  admin:revoke   super_admin (privileged)
 *   gate:scan          gate devices bound to a gate (scope.gateId)
 *   gate:offline_bundle / gate:sync   gate devices bound to a gate (the bundle names today's visitors)
 *   rental:pickup/return   rental desk devices; super, booking and support admins
 *
 * Privileged decisions are audited when allowed; every denial is audited by the caller.
 */
import type { FeedName, ListName, PersonRole } from '../../machines/contract/wire.js';
import type { Principal } from '../auth/tokens.js';

/** A refusal by policy. */
export interface Denied {
  allowed: false;
  code: 'auth.forbidden';
  message: string;
}

/** Allowed; `privileged` actions leave an audit row. */
export interface Allowed {
  allowed: true;
  privileged: boolean;
}

/** A policy decision. */
export type Decision = Allowed | Denied;

/** An actor command event as it will be sent to the host (the policy may rewrite fields). */
export type CommandEvent = { type: string } & Record<string, unknown>;

/** A decision on a command, with the event to send when allowed. */
export type CommandDecision = (Allowed & { event: CommandEvent }) | Denied;

/** What the policy reads of an actor: its state as the host reports it. */
export interface ActorFacts {
  context: unknown;
}

const ADMINS: ReadonlySet<PersonRole> = new Set(['super_admin', 'finance_admin', 'booking_admin', 'support_admin']);
const REVIEWERS: ReadonlySet<PersonRole> = new Set(['super_admin', 'booking_admin']);
const KITCHEN: ReadonlySet<PersonRole> = new Set(['super_admin', 'kitchen_staff']);
const SUPER: ReadonlySet<PersonRole> = new Set(['super_admin']);
const RENTAL_STAFF: ReadonlySet<PersonRole> = new Set(['super_admin', 'booking_admin', 'support_admin']);
const NOT_FROM_SOCKETS = /^(payment\.|booking\.check_(in|out)$)/;

const allow = (privileged = false): Allowed => ({ allowed: true, privileged });
const deny = (message: string): Denied => ({ allowed: false, code: 'auth.forbidden', message });

/** The role a principal acts as, for messages and audit rows (`visitor`, `device:gate`, …). */
export function roleOf(principal: Principal): string {
  return principal.kind === 'person' ? principal.role : `device:${principal.deviceKind}`;
}

/** The visitor a booking belongs to, read defensively from the actor's context. */
export function ownerOf(actor: ActorFacts | null): string | undefined {
  const context = actor?.context;
  if (typeof context !== 'object' || context === null || !('visitorId' in context)) return undefined;
  return typeof context.visitorId === 'string' ? context.visitorId : undefined;
}

function hasRole(principal: Principal, roles: ReadonlySet<PersonRole>): boolean {
  return principal.kind === 'person' && roles.has(principal.role);
}

function isOwner(principal: Principal, actor: ActorFacts | null): boolean {
  return principal.kind === 'person' && principal.role === 'visitor' && ownerOf(actor) === principal.userId;
}

/**
 * May the principal watch this actor? `actor` is null when it does not exist; a visitor gets the
 * same refusal for "not yours" and "does not exist", so ids cannot be probed.
 */
export function mayWatchActor(principal: Principal, kind: string, actor: ActorFacts | null): Decision {
  if (kind !== 'booking') return hasRole(principal, SUPER) ? allow() : deny(`${roleOf(principal)} may not watch ${kind} actors`);
  if (hasRole(principal, ADMINS) || isOwner(principal, actor)) return allow();
  return deny(`${roleOf(principal)} may only watch their own bookings`);
}

/** May the principal watch this feed (and zone)? */
export function mayWatchFeed(principal: Principal, feed: FeedName, zone: string | undefined): Decision {
  switch (feed) {
    case 'dashboard':
      return hasRole(principal, ADMINS) ? allow() : deny('the dashboard feed is for admins');
    case 'reviews':
      return hasRole(principal, REVIEWERS) ? allow() : deny('the reviews feed is for booking admins');
    case 'kitchen':
      if (hasRole(principal, KITCHEN)) return allow();
      return principal.kind === 'device' && principal.deviceKind === 'kitchen_board' ? allow() : deny('the kitchen feed is for kitchen staff and boards');
    case 'zone':
      if (hasRole(principal, ADMINS)) return allow();
      if (principal.kind === 'device' && principal.deviceKind === 'gate' && zone !== undefined && principal.scope.zone === zone) return allow();
      return deny('a zone feed is for admins and the gates of that zone');
  }
}

/** May the principal send this event to this actor? Approvals and rejections name the caller as admin. */
export function mayCommand(principal: Principal, kind: string, event: CommandEvent, actor: ActorFacts | null): CommandDecision {
  if (principal.kind === 'device') return deny(`devices send no actor commands over sockets`);
  if (NOT_FROM_SOCKETS.test(event.type)) return deny(`${event.type} comes from the payment gateway or a gate, not from a socket`);
  if (kind !== 'booking') return deny(`${principal.role} may not command ${kind} actors`);
  switch (event.type) {
    case 'booking.submit':
      return isOwner(principal, actor) ? { ...allow(), event } : deny('only the visitor who holds a booking may submit it');
    case 'booking.cancel': {
      if (!isOwner(principal, actor)) return deny('only the visitor who holds a booking may cancel it');
      const refund = event['refundAmount'];
      return refund === undefined || refund === 0 ? { ...allow(), event } : deny('a cancellation with a refund needs a finance admin');
    }
    case 'booking.approve':
    case 'booking.reject':
      if (!hasRole(principal, REVIEWERS)) return deny(`${principal.role} may not review bookings`);
      return { ...allow(true), event: { ...event, adminId: principal.userId } };
    default:
      return deny(`${principal.role} may not send ${event.type}`);
  }
}

/** May the principal hold places (start a booking)? Only visitors, and only for themselves. */
export function mayHold(principal: Principal): Decision {
  return principal.kind === 'person' && principal.role === 'visitor' ? allow() : deny('only visitors hold places');
}

/** May the principal revoke sessions? Only super admins. */
export function mayRevoke(principal: Principal): Decision {
  return hasRole(principal, SUPER) ? allow(true) : deny('only a super admin may revoke sessions');
}

/** May the principal scan tickets? Only gate devices whose token binds them to a gate. */
export function mayScan(principal: Principal): Decision {
  if (principal.kind !== 'device' || principal.deviceKind !== 'gate') return deny('only gate devices scan tickets');
  return principal.scope.gateId === undefined ? deny('this gate device is not bound to a gate') : allow();
}

/** May the principal download an offline bundle and upload offline scans? Gate devices bound to a gate. */
export function mayWorkOffline(principal: Principal): Decision {
  if (principal.kind !== 'device' || principal.deviceKind !== 'gate') return deny('only gate devices work offline');
  return principal.scope.gateId === undefined ? deny('this gate device is not bound to a gate') : allow();
}

/** May the principal hand out and take back rental equipment? Rental desk devices and front-desk staff. */
export function mayRent(principal: Principal): Decision {
  if (principal.kind === 'device') return principal.deviceKind === 'rental_desk' ? allow() : deny('only rental desk devices hand out equipment');
  return hasRole(principal, RENTAL_STAFF) ? allow() : deny(`${principal.role} may not hand out or take back equipment`);
}

/** May the principal open or hand out lockers? Locker bank devices and front-desk staff. */
export function mayLocker(principal: Principal): Decision {
  if (principal.kind === 'device') return principal.deviceKind === 'locker' ? allow() : deny('only locker devices open lockers');
  return hasRole(principal, RENTAL_STAFF) ? allow() : deny(`${principal.role} may not open or hand out lockers`);
}

/** Who may page through each list; visitors see their own bookings only. */
const LIST_READERS: Record<ListName, ReadonlySet<PersonRole>> = {
  bookings: ADMINS,
  payments: new Set(['super_admin', 'finance_admin']),
  tickets: ADMINS,
  lockers: RENTAL_STAFF,
  equipment: RENTAL_STAFF,
  alerts: ADMINS,
};

/** A decision on a list page, with the filters the caller is held to (a visitor: their own bookings). */
export type ListDecision = (Allowed & { filters: Record<string, string> }) | Denied;

/** May the principal page through this list? */
export function mayList(principal: Principal, list: ListName): ListDecision {
  if (hasRole(principal, LIST_READERS[list])) return { ...allow(), filters: {} };
  if (list === 'bookings' && principal.kind === 'person' && principal.role === 'visitor') return { ...allow(), filters: { visitorId: principal.userId } };
  return deny(`${roleOf(principal)} may not list ${list}`);
}

/** May the principal acknowledge and resolve staff alerts? Any admin (audited). */
export function mayHandleAlert(principal: Principal): Decision {
  return hasRole(principal, ADMINS) ? allow(true) : deny('alerts are handled by admins');
}

/** May the principal link wristbands to tickets? Gates (activation at check-in) and front-desk staff. */
export function mayLinkBand(principal: Principal): Decision {
  if (principal.kind === 'device') return principal.deviceKind === 'gate' ? allow() : deny('only gate devices activate wristbands');
  return hasRole(principal, RENTAL_STAFF) ? allow() : deny(`${principal.role} may not link wristbands`);
}

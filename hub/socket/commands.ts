/**
 * Commands from sockets: actor commands, booking holds and session revocation. Each one is
 * authorised against the role policy, audited when privileged or denied, then run.
 *
 *   actor:command ─▶ read ─▶ policy(role, kind, event, owner) ─▶ audit (privileged) ─▶ host.send ─▶ ack state
 *                    eventId = cmd:<userId>:<commandId>, so a retried command answers the same
 *   booking:hold  ─▶ visitor only; visitorId = the caller ─▶ may book (verified, not suspended)
 *                    ─▶ catalog prices the items (unit prices, approval rule) and the food ─▶ bookings.hold
 *                    ─▶ the food pre-order `<bookingId>-food` (placed; paid with the booking) ─▶ ack state
 *   admin:revoke  ─▶ super_admin ─▶ audit ─▶ revocation list ─▶ endSessions (session:ended to the
 *                    subject's room, then disconnectSockets through the adapter: every node)
 */
import { FOOD_PREORDER_ADDON } from '../../machines/booking.schemas.js';
import type { ActorState, AdminRevoked } from '../../machines/contract/wire.js';
import { accept, refuse } from '../../machines/errors.js';
import type { Result } from '../../machines/errors.js';
import type { AccountService } from '../../workers/accounts/account-service.js';
import type { ActorHost } from '../../workers/actors/actor-host.js';
import type { BookingService } from '../../workers/bookings/booking-service.js';
import type { CatalogService } from '../../workers/catalog/catalog-service.js';
import type { DeviceRecords } from '../../workers/devices/device-records.js';
import type { Logger } from '../../workers/logger.js';
import type { RevocationList } from '../../workers/store/actor-store.js';
import type { Principal } from '../auth/tokens.js';
import type { HubMetrics } from '../metrics.js';
import type { AuditTrail } from '../policy/audit-trail.js';
import { mayCommand, mayHold, mayRevoke, ownerOf } from '../policy/role-policy.js';
import { subjectOf } from '../rooms.js';
import { endSessions } from './end-sessions.js';
import { route } from './inbound.js';
import type { Route } from './inbound.js';
import type { HubIo } from './types.js';

/** What the command handlers need. */
export interface CommandDeps {
  host: Pick<ActorHost, 'read' | 'send'>;
  bookings: Pick<BookingService, 'hold'>;
  /** Who may book: verified and not suspended. */
  accounts: Pick<AccountService, 'assertCanBook'>;
  /** Prices holds: the client names ticket types and quantities, never prices. */
  catalog: Pick<CatalogService, 'priceHold'>;
  revocations: Pick<RevocationList, 'revoke'>;
  /** Places a hold's food pre-order (the food module); absent where no food is sold (a hold with food is refused). */
  preOrders?: PreOrders | undefined;
  trail: AuditTrail;
  io: HubIo;
  metrics: HubMetrics;
  clock: () => number;
  log: Logger;
  /** The devices' records (the devices module): a revoked device is marked revoked there. */
  devices?: Pick<DeviceRecords, 'revoked'>;
}

/** Places a booking's food pre-order, priced for the slot that starts at `startsAt`. */
export interface PreOrders {
  place(visitorId: string, bookingId: string, food: unknown, startsAt: number): Promise<Result<unknown>>;
}

const AUDIT_UNAVAILABLE = 'the audit trail cannot be written right now, so this privileged action was not run; retry shortly';

/** The host event id of a client command: retries with the same commandId are deduplicated. */
export function commandEventId(principal: Principal, commandId: string): string {
  return `cmd:${principal.kind === 'person' ? principal.userId : subjectOf(principal)}:${commandId}`;
}

/** The routes of `actor:command`, `booking:hold` and `admin:revoke`. */
export function commandRoutes(deps: CommandDeps): { 'actor:command': Route; 'booking:hold': Route; 'admin:revoke': Route } {
  return {
    'actor:command': route('actor:command', async ({ principal }, cmd): Promise<Result<ActorState>> => {
      const target = `${cmd.kind}/${cmd.id}`;
      const current = await deps.host.read(cmd.kind, cmd.id);
      const decision = mayCommand(principal, cmd.kind, cmd.event, current.ok ? current.data : null);
      const detail = cmd.commandId === undefined ? undefined : { commandId: cmd.commandId };
      if (!decision.allowed) return deps.trail.deny(principal, cmd.event.type, target, decision, detail);
      if (decision.privileged && !(await deps.trail.allow(principal, cmd.event.type, target, detail))) {
        return refuse('store.unavailable', AUDIT_UNAVAILABLE);
      }
      const eventId = cmd.commandId === undefined ? null : commandEventId(principal, cmd.commandId);
      const result = await deps.host.send(cmd.kind, cmd.id, decision.event, { who: subjectOf(principal), eventId });
      if (!result.ok && decision.privileged) await deps.trail.failed(principal, cmd.event.type, target, result);
      return result;
    }),

    'booking:hold': route('booking:hold', async ({ principal }, hold): Promise<Result<ActorState>> => {
      const target = `booking/${hold.bookingId}`;
      const decision = mayHold(principal);
      if (!decision.allowed) return deps.trail.deny(principal, 'booking.hold', target, decision);
      if (principal.kind !== 'person') return refuse('auth.forbidden', 'only visitors hold places');
      const notYours = { allowed: false as const, code: 'auth.forbidden' as const, message: `booking ${hold.bookingId} belongs to someone else` };
      // A hold with another visitor's booking id would otherwise answer with their booking.
      const existing = await deps.host.read('booking', hold.bookingId);
      if (existing.ok && ownerOf(existing.data) !== principal.userId) return deps.trail.deny(principal, 'booking.hold', target, notYours);
      const mayBook = await deps.accounts.assertCanBook(principal.userId);
      if (!mayBook.ok) return mayBook;
      // Prices of tickets and add-ons come from the catalog, never from the client.
      const priced = await deps.catalog.priceHold({ slotId: hold.slotId, items: hold.items, addOns: hold.addOns ?? [], ...(hold.food === undefined ? {} : { food: hold.food }) });
      if (!priced.ok) return priced;
      const { lines, requiresApproval, food } = priced.data;
      if (food !== undefined && deps.preOrders === undefined) return refuse('menu.unavailable', 'this hub node takes no food orders');
      // The pre-order rides on the booking as one add-on at its total: one payment covers both.
      const addOns = [...priced.data.addOns, ...(food === undefined ? [] : [{ addOnId: FOOD_PREORDER_ADDON, kind: 'food' as const, qty: 1, unitPrice: food.total }])];
      const request = {
        bookingId: hold.bookingId,
        visitorId: principal.userId,
        slotId: hold.slotId,
        lines,
        requiresApproval,
        holder: mayBook.data,
        ...(addOns.length === 0 ? {} : { addOns: addOns.map(({ addOnId, kind, qty, unitPrice }) => ({ addOnId, kind, qty, unitPrice })) }),
      };
      const result = await deps.bookings.hold(request, subjectOf(principal));
      if (result.ok && ownerOf(result.data) !== principal.userId) return deps.trail.deny(principal, 'booking.hold', target, notYours);
      if (!result.ok || food === undefined || deps.preOrders === undefined) return result;
      const placed = await deps.preOrders.place(principal.userId, hold.bookingId, hold.food, priced.data.startsAt);
      if (placed.ok) return result;
      // The booking would charge for food nobody cooks: it does not stay.
      await deps.host.send('booking', hold.bookingId, { type: 'booking.cancel', at: deps.clock(), reason: 'the food pre-order could not be placed' }, { who: subjectOf(principal) });
      return placed;
    }),

    'admin:revoke': route('admin:revoke', async ({ principal }, { subject, reason }): Promise<Result<AdminRevoked>> => {
      const decision = mayRevoke(principal);
      if (!decision.allowed) return deps.trail.deny(principal, 'session.revoke', subject, decision);
      if (!(await deps.trail.allow(principal, 'session.revoke', subject, { reason }))) return refuse('store.unavailable', AUDIT_UNAVAILABLE);
      const now = deps.clock();
      // Tokens carry iat in whole seconds; every token issued up to this second is cut off.
      const revokedBefore = Math.floor(now / 1000);
      await deps.revocations.revoke(subject, revokedBefore, reason, subjectOf(principal), now);
      endSessions(deps.io, subject, deps.metrics);
      deps.log.info('sessions revoked', { subject, by: subjectOf(principal) });
      if (subject.startsWith('device:')) {
        const recorded = await deps.devices?.revoked(subject.slice('device:'.length), subjectOf(principal), reason);
        if (recorded && !recorded.ok) deps.log.warn('device revoked but not marked in the devices list', { subject, code: recorded.code, message: recorded.message });
      }
      return accept({ subject, revokedBefore });
    }),
  };
}

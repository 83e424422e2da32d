/**
 * Lists and alerts over sockets: a page of a read model, and staff handling an alert.
 *
 *   list:page {list, filters?, text?, after?, limit?} ─▶ mayList (a visitor: own bookings only)
 *                                                     ─▶ read model page ─▶ ack {list, rows, next?, cursor}
 *   alert:acknowledge {alertId} / alert:resolve {alertId, note?} ─▶ mayHandleAlert (admins, audited)
 *                                                     ─▶ alert actor ─▶ ack ActorState (the dashboard sees the change)
 */
import type { ActorState, ListPage } from '../../machines/contract/wire.js';
import { refuse } from '../../machines/errors.js';
import type { Result } from '../../machines/errors.js';
import type { AlertService } from '../../workers/alerts/alert-service.js';
import type { Feeds } from '../../workers/projections/feeds.js';
import type { AuditTrail } from '../policy/audit-trail.js';
import { mayHandleAlert, mayList } from '../policy/role-policy.js';
import { subjectOf } from '../rooms.js';
import { route } from './inbound.js';
import type { Route } from './inbound.js';

/** What the read routes need. */
export interface ReadRouteDeps {
  /** Absent when the node runs no read side: lists are then refused. */
  feeds: Pick<Feeds, 'list'> | undefined;
  alerts: Pick<AlertService, 'acknowledge' | 'resolve'>;
  trail: AuditTrail;
}

const AUDIT_UNAVAILABLE = 'the audit trail cannot be written right now, so this was not done; retry shortly';

/** The routes of `list:page`, `alert:acknowledge` and `alert:resolve`. */
export function readRoutes(deps: ReadRouteDeps): { 'list:page': Route; 'alert:acknowledge': Route; 'alert:resolve': Route } {
  return {
    'list:page': route('list:page', async ({ principal }, request): Promise<Result<ListPage>> => {
      const decision = mayList(principal, request.list);
      if (!decision.allowed) return deps.trail.deny(principal, 'list.read', request.list, decision);
      if (!deps.feeds) return refuse('internal', 'this hub node keeps no read models');
      return deps.feeds.list({ ...request, filters: { ...request.filters, ...decision.filters } });
    }),

    'alert:acknowledge': route('alert:acknowledge', async ({ principal }, { alertId }): Promise<Result<ActorState>> => {
      const decision = mayHandleAlert(principal, 'alert.resolve');
      const target = `alert/${alertId}`;
      if (!decision.allowed) return deps.trail.deny(principal, 'alert.acknowledge', target, decision);
      if (!(await deps.trail.allow(principal, 'alert.acknowledge', target))) return refuse('store.unavailable', AUDIT_UNAVAILABLE);
      return deps.alerts.acknowledge(alertId, subjectOf(principal));
    }),

    'alert:resolve': route('alert:resolve', async ({ principal }, { alertId, note }): Promise<Result<ActorState>> => {
      const decision = mayHandleAlert(principal);
      const target = `alert/${alertId}`;
      if (!decision.allowed) return deps.trail.deny(principal, 'alert.resolve', target, decision);
      if (!(await deps.trail.allow(principal, 'alert.resolve', target, note === undefined ? undefined : { note }))) return refuse('store.unavailable', AUDIT_UNAVAILABLE);
      return deps.alerts.resolve(alertId, subjectOf(principal), note);
    }),
  };
}

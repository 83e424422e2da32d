/**
 * Lists and alerts over HTTP, with the same policy, answers and audit rows as their socket events
 * (`list:page`, `alert:acknowledge`, `alert:resolve`).
 *
 *   GET  /api/lists/:list?<field>=<value>&q=&after=&limit=   a page: {list, rows, next?, cursor}
 *   POST /api/admin/alerts/:id/acknowledge                   admins (audited)   the alert's ActorState
 *   POST /api/admin/alerts/:id/resolve {note?}               admins (audited)
 */
import { z } from 'zod';
import { LIST_FIELDS, ListName, ListRequest } from '../../machines/contract/wire.js';
import { refuse } from '../../machines/errors.js';
import type { Result } from '../../machines/errors.js';
import type { AlertService } from '../../workers/alerts/alert-service.js';
import type { Feeds } from '../../workers/projections/feeds.js';
import type { Principal } from '../auth/tokens.js';
import type { AuditTrail } from '../policy/audit-trail.js';
import { mayHandleAlert, mayList } from '../policy/role-policy.js';
import { subjectOf } from '../rooms.js';
import type { ApiRequest, ApiRoute } from './api-router.js';
import { readJson } from './api-router.js';

/** What the list routes need. */
export interface ListRouteDeps {
  authenticate: (req: ApiRequest) => Promise<Result<Principal>>;
  feeds: Pick<Feeds, 'list'> | undefined;
  alerts: Pick<AlertService, 'acknowledge' | 'resolve'>;
  trail: AuditTrail;
}

const ResolveBody = z.strictObject({ note: z.string().min(1).max(500).optional() });

/** The query string of a list page, parsed like the socket payload (numbers stay strings unless a field is numeric). */
function listRequest(list: string | undefined, search: URLSearchParams): Result<ListRequest> {
  const name = ListName.safeParse(list);
  if (!name.success) return refuse('route.not_found', `no list ${list ?? ''}; use one of ${ListName.options.join(', ')}`);
  const fields: readonly string[] = LIST_FIELDS[name.data];
  const filters: Record<string, string | number> = {};
  const rest: Record<string, unknown> = { list: name.data };
  for (const [key, value] of search) {
    if (key === 'q') rest['text'] = value;
    else if (key === 'after') rest['after'] = value;
    else if (key === 'limit') rest['limit'] = Number(value);
    else if (fields.includes(key)) filters[key] = key === 'overdue' || key === 'unresolved' ? Number(value) : value;
    else return refuse('event.invalid', `${key}: the ${name.data} list is filtered by ${fields.join(', ')} (and q, after, limit)`);
  }
  const parsed = ListRequest.safeParse({ ...rest, ...(Object.keys(filters).length === 0 ? {} : { filters }) });
  if (!parsed.success) return refuse('event.invalid', parsed.error.issues.map((i) => `${i.path.join('.') || 'query'}: ${i.message}`).join('; '));
  return { ok: true, data: parsed.data };
}

/** The list and alert routes. */
export function listRoutes(deps: ListRouteDeps): ApiRoute[] {
  async function alertRoute(req: ApiRequest, action: 'alert.acknowledge' | 'alert.resolve') {
    const who = await deps.authenticate(req);
    if (!who.ok) return who;
    const alertId = req.params['id'] ?? '';
    const target = `alert/${alertId}`;
    const decision = mayHandleAlert(who.data, action);
    if (!decision.allowed) return deps.trail.deny(who.data, action, target, decision);
    const body = readJson(ResolveBody, req);
    if (!body.ok) return body;
    if (!(await deps.trail.allow(who.data, action, target, body.data.note === undefined ? undefined : { note: body.data.note }))) {
      return refuse('store.unavailable', 'the audit trail cannot be written right now, so this was not done; retry shortly');
    }
    return action === 'alert.acknowledge' ? deps.alerts.acknowledge(alertId, subjectOf(who.data)) : deps.alerts.resolve(alertId, subjectOf(who.data), body.data.note);
  }

  return [
    {
      method: 'GET',
      pattern: '/api/lists/:list',
      handler: async (req) => {
        const who = await deps.authenticate(req);
        if (!who.ok) return who;
        const request = listRequest(req.params['list'], req.search);
        if (!request.ok) return request;
        const decision = mayList(who.data, request.data.list);
        if (!decision.allowed) return deps.trail.deny(who.data, 'list.read', request.data.list, decision);
        if (!deps.feeds) return refuse('internal', 'this hub node keeps no read models');
        return deps.feeds.list({ ...request.data, filters: { ...request.data.filters, ...decision.filters } });
      },
    },
    { method: 'POST', pattern: '/api/admin/alerts/:id/acknowledge', handler: (req) => alertRoute(req, 'alert.acknowledge') },
    { method: 'POST', pattern: '/api/admin/alerts/:id/resolve', handler: (req) => alertRoute(req, 'alert.resolve') },
  ];
}

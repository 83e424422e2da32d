/**
 * Staff HTTP routes: catalog changes, role changes, suspension, and reading the audit trail. Each
 * route names the roles that may call it; a signed-in person without one is refused and the
 * attempt is audited here. Allowed calls go to the services, which repeat their own rules next to
 * the data and audit what they do (allowed, denied and failed).
 *
 *   POST  /api/admin/catalog/:kind             super_admin           catalog.create
 *   PATCH /api/admin/catalog/:kind/:id         super_admin           catalog.update
 *   GET   /api/admin/users?email= | ?phone=    super/support_admin   account.find      ─▶ the account of that verified address
 *   POST  /api/admin/users/:id/role            super_admin           account.set_role  ─▶ demotion ends sessions
 *   POST  /api/admin/users/:id/suspend         super/support_admin   account.suspend   ─▶ ends sessions
 *   POST  /api/admin/users/:id/reinstate       super/support_admin   account.reinstate
 *   POST  /api/admin/users/:id/unlock          super/support_admin   account.unlock    ─▶ clears the code lock and send limits
 *   GET   /api/admin/audit?limit=&who=&since=  super/finance_admin   (read)
 *   POST  /api/admin/devices                   super_admin           device.issue_token ─▶ a device token
 *
 * Support admins reach suspend / reinstate / unlock because the accounts service lets them act on
 * visitors (account support); it refuses them for staff accounts, and audits that refusal.
 */
import { z } from 'zod';
import { accept, refuse } from '../../machines/errors.js';
import type { Result } from '../../machines/errors.js';
import { RoleChange } from '../../workers/accounts/account-schemas.js';
import type { AccountService } from '../../workers/accounts/account-service.js';
import { accountView } from '../../workers/accounts/account-service.js';
import type { CatalogService } from '../../workers/catalog/catalog-service.js';
import { CATALOG_KINDS } from '../../workers/catalog/catalog-schemas.js';
import type { CatalogKind } from '../../workers/catalog/catalog-schemas.js';
import type { DeviceRecords } from '../../workers/devices/device-records.js';
import type { Logger } from '../../workers/logger.js';
import type { AuditLog } from '../../workers/store/actor-store.js';
import { DEVICE_KINDS, DeviceScope } from '../auth/tokens.js';
import type { PersonPrincipal, TokenService } from '../auth/tokens.js';
import { createAuditTrail } from '../policy/audit-trail.js';
import type { ApiRequest, ApiRoute } from './api-router.js';
import { readJson } from './api-router.js';
import type { HttpAuth } from './http-auth.js';
import { staffRoutes } from './http-auth.js';

/** What the admin routes need. */
export interface AdminRoutesDeps extends HttpAuth {
  /** Verifies callers, and signs device tokens for `POST /api/admin/devices`. */
  tokens: Pick<TokenService, 'verify' | 'issueDeviceToken'>;
  accounts: Pick<AccountService, 'setRole' | 'suspend' | 'reinstate' | 'unlock' | 'find'>;
  catalog: Pick<CatalogService, 'create' | 'update'>;
  /** The actor store's audit log: denials are appended, the audit route lists it. */
  audit: Pick<AuditLog, 'append' | 'list'>;
  /** Sends `session:ended` to every open socket of a subject (`user:<id>`) and disconnects them. */
  endSessions: (subject: string) => void;
  /** Epoch milliseconds; default Date.now. */
  clock?: () => number;
  log: Logger;
  /** The devices' records (the devices module): every minted token is recorded there. */
  devices?: Pick<DeviceRecords, 'issued'>;
}


const UserId = z.string().regex(/^[A-Za-z0-9_.:-]{1,128}$/, { error: 'a user id' });
const Kind = z.enum(Object.keys(CATALOG_KINDS) as [CatalogKind, ...CatalogKind[]]);
const Entity = z.record(z.string(), z.unknown(), { error: 'a JSON object of the entity fields' });
const Suspension = z.strictObject({ reason: z.string().trim().min(1).max(500) });
const DeviceRequest = z.strictObject({
  deviceId: z.string().regex(/^[A-Za-z0-9_.:-]{1,128}$/, { error: 'a device id (letters, digits and _ . : -)' }),
  deviceKind: z.enum(DEVICE_KINDS),
  scope: DeviceScope.default({}),
});
const AuditQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(500).default(100),
  who: z.string().regex(/^((user|device):[A-Za-z0-9_.:-]{1,128}|system)$/, { error: 'user:<id>, device:<id> or system' }).optional(),
  since: z.coerce.number().int().nonnegative().optional(),
});

/** The staff routes. */
export function adminRoutes(deps: AdminRoutesDeps): ApiRoute[] {
  const trail = createAuditTrail({ audit: deps.audit, clock: deps.clock ?? Date.now, log: deps.log });
  const auth: HttpAuth = { tokens: deps.tokens, revocations: deps.revocations };
  const actor = (p: PersonPrincipal) => ({ userId: p.userId, role: p.role });

  const staffRoute = staffRoutes(auth, trail);

  /** The catalog kind and the user id in the path, checked. */
  const kindOf = (req: ApiRequest): Result<CatalogKind> => {
    const kind = Kind.safeParse(req.params['kind']);
    return kind.success ? accept(kind.data) : refuse('route.not_found', `no catalog kind ${req.params['kind'] ?? ''}; use one of ${Kind.options.join(', ')}`);
  };
  const userOf = (req: ApiRequest): Result<string> => {
    const id = UserId.safeParse(req.params['id']);
    return id.success ? accept(id.data) : refuse('event.invalid', 'id: a user id (letters, digits and _ . : -)');
  };
  const accountTarget = (req: ApiRequest) => `account/${req.params['id'] ?? ''}`;

  return [
    staffRoute('POST', '/api/admin/catalog/:kind', (req) => ({ action: 'catalog.create', target: `${req.params['kind'] ?? ''}/new` }), async (by, req) => {
      const kind = kindOf(req);
      if (!kind.ok) return kind;
      const body = readJson(Entity, req);
      return body.ok ? deps.catalog.create(kind.data, body.data, actor(by)) : body;
    }, true),

    staffRoute('PATCH', '/api/admin/catalog/:kind/:id', (req) => ({ action: 'catalog.update', target: `${req.params['kind'] ?? ''}/${req.params['id'] ?? ''}` }), async (by, req) => {
      const kind = kindOf(req);
      if (!kind.ok) return kind;
      const body = readJson(Entity, req);
      return body.ok ? deps.catalog.update(kind.data, req.params['id'] ?? '', body.data, actor(by)) : body;
    }),

    staffRoute('POST', '/api/admin/users/:id/role', (req) => ({ action: 'account.set_role', target: accountTarget(req) }), async (by, req) => {
      const userId = userOf(req);
      const body = readJson(RoleChange, req);
      if (!userId.ok) return userId;
      if (!body.ok) return body;
      const changed = await deps.accounts.setRole(userId.data, body.data.role, actor(by));
      if (!changed.ok) return changed;
      // A demotion revoked the person's tokens: their open sockets go now, not at token expiry.
      if (changed.data.revoked !== null) deps.endSessions(changed.data.revoked.subject);
      return accept({ account: accountView(changed.data.user), revokedBefore: changed.data.revoked?.revokedBefore ?? null });
    }),

    staffRoute('POST', '/api/admin/users/:id/suspend', (req) => ({ action: 'account.suspend', target: accountTarget(req) }), async (by, req) => {
      const userId = userOf(req);
      const body = readJson(Suspension, req);
      if (!userId.ok) return userId;
      if (!body.ok) return body;
      const ended = await deps.accounts.suspend(userId.data, body.data.reason, actor(by));
      if (!ended.ok) return ended;
      deps.endSessions(ended.data.subject);
      return accept({ userId: ended.data.userId, status: 'suspended', revokedBefore: ended.data.revokedBefore });
    }),

    staffRoute('POST', '/api/admin/users/:id/reinstate', (req) => ({ action: 'account.reinstate', target: accountTarget(req) }), async (by, req) => {
      const userId = userOf(req);
      if (!userId.ok) return userId;
      const user = await deps.accounts.reinstate(userId.data, actor(by));
      return user.ok ? accept({ account: accountView(user.data) }) : user;
    }),

    staffRoute('POST', '/api/admin/users/:id/unlock', (req) => ({ action: 'account.unlock', target: accountTarget(req) }), async (by, req) => {
      const userId = userOf(req);
      return userId.ok ? deps.accounts.unlock(userId.data, actor(by)) : userId;
    }),

    staffRoute('GET', '/api/admin/users', () => ({ action: 'account.find', target: null }), async (_by, req) => {
      const email = req.search.get('email');
      const phone = req.search.get('phone');
      if ((email === null) === (phone === null)) return refuse('event.invalid', 'give exactly one of ?email= and ?phone=');
      const found = await deps.accounts.find(email === null ? { phone } : { email });
      return found.ok ? accept({ account: found.data }) : found;
    }),

    staffRoute('POST', '/api/admin/devices', () => ({ action: 'device.issue_token', target: null }), async (by, req) => {
      const body = readJson(DeviceRequest, req);
      if (!body.ok) return body;
      const { deviceId, deviceKind, scope } = body.data;
      const target = `device/${deviceId}`;
      if (!(await trail.allow(by, 'device.issue_token', target, { deviceKind, scope }))) {
        return refuse('store.unavailable', 'the audit trail could not be written; no token was issued');
      }
      const issued = await deps.tokens.issueDeviceToken({ deviceId, deviceKind, scope });
      const recorded = await deps.devices?.issued({ deviceId, deviceKind, scope, expiresAt: issued.expiresAt }, `user:${by.userId}`);
      if (recorded !== undefined && !recorded.ok) deps.log.warn('device token issued but not recorded in the devices list', { deviceId, code: recorded.code, message: recorded.message });
      return accept({ deviceId, token: issued.token, expiresAt: issued.expiresAt });
    }, true),

    staffRoute('GET', '/api/admin/audit', () => ({ action: 'audit.read', target: null }), async (_by, req) => {
      const query = AuditQuery.safeParse(Object.fromEntries(req.search));
      if (!query.success) return refuse('event.invalid', query.error.issues.map((i) => `${i.path.join('.') || 'query'}: ${i.message}`).join('; '));
      const { limit, who, since } = query.data;
      const entries = await deps.audit.list({ limit, ...(who === undefined ? {} : { who }), ...(since === undefined ? {} : { since }) });
      return accept({ entries });
    }),
  ];
}

/**
 * Who is calling an HTTP route: the bearer token is checked exactly as a socket handshake checks
 * it (`authenticate`: pinned algorithm, issuer, audience, typ, then the revocation cut-off), and
 * only people pass; staff routes then check the role and audit every refusal.
 *
 *   Authorization: Bearer <jwt> ─▶ authenticate ─▶ device or guest session? auth.wrong_type ─▶ PersonPrincipal
 *   staff route ─▶ personFrom ─▶ role in the route's set? ─no─▶ audit (denied) ─▶ auth.forbidden
 */
import type { PersonRole } from '../../machines/contract/wire.js';
import { refuse } from '../../machines/errors.js';
import type { Result } from '../../machines/errors.js';
import type { RevocationList } from '../../workers/store/actor-store.js';
import { authenticate } from '../auth/handshake.js';
import type { PersonPrincipal, TokenService } from '../auth/tokens.js';
import type { HttpRequestInfo } from '../http/routes.js';
import type { AuditTrail } from '../policy/audit-trail.js';
import { decide } from '../policy/policy-table.js';
import type { PolicyAction } from '../policy/policy-table.js';
import { bearerToken } from './api-router.js';
import type { ApiRequest, ApiRoute } from './api-router.js';

/** What authenticating a request needs: the token service and the revocation list. */
export interface HttpAuth {
  tokens: Pick<TokenService, 'verify'>;
  revocations: Pick<RevocationList, 'revokedBefore'>;
}

/** The person a request's bearer token names, or a coded refusal (`auth.*`, `store.unavailable`). */
export async function personFrom(req: Pick<HttpRequestInfo, 'headers'>, auth: HttpAuth): Promise<Result<PersonPrincipal>> {
  const token = bearerToken(req);
  if (token === undefined || token === '') return refuse('auth.missing', 'send an access token as Authorization: Bearer <token>');
  let result: Awaited<ReturnType<typeof authenticate>>;
  try {
    result = await authenticate(auth, token);
  } catch {
    return refuse('store.unavailable', 'cannot check the session right now; retry shortly');
  }
  if (!result.ok) return refuse(result.code, result.message);
  if (result.principal.kind !== 'person') return refuse('auth.wrong_type', 'device tokens cannot call this route; use a person access token');
  // A guest session follows public feeds over the socket only: an account's routes need a sign-in.
  if (result.principal.role === 'guest') return refuse('auth.wrong_type', 'a guest session cannot call this route; sign in');
  return { ok: true, data: result.principal };
}

/** Whether the person holds one of `roles`. */
export function hasRole(principal: PersonPrincipal, roles: readonly PersonRole[]): boolean {
  return roles.includes(principal.role);
}

/** A staff route's gate: the policy action (who may pass; the audit row's action) and its target. */
export interface StaffGate {
  /** The policy table's action, e.g. `catalog.create`. */
  action: PolicyAction;
  /** Audit target, e.g. `account/u_1`, or null. */
  target: string | null;
}

/**
 * Authenticates the request and decides the gate's action by the policy table. A signed-in person
 * the table refuses gets `auth.forbidden` and the attempt is written to the audit trail.
 */
export async function staffFrom(req: Pick<HttpRequestInfo, 'headers'>, auth: HttpAuth, trail: AuditTrail, gate: StaffGate): Promise<Result<PersonPrincipal>> {
  const person = await personFrom(req, auth);
  if (!person.ok) return person;
  const decision = decide(person.data, gate.action);
  return decision.allowed ? person : trail.deny(person.data, gate.action, gate.target, decision);
}

/**
 * Builds staff routes: each request is authenticated and gated (the gate is computed from the
 * request, so targets can name the path's ids) before `handle` runs.
 */
export function staffRoutes(auth: HttpAuth, trail: AuditTrail) {
  return (
    method: ApiRoute['method'],
    pattern: string,
    gate: (req: ApiRequest) => StaffGate,
    handle: (by: PersonPrincipal, req: ApiRequest) => Promise<Result<unknown>>,
    created = false,
  ): ApiRoute => ({
    method,
    pattern,
    created,
    handler: async (req) => {
      const by = await staffFrom(req, auth, trail, gate(req));
      return by.ok ? handle(by.data, req) : by;
    },
  });
}

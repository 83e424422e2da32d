/**
 * A test hub serving the account, catalog and admin routes, and a small JSON client for them that
 * speaks real HTTP (fetch), as a browser or app would.
 */
import type { Result } from '../../machines/errors.js';
import { devicesRuntime } from '../../workers/devices/devices.module.js';
import { silentLogger } from '../../workers/logger.js';
import type { TestHub, TestHubOptions } from '../hub.test-support.js';
import { startTestHub } from '../hub.test-support.js';
import type { SignedInAnswer } from './account-routes.js';
import { accountRoutes } from './account-routes.js';
import type { AddressRateOptions } from './address-rate-limit.js';
import { adminRoutes } from './admin-routes.js';
import { bookingAdminRoutes } from './booking-admin-routes.js';
import { floorAdminRoutes } from './floor-admin-routes.js';
import { permissionRoutes } from './permission-routes.js';
import { createAuditTrail } from '../policy/audit-trail.js';
import { createPolicy } from '../policy/policy-table.js';
import { catalogRoutes } from './catalog-routes.js';

/** An HTTP answer: status and parsed body. */
export interface Answer<T> {
  status: number;
  headers: Headers;
  body: Result<T>;
}

/** A test hub with the API routes and a client for them. */
export interface ApiHub extends TestHub {
  call<T = unknown>(method: string, path: string, body?: unknown, token?: string): Promise<Answer<T>>;
  /** Registers with `email`, reads the captured code and verifies: a signed-in visitor. */
  signUp(email: string, name?: string): Promise<SignedInAnswer>;
}

/** Starts a hub with every route group; the auth rate limit is generous unless given. */
export async function startApiHub(options: Omit<TestHubOptions, 'api'> & { authRate?: Pick<AddressRateOptions, 'perMinute' | 'burst'> } = {}): Promise<ApiHub> {
  const { authRate = { perMinute: 60_000, burst: 10_000 }, ...hubOptions } = options;
  const t = await startTestHub({
    ...hubOptions,
    api: ({ services, runtime, tokens, endSessions }) => [
      ...accountRoutes({ accounts: services.accounts, tokens, revocations: runtime.access.revocations, endSessions, authRate }),
      ...catalogRoutes({ catalog: services.catalog }),
      ...adminRoutes({
        accounts: services.accounts,
        catalog: services.catalog,
        audit: runtime.access.audit,
        tokens,
        revocations: runtime.access.revocations,
        endSessions,
        log: silentLogger,
        devices: runtime.service(devicesRuntime),
      }),
      ...floorAdminRoutes({
        tokens,
        revocations: runtime.access.revocations,
        host: runtime.host,
        lockers: runtime.lockers,
        equipment: runtime.equipment,
        bands: runtime.wristbands,
        audit: runtime.access.audit,
        log: silentLogger,
      }),
      ...permissionRoutes({ auth: { tokens, revocations: runtime.access.revocations }, policy: createPolicy([]) }),
      ...bookingAdminRoutes({
        auth: { tokens, revocations: runtime.access.revocations },
        trail: createAuditTrail({ audit: runtime.access.audit, clock: Date.now, log: silentLogger }),
        host: runtime.host,
        catalog: services.catalog,
        bookings: runtime.bookings,
        log: silentLogger,
      }),
    ],
  });

  async function call<T>(method: string, path: string, body?: unknown, token?: string): Promise<Answer<T>> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (token !== undefined) headers['authorization'] = `Bearer ${token}`;
    const res = await fetch(`${t.url}${path}`, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    return { status: res.status, headers: res.headers, body: (await res.json()) as Result<T> };
  }

  return {
    ...t,
    call,
    async signUp(email, name = 'Visitor') {
      const registered = await call<{ verificationId: string }>('POST', '/api/auth/register', { name, email });
      if (!registered.body.ok) throw new Error(`register: ${registered.body.code} ${registered.body.message}`);
      const { message } = await t.services.codeFor(email, registered.body.data.verificationId);
      const verified = await call<SignedInAnswer>('POST', '/api/auth/verify', { verificationId: registered.body.data.verificationId, code: message.code });
      if (!verified.body.ok) throw new Error(`verify: ${verified.body.code} ${verified.body.message}`);
      return verified.body.data;
    },
  };
}

/** The data of a successful answer; throws with the code otherwise. */
export function data<T>(answer: Answer<T>): T {
  if (!answer.body.ok) throw new Error(`${answer.status} ${answer.body.code}: ${answer.body.message}`);
  return answer.body.data;
}

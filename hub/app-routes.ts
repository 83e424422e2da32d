/**
 * The application's HTTP routes of one hub node, gathered in one table: accounts, catalog,
 * admin, visitor (tickets, push, mailbox) and payments. Built before the socket server exists,
 * so ending sessions is bound late through `endSessions`.
 */
import type { RefundPolicy } from '../workers/bookings/refund-policy.js';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import type { Logger } from '../workers/logger.js';
import type { ApiRoute } from './api/api-router.js';
import { createApiRouter } from './api/api-router.js';
import { accountRoutes } from './api/account-routes.js';
import { adminRoutes } from './api/admin-routes.js';
import { cancelRoutes } from './api/cancel-routes.js';
import { floorAdminRoutes } from './api/floor-admin-routes.js';
import { holdRoutes } from './api/hold-routes.js';
import { listRoutes } from './api/list-routes.js';
import { catalogRoutes } from './api/catalog-routes.js';
import { personFrom } from './api/http-auth.js';
import { paymentRoutes } from './api/payment-routes.js';
import { visitorRoutes } from './api/visitor-routes.js';
import type { TokenService } from './auth/tokens.js';
import { jsonAnswer } from './http/routes.js';
import type { NodeServices } from './node-services.js';
import { createAuditTrail } from './policy/audit-trail.js';

/** Builds the router for a node's services. */
export function appRoutes(deps: {
  services: NodeServices;
  tokens: Pick<TokenService, 'issueAccessToken' | 'issueDeviceToken' | 'verify'>;
  endSessions: (subject: string) => void;
  /** The local mailbox page is served to direct loopback requests (DEV_MAILBOX, development only). */
  mailboxPage: boolean;
  /** The built web pages (clients/web/dist), when present: visitor paths and message links open the app. */
  webDir?: string;
  /** Per-address budget of /api/auth/*, shared through Redis when given. */
  authRate: { perMinute: number; burst: number; redis?: Redis };
  log: Logger;
  /** The visitor's cancellation refund policy (REFUND_* settings); the defaults when not given. */
  refundPolicy?: RefundPolicy;
}): ReturnType<typeof createApiRouter> {
  const { services, tokens, endSessions, log } = deps;
  const { runtime, accounts, catalog } = services;
  const auth = { tokens, revocations: runtime.store.revocations };
  const authenticate = (req: Parameters<typeof personFrom>[0]) => personFrom(req, auth);
  const trail = createAuditTrail({ audit: runtime.store.audit, clock: Date.now, log });
  const routes: ApiRoute[] = [
    // Gates (and anyone checking a ticket) verify QR tokens with these public keys.
    { method: 'GET', pattern: '/.well-known/ticket-jwks.json', handler: async () => jsonAnswer(200, services.ticketKeys.publicJwks()) },
    ...accountRoutes({ accounts, tokens, revocations: runtime.store.revocations, endSessions, authRate: deps.authRate }),
    ...catalogRoutes({ catalog }),
    ...adminRoutes({ ...auth, accounts, catalog, audit: runtime.store.audit, endSessions, log }),
    ...floorAdminRoutes({
      ...auth,
      host: runtime.host,
      lockers: runtime.lockers,
      equipment: runtime.equipment,
      bands: runtime.wristbands,
      audit: runtime.store.audit,
      log,
    }),
    ...cancelRoutes({ authenticate, host: runtime.host, slots: services.catalogStore.slots, policy: deps.refundPolicy, clock: Date.now }),
    ...holdRoutes({ ...auth, ledger: runtime.store.ledger, trail }),
    ...listRoutes({ authenticate, feeds: runtime.feeds, alerts: runtime.alerts, trail }),
  ];
  if (runtime.tickets) {
    routes.push(
      ...visitorRoutes({
        authenticate,
        host: runtime.host,
        tickets: runtime.tickets,
        notifications: services.notificationStore,
        vapidPublicKey: services.channels.vapidPublicKey,
        mailboxPage: deps.mailboxPage,
        ...(deps.webDir === undefined ? {} : { appPage: pageFrom(join(deps.webDir, 'index.html')) }),
        clock: Date.now,
      }),
    );
  }
  if (runtime.payments) {
    routes.push(...paymentRoutes({ authenticate, payments: runtime.payments, gateway: services.gateway, simulated: services.simulatedGateway, trail, log }));
  }
  return createApiRouter(routes, { log });
}

/** Reads a page on every request (a rebuild renames its assets), null when the file is missing. */
function pageFrom(file: string): () => Promise<string | null> {
  return () => readFile(file, 'utf8').catch(() => null);
}

/**
 * The HTTP API in one place: every route the hub serves, gathered from the feature files, plus
 * the node's own routes (health, metrics, keys, these documents). The hub's routes, the SDK and
 * docs/openapi.json are derived from this catalog; a test checks that the hub serves exactly
 * these routes.
 */
import { z } from 'zod';
import { ACCOUNT_ROUTES } from './accounts.js';
import { ADMIN_ROUTES } from './admin.js';
import { BOOKING_ROUTES } from './bookings.js';
import { CATALOG_ROUTES } from './catalog.js';
import { httpRoute } from './contract.js';
import { FEED_ROUTES } from './feeds.js';
import { TICKET_ROUTES } from './gates.js';
import { FOOD_ROUTES } from './kitchen.js';
import { LOCKER_ROUTES } from './lockers.js';
import { NOTIFICATION_ROUTES } from './notifications.js';
import { PAYMENT_ROUTES } from './payments.js';
import { RENTAL_ROUTES } from './rentals.js';

const Document = z.record(z.string(), z.unknown());

/** The node's own routes (hub/http/routes.ts). */
export const NODE_ROUTES = {
  healthz: httpRoute({ method: 'GET', path: '/healthz', answer: z.object({ ok: z.literal(true) }), produces: ['application/json'], auth: 'none', by: 'anyone', summary: '200 while the process runs.' }),
  readyz: httpRoute({ method: 'GET', path: '/readyz', answer: z.object({ ok: z.literal(true) }), produces: ['application/json'], auth: 'none', by: 'anyone', summary: '200 when the store answers and the node is not draining, else 503 with the code.' }),
  metrics: httpRoute({ method: 'GET', path: '/metrics', answer: z.string(), produces: ['text/plain'], auth: 'none', by: 'anyone', summary: 'Prometheus text exposition.' }),
  jwks: httpRoute({ method: 'GET', path: '/.well-known/jwks.json', answer: Document, produces: ['application/json'], auth: 'none', by: 'anyone', summary: 'The public halves of the access and device token signing keys (a JWK set).' }),
  openapi: httpRoute({ method: 'GET', path: '/api/openapi.json', answer: Document, produces: ['application/json'], auth: 'none', by: 'anyone', summary: 'This document: the HTTP API as OpenAPI 3.1.' }),
  asyncapi: httpRoute({ method: 'GET', path: '/api/asyncapi.json', answer: Document, produces: ['application/json'], auth: 'none', by: 'anyone', summary: 'The socket API as AsyncAPI 3.0.' }),
} as const;

/** Every application route, by feature. */
export const HTTP_ROUTES = {
  ...prefixed('accounts', ACCOUNT_ROUTES),
  ...prefixed('catalog', CATALOG_ROUTES),
  ...prefixed('bookings', BOOKING_ROUTES),
  ...prefixed('payments', PAYMENT_ROUTES),
  ...prefixed('tickets', TICKET_ROUTES),
  ...prefixed('lockers', LOCKER_ROUTES),
  ...prefixed('rentals', RENTAL_ROUTES),
  ...prefixed('food', FOOD_ROUTES),
  ...prefixed('lists', FEED_ROUTES),
  ...prefixed('admin', ADMIN_ROUTES),
  ...prefixed('notifications', NOTIFICATION_ROUTES),
  ...prefixed('node', NODE_ROUTES),
} as const;

/** A route's id: `<feature>.<name>`, e.g. `payments.transactions`. */
export type HttpRouteId = keyof typeof HTTP_ROUTES;

type Prefixed<P extends string, R> = { [K in keyof R & string as `${P}.${K}`]: R[K] };

function prefixed<P extends string, R extends Record<string, unknown>>(prefix: P, routes: R): Prefixed<P, R> {
  return Object.fromEntries(Object.entries(routes).map(([name, route]) => [`${prefix}.${name}`, route])) as Prefixed<P, R>;
}

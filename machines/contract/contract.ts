/**
 * The shapes of the contract: a socket event is `{payload, ack}`, a server push is `{payload}`, an
 * HTTP route is `{method, path, params, query, body, answer}`, each a zod schema with the words a
 * client writer needs (`summary`, `description`). The feature files (`bookings.ts`, `gates.ts`, …)
 * declare their events and routes with these; the hub's handler types, the SDK's method types and
 * the AsyncAPI / OpenAPI documents (`api-docs.ts`) are all derived from them.
 *
 *   machines/contract/<feature>.ts ──▶ hub/socket routes, hub/api routes   (handler types)
 *                                  ──▶ clients/sdk                          (method types)
 *                                  ──▶ docs/asyncapi.json, docs/openapi.json (npm run docs:api)
 */
import { z } from 'zod';
import type { Result } from '../errors.js';

/** Who may send an event or call a route (the policy table decides per action; this is for readers). */
export type Audience = string;

/** One client → hub socket event. */
export interface SocketEvent<P extends z.ZodType = z.ZodType, A extends z.ZodType = z.ZodType> {
  payload: P;
  /** The `data` of an accepted ack (`{ok: true, data}`); refusals are `{ok: false, code, message}`. */
  ack: A;
  summary: string;
  description?: string;
  /** Who may send it. */
  by: Audience;
}

/** One hub → client push. */
export interface ServerPush<P extends z.ZodType = z.ZodType> {
  payload: P;
  summary: string;
  description?: string;
  /** Who receives it. */
  to: Audience;
}

/** HTTP methods the hub serves. */
export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'DELETE';

/** How a route is authenticated. */
export type HttpAuthKind = 'none' | 'bearer' | 'signature';

/** One HTTP route. */
export interface HttpRoute<
  M extends HttpMethod = HttpMethod,
  P extends z.ZodType = z.ZodType,
  Q extends z.ZodType = z.ZodType,
  B extends z.ZodType = z.ZodType,
  A extends z.ZodType = z.ZodType,
> {
  method: M;
  /** e.g. `/api/bookings/:id/pay` */
  path: string;
  /** Path parameters by name (strings; parsed before the handler runs). */
  params: P;
  /** The query string's fields (strings on the wire; coerced by the schema). */
  query: Q;
  /** The JSON body (`z.undefined()` when none). */
  body: B;
  /** The `data` of `{ok: true, data}`; for a route that answers something else (HTML, an image, a redirect) see `produces`. */
  answer: A;
  summary: string;
  description?: string;
  /** `bearer`: `Authorization: Bearer <access token>`; `signature`: the payment provider's signed webhook. */
  auth: HttpAuthKind;
  /** Who may call it (roles; the policy table decides). */
  by: Audience;
  /** Status of an accepted answer (default 200). */
  status?: 200 | 201 | 202 | 303;
  /** Content types answered instead of JSON `{ok, data}` (HTML pages, QR images, redirects). */
  produces?: readonly string[];
  /** Documented headers the caller must send (e.g. a webhook's signature headers). */
  headers?: Readonly<Record<string, string>>;
  /** The request body is not JSON: e.g. `application/x-www-form-urlencoded`. */
  consumes?: string;
}

/** Declares a socket event (keeps the literal types for derivation). */
export function socketEvent<P extends z.ZodType, A extends z.ZodType>(event: SocketEvent<P, A>): SocketEvent<P, A> {
  return event;
}

/** Declares a server push. */
export function serverPush<P extends z.ZodType>(push: ServerPush<P>): ServerPush<P> {
  return push;
}

/** Nothing in the path / query / body. */
export const NoParams = z.strictObject({});
export const NoQuery = z.strictObject({});
export const NoBody = z.undefined();

/** What `httpRoute` fills in when a part is not given. */
type RouteInput<M extends HttpMethod, P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType, A extends z.ZodType> = Omit<HttpRoute<M, P, Q, B, A>, 'params' | 'query' | 'body'> & {
  params?: P;
  query?: Q;
  body?: B;
};

/** Declares an HTTP route; absent params, query and body mean none. */
export function httpRoute<
  M extends HttpMethod,
  A extends z.ZodType,
  P extends z.ZodType = typeof NoParams,
  Q extends z.ZodType = typeof NoQuery,
  B extends z.ZodType = typeof NoBody,
>(route: RouteInput<M, P, Q, B, A>): HttpRoute<M, P, Q, B, A> {
  return { ...route, params: route.params ?? NoParams, query: route.query ?? NoQuery, body: route.body ?? NoBody } as HttpRoute<M, P, Q, B, A>;
}

/** The ack callback of an event: `{ok: true, data}` or a coded refusal. */
export type AckOf<E extends SocketEvent> = (answer: Result<z.output<E['ack']>>) => void;

/** Typed socket.io listener map for a catalog of client events (what the SDK emits, the hub receives). */
export type ClientEventsOf<C extends Record<string, SocketEvent>> = {
  [K in keyof C]: (payload: z.input<C[K]['payload']>, ack: AckOf<C[K]>) => void;
};

/** Typed socket.io listener map for a catalog of pushes. */
export type ServerEventsOf<C extends Record<string, ServerPush>> = {
  [K in keyof C]: (payload: z.output<C[K]['payload']>) => void;
};

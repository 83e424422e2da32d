/**
 * The typed HTTP caller: one function for every route of the HTTP contract
 * (`machines/contract/http-api.ts`). The route id picks the method and path; its params, query
 * and body are typed from the route's zod schemas, and so is the answer.
 *
 *   call('bookings.cancel', { params: { id }, body: { reason }, token })   // HubResult<CancelAnswer>
 *   call('payments.transactions', { query: { since, limit: 100 }, token })
 *   url('bookings.page', { params: { id } })                               // for a browser to open
 *
 * JSON routes answer `{ok, data}` as a `HubResult`; routes that answer something else (pages, QR
 * images, metrics: the route's `produces`) are fetched with `raw` or addressed with `url`.
 */
import type { z } from 'zod';
import { HTTP_ROUTES } from '../../machines/contract/http-api.js';
import type { HttpRouteId } from '../../machines/contract/http-api.js';
import { asResult, clientRefusal } from './codes.js';
import type { HubResult } from './codes.js';

/** The subset of `fetch` the client uses. */
export type FetchLike = (url: string, init: { method: string; headers: Record<string, string>; body?: string }) => Promise<Response>;

type Route<R extends HttpRouteId> = (typeof HTTP_ROUTES)[R];

/** A part of a call: required when its schema requires something, optional otherwise, absent when none. */
type Part<K extends string, T> = [T] extends [undefined] ? { [P in K]?: undefined } : Record<never, never> extends T ? { [P in K]?: T } : { [P in K]: T };

/** What a call of route `R` sends: path params, query fields, body, and the bearer token. */
export type RouteCall<R extends HttpRouteId> = Part<'params', z.input<Route<R>['params']>> &
  Part<'query', z.input<Route<R>['query']>> &
  Part<'body', z.input<Route<R>['body']>> & {
    /** The access (or device) token, sent as `Authorization: Bearer …`. */
    token?: string;
    /** Extra headers (e.g. a webhook's signature headers). */
    headers?: Record<string, string>;
    /** Sent as is instead of the JSON of `body` (a signed webhook's exact bytes). */
    rawBody?: string;
  };

/** The `data` of route `R`'s accepted answer. */
export type RouteAnswer<R extends HttpRouteId> = z.output<Route<R>['answer']>;

/** The typed HTTP caller of one hub. */
export interface HttpCaller {
  /** Calls a JSON route; answers its `{ok, data}` as a `HubResult`. */
  call<R extends HttpRouteId>(route: R, ...input: Record<never, never> extends RouteCall<R> ? [RouteCall<R>?] : [RouteCall<R>]): Promise<HubResult<RouteAnswer<R>>>;
  /** Calls any route and hands back the response itself (pages, images, text); refused only when unreachable. */
  raw<R extends HttpRouteId>(route: R, ...input: Record<never, never> extends RouteCall<R> ? [RouteCall<R>?] : [RouteCall<R>]): Promise<HubResult<Response>>;
  /** The absolute address of a route with its params and query filled in (links, `<img src>`, redirects). */
  url<R extends HttpRouteId>(route: R, ...input: Record<never, never> extends RouteCall<R> ? [Pick<RouteCall<R>, 'params' | 'query'>?] : [Pick<RouteCall<R>, 'params' | 'query'>]): string;
}

interface LooseCall {
  params?: Record<string, unknown>;
  query?: Record<string, unknown>;
  body?: unknown;
  token?: string;
  headers?: Record<string, string>;
  rawBody?: string;
}

/** Fills `:name` parts of a path and appends the query string. */
function address(base: string, path: string, input: LooseCall): string {
  const filled = path.replace(/:([A-Za-z]+)/g, (_, name: string) => {
    const value = input.params?.[name];
    if (value === undefined) throw new Error(`${path}: the path parameter ${name} is missing`);
    return encodeURIComponent(String(value));
  });
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(input.query ?? {})) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const one of value) query.append(key, String(one));
    else query.set(key, String(value));
  }
  const qs = query.toString();
  return `${base}${filled}${qs === '' ? '' : `?${qs}`}`;
}

/** Creates the typed caller for the hub at `baseUrl`. */
export function createHttpCaller(baseUrl: string, fetchImpl?: FetchLike): HttpCaller {
  const base = baseUrl.replace(/\/+$/, '');
  const send: FetchLike = fetchImpl ?? ((url, init) => fetch(url, init));

  async function exchange(routeId: HttpRouteId, input: LooseCall, accept: string): Promise<HubResult<Response>> {
    const route = HTTP_ROUTES[routeId];
    const headers: Record<string, string> = { accept, ...input.headers };
    let body: string | undefined = input.rawBody;
    if (body === undefined && input.body !== undefined) {
      if ('consumes' in route && route.consumes === 'application/x-www-form-urlencoded') {
        body = new URLSearchParams(input.body as Record<string, string>).toString();
        headers['content-type'] = route.consumes;
      } else {
        body = JSON.stringify(input.body);
      }
    }
    if (body !== undefined) headers['content-type'] ??= 'application/json';
    if (input.token !== undefined) headers['authorization'] = `Bearer ${input.token}`;
    const url = address(base, route.path, input); // a missing path parameter throws: the types require them
    try {
      return { ok: true, data: await send(url, { method: route.method, headers, ...(body === undefined ? {} : { body }) }) };
    } catch (error) {
      return clientRefusal('client.unreachable', `${route.method} ${route.path}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  return {
    async call(routeId, ...[input]) {
      const route = HTTP_ROUTES[routeId];
      const sent = await exchange(routeId, (input ?? {}) as LooseCall, 'application/json');
      if (!sent.ok) return sent;
      const text = await sent.data.text();
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        return clientRefusal('client.bad_answer', `${route.method} ${route.path} answered ${sent.data.status} without JSON: ${text.slice(0, 120)}`);
      }
      return asResult(json);
    },
    raw(routeId, ...[input]) {
      return exchange(routeId, (input ?? {}) as LooseCall, '*/*');
    },
    url(routeId, ...[input]) {
      return address(base, HTTP_ROUTES[routeId].path, (input ?? {}) as LooseCall);
    },
  };
}

/**
 * The application's HTTP routes: a small table of `METHOD /path/:param` patterns, JSON in and
 * out, every body parsed by a zod schema and every answer `{ok: true, data}` or
 * `{ok: false, code, message}` with the HTTP status the code has in machines/contract/error-status.ts.
 *
 *   request ─▶ match pattern ─▶ handler(req with params, query) ─▶ Result ─▶ status + JSON
 */
import type { z } from 'zod';
import { isServerFault, statusOf } from '../../machines/contract/error-status.js';
import { refuse } from '../../machines/errors.js';
import type { Result } from '../../machines/errors.js';
import type { HttpAnswer, HttpRequestInfo } from '../http/routes.js';
import { faultAnswer, faultDetail, jsonAnswer } from '../http/routes.js';
import type { Logger } from '../../workers/logger.js';

/** A request as route handlers see it. */
export interface ApiRequest extends HttpRequestInfo {
  params: Readonly<Record<string, string>>;
  search: URLSearchParams;
}

/** A route handler: a Result becomes JSON; a ready answer (HTML, redirect, image) is sent as is. */
export type ApiHandler = (req: ApiRequest) => Promise<Result<unknown> | HttpAnswer>;

/** One route. */
export interface ApiRoute {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** e.g. `/api/bookings/:id/pay` */
  pattern: string;
  handler: ApiHandler;
  /** Status for a successful Result (default 200): 201 created, 202 accepted (the work goes on after the answer). */
  created?: boolean;
  accepted?: boolean;
}

/**
 * Turns a Result into an HTTP answer, the status from the one table (machines/contract/error-status.ts).
 * A server fault (status 500) never carries its own message out: the caller gets a generic one with a
 * reference, and the message is logged under that reference.
 */
export function resultAnswer(result: Result<unknown>, okStatus: number, log: Logger): HttpAnswer {
  if (result.ok) return jsonAnswer(okStatus, result);
  return isServerFault(result.code) ? faultAnswer(result, log) : jsonAnswer(statusOf(result.code), result);
}

/** Parses a JSON body with a schema; a coded refusal says which field is wrong. */
export function readJson<S extends z.ZodType>(schema: S, req: Pick<HttpRequestInfo, 'body' | 'headers'>): Result<z.output<S>> {
  let raw: unknown;
  try {
    raw = req.body.byteLength === 0 ? {} : (JSON.parse(req.body.toString('utf8')) as unknown);
  } catch {
    return refuse('event.invalid', 'the body is not valid JSON');
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    return refuse('event.invalid', parsed.error.issues.slice(0, 5).map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '));
  }
  return { ok: true, data: parsed.data };
}

function isAnswer(value: Result<unknown> | HttpAnswer): value is HttpAnswer {
  return 'status' in value && 'headers' in value && 'body' in value;
}

/** Compiles the table into a handler that answers `null` for paths it does not own. */
export function createApiRouter(routes: readonly ApiRoute[], options: { log: Logger }): (req: HttpRequestInfo) => Promise<HttpAnswer | null> {
  const { log } = options;
  const compiled = routes.map((route) => ({ route, parts: route.pattern.split('/').filter(Boolean) }));
  return async (req) => {
    const segments = req.path.split('/').filter(Boolean);
    let pathMatched = false;
    for (const { route, parts } of compiled) {
      if (parts.length !== segments.length) continue;
      const params: Record<string, string> = {};
      const matches = parts.every((part, i) => {
        const segment = segments[i] ?? '';
        if (part.startsWith(':')) {
          try {
            params[part.slice(1)] = decodeURIComponent(segment);
          } catch {
            return false;
          }
          return true;
        }
        return part === segment;
      });
      if (!matches) continue;
      pathMatched = true;
      if (route.method !== req.method) continue;
      try {
        const out = await route.handler({ ...req, params, search: new URLSearchParams(req.query) });
        return isAnswer(out) ? out : resultAnswer(out, route.created ? 201 : route.accepted ? 202 : 200, log);
      } catch (error) {
        return faultAnswer({ code: 'internal', message: faultDetail(error) }, log, { method: req.method, route: route.pattern });
      }
    }
    return pathMatched ? jsonAnswer(405, refuse('route.not_found', `${req.method} is not allowed on ${req.path}`)) : null;
  };
}

/** The bearer token of a request, if any. */
export function bearerToken(req: Pick<HttpRequestInfo, 'headers'>): string | undefined {
  const header = req.headers['authorization'];
  return header?.startsWith('Bearer ') ? header.slice(7).trim() : undefined;
}

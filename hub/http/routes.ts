/**
 * The HTTP routes served on the socket port, written once against a tiny request/answer shape so
 * that both engines (uWebSockets.js and Node's http server) serve exactly the same thing.
 *
 *   GET /healthz                 200 while the process runs
 *   GET /readyz                  200 when the store answers and the node is not draining, else 503
 *   GET /metrics                 Prometheus text exposition
 *   GET /.well-known/jwks.json   public halves of the signing keys
 *   GET /api/openapi.json        the HTTP API (OpenAPI 3.1), generated from machines/contract
 *   GET /api/asyncapi.json       the socket API (AsyncAPI 3.0), generated from machines/contract
 *   /api/…, /webhooks/…, pages   application routes (hub/api), when given
 *   GET /…                       the built web pages (clients/web/dist) when they exist
 *   anything else                404 {ok:false, code:'route.not_found'}
 */
import { randomUUID } from 'node:crypto';
import { asyncApiDocument, openApiDocument, printed } from '../../machines/contract/api-docs.js';
import { statusOf } from '../../machines/contract/error-status.js';
import { refuse } from '../../machines/errors.js';
import type { ErrorCode, Result } from '../../machines/errors.js';
import { createLogger } from '../../workers/logger.js';
import type { Logger } from '../../workers/logger.js';
import { clientAddress, NO_TRUSTED_PROXIES } from './client-address.js';
import type { TrustedProxies } from './client-address.js';
import { serveStatic } from './static-files.js';

/** What a route reads of a request. */
export interface HttpRequestInfo {
  /** Upper case, e.g. `GET`. */
  method: string;
  /** The path without the query string, still percent-encoded. */
  path: string;
  /** The raw query string without `?` ('' when none). */
  query: string;
  /** Header names in lower case. */
  headers: Readonly<Record<string, string>>;
  /** The raw body (empty for GET); kept raw because webhook signatures cover the exact bytes. */
  body: Buffer;
  /** The peer's IP address as text (the proxy's when behind one); absent when unknown. */
  remoteAddress?: string;
  /** The client's address: the peer's, or from X-Forwarded-For when the peer is a trusted proxy (set by the routes). */
  clientAddress?: string;
}

/** Largest request body read into memory; bigger requests are answered 413. */
export const MAX_HTTP_BODY_BYTES = 64 * 1024;

/** A complete answer; bodies are small, so they are built in memory. */
export interface HttpAnswer {
  status: number;
  headers: Record<string, string>;
  body: string | Buffer;
}

/** Serves one request. Never rejects. */
export type HttpHandler = (req: HttpRequestInfo) => Promise<HttpAnswer>;

/** What the routes read from the rest of the node. */
export interface HttpRoutesDeps {
  /** Store reachable and not draining. */
  ready: () => Promise<Result<true>>;
  metricsText: () => Promise<string> | string;
  /** Public signing keys at /.well-known/jwks.json; a worker has none. */
  jwks?: () => unknown;
  /** Absolute path of the static web clients, when they exist. */
  staticDir?: string | undefined;
  /** Application routes (API, webhooks, pages); `null` when none matches. */
  app?: (req: HttpRequestInfo) => Promise<HttpAnswer | null>;
  /** Peers whose X-Forwarded-For names the client (TRUSTED_PROXIES); default nobody. */
  trustedProxies?: TrustedProxies;
  /** Where server faults are logged with their reference (default: a logger on stderr). */
  log?: Logger;
}

/** A JSON answer. */
export function jsonAnswer(status: number, body: unknown): HttpAnswer {
  return { status, headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' }, body: JSON.stringify(body) };
}

/** The header naming the log reference of a server fault. */
export const CORRELATION_HEADER = 'x-correlation-id';

/**
 * The answer to a server fault (a code whose status is 500, or a throw): the details are logged
 * under a fresh reference and the caller gets a generic message naming that reference, never the
 * fault's own message (stack traces, SQL, paths stay in the log).
 */
export function faultAnswer(fault: { code: ErrorCode; message: string }, log: Logger, context: Record<string, unknown> = {}): HttpAnswer {
  const ref = randomUUID();
  log.error('http request failed', { ...context, code: fault.code, detail: fault.message, correlationId: ref });
  const answer = jsonAnswer(statusOf(fault.code), refuse(fault.code, `the hub failed to handle this request; report reference ${ref}`));
  return { ...answer, headers: { ...answer.headers, [CORRELATION_HEADER]: ref } };
}

/** The message of a thrown value, with its stack when it has one (for the log only). */
export function faultDetail(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}

const NOT_FOUND = jsonAnswer(404, { ok: false, code: 'route.not_found', message: 'no such route' });

/** A generated API document, cacheable for a while. */
function documentAnswer(body: string): HttpAnswer {
  return { status: 200, headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'public, max-age=300' }, body };
}

/** Builds the request handler. */
export function createHttpRoutes(deps: HttpRoutesDeps): HttpHandler {
  // Generated on first request, then kept: the contract does not change while the process runs.
  const docs: { openapi?: string; asyncapi?: string } = {};
  async function answer(req: HttpRequestInfo): Promise<HttpAnswer> {
    const routed = deps.app ? await deps.app(req) : null;
    if (routed) return routed;
    if (req.method !== 'GET' && req.method !== 'HEAD') return NOT_FOUND;
    switch (req.path) {
      case '/healthz':
        return jsonAnswer(200, { ok: true });
      case '/readyz': {
        const ready = await deps.ready();
        return ready.ok ? jsonAnswer(200, { ok: true }) : jsonAnswer(503, ready);
      }
      case '/metrics':
        return { status: 200, headers: { 'content-type': 'text/plain; version=0.0.4; charset=utf-8', 'cache-control': 'no-store' }, body: await deps.metricsText() };
      case '/api/openapi.json':
        return documentAnswer((docs.openapi ??= printed(openApiDocument())));
      case '/api/asyncapi.json':
        return documentAnswer((docs.asyncapi ??= printed(asyncApiDocument())));
      case '/.well-known/jwks.json':
        if (deps.jwks === undefined) return NOT_FOUND;
        return { ...jsonAnswer(200, deps.jwks()), headers: { 'content-type': 'application/json', 'cache-control': 'public, max-age=300' } };
      default:
        return (deps.staticDir === undefined ? null : await serveStatic(deps.staticDir, req.path)) ?? NOT_FOUND;
    }
  }
  const trusted = deps.trustedProxies ?? NO_TRUSTED_PROXIES;
  const log = deps.log ?? createLogger({ base: { component: 'http' } });
  return async (peerReq) => {
    const req = { ...peerReq, clientAddress: clientAddress(peerReq, trusted) };
    try {
      const result = await answer(req);
      return req.method === 'HEAD' ? { ...result, body: '' } : result;
    } catch (error) {
      return faultAnswer({ code: 'internal', message: faultDetail(error) }, log, { method: req.method, path: req.path });
    }
  };
}

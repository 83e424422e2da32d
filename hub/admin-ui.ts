/**
 * The socket.io Admin UI (@socket.io/admin-ui) for super admins: live servers, sockets, rooms and
 * event rates across every node (through the Redis adapter when there is one).
 *
 *   GET /admin-ui/          the UI's own static page, served from the package (same origin, so
 *                           the Origin check lets its socket in)
 *   namespace /admin        instrument(io), read-only, aggregated events only ("production" mode);
 *                           a handshake is accepted only with a super_admin access token, given as
 *                           auth.token or as the UI's password field (the user name is ignored)
 *
 * Read-only: the UI's disconnect/join/leave actions would bypass the audit trail.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { instrument } from '@socket.io/admin-ui';
import type { Server } from 'socket.io';
import type { ErrorCode } from '../machines/errors.js';
import type { Logger } from '../workers/logger.js';
import { authenticate, HandshakeError } from './auth/handshake.js';
import type { HandshakeDeps } from './auth/handshake.js';
import type { HttpAnswer, HttpRequestInfo } from './http/routes.js';
import { serveStatic } from './http/static-files.js';

/** Where the UI is served. */
export const ADMIN_UI_PATH = '/admin-ui';
/** The namespace the UI connects to. */
export const ADMIN_NAMESPACE = '/admin';

/** The UI's built files inside the package. */
function uiDirectory(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('@socket.io/admin-ui/package.json')), 'ui', 'dist');
}

/** Instruments `io` and guards the admin namespace with super_admin tokens. */
export function attachAdminUi(io: Server, deps: Pick<HandshakeDeps, 'tokens' | 'revocations'> & { serverId: string; log: Logger; onRefused?: (code: ErrorCode) => void }): void {
  const refuse = (code: ErrorCode, message: string) => {
    deps.onRefused?.(code);
    deps.log.warn('admin UI refused', { code });
    return new HandshakeError({ code, message });
  };
  io.of(ADMIN_NAMESPACE).use((socket, next) => {
    const auth: Record<string, unknown> = socket.handshake.auth;
    authenticate(deps, auth['token'] ?? auth['password']).then(
      (result) => {
        if (!result.ok) return next(refuse(result.code, result.message));
        if (result.principal.kind !== 'person' || result.principal.role !== 'super_admin') {
          return next(refuse('auth.forbidden', 'the admin UI is for super admins: give a super_admin access token as the password'));
        }
        next();
      },
      () => next(refuse('store.unavailable', 'cannot check the session right now; retry shortly')),
    );
  });
  instrument(io, { auth: false, mode: 'production', readonly: true, namespaceName: ADMIN_NAMESPACE, serverId: deps.serverId });
}

/** Serves the UI's page and assets under /admin-ui/; null for any other path. */
export function adminUiRoute(): (req: HttpRequestInfo) => Promise<HttpAnswer | null> {
  const root = uiDirectory();
  return async (req) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return null;
    if (req.path === ADMIN_UI_PATH) return { status: 308, headers: { location: `${ADMIN_UI_PATH}/` }, body: '' };
    if (!req.path.startsWith(`${ADMIN_UI_PATH}/`)) return null;
    return serveStatic(root, req.path.slice(ADMIN_UI_PATH.length));
  };
}

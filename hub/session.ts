/**
 * The life of one authenticated socket after the handshake:
 *
 *   join user:<id> / device:<id>  (admin:revoke and demotion disconnect through this room, on every node)
 *   re-check the revocation list   (a revocation that landed between the handshake's check and the
 *                                   join would otherwise miss this socket)
 *   end the session at token expiry with session:ended auth.expired (the client reconnects with a
 *                                   fresh token), so a socket never outlives its credentials
 */
import type { ErrorCode } from '../machines/errors.js';
import type { Logger } from '../workers/logger.js';
import type { RevocationList } from '../workers/store/actor-store.js';
import type { HubMetrics } from './metrics.js';
import { subjectOf, subjectRoom } from './rooms.js';
import type { HubSocket } from './socket/types.js';

/** What a session watch needs. */
export interface SessionDeps {
  revocations: Pick<RevocationList, 'revokedBefore'>;
  clock: () => number;
  metrics: HubMetrics;
  log: Logger;
}

/** Longest delay setTimeout takes (about 24.8 days); longer tokens are re-armed when it fires. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** Ends a socket's session with a coded reason the client can act on. */
export function endSession(socket: HubSocket, code: ErrorCode, message: string, metrics: HubMetrics): void {
  if (!socket.connected) return;
  socket.emit('session:ended', { code, message });
  metrics.messageOut('session:ended');
  socket.disconnect(true);
}

/** Joins the principal's room, closes the revocation race and arms the expiry timer. */
export function watchSession(socket: HubSocket, deps: SessionDeps): void {
  const { principal } = socket.data;
  const subject = subjectOf(principal);
  void socket.join(subjectRoom(subject));

  deps.revocations.revokedBefore(subject).then(
    (before) => {
      if (before !== null && principal.iat <= before) endSession(socket, 'auth.revoked', 'this session was revoked; sign in again', deps.metrics);
    },
    (error: unknown) => deps.log.warn('revocation re-check failed', { subject, error: String(error) }),
  );

  let timer: NodeJS.Timeout | undefined;
  const arm = () => {
    const left = principal.exp * 1000 - deps.clock();
    if (left <= 0) return endSession(socket, 'auth.expired', 'the session token expired; reconnect with a fresh token', deps.metrics);
    timer = setTimeout(arm, Math.min(left, MAX_TIMER_MS));
    timer.unref();
  };
  arm();
  socket.on('disconnect', () => clearTimeout(timer));
}

/**
 * The life of one authenticated socket after the handshake:
 *
 *   join user:<id> / device:<id>  (admin:revoke and demotion disconnect through this room, on every node)
 *   re-check the revocation list   (a revocation that landed between the handshake's check and the
 *                                   join would otherwise miss this socket)
 *   end the session at token expiry with session:ended auth.expired (the client reconnects with a
 *                                   fresh token), so a socket never outlives its credentials by more
 *                                   than one sweep (EXPIRY_SWEEP_MS)
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

/** How often the hub looks for sessions whose token expired: a session ends at most this late. */
export const EXPIRY_SWEEP_MS = 1_000;

/** Ends a socket's session with a coded reason the client can act on. */
export function endSession(socket: HubSocket, code: ErrorCode, message: string, metrics: HubMetrics): void {
  if (!socket.connected) return;
  socket.emit('session:ended', { code, message });
  metrics.messageOut('session:ended');
  socket.disconnect(true);
}

/** The hub's sessions: every socket's room and revocation re-check, and one clock for every expiry. */
export interface SessionWatch {
  /** Joins the principal's room, closes the revocation race and schedules the end at token expiry. */
  watch(socket: HubSocket): void;
  /** A socket that disconnected: its expiry is dropped. */
  forget(socket: HubSocket): void;
  /** Stops the expiry sweep (a drained hub). */
  stop(): void;
}

/**
 * One sweep every EXPIRY_SWEEP_MS over the sockets grouped by the second their token expires,
 * instead of a timer and a listener per socket: a hub holding tens of thousands of idle sockets
 * keeps one Set entry each, and sockets sharing an expiry second (one token on many tabs, the
 * devices minted together) share a group.
 */
export function createSessionWatch(deps: SessionDeps): SessionWatch {
  const byExpiry = new Map<number, Set<HubSocket>>();
  const sweep = setInterval(() => {
    const now = deps.clock();
    for (const [exp, sockets] of byExpiry) {
      if (exp * 1000 > now) continue;
      byExpiry.delete(exp);
      for (const socket of sockets) endSession(socket, 'auth.expired', 'the session token expired; reconnect with a fresh token', deps.metrics);
    }
  }, EXPIRY_SWEEP_MS);
  sweep.unref();

  return {
    watch(socket) {
      const { principal } = socket.data;
      const subject = subjectOf(principal);
      void socket.join(subjectRoom(subject));

      deps.revocations.revokedBefore(subject).then(
        (before) => {
          if (before !== null && principal.iat <= before) endSession(socket, 'auth.revoked', 'this session was revoked; sign in again', deps.metrics);
        },
        (error: unknown) => deps.log.warn('revocation re-check failed', { subject, error: String(error) }),
      );

      if (principal.exp * 1000 <= deps.clock()) return endSession(socket, 'auth.expired', 'the session token expired; reconnect with a fresh token', deps.metrics);
      const group = byExpiry.get(principal.exp);
      if (group === undefined) byExpiry.set(principal.exp, new Set([socket]));
      else group.add(socket);
    },
    forget(socket) {
      const { exp } = socket.data.principal;
      const group = byExpiry.get(exp);
      if (group === undefined) return;
      group.delete(socket);
      if (group.size === 0) byExpiry.delete(exp);
    },
    stop() {
      clearInterval(sweep);
    },
  };
}

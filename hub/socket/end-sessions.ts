/**
 * Ends every open socket of a revocation subject, on every node: sign-out, suspension, demotion
 * and `admin:revoke` all come here once the revocation is written.
 *
 *   revocation list written (the handshake refuses the old tokens from now on)
 *     ─▶ session:ended {auth.revoked} to room user:<id> / device:<id>   (one room: fast publish path)
 *     ─▶ disconnectSockets(true) on that room                           (through the adapter: all nodes)
 *
 * The order matters: the event goes out before the disconnect so clients learn why and do not
 * reconnect with the same token.
 */
import type { HubMetrics } from '../metrics.js';
import { subjectRoom } from '../rooms.js';
import type { HubIo } from './types.js';

/** The message a client receives when its session was revoked. */
export const REVOKED_MESSAGE = 'this session was revoked; sign in again';

/** Sends `session:ended` to every socket of `subject` (`user:<id>` / `device:<id>`) and disconnects them. */
export function endSessions(io: HubIo, subject: string, metrics?: Pick<HubMetrics, 'messageOut'>): void {
  const room = subjectRoom(subject);
  io.to(room).emit('session:ended', { code: 'auth.revoked', message: REVOKED_MESSAGE });
  metrics?.messageOut('session:ended');
  io.in(room).disconnectSockets(true);
}

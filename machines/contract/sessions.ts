/**
 * Sessions: why the hub asks a client to reconnect or ends its session, revoking sessions, and the handshake refusal.
 */
import { z } from 'zod';
import { ERROR_CODES } from '../errors.js';
import type { ErrorCode } from '../errors.js';
import { serverPush, socketEvent } from './contract.js';
import { NotificationAlert } from './notification-alert.js';

/** Why the server asks a client to reconnect (drain) or tells it its session ended. */
export const SessionReconnect = z.object({ reason: z.enum(['draining']), retryAfterMs: z.number().int().nonnegative() });
export type SessionReconnect = z.infer<typeof SessionReconnect>;
export const SessionEnded = z.object({ code: z.enum(ERROR_CODES), message: z.string() });
export type SessionEnded = z.infer<typeof SessionEnded>;

/**
 * Whose sessions a revocation ends: `user:<userId>` or `device:<deviceId>`. Every token of the
 * subject issued up to now is refused from then on and its open sockets are disconnected.
 */
export const RevocationSubject = z.string().regex(/^(user|device):[A-Za-z0-9_.:-]{1,128}$/, 'user:<id> or device:<id>');
export type RevocationSubject = z.infer<typeof RevocationSubject>;

/** A super admin ends every session of a person (demotion, leaver) or a device (lost, stolen). */
export const AdminRevoke = z.strictObject({ subject: RevocationSubject, reason: z.string().min(1).max(500) });
export type AdminRevoke = z.infer<typeof AdminRevoke>;

/** The answer to `admin:revoke`: tokens issued at or before `revokedBefore` (epoch seconds) are refused. */
export const AdminRevoked = z.object({ subject: RevocationSubject, revokedBefore: z.number().int() });
export type AdminRevoked = z.infer<typeof AdminRevoked>;

/** The `connect_error` data a refused handshake carries. */
export interface HandshakeRefusal {
  code: ErrorCode;
  message: string;
}

/** The socket events of sessions. */
export const SESSION_EVENTS = {
  'admin:revoke': socketEvent({
    payload: AdminRevoke,
    ack: AdminRevoked,
    summary: 'End every session of a person or device (audited): their tokens are refused from now and open sockets get session:ended.',
    by: 'super admins',
  }),
} as const;

/** The pushes of sessions. */
export const SESSION_PUSHES = {
  'session:reconnect': serverPush({ payload: SessionReconnect, summary: 'This hub node is draining: reconnect (to any node) after `retryAfterMs`.', to: 'every socket of a draining node' }),
  'session:ended': serverPush({ payload: SessionEnded, summary: 'The session ended (signed out, revoked, suspended, flooding); the socket is disconnected next.', to: 'the sockets of the subject' }),
  'notification:alert': serverPush({ payload: NotificationAlert, summary: 'An in-app alert to the person (booking confirmed, tickets ready, refund, …); each id at most once.', to: 'the person\'s sockets' }),
} as const;

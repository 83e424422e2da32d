/**
 * Socket handshake authentication (`io.use`): every socket carries a verified principal before any
 * event of it is read.
 *
 *   auth.token (or Authorization: Bearer …)
 *     ──▶ typ header picks the expectation: device token or person access token
 *     ──▶ tokens.verify (pinned alg, issuer, audience, typ; the only place tokens are verified)
 *     ──▶ revocations.revokedBefore(user:<id> | device:<id>) ≥ iat ? auth.revoked
 *     ──▶ socket.data.principal
 *
 * A refusal is `next(err)` with `err.data = {code, message}`: the client's `connect_error`.
 * The typ header is read unverified only to choose which pinned expectation to verify against;
 * a forged typ still has to verify as exactly that kind of token.
 */
import { decodeProtectedHeader } from 'jose';
import type { HandshakeRefusal } from '../../machines/contract/wire.js';
import type { ErrorCode } from '../../machines/errors.js';
import type { Logger } from '../../workers/logger.js';
import type { RevocationList } from '../../workers/store/actor-store.js';
import { subjectOf } from '../rooms.js';
import type { HubSocket } from '../socket/types.js';
import { TOKEN_KINDS } from './tokens.js';
import type { Principal, TokenKind, TokenService } from './tokens.js';

/** What the handshake needs. */
export interface HandshakeDeps {
  tokens: Pick<TokenService, 'verify'>;
  revocations: Pick<RevocationList, 'revokedBefore'>;
  log: Logger;
  onRefused?: (code: ErrorCode) => void;
}

/** The error a refused handshake passes to `next`; socket.io sends `data` to the client. */
export class HandshakeError extends Error {
  constructor(readonly data: HandshakeRefusal) {
    super(data.message);
    this.name = 'HandshakeError';
  }
}

/** The outcome of authenticating one presented token. */
export type AuthenticateResult = { ok: true; principal: Principal } | ({ ok: false } & HandshakeRefusal);

/** Verifies a presented token (of either kind) and checks its subject's revocation cut-off. */
export async function authenticate(deps: Pick<HandshakeDeps, 'tokens' | 'revocations'>, token: unknown): Promise<AuthenticateResult> {
  const verified = await deps.tokens.verify(token, expectedKind(token));
  if (!verified.ok) return { ok: false, code: verified.code, message: verified.message };
  const { principal } = verified;
  const before = await deps.revocations.revokedBefore(subjectOf(principal));
  if (before !== null && principal.iat <= before) {
    return { ok: false, code: 'auth.revoked', message: 'this session was revoked; sign in again' };
  }
  return { ok: true, principal };
}

/** The `io.use` middleware. */
export function createHandshake(deps: HandshakeDeps): (socket: HubSocket, next: (err?: Error) => void) => void {
  const refuse = (code: ErrorCode, message: string) => {
    deps.onRefused?.(code);
    return new HandshakeError({ code, message });
  };
  return (socket, next) => {
    authenticate(deps, presentedToken(socket)).then(
      (result) => {
        if (!result.ok) return next(refuse(result.code, result.message));
        socket.data.principal = result.principal;
        // The principal is all the socket needs from here on: the token itself is not kept on the
        // socket (it would show in the admin UI and cost each socket its length).
        socket.handshake.auth = SPENT;
        next();
      },
      (error: unknown) => {
        deps.log.error('handshake failed', { error: String(error) });
        next(refuse('store.unavailable', 'cannot check the session right now; retry shortly'));
      },
    );
  };
}

/** What a verified socket's `handshake.auth` becomes. */
const SPENT: Readonly<Record<string, never>> = Object.freeze({});

/** `auth.token` from the handshake, else a bearer token from the Authorization header. */
function presentedToken(socket: HubSocket): unknown {
  const auth: Record<string, unknown> = socket.handshake.auth;
  if (auth['token'] !== undefined) return auth['token'];
  const header = socket.handshake.headers.authorization;
  const match = typeof header === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
  return match?.[1];
}

/** Device tokens announce themselves by typ; everything else must verify as a person's access token. */
function expectedKind(token: unknown): TokenKind {
  if (typeof token !== 'string') return 'access';
  try {
    return decodeProtectedHeader(token).typ === TOKEN_KINDS.device.typ ? 'device' : 'access';
  } catch {
    return 'access'; // malformed: verify() explains what is wrong with it
  }
}

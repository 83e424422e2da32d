/**
 * Refresh sessions: an opaque token (32 random bytes) per sign-in, stored as a keyed hash,
 * rotated on every use. A rotated token presented again means it was copied: the whole family
 * ends and the person's access tokens are revoked.
 *
 *   create(user) ─▶ family F, session S1 (token T1)
 *   refresh(T1) ─▶ S1 rotated, S2 (T2) in F ─▶ { userId, role, T2 }
 *   refresh(T1) again ─▶ reuse: revoke F + revoke user:<id> ─▶ session.invalid
 *
 * Ending sessions also writes the hub's revocation list (`user:<id>`, cut-off in epoch seconds),
 * so access tokens issued until now are refused and the hub drops that person's open sockets.
 */
import type { PersonRole } from '../../machines/contract/wire.js';
import { refuse, type Refusal, type Result } from '../../machines/errors.js';
import type { Logger } from '../logger.js';
import type { RevocationList } from '../store/actor-store.js';
import type { AccountStore, SessionRecord } from './account-store.js';
import type { RandomSource, SecretHasher } from './secrets.js';
import { opaqueToken, randomId } from './secrets.js';

/** A new refresh token (show it once; only its hash is kept). */
export interface IssuedSession {
  sessionId: string;
  refreshToken: string;
  expiresAt: number;
}

/** A successful refresh: who, as what, and the token that replaces the one used. */
export interface Refreshed {
  userId: string;
  role: PersonRole;
  sessionId: string;
  newRefreshToken: string;
  expiresAt: number;
}

/** Which revocation subject was cut off and up to which second (the hub disconnects its room). */
export interface Revoked {
  userId: string;
  subject: string;
  revokedBefore: number;
}

/** What the session manager needs. */
export interface SessionDeps {
  store: AccountStore;
  revocations: Pick<RevocationList, 'revoke'>;
  hasher: SecretHasher;
  random: RandomSource;
  clock: () => number;
  sessionTtlMs: number;
  log: Logger;
}

/** Refresh sessions and the revocations that end them. */
export interface RefreshSessions {
  create(userId: string): Promise<Result<IssuedSession>>;
  refresh(refreshToken: string): Promise<Result<Refreshed>>;
  /** Ends the sign-in the token (or session id, with its owner) belongs to. */
  signOut(target: { refreshToken: string } | { sessionId: string; userId: string }): Promise<Result<Revoked>>;
  /** Ends every sign-in of a person and revokes their access tokens. */
  endAll(userId: string, reason: string, by: string): Promise<Revoked>;
  /** Revokes a person's access tokens without ending refresh sessions (role changes). */
  revokeAccess(userId: string, reason: string, by: string): Promise<Revoked>;
}

const INVALID: Refusal = refuse('session.invalid', 'the session ended or the token is not valid; sign in again');

/** Creates the session manager. */
export function createRefreshSessions(deps: SessionDeps): RefreshSessions {
  const { store, hasher, random, clock } = deps;

  function mint(userId: string, familyId: string, at: number): { record: SessionRecord; token: string } {
    const token = opaqueToken(random);
    const record: SessionRecord = {
      sessionId: randomId(random, 's'),
      familyId,
      userId,
      tokenHash: hasher.hash('refresh', token),
      createdAt: at,
      expiresAt: at + deps.sessionTtlMs,
      rotatedAt: null,
      revokedAt: null,
    };
    return { record, token };
  }

  async function revokeAccess(userId: string, reason: string, by: string): Promise<Revoked> {
    const at = clock();
    const subject = `user:${userId}`;
    // Tokens carry iat in whole seconds: every token issued up to this second is cut off.
    const revokedBefore = Math.floor(at / 1000);
    await deps.revocations.revoke(subject, revokedBefore, reason, by, at);
    return { userId, subject, revokedBefore };
  }

  return {
    async create(userId) {
      const user = await store.users.get(userId);
      if (!user) return refuse('account.invalid', 'no such account');
      if (user.status !== 'active') return refuse('account.suspended', 'this account is suspended');
      const at = clock();
      const { record, token } = mint(userId, randomId(random, 'f'), at);
      await store.sessions.insert(record);
      return { ok: true, data: { sessionId: record.sessionId, refreshToken: token, expiresAt: record.expiresAt } };
    },

    async refresh(refreshToken) {
      const at = clock();
      const session = await store.sessions.findByTokenHash(hasher.hash('refresh', refreshToken));
      if (!session || session.revokedAt !== null || session.expiresAt <= at) return INVALID;
      if (session.rotatedAt !== null) return reuse(session);
      const user = await store.users.get(session.userId);
      if (!user || user.status !== 'active') return INVALID;
      const next = mint(user.userId, session.familyId, at);
      // Losing this race means the same token was used twice at once: treated as reuse.
      if (!(await store.sessions.rotate(session.sessionId, next.record, at))) return reuse(session);
      return { ok: true, data: { userId: user.userId, role: user.role, sessionId: next.record.sessionId, newRefreshToken: next.token, expiresAt: next.record.expiresAt } };
    },

    async signOut(target) {
      const session =
        'refreshToken' in target ? await store.sessions.findByTokenHash(hasher.hash('refresh', target.refreshToken)) : await store.sessions.get(target.sessionId);
      if (!session || ('userId' in target && session.userId !== target.userId)) return INVALID;
      await store.sessions.revokeFamily(session.familyId, clock());
      return { ok: true, data: await revokeAccess(session.userId, 'signed out', `user:${session.userId}`) };
    },

    async endAll(userId, reason, by) {
      await store.sessions.revokeUser(userId, clock());
      return revokeAccess(userId, reason, by);
    },

    revokeAccess,
  };

  async function reuse(session: SessionRecord): Promise<Refusal> {
    await store.sessions.revokeFamily(session.familyId, clock());
    await revokeAccess(session.userId, 'refresh token reused', 'system');
    deps.log.warn('refresh token reuse: session family ended', { userId: session.userId, familyId: session.familyId });
    return INVALID;
  }
}

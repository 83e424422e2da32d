/**
 * Sign-up, verification, sign-in, token refresh, sign-out and the signed-in person's own account,
 * over HTTP. The accounts service does the work (codes, limits, sessions); this edge parses bodies,
 * signs access tokens, and ends open sockets when sessions end.
 *
 *   register / sign-in ─▶ {verificationId} ─code─▶ verify / sign-in/complete ─▶ access + refresh token
 *   refresh(refreshToken) ─▶ new access token + rotated refresh token (a reused one ends the family)
 *   guest ─▶ an access token with the role guest and no account (`guest_…`): a signed-out visitor's
 *            page follows the menu live with it; the policy gives it nothing else
 *   sign-out ─▶ service revokes user:<id> (cut-off in whole seconds) ─▶ endSessions: sockets get
 *               session:ended and are dropped on every node
 *
 * Revocation cut-offs are whole seconds and refuse tokens with `iat <= cut-off`, so a token signed
 * in the same second as a sign-out would be born revoked. Before signing, the edge waits for the
 * next second when the person was revoked in the current one (at most MAX_REVOCATION_WAIT_MS).
 * Every /api/auth/* route is held to a per-address token bucket (guest sessions to one of their own).
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { GuestSessionRequest } from '../../machines/contract/accounts.js';
import type { PersonRole } from '../../machines/contract/wire.js';
import { accept } from '../../machines/errors.js';
import type { Result } from '../../machines/errors.js';
import {
  AddAddressInput,
  CodeRedeem,
  LanguageInput,
  LinkRedeem,
  PreferencesPatch,
  RefreshToken,
  RegisterInput,
  ResendInput,
  SignInStart,
} from '../../workers/accounts/account-schemas.js';
import type { AccountService, AccountView } from '../../workers/accounts/account-service.js';
import type { Revoked } from '../../workers/accounts/refresh-sessions.js';
import type { TokenService } from '../auth/tokens.js';
import { userRoom } from '../rooms.js';
import type { AddressRateOptions } from './address-rate-limit.js';
import { createAddressRateLimit } from './address-rate-limit.js';
import type { ApiHandler, ApiRequest, ApiRoute } from './api-router.js';
import { readJson } from './api-router.js';
import type { HttpAuth } from './http-auth.js';
import { personFrom } from './http-auth.js';

/** What the account routes need. */
export interface AccountRoutesDeps {
  accounts: Pick<
    AccountService,
    | 'register'
    | 'resend'
    | 'verify'
    | 'verifyLink'
    | 'startSignIn'
    | 'completeSignIn'
    | 'createSession'
    | 'refresh'
    | 'signOut'
    | 'signOutEverywhere'
    | 'me'
    | 'updatePreferences'
    | 'setLanguage'
    | 'addAddress'
  >;
  tokens: Pick<TokenService, 'issueAccessToken' | 'verify'>;
  revocations: HttpAuth['revocations'];
  /** Sends `session:ended` to every open socket of a subject (`user:<id>`) and disconnects them. */
  endSessions: (subject: string) => void;
  /** Epoch milliseconds; default Date.now. */
  clock?: () => number;
  /** Per-address budget of /api/auth/* (default 60 a minute, bursts of 30). */
  authRate?: Pick<AddressRateOptions, 'perMinute' | 'burst' | 'redis'>;
}

/** The answer of a completed verification or sign-in. Times are epoch milliseconds. */
export interface SignedInAnswer {
  accessToken: string;
  accessExpiresAt: number;
  refreshToken: string;
  refreshExpiresAt: number;
  account: AccountView;
}

/** A guest session: an access token with the role guest (epoch ms of its end). */
export interface GuestSessionAnswer {
  accessToken: string;
  accessExpiresAt: number;
}

/** The answer of a refresh: a new access token and the refresh token that replaces the one used. */
export type RefreshedAnswer = Omit<SignedInAnswer, 'account'>;

/** Longest wait for the revocation second to pass (covers clock skew between nodes). */
export const MAX_REVOCATION_WAIT_MS = 2_000;

/** The default per-address budget of the auth routes. */
export const DEFAULT_AUTH_RATE = { perMinute: 60, burst: 30 } as const;

const RefreshBody = z.strictObject({ refreshToken: RefreshToken });
const SignOutBody = z.union([z.strictObject({ refreshToken: RefreshToken }), z.strictObject({ everywhere: z.literal(true) })], {
  error: 'send {"refreshToken": "…"} to end this sign-in, or {"everywhere": true} with a bearer token to end all of them',
});

/** The account and auth routes. */
export function accountRoutes(deps: AccountRoutesDeps): ApiRoute[] {
  const { accounts } = deps;
  const clock = deps.clock ?? Date.now;
  const rate = createAddressRateLimit({ ...(deps.authRate ?? DEFAULT_AUTH_RATE), name: 'auth' });
  // Guest sessions have a budget of their own, as large: signed-out pages opening them do not eat into sign-ins.
  const guestRate = createAddressRateLimit({ ...(deps.authRate ?? DEFAULT_AUTH_RATE), name: 'guest' });
  const auth: HttpAuth = { tokens: deps.tokens, revocations: deps.revocations };

  /** Signs an access token whose `iat` is after the person's latest revocation second. */
  async function issueAccess(userId: string, role: PersonRole) {
    const before = await deps.revocations.revokedBefore(userRoom(userId));
    const now = clock();
    if (before !== null && before >= Math.floor(now / 1000)) {
      const waitMs = Math.min((before + 1) * 1000 - now, MAX_REVOCATION_WAIT_MS);
      await new Promise((resolve) => setTimeout(resolve, waitMs));
    }
    return deps.tokens.issueAccessToken({ sub: userId, role });
  }

  async function signedIn(account: Result<AccountView>): Promise<Result<SignedInAnswer>> {
    if (!account.ok) return account;
    const session = await accounts.createSession(account.data.userId);
    if (!session.ok) return session;
    const access = await issueAccess(account.data.userId, account.data.role);
    return accept({
      accessToken: access.token,
      accessExpiresAt: access.expiresAt * 1000,
      refreshToken: session.data.refreshToken,
      refreshExpiresAt: session.data.expiresAt,
      account: account.data,
    });
  }

  /** Ends every sign-in of the bearer token's person. */
  async function signOutEverywhere(req: ApiRequest): Promise<Result<Revoked>> {
    const person = await personFrom(req, auth);
    return person.ok ? accept(await accounts.signOutEverywhere(person.data.userId)) : person;
  }

  /** A public auth route: rate limited per address (the auth budget unless told), body parsed with `schema`. */
  function authRoute<S extends z.ZodType>(pattern: string, schema: S, handle: (body: z.output<S>, req: ApiRequest) => Promise<Result<unknown>>, budget = rate): ApiRoute {
    const handler: ApiHandler = async (req) => {
      const body = readJson(schema, req);
      return body.ok ? handle(body.data, req) : body;
    };
    return { method: 'POST', pattern, handler: budget.guard(handler) };
  }

  /** A route for the signed-in person. */
  function meRoute<S extends z.ZodType>(method: ApiRoute['method'], pattern: string, schema: S, handle: (userId: string, body: z.output<S>) => Promise<Result<unknown>>): ApiRoute {
    return {
      method,
      pattern,
      handler: async (req) => {
        const person = await personFrom(req, auth);
        if (!person.ok) return person;
        const body = readJson(schema, req);
        return body.ok ? handle(person.data.userId, body.data) : body;
      },
    };
  }

  return [
    authRoute('/api/auth/register', RegisterInput, (body) => accounts.register(body)),
    authRoute('/api/auth/resend', ResendInput, (body) => accounts.resend(body)),
    authRoute('/api/auth/verify', CodeRedeem, async (body) => signedIn(await accounts.verify(body))),
    authRoute('/api/auth/verify-link', LinkRedeem, async (body) => signedIn(await accounts.verifyLink(body))),
    authRoute('/api/auth/sign-in', SignInStart, (body) => accounts.startSignIn(body)),
    authRoute('/api/auth/sign-in/complete', CodeRedeem, async (body) => {
      const who = await accounts.completeSignIn(body);
      return signedIn(who.ok ? await accounts.me(who.data.userId) : who);
    }),
    authRoute('/api/auth/refresh', RefreshBody, async ({ refreshToken }): Promise<Result<RefreshedAnswer>> => {
      const refreshed = await accounts.refresh(refreshToken);
      if (!refreshed.ok) return refreshed;
      const access = await issueAccess(refreshed.data.userId, refreshed.data.role);
      return accept({
        accessToken: access.token,
        accessExpiresAt: access.expiresAt * 1000,
        refreshToken: refreshed.data.newRefreshToken,
        refreshExpiresAt: refreshed.data.expiresAt,
      });
    }),
    authRoute(
      '/api/auth/guest',
      GuestSessionRequest,
      async (): Promise<Result<GuestSessionAnswer>> => {
        const access = await deps.tokens.issueAccessToken({ sub: `guest_${randomUUID().replaceAll('-', '')}`, role: 'guest' });
        return accept({ accessToken: access.token, accessExpiresAt: access.expiresAt * 1000 });
      },
      guestRate,
    ),
    authRoute('/api/auth/sign-out', SignOutBody, async (body, req) => {
      const ended = 'refreshToken' in body ? await accounts.signOut({ refreshToken: body.refreshToken }) : await signOutEverywhere(req);
      if (!ended.ok) return ended;
      // The revocation is written: from here the handshake refuses the old tokens; drop open sockets.
      deps.endSessions(ended.data.subject);
      return accept({ signedOut: true, revokedBefore: ended.data.revokedBefore });
    }),
    {
      method: 'GET',
      pattern: '/api/me',
      handler: async (req) => {
        const person = await personFrom(req, auth);
        return person.ok ? accounts.me(person.data.userId) : person;
      },
    },
    meRoute('PATCH', '/api/me/preferences', PreferencesPatch, (userId, body) => accounts.updatePreferences(userId, body)),
    meRoute('PATCH', '/api/me/language', LanguageInput, (userId, body) => accounts.setLanguage(userId, body)),
    meRoute('POST', '/api/me/addresses', AddAddressInput, (userId, body) => accounts.addAddress(userId, body)),
  ];
}

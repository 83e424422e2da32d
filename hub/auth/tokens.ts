/**
 * Access tokens for people and device tokens for gates, lockers and kitchen boards: issued
 * and verified here and nowhere else.
 *
 * Verification pins everything an attacker could vary: the algorithm (EdDSA only, so `none`
 * and HS256-with-the-public-key are refused before any key is used), the key (by kid, from
 * our ring only), the issuer, the audience and the `typ` header (so a device token cannot
 * pass as a person and vice versa). Failures come back as a result with one of our codes,
 * never as a thrown jose error.
 */
import { randomBytes } from 'node:crypto';
import { errors, jwtVerify, SignJWT } from 'jose';
import type { CryptoKey, JWTPayload, JWTVerifyGetKey } from 'jose';
import { z } from 'zod';
import type { ErrorCode } from '../../machines/errors.js';
import { SIGNING_ALG } from './keys.js';
import type { KeyRing } from './keys.js';

// Roles and device kinds belong to the wire contract that clients share.
import { DEVICE_KINDS, PERSON_ROLES, SESSION_ROLES } from '../../machines/contract/wire.js';
import type { DeviceKind, PersonRole, SessionRole } from '../../machines/contract/wire.js';
import { DeviceScope } from '../../machines/contract/admin.js';
export { DEVICE_KINDS, PERSON_ROLES, SESSION_ROLES };
export type { DeviceKind, PersonRole, SessionRole };

/** What a device token may act on; omitted fields are not granted. */
export { DeviceScope };
/** What a device token may act on. */
export type DeviceScope = z.infer<typeof DeviceScope>;

/** The two token kinds and the `typ` header and audience that tell them apart. */
export const TOKEN_KINDS = {
  access: { typ: 'vh-access+jwt', audience: 'venue-hub:people' },
  device: { typ: 'vh-device+jwt', audience: 'venue-hub:devices' },
} as const;
/** Which kind of token a caller expects. */
export type TokenKind = keyof typeof TOKEN_KINDS;

/** An authenticated person with an account. `iat` and `exp` are in epoch seconds (`iat` is checked against revocations). */
export interface PersonPrincipal {
  kind: 'person';
  userId: string;
  role: PersonRole;
  jti: string;
  iat: number;
  exp: number;
}

/** An authenticated device. `iat` and `exp` are in epoch seconds (`iat` is checked against revocations). */
export interface DevicePrincipal {
  kind: 'device';
  deviceId: string;
  deviceKind: DeviceKind;
  scope: DeviceScope;
  jti: string;
  iat: number;
  exp: number;
}

/**
 * A signed-out visitor's session (`POST /api/auth/guest`): an access token with the role `guest`
 * and no account (`userId` is `guest_…`); the policy gives it only what anyone may follow.
 */
export interface GuestPrincipal extends Omit<PersonPrincipal, 'role'> {
  role: 'guest';
}

/** Whoever presented a valid token. */
export type Principal = PersonPrincipal | GuestPrincipal | DevicePrincipal;

/** The codes `verify` can refuse with. */
export type TokenRefusalCode = Extract<ErrorCode, 'auth.missing' | 'auth.invalid' | 'auth.expired' | 'auth.wrong_audience' | 'auth.wrong_type' | 'auth.revoked'>;

/** The outcome of verifying a token. */
export type VerifyResult = { ok: true; principal: Principal } | { ok: false; code: TokenRefusalCode; message: string };

/** A freshly signed token; `expiresAt` is in epoch seconds. */
export interface IssuedToken {
  token: string;
  jti: string;
  expiresAt: number;
}

/** What the token service needs. */
export interface TokenServiceDeps {
  keyRing: KeyRing;
  issuer: string;
  accessTtlSeconds: number;
  /** Device tokens live longer: devices are provisioned once. Default 30 days. */
  deviceTtlSeconds?: number;
  /** Milliseconds since the epoch; injected by tests. Default Date.now. */
  clock?: () => number;
  /** Allowed skew between hub nodes when checking exp. Default 5 seconds. */
  clockToleranceSeconds?: number;
  /** Consulted after a token verifies; true refuses it with auth.revoked. */
  isRevoked?: (jti: string, principal: Principal) => boolean | Promise<boolean>;
}

/** Issues and verifies access and device tokens. */
export interface TokenService {
  issueAccessToken(input: { sub: string; role: SessionRole }): Promise<IssuedToken>;
  issueDeviceToken(input: { deviceId: string; deviceKind: DeviceKind; scope: DeviceScope }): Promise<IssuedToken>;
  /** Never throws; `token` is whatever the client sent (undefined, non-strings and blanks included). */
  verify(token: unknown, expected: TokenKind): Promise<VerifyResult>;
}

/** Device tokens' default lifetime: 30 days. */
export const DEFAULT_DEVICE_TTL_SECONDS = 30 * 24 * 3600;

/** Longer than any token we issue; anything bigger is refused before parsing. */
const MAX_TOKEN_CHARS = 4096;

const BaseClaims = z.object({ sub: z.string().min(1), jti: z.string().min(1), iat: z.number().int(), exp: z.number().int() });
const PersonClaims = BaseClaims.extend({ role: z.enum(SESSION_ROLES) });
const DeviceClaims = BaseClaims.extend({ device_kind: z.enum(DEVICE_KINDS), device_scope: DeviceScope });

/** Creates the token service over a key ring. */
export function createTokenService(deps: TokenServiceDeps): TokenService {
  const { keyRing, issuer, accessTtlSeconds } = deps;
  const deviceTtlSeconds = deps.deviceTtlSeconds ?? DEFAULT_DEVICE_TTL_SECONDS;
  const clock = deps.clock ?? Date.now;
  const clockTolerance = deps.clockToleranceSeconds ?? 5;

  async function sign(kind: TokenKind, sub: string, claims: JWTPayload, ttlSeconds: number): Promise<IssuedToken> {
    if (sub.length === 0) throw new TypeError('a token subject must not be empty');
    const now = Math.floor(clock() / 1000);
    const expiresAt = now + ttlSeconds;
    const jti = randomBytes(16).toString('base64url');
    const { typ, audience } = TOKEN_KINDS[kind];
    const token = await new SignJWT(claims)
      .setProtectedHeader({ alg: SIGNING_ALG, typ, kid: keyRing.active.kid })
      .setIssuer(issuer)
      .setAudience(audience)
      .setSubject(sub)
      .setIssuedAt(now)
      .setExpirationTime(expiresAt)
      .setJti(jti)
      .sign(keyRing.active.privateKey);
    return { token, jti, expiresAt };
  }

  const getKey: JWTVerifyGetKey<CryptoKey> = (header) => {
    const key = header.kid === undefined ? undefined : keyRing.verificationKey(header.kid);
    if (key === undefined) throw new errors.JWKSNoMatchingKey();
    return key;
  };

  return {
    issueAccessToken: ({ sub, role }) => sign('access', sub, { role: z.enum(SESSION_ROLES).parse(role) }, accessTtlSeconds),

    issueDeviceToken: ({ deviceId, deviceKind, scope }) =>
      sign('device', deviceId, { device_kind: z.enum(DEVICE_KINDS).parse(deviceKind), device_scope: DeviceScope.parse(scope) }, deviceTtlSeconds),

    async verify(token, expected) {
      if (token === undefined || token === null || (typeof token === 'string' && token.trim() === '')) {
        return refusal('auth.missing', 'no token was presented');
      }
      if (typeof token !== 'string') return refusal('auth.invalid', 'the token must be a string');
      if (token.length > MAX_TOKEN_CHARS) return refusal('auth.invalid', 'the token is too long');

      const { typ, audience } = TOKEN_KINDS[expected];
      let payload: JWTPayload;
      try {
        ({ payload } = await jwtVerify(token, getKey, {
          algorithms: [SIGNING_ALG],
          issuer,
          audience,
          typ,
          requiredClaims: ['exp', 'iat', 'jti', 'sub'],
          currentDate: new Date(clock()),
          clockTolerance,
        }));
      } catch (error) {
        return fromJoseError(error, expected);
      }

      const principal = toPrincipal(payload, expected);
      if (principal === undefined) return refusal('auth.invalid', `the ${expected} token's claims are malformed`);
      if (deps.isRevoked !== undefined && (await deps.isRevoked(principal.jti, principal))) {
        return refusal('auth.revoked', 'this token has been revoked; sign in again');
      }
      return { ok: true, principal };
    },
  };
}

/** Reads the verified claims into a principal, or undefined when they do not have our shape. */
function toPrincipal(payload: JWTPayload, kind: TokenKind): Principal | undefined {
  if (kind === 'access') {
    const claims = PersonClaims.safeParse(payload);
    if (!claims.success) return undefined;
    const { sub, role, jti, iat, exp } = claims.data;
    // A guest session is told apart by its role: it has no account behind it.
    if (role === 'guest') return { kind: 'person', userId: sub, role, jti, iat, exp };
    return { kind: 'person', userId: sub, role, jti, iat, exp };
  }
  const claims = DeviceClaims.safeParse(payload);
  if (!claims.success) return undefined;
  const { sub, device_kind, device_scope, jti, iat, exp } = claims.data;
  return { kind: 'device', deviceId: sub, deviceKind: device_kind, scope: device_scope, jti, iat, exp };
}

/** Maps what jose throws to our codes; anything unrecognised is simply an invalid token. */
function fromJoseError(error: unknown, expected: TokenKind): VerifyResult {
  if (error instanceof errors.JWTExpired) return refusal('auth.expired', 'the token has expired; get a new one');
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === 'typ') return refusal('auth.wrong_type', `expected a ${expected} token (typ ${TOKEN_KINDS[expected].typ})`);
    if (error.claim === 'aud') return refusal('auth.wrong_audience', `the token is not meant for ${TOKEN_KINDS[expected].audience}`);
    return refusal('auth.invalid', `the token's "${error.claim}" claim is not acceptable`);
  }
  if (error instanceof errors.JOSEAlgNotAllowed) return refusal('auth.invalid', `the token's algorithm is not allowed (only ${SIGNING_ALG})`);
  if (error instanceof errors.JWKSNoMatchingKey) return refusal('auth.invalid', 'the token was signed by a key this hub does not know');
  if (error instanceof errors.JWSSignatureVerificationFailed) return refusal('auth.invalid', "the token's signature does not verify");
  if (error instanceof errors.JOSENotSupported) return refusal('auth.invalid', 'the token uses an unsupported feature');
  return refusal('auth.invalid', 'the token is malformed');
}

function refusal(code: TokenRefusalCode, message: string): VerifyResult {
  return { ok: false, code, message };
}

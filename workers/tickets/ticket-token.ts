/**
 * The QR payload of a ticket: a compact JWS signed with EdDSA under the ticket-only key ring,
 * issued and verified here and nowhere else.
 *
 *   header  {alg: EdDSA, typ: vh-ticket+jwt, kid}
 *   payload {b: bookingId, iss, aud: venue-hub:gates, jti: ticketId, nbf, exp}
 *
 * Claims are short because every byte makes the QR denser. `nbf`/`exp` are the slot window
 * widened by a grace on both sides. No `iat` and no random nonce: Ed25519 signatures are
 * deterministic, so the same ticket always yields the same token, which lets the token be derived
 * from the ticket actor on demand (email, screen, QR image) instead of being stored.
 *
 * Verification pins the algorithm (so `none` and HS256 are refused before any key is used), the
 * key (by kid, from the ticket ring only: a session or payment token signed by another key fails
 * here), the `typ`, the issuer and the audience; every failure is `ticket.invalid`.
 */
import { errors, jwtVerify, SignJWT } from 'jose';
import type { CryptoKey, JWTPayload, JWTVerifyGetKey } from 'jose';
import { z } from 'zod';
import type { ErrorCode } from '../../machines/errors.js';

/** The `typ` header of ticket tokens. */
export const TICKET_TOKEN_TYPE = 'vh-ticket+jwt';
/** The audience of ticket tokens: the gates that scan them. */
export const TICKET_AUDIENCE = 'venue-hub:gates';
/** The only algorithm ticket tokens are signed or accepted with. */
export const TICKET_ALG = 'EdDSA';
/** How far before the slot start and after its end a ticket still verifies, by default. */
export const DEFAULT_TICKET_GRACE_MS = 60 * 60 * 1000;

/** Longer than any ticket token we sign; anything bigger is refused before parsing. */
const MAX_TOKEN_CHARS = 1024;

/**
 * The ticket key ring as this module needs it: signs with `active`, verifies with any kid it holds.
 * The hub's `KeyRing` (loadOrCreateKeyRing with purpose 'ticket') has exactly this shape.
 */
export interface TicketKeys {
  readonly active: { readonly kid: string; readonly privateKey: CryptoKey };
  verificationKey(kid: string): CryptoKey | undefined;
}

/** What a token is signed from: the ticket actor's context. */
export interface TicketTokenSubject {
  ticketId: string;
  bookingId: string;
  validFrom: number;
  validUntil: number;
}

/** What a verified token says; times in epoch milliseconds (grace included). */
export interface TicketClaims {
  ticketId: string;
  bookingId: string;
  notBefore: number;
  expiresAt: number;
  kid: string;
}

/** The outcome of verifying a ticket token. */
export type TicketTokenResult =
  | { ok: true; claims: TicketClaims }
  | { ok: false; code: Extract<ErrorCode, 'ticket.invalid'>; message: string };

/** How to verify: the ring, the issuer we sign as, and the time of the scan. */
export interface VerifyTicketOptions {
  keys: TicketKeys;
  issuer: string;
  /** Epoch milliseconds of the scan; default now. */
  at?: number;
  /** Allowed skew between the gate's clock and ours. Default 30 seconds. */
  clockToleranceSeconds?: number;
}

/** Signs ticket tokens and verifies them with one configuration. */
export interface TicketTokens {
  sign(ticket: TicketTokenSubject): Promise<string>;
  verify(token: unknown, at?: number): Promise<TicketTokenResult>;
}

/** Creates the ticket token service over the ticket key ring. */
export function createTicketTokens(deps: { keys: TicketKeys; issuer: string; graceMs?: number; clock?: () => number }): TicketTokens {
  const grace = deps.graceMs ?? DEFAULT_TICKET_GRACE_MS;
  const clock = deps.clock ?? Date.now;
  return {
    sign: (ticket) => signTicketToken(ticket, { keys: deps.keys, issuer: deps.issuer, graceMs: grace }),
    verify: (token, at) => verifyTicketToken(token, { keys: deps.keys, issuer: deps.issuer, at: at ?? clock() }),
  };
}

/** Signs the QR payload of one ticket with the active ticket key. */
export async function signTicketToken(
  ticket: TicketTokenSubject,
  options: { keys: TicketKeys; issuer: string; graceMs?: number },
): Promise<string> {
  const grace = options.graceMs ?? DEFAULT_TICKET_GRACE_MS;
  return new SignJWT({ b: ticket.bookingId })
    .setProtectedHeader({ alg: TICKET_ALG, typ: TICKET_TOKEN_TYPE, kid: options.keys.active.kid })
    .setIssuer(options.issuer)
    .setAudience(TICKET_AUDIENCE)
    .setJti(ticket.ticketId)
    .setNotBefore(Math.floor((ticket.validFrom - grace) / 1000))
    .setExpirationTime(Math.ceil((ticket.validUntil + grace) / 1000))
    .sign(options.keys.active.privateKey);
}

const Claims = z.object({
  jti: z.string().min(1).max(80),
  b: z.string().min(1).max(64),
  nbf: z.number().int(),
  exp: z.number().int(),
});

/** Verifies a presented ticket token; never throws. The gate calls this before looking up the ticket. */
export async function verifyTicketToken(token: unknown, options: VerifyTicketOptions): Promise<TicketTokenResult> {
  if (typeof token !== 'string' || token.trim() === '') return invalid('no ticket token was presented');
  if (token.length > MAX_TOKEN_CHARS) return invalid('the ticket token is too long');
  let kid = '';
  const getKey: JWTVerifyGetKey<CryptoKey> = (header) => {
    const key = header.kid === undefined ? undefined : options.keys.verificationKey(header.kid);
    if (key === undefined) throw new errors.JWKSNoMatchingKey();
    kid = header.kid ?? '';
    return key;
  };
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(token, getKey, {
      algorithms: [TICKET_ALG],
      issuer: options.issuer,
      audience: TICKET_AUDIENCE,
      typ: TICKET_TOKEN_TYPE,
      requiredClaims: ['jti', 'nbf', 'exp'],
      currentDate: new Date(options.at ?? Date.now()),
      clockTolerance: options.clockToleranceSeconds ?? 30,
    }));
  } catch (error) {
    return invalid(reasonOf(error));
  }
  const claims = Claims.safeParse(payload);
  if (!claims.success) return invalid("the ticket token's claims are malformed");
  const { jti, b, nbf, exp } = claims.data;
  return { ok: true, claims: { ticketId: jti, bookingId: b, notBefore: nbf * 1000, expiresAt: exp * 1000, kid } };
}

function invalid(message: string): TicketTokenResult {
  return { ok: false, code: 'ticket.invalid', message };
}

/** Says why, for logs and the gate operator; the code stays `ticket.invalid` whatever the reason. */
function reasonOf(error: unknown): string {
  if (error instanceof errors.JWTExpired) return 'the ticket is past its slot';
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === 'nbf') return 'the ticket is not valid yet';
    if (error.claim === 'typ') return `not a ticket (typ must be ${TICKET_TOKEN_TYPE})`;
    if (error.claim === 'aud') return `not meant for ${TICKET_AUDIENCE}`;
    return `the ticket's "${error.claim}" claim is not acceptable`;
  }
  if (error instanceof errors.JOSEAlgNotAllowed) return `the ticket must be signed with ${TICKET_ALG}`;
  if (error instanceof errors.JWKSNoMatchingKey) return 'the ticket was not signed by a ticket key';
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'the ticket signature does not verify';
  return 'the ticket token is malformed';
}

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
import { KeyObject, verify as cryptoVerify } from 'node:crypto';
import { SignJWT } from 'jose';
import type { CryptoKey } from 'jose';
import { z } from 'zod';
import type { ErrorCode } from '../../machines/errors.js';
import { TICKET_VALIDITY_GRACE_MINUTES } from '../../machines/contract/gates.js';

/** The `typ` header of ticket tokens. */
export const TICKET_TOKEN_TYPE = 'vh-ticket+jwt';
/** The audience of ticket tokens: the gates that scan them. */
export const TICKET_AUDIENCE = 'venue-hub:gates';
/** The only algorithm ticket tokens are signed or accepted with. */
export const TICKET_ALG = 'EdDSA';
/** How far before the slot start and after its end a ticket still verifies, by default. */
export const DEFAULT_TICKET_GRACE_MS = TICKET_VALIDITY_GRACE_MINUTES * 60_000;

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
  /** The same verification, synchronously (the gate scan's path). */
  verifyNow(token: unknown, at?: number): TicketTokenResult;
}

/** Creates the ticket token service over the ticket key ring. */
export function createTicketTokens(deps: { keys: TicketKeys; issuer: string; graceMs?: number; clock?: () => number }): TicketTokens {
  const grace = deps.graceMs ?? DEFAULT_TICKET_GRACE_MS;
  const clock = deps.clock ?? Date.now;
  return {
    sign: (ticket) => signTicketToken(ticket, { keys: deps.keys, issuer: deps.issuer, graceMs: grace }),
    verify: (token, at) => verifyTicketToken(token, { keys: deps.keys, issuer: deps.issuer, at: at ?? clock() }),
    verifyNow: (token, at) => verifyTicketTokenNow(token, { keys: deps.keys, issuer: deps.issuer, at: at ?? clock() }),
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
export function verifyTicketToken(token: unknown, options: VerifyTicketOptions): Promise<TicketTokenResult> {
  return Promise.resolve(verifyTicketTokenNow(token, options));
}

/**
 * The same check, synchronously: a gate scan verifies with `node:crypto` on a KeyObject cached per
 * key (no WebCrypto promise job, about half jose's CPU per token). It applies jose's rules for a
 * compact JWS and a JWT, in jose's order (the tests hold both to the same forgeries):
 *
 *   3 base64url parts ─▶ header object, no `crit` ─▶ alg EdDSA ─▶ kid in the ticket ring
 *   ─▶ Ed25519 signature over `header.payload` ─▶ typ ─▶ payload object ─▶ jti, nbf, exp present
 *   ─▶ iss ─▶ aud (string or list) ─▶ nbf ≤ now + tolerance ─▶ exp > now − tolerance ─▶ claims shape
 */
export function verifyTicketTokenNow(token: unknown, options: VerifyTicketOptions): TicketTokenResult {
  if (typeof token !== 'string' || token.trim() === '') return invalid('no ticket token was presented');
  if (token.length > MAX_TOKEN_CHARS) return invalid('the ticket token is too long');
  const parts = token.split('.');
  if (parts.length !== 3) return invalid(MALFORMED);
  const [encodedHeader = '', encodedPayload = '', encodedSignature = ''] = parts;
  if (!BASE64URL.test(encodedHeader) || !BASE64URL.test(encodedPayload) || !BASE64URL.test(encodedSignature)) return invalid(MALFORMED);
  const header = jsonObject(encodedHeader);
  if (header === null || 'crit' in header) return invalid(MALFORMED);
  if (header['alg'] !== TICKET_ALG) return invalid(`the ticket must be signed with ${TICKET_ALG}`);
  const kid = header['kid'];
  const key = typeof kid === 'string' ? options.keys.verificationKey(kid) : undefined;
  if (typeof kid !== 'string' || key === undefined) return invalid('the ticket was not signed by a ticket key');
  if (!signatureVerifies(`${encodedHeader}.${encodedPayload}`, encodedSignature, key)) return invalid('the ticket signature does not verify');
  if (header['typ'] !== TICKET_TOKEN_TYPE) return invalid(`not a ticket (typ must be ${TICKET_TOKEN_TYPE})`);
  const payload = jsonObject(encodedPayload);
  if (payload === null) return invalid(MALFORMED);
  for (const claim of ['jti', 'nbf', 'exp'] as const) if (!(claim in payload)) return invalid(claimRefused(claim));
  if (payload['iss'] !== options.issuer) return invalid(claimRefused('iss'));
  const aud = payload['aud'];
  if (!(aud === TICKET_AUDIENCE || (Array.isArray(aud) && aud.includes(TICKET_AUDIENCE)))) return invalid(`not meant for ${TICKET_AUDIENCE}`);
  const { nbf, exp } = payload;
  if (typeof nbf !== 'number') return invalid(claimRefused('nbf'));
  if (typeof exp !== 'number') return invalid(claimRefused('exp'));
  const now = Math.floor((options.at ?? Date.now()) / 1000);
  const tolerance = options.clockToleranceSeconds ?? 30;
  if (nbf > now + tolerance) return invalid('the ticket is not valid yet');
  if (exp <= now - tolerance) return invalid('the ticket is past its slot');
  const claims = Claims.safeParse(payload);
  if (!claims.success) return invalid("the ticket's claims are malformed");
  const { jti, b } = claims.data;
  return { ok: true, claims: { ticketId: jti, bookingId: b, notBefore: nbf * 1000, expiresAt: exp * 1000, kid } };
}

const MALFORMED = 'the ticket token is malformed';
const BASE64URL = /^[A-Za-z0-9_-]*$/;

function claimRefused(claim: string): string {
  return `the ticket's "${claim}" claim is not acceptable`;
}

function jsonObject(encoded: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** node:crypto key objects of the ring's CryptoKeys, made once per key. */
const keyObjects = new WeakMap<CryptoKey, KeyObject>();

function signatureVerifies(signingInput: string, encodedSignature: string, key: CryptoKey): boolean {
  let keyObject = keyObjects.get(key);
  if (keyObject === undefined) {
    keyObject = KeyObject.from(key);
    keyObjects.set(key, keyObject);
  }
  if (keyObject.asymmetricKeyType !== 'ed25519') return false;
  try {
    return cryptoVerify(null, Buffer.from(signingInput), keyObject, Buffer.from(encodedSignature, 'base64url'));
  } catch {
    return false;
  }
}

function invalid(message: string): TicketTokenResult {
  return { ok: false, code: 'ticket.invalid', message };
}

/**
 * HMAC-SHA256 webhook signatures (the simulated provider signs, the intake verifies).
 *
 *   x-simpay-timestamp: 1718000000                     (seconds)
 *   x-simpay-signature: v1=<hex hmac(secret, `${timestamp}.${rawBody}`)>[, v1=<…>]
 *
 * Signing the timestamp with the body makes a captured request useless outside the window;
 * inside it, replays are duplicates the event-id dedupe drops. Verification works on the raw
 * bytes (a re-serialised JSON would not match), compares in constant time, and checks the
 * signature before the clock so an unauthenticated caller learns nothing about the window.
 * Several `v1=` entries and several secrets let a secret be rotated without downtime.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { accept, refuse } from '../../machines/errors.js';
import type { Result } from '../../machines/errors.js';
import { headerValue } from './gateway.js';
import type { WebhookHeaders } from './gateway.js';
import { SIMULATED_WEBHOOK_HEADERS } from '../../machines/contract/payments.js';

/** Header with one or more `v1=<hex>` signatures. */
export const SIGNATURE_HEADER = SIMULATED_WEBHOOK_HEADERS.signature;
/** Header with the signing time, epoch seconds. */
export const TIMESTAMP_HEADER = SIMULATED_WEBHOOK_HEADERS.timestamp;
/** Default window either side of our clock: stale AND future-dated deliveries are refused. */
export const DEFAULT_TOLERANCE_MS = 5 * 60 * 1000;

/** The hex signature of one delivery. */
export function signPayload(secret: string, timestampSec: number, rawBody: Buffer): string {
  return createHmac('sha256', secret).update(`${timestampSec}.`).update(rawBody).digest('hex');
}

/** The two headers a delivery carries. */
export function signatureHeaders(secret: string, timestampSec: number, rawBody: Buffer): Record<string, string> {
  return { [TIMESTAMP_HEADER]: String(timestampSec), [SIGNATURE_HEADER]: `v1=${signPayload(secret, timestampSec, rawBody)}` };
}

function sameHex(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  return left.length === right.length && timingSafeEqual(left, right);
}

/** Secrets and clock of one verification. */
export interface VerifyOptions {
  /** Current and previous secrets; any may have signed. */
  secrets: readonly string[];
  now: number;
  toleranceMs?: number;
}

/** Checks signature, then the time window; answers the signed timestamp (ms) when both hold. */
export function verifySignature(rawBody: Buffer, headers: WebhookHeaders, options: VerifyOptions): Result<number> {
  const timestamp = headerValue(headers, TIMESTAMP_HEADER);
  const signature = headerValue(headers, SIGNATURE_HEADER);
  if (!timestamp || !/^\d{1,12}$/.test(timestamp) || !signature) {
    return refuse('payment.signature', `missing or malformed ${TIMESTAMP_HEADER} / ${SIGNATURE_HEADER}`);
  }
  const offered = signature
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part.startsWith('v1='))
    .map((part) => part.slice(3));
  const seconds = Number(timestamp);
  const valid = options.secrets.some((secret) => {
    const expected = signPayload(secret, seconds, rawBody);
    // Every offered entry is compared (no early exit on the first mismatch).
    return offered.reduce((found, candidate) => sameHex(candidate, expected) || found, false);
  });
  if (!valid) return refuse('payment.signature', 'signature does not match the body');
  const tolerance = options.toleranceMs ?? DEFAULT_TOLERANCE_MS;
  const skew = options.now - seconds * 1000;
  if (skew > tolerance) return refuse('payment.stale', `signed ${Math.round(skew / 1000)} s ago, outside the ${tolerance / 1000} s window`);
  if (skew < -tolerance) return refuse('payment.stale', `signed ${Math.round(-skew / 1000)} s in the future, outside the ${tolerance / 1000} s window`);
  return accept(seconds * 1000);
}

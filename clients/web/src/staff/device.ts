/**
 * A device page's pairing: the device token the admin console mints (shown as a QR code or a
 * `?pair=` link), kept on this device, and the socket opened with it. Tokens are verified by the
 * hub at the handshake; the page only reads the claims to say what it was paired as.
 */
import { connectHub } from '../../../sdk/index.js';
import type { HubClient } from '../../../sdk/index.js';

/** The claims of a device token this page reads (unverified: the hub decides). */
export interface DeviceClaims {
  deviceId: string;
  deviceKind: string;
  scope: { zone?: string; gateId?: string; lockerBankId?: string };
  /** Epoch seconds. */
  expiresAt: number;
}

const KEY_PREFIX = 'vh.device.';
const JWT = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

/** The token inside what was pasted or scanned: a bare token, or a pairing link carrying `?pair=`. */
export function pairingTokenOf(text: string): string | null {
  const trimmed = text.trim();
  if (JWT.test(trimmed)) return trimmed;
  try {
    const fromLink = new URL(trimmed, location.origin).searchParams.get('pair');
    return fromLink !== null && JWT.test(fromLink) ? fromLink : null;
  } catch {
    return null;
  }
}

/** Reads a device token's claims, or null when it is not one. */
export function claimsOf(token: string): DeviceClaims | null {
  const body = token.split('.')[1];
  if (body === undefined) return null;
  try {
    const json = JSON.parse(atob(body.replace(/-/g, '+').replace(/_/g, '/'))) as Record<string, unknown>;
    const scope = (json['device_scope'] ?? {}) as DeviceClaims['scope'];
    if (typeof json['sub'] !== 'string' || typeof json['device_kind'] !== 'string') return null;
    return { deviceId: json['sub'], deviceKind: json['device_kind'], scope, expiresAt: Number(json['exp'] ?? 0) };
  } catch {
    return null;
  }
}

/** The token this device was paired with for `page`, if any. */
export function pairedToken(page: string): string | null {
  return localStorage.getItem(KEY_PREFIX + page);
}

/** Keeps the pairing. */
export function keepPairing(page: string, token: string): void {
  localStorage.setItem(KEY_PREFIX + page, token);
}

/** Forgets the pairing. */
export function forgetPairing(page: string): void {
  localStorage.removeItem(KEY_PREFIX + page);
}

/**
 * A `?pair=` token in the address, removed from it at once (the token should not stay in the
 * history or be shown over a shoulder).
 */
export function takePairingFromAddress(): string | null {
  const params = new URLSearchParams(location.search);
  const token = params.get('pair');
  if (token === null) return null;
  params.delete('pair');
  const rest = params.toString();
  history.replaceState(null, '', location.pathname + (rest === '' ? '' : `?${rest}`) + location.hash);
  return pairingTokenOf(token);
}

/** Opens the device's socket (the SDK reconnects by itself). */
export function connectDevice(token: string): HubClient {
  return connectHub({ url: location.origin, token, requestTimeoutMs: 8_000, backoffMaxMs: 3_000 });
}

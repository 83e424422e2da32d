/**
 * Test support for tickets: a real Ed25519 ticket key ring in memory (the same shape the hub's
 * key ring has), slot windows from a map (the catalog's port), and a QR decoder for PNGs.
 */
import { exportJWK, generateKeyPair } from 'jose';
import type { CryptoKey, JWK } from 'jose';
import jsqrModule from 'jsqr';
import { PNG } from 'pngjs';
import type { SlotWindow, SlotWindows } from './slot-windows.js';
import type { TicketKeys } from './ticket-token.js';

/** A ticket key ring plus the raw keys, so tests can forge tokens with them or with others. */
export interface TestTicketKeys extends TicketKeys {
  readonly publicJwk: JWK;
  readonly publicKey: CryptoKey;
}

/** Generates a fresh Ed25519 ticket key ring with one key; `retired` rings verify too (rotation). */
export async function createTestTicketKeys(kid = 'ticket-key-1', retired: readonly TestTicketKeys[] = []): Promise<TestTicketKeys> {
  const { privateKey, publicKey } = await generateKeyPair('EdDSA', { extractable: true });
  const publicJwk = await exportJWK(publicKey);
  const verification = new Map<string, CryptoKey>([[kid, publicKey], ...retired.map((r): [string, CryptoKey] => [r.active.kid, r.publicKey])]);
  return {
    active: { kid, privateKey },
    verificationKey: (k) => verification.get(k),
    publicJwk,
    publicKey,
  };
}

/** Slot windows held in a map, as the catalog would answer them. */
export function createMapSlotWindows(entries: Record<string, SlotWindow> = {}): SlotWindows & { set(slotId: string, window: SlotWindow): void } {
  const windows = new Map(Object.entries(entries));
  return {
    async window(slotId) {
      return windows.get(slotId) ?? null;
    },
    set(slotId, window) {
      windows.set(slotId, window);
    },
  };
}

// jsqr is CommonJS with a `default` property; depending on the loader the import is the function or its module.
type JsQr = typeof jsqrModule.default;
const jsQR: JsQr = typeof jsqrModule === 'function' ? (jsqrModule as unknown as JsQr) : jsqrModule.default;

/** Decodes the QR code in a PNG, or null when none is found. */
export function decodeQrPng(png: Buffer): string | null {
  const image = PNG.sync.read(png);
  const code = jsQR(new Uint8ClampedArray(image.data.buffer, image.data.byteOffset, image.data.length), image.width, image.height);
  return code?.data ?? null;
}

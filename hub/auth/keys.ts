/**
 * Signing keys with key ids, so keys can rotate without logging everyone out.
 *
 *   JWT_PRIVATE_KEYS (production)      DATA_DIR/keys/<purpose file> (embedded default)
 *   [active, older, older…]            {"keys": [active, …]}  mode 0600, created once
 *            \                            /
 *             KeyRing: signs with `active`, verifies with any kid it holds,
 *                      publishes the public halves as a JWKS
 *
 * The first key is the one that signs; the rest only verify, which lets tokens signed by
 * a retired key live out their lifetime after a rotation. Verify-only entries may be
 * given as public JWKs (no `d`).
 */
import { randomBytes } from 'node:crypto';
import { link, mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK } from 'jose';
import type { CryptoKey, JWK } from 'jose';
import { z } from 'zod';
import { CodedError } from '../../machines/errors.js';

/** The only JWS algorithm the hub signs or accepts. */
export const SIGNING_ALG = 'EdDSA';

const base64url = z.string({ error: 'must be a base64url string' }).regex(/^[A-Za-z0-9_-]+$/, { error: 'must be a base64url string' });

/** An Ed25519 (OKP) JWK as accepted from configuration or the key file; `d` marks a private key. */
export const Ed25519Jwk = z.object({
  kty: z.literal('OKP', { error: 'kty must be "OKP"' }),
  crv: z.literal('Ed25519', { error: 'crv must be "Ed25519"' }),
  kid: z.string({ error: 'every key needs a "kid"' }).min(1, { error: 'every key needs a non-empty "kid"' }),
  x: base64url,
  d: base64url.optional(),
});
export type Ed25519Jwk = z.infer<typeof Ed25519Jwk>;

/** A key list whose first entry is private (it signs) and whose kids are unique. */
export const Ed25519JwkList = z
  .array(Ed25519Jwk)
  .min(1, { error: 'give at least one key' })
  .refine((keys) => keys[0]?.d !== undefined, { error: 'the first key signs, so it must be a private key (with "d")' })
  .refine((keys) => new Set(keys.map((k) => k.kid)).size === keys.length, { error: 'kids must be unique' });

/** Which tokens a ring signs; each purpose has its own keys so one can rotate without the other. */
export type KeyPurpose = 'access' | 'ticket';

const KEY_FILES: Record<KeyPurpose, string> = {
  access: 'signing-keys.json',
  ticket: 'ticket-signing-keys.json',
};

const KeyFile = z.object({ keys: Ed25519JwkList });

/** The public half of a signing key, as published in a JWKS. */
export interface PublicSigningJwk {
  kty: 'OKP';
  crv: 'Ed25519';
  x: string;
  kid: string;
  alg: typeof SIGNING_ALG;
  use: 'sig';
}

/** Signs with one active key and verifies with every key it holds, looked up by kid. */
export interface KeyRing {
  readonly purpose: KeyPurpose;
  /** The key that signs new tokens. */
  readonly active: { readonly kid: string; readonly privateKey: CryptoKey };
  /** The public key for `kid`, or undefined when the ring does not hold it. */
  verificationKey(kid: string): CryptoKey | undefined;
  /** The public halves of all keys, active first, for `/.well-known/jwks.json`. */
  publicJwks(): { keys: PublicSigningJwk[] };
}

/** Where and how to find the keys of one purpose. */
export interface KeyRingOptions {
  dataDir: string;
  /** Keys from configuration (JWT_PRIVATE_KEYS); when given, nothing is read from or written to disk. */
  privateJwks?: readonly Ed25519Jwk[] | undefined;
  purpose?: KeyPurpose;
}

/** Path of the key file for a purpose under a data directory. */
export function keyFilePath(dataDir: string, purpose: KeyPurpose): string {
  return join(dataDir, 'keys', KEY_FILES[purpose]);
}

/**
 * Builds the key ring for one purpose: from `privateJwks` when given, else from the key
 * file, generating and persisting a fresh Ed25519 key on first start.
 * Throws CodedError('config.invalid') for malformed keys; never silently replaces a bad key file.
 */
export async function loadOrCreateKeyRing(options: KeyRingOptions): Promise<KeyRing> {
  const purpose = options.purpose ?? 'access';
  if (options.privateJwks !== undefined) {
    const parsed = Ed25519JwkList.safeParse(options.privateJwks);
    if (!parsed.success) {
      throw new CodedError('config.invalid', `signing keys: ${z.prettifyError(parsed.error)}`);
    }
    return buildRing(purpose, parsed.data);
  }
  const file = keyFilePath(options.dataDir, purpose);
  const existing = await readKeyFile(file);
  if (existing) return buildRing(purpose, existing);
  return buildRing(purpose, await createKeyFile(file));
}

/** Generates one Ed25519 private JWK whose kid is its RFC 7638 thumbprint. */
export async function generateSigningJwk(): Promise<Ed25519Jwk> {
  const { privateKey } = await generateKeyPair(SIGNING_ALG, { extractable: true });
  const jwk = Ed25519Jwk.parse({ ...(await exportJWK(privateKey)), kid: 'pending' });
  const kid = await calculateJwkThumbprint({ kty: jwk.kty, crv: jwk.crv, x: jwk.x });
  return { ...jwk, kid };
}

async function readKeyFile(file: string): Promise<Ed25519Jwk[] | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if (isErrno(error, 'ENOENT')) return undefined;
    throw error;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new CodedError('config.invalid', `key file ${file} is not valid JSON; restore it from backup or delete it to generate a new key (this signs everyone out)`);
  }
  const parsed = KeyFile.safeParse(json);
  if (!parsed.success) {
    throw new CodedError('config.invalid', `key file ${file} is malformed: ${z.prettifyError(parsed.error)}`);
  }
  return parsed.data.keys;
}

/**
 * Writes a new key file exclusively: the JSON goes to a private temp file first and is then
 * hard-linked into place, which fails if another process got there first; that process's
 * key wins and is read back, so concurrent first starts agree on one key.
 */
async function createKeyFile(file: string): Promise<Ed25519Jwk[]> {
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  const keys = [await generateSigningJwk()];
  const temp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  await writeFile(temp, `${JSON.stringify({ keys }, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
  try {
    await link(temp, file);
  } catch (error) {
    if (!isErrno(error, 'EEXIST')) throw error;
    const winner = await readKeyFile(file);
    if (winner) return winner;
    throw error;
  } finally {
    await unlink(temp);
  }
  return keys;
}

async function buildRing(purpose: KeyPurpose, jwks: readonly Ed25519Jwk[]): Promise<KeyRing> {
  const verification = new Map<string, CryptoKey>();
  const published: PublicSigningJwk[] = [];
  for (const jwk of jwks) {
    const pub: PublicSigningJwk = { kty: 'OKP', crv: 'Ed25519', x: jwk.x, kid: jwk.kid, alg: SIGNING_ALG, use: 'sig' };
    verification.set(jwk.kid, await importKey({ kty: pub.kty, crv: pub.crv, x: pub.x }, jwk.kid));
    published.push(pub);
  }
  const first = jwks[0];
  if (first?.d === undefined) {
    throw new CodedError('config.invalid', 'the first signing key must be a private key (with "d")');
  }
  const privateKey = await importKey({ kty: first.kty, crv: first.crv, x: first.x, d: first.d }, first.kid);
  return {
    purpose,
    active: { kid: first.kid, privateKey },
    verificationKey: (kid) => verification.get(kid),
    publicJwks: () => ({ keys: published.map((k) => ({ ...k })) }),
  };
}

async function importKey(jwk: JWK, kid: string): Promise<CryptoKey> {
  try {
    const key = await importJWK(jwk, SIGNING_ALG);
    if (key instanceof Uint8Array) throw new TypeError('expected an asymmetric key');
    return key;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new CodedError('config.invalid', `signing key "${kid}" cannot be imported as an Ed25519 key: ${reason}`);
  }
}

function isErrno(error: unknown, code: string): boolean {
  return error instanceof Error && 'code' in error && error.code === code;
}

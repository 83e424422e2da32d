/**
 * Secrets of the accounts service: one-time codes, link tokens, refresh tokens and ids come from
 * the CSPRNG; what is stored is a keyed hash.
 *
 * Why HMAC-SHA256 with a server pepper rather than scrypt: a 6-digit code has only 10^6 values,
 * so ANY unkeyed hash of it (scrypt included) falls to an offline search of the database in
 * minutes to hours; the pepper lives outside the database, so a leaked table alone gives nothing
 * to search with. Online guessing is stopped by the attempt limits, not by hash cost, and a
 * deliberately slow hash on the verify path would hand attackers a cheap CPU exhaustion lever.
 * HMAC is also deterministic, which lets refresh tokens be looked up by their hash. Each input is
 * prefixed with a purpose and the challenge id, so a hash is useless outside its own record.
 */
import { createHmac, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import { chmod, link, mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/** Keyed hashing of secrets. */
export interface SecretHasher {
  /** HMAC-SHA256(pepper, purpose ‖ value), base64url. */
  hash(purpose: string, value: string): string;
  /** Whether `value` hashes to `stored`, compared in constant time. */
  matches(purpose: string, value: string, stored: string): boolean;
}

/** The minimum pepper length: 32 bytes, the HMAC-SHA256 block-safe key size. */
export const MIN_PEPPER_BYTES = 32;

/** Creates the hasher over a server-side pepper of at least 32 bytes. */
export function createSecretHasher(pepper: Buffer): SecretHasher {
  if (pepper.length < MIN_PEPPER_BYTES) throw new RangeError(`the accounts pepper must be at least ${MIN_PEPPER_BYTES} bytes`);
  const key = Buffer.from(pepper);
  const hash = (purpose: string, value: string): string => createHmac('sha256', key).update(`${purpose}\u0000${value}`).digest('base64url');
  return {
    hash,
    matches(purpose, value, stored) {
      const computed = Buffer.from(hash(purpose, value));
      const expected = Buffer.from(stored);
      // Lengths differ only for a corrupt record; timingSafeEqual needs equal lengths.
      return computed.length === expected.length && timingSafeEqual(computed, expected);
    },
  };
}

/** Randomness the service draws on; tests inject a deterministic one. */
export interface RandomSource {
  /** `n` bytes from a CSPRNG. */
  bytes(n: number): Buffer;
  /** A uniform integer in [0, max) from a CSPRNG. */
  int(max: number): number;
}

/** Node's CSPRNG. */
export const cryptoRandom: RandomSource = { bytes: (n) => randomBytes(n), int: (max) => randomInt(max) };

/** A 6-digit code, uniformly distributed, leading zeros kept. */
export function otpCode(random: RandomSource): string {
  return String(random.int(1_000_000)).padStart(6, '0');
}

/** An opaque token: 32 random bytes, base64url (43 characters). */
export function opaqueToken(random: RandomSource): string {
  return random.bytes(32).toString('base64url');
}

/** An id with a prefix, e.g. `u_…`, 16 random bytes; fits the wire contract's id pattern. */
export function randomId(random: RandomSource, prefix: string): string {
  return `${prefix}_${random.bytes(16).toString('base64url')}`;
}

/**
 * The pepper for a deployment: the configured one (base64 / base64url, ≥ 32 bytes) or, on the
 * embedded default, one generated once and kept in a 0600 file next to the database.
 */
export async function loadOrCreatePepper(options: { file: string; configured?: string | undefined }): Promise<Buffer> {
  if (options.configured !== undefined && options.configured !== '') {
    const pepper = Buffer.from(options.configured, 'base64url');
    if (pepper.length < MIN_PEPPER_BYTES) throw new RangeError(`ACCOUNT_PEPPER must decode to at least ${MIN_PEPPER_BYTES} bytes (e.g. openssl rand -base64 32)`);
    return pepper;
  }
  try {
    const stored = Buffer.from((await readFile(options.file, 'utf8')).trim(), 'base64url');
    if (stored.length >= MIN_PEPPER_BYTES) return stored;
    throw new RangeError(`${options.file} holds a pepper shorter than ${MIN_PEPPER_BYTES} bytes; delete it to generate a new one (open codes and sessions end)`);
  } catch (err) {
    if (!isMissingFile(err)) throw err;
  }
  const pepper = randomBytes(MIN_PEPPER_BYTES);
  await mkdir(dirname(options.file), { recursive: true });
  // Written whole to a private temp file, then hard-linked into place: link fails if another
  // process got there first (then theirs wins), and nobody ever reads a half-written pepper.
  const temp = `${options.file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(temp, pepper.toString('base64url') + '\n', { mode: 0o600, flag: 'wx' });
  try {
    await chmod(temp, 0o600);
    await link(temp, options.file);
    return pepper;
  } catch (err) {
    if (err instanceof Error && 'code' in err && err.code === 'EEXIST') return loadOrCreatePepper({ file: options.file });
    throw err;
  } finally {
    await unlink(temp).catch(() => {});
  }
}

function isMissingFile(err: unknown): boolean {
  return err instanceof Error && 'code' in err && err.code === 'ENOENT';
}

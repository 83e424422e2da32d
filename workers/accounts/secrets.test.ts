import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createSecretHasher, cryptoRandom, loadOrCreatePepper, otpCode } from './secrets.js';

describe('secrets', () => {
  it('generates the pepper once in a 0600 file, or takes the configured one', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'venue-hub-pepper-'));
    try {
      const file = join(dir, 'data', 'account-pepper');
      const [a, b] = await Promise.all([loadOrCreatePepper({ file }), loadOrCreatePepper({ file })]);
      expect(a.length).toBe(32);
      expect(b.equals(a)).toBe(true);
      expect((await loadOrCreatePepper({ file })).equals(a)).toBe(true);
      expect((await stat(file)).mode & 0o777).toBe(0o600);
      const configured = Buffer.alloc(32, 9).toString('base64');
      expect((await loadOrCreatePepper({ file, configured })).equals(Buffer.alloc(32, 9))).toBe(true);
      await expect(loadOrCreatePepper({ file, configured: 'c2hvcnQ' })).rejects.toThrow(/at least 32 bytes/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('hashes with the pepper and compares in constant time', () => {
    const hasher = createSecretHasher(Buffer.alloc(32, 1));
    const other = createSecretHasher(Buffer.alloc(32, 2));
    const stored = hasher.hash('otp', 'v_1:123456');
    expect(hasher.matches('otp', 'v_1:123456', stored)).toBe(true);
    expect(hasher.matches('otp', 'v_1:123457', stored)).toBe(false);
    expect(hasher.matches('link', 'v_1:123456', stored)).toBe(false);
    expect(other.matches('otp', 'v_1:123456', stored)).toBe(false);
    expect(hasher.matches('otp', 'v_1:123456', 'short')).toBe(false);
    expect(() => createSecretHasher(Buffer.alloc(16))).toThrow(/32 bytes/);
    expect(Array.from({ length: 50 }, () => otpCode(cryptoRandom)).every((c) => /^\d{6}$/.test(c))).toBe(true);
  });
});

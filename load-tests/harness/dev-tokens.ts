/**
 * Tokens for local benches: the bench makes a throwaway Ed25519 key, hands it to the hub nodes
 * it starts as `JWT_PRIVATE_KEYS` (the production way of giving keys), and signs access tokens
 * for any role with it. The claims follow the hub's access-token format (see hub/auth/tokens.ts
 * and docs/protocol.md): EdDSA, `typ: vh-access+jwt`, audience `venue-hub:people`, the issuer,
 * `sub`, `role`, `jti`, `iat`, `exp`. Tests inside hub/ use the hub's own token service instead.
 */
import { randomBytes } from 'node:crypto';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, SignJWT } from 'jose';
import type { CryptoKey } from 'jose';
import type { PersonRole } from '../../machines/contract/wire.js';

/** A signing key shared with the hub nodes a bench starts. */
export interface DevSigner {
  /** The value for the nodes' `JWT_PRIVATE_KEYS` variable. */
  readonly privateKeysEnv: string;
  /** Signs an access token for a person. */
  person(role: PersonRole, sub: string, ttlSeconds?: number): Promise<string>;
}

/** Creates a fresh key; `issuer` must match the nodes' TOKEN_ISSUER (default `venue-hub`). */
export async function createDevSigner(options: { issuer?: string } = {}): Promise<DevSigner> {
  const issuer = options.issuer ?? 'venue-hub';
  const { privateKey } = await generateKeyPair('EdDSA', { extractable: true });
  const jwk = await exportJWK(privateKey);
  const kid = await calculateJwkThumbprint({ kty: jwk.kty, crv: jwk.crv, x: jwk.x });
  const key: CryptoKey = privateKey;
  return {
    privateKeysEnv: JSON.stringify([{ kty: jwk.kty, crv: jwk.crv, x: jwk.x, d: jwk.d, kid }]),
    person(role, sub, ttlSeconds = 3_600) {
      const now = Math.floor(Date.now() / 1000);
      return new SignJWT({ role })
        .setProtectedHeader({ alg: 'EdDSA', typ: 'vh-access+jwt', kid })
        .setIssuer(issuer)
        .setAudience('venue-hub:people')
        .setSubject(sub)
        .setIssuedAt(now)
        .setExpirationTime(now + ttlSeconds)
        .setJti(randomBytes(16).toString('base64url'))
        .sign(key);
    },
  };
}

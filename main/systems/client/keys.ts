// A connection's client key pair (ES256) and the public key set (JWKS) its system's administrators
// register, so the system can check the private-key-JWT assertions Staff Passport signs.
import { calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK } from 'jose';

export interface ClientKeyPair {
  /** The RFC 7638 thumbprint (SHA-256) of the public key. */
  kid: string;
  privateJwk: JWK;
  publicJwk: JWK;
}

export async function newClientKeyPair(): Promise<ClientKeyPair> {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  const publicJwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(publicJwk, 'sha256');
  const privateJwk = await exportJWK(privateKey);
  return {
    kid,
    privateJwk: { ...privateJwk, kid, alg: 'ES256', use: 'sig' },
    publicJwk: { ...publicJwk, kid, alg: 'ES256', use: 'sig' },
  };
}

/** The members of an EC public JWK; anything else (above all the private part "d") stays out. */
const PUBLIC_MEMBERS = ['kty', 'crv', 'x', 'y', 'kid', 'alg', 'use'] as const;

/** The JWKS to hand a system's administrators: the public key only, with its kid. */
export function publicJwks(publicJwk: JWK): { keys: JWK[] } {
  if (publicJwk.kty !== 'EC' || publicJwk.crv !== 'P-256' || typeof publicJwk.x !== 'string' || typeof publicJwk.y !== 'string') {
    throw new Error('A connection key must be an EC P-256 key (ES256).');
  }
  if (typeof publicJwk.kid !== 'string' || publicJwk.kid === '') throw new Error('A connection key needs its key id (kid).');
  const key: JWK = {};
  for (const member of PUBLIC_MEMBERS) {
    const value = publicJwk[member];
    if (typeof value === 'string') key[member] = value;
  }
  key.alg ??= 'ES256';
  key.use ??= 'sig';
  return { keys: [key] };
}

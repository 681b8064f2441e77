// A Veramo agent whose key manager, local KMS and DID manager keep everything in our store.
import { createECDH, createPrivateKey, sign as cryptoSign, type KeyObject } from 'node:crypto';
import type { Knex } from 'knex';
import { AppError } from '../../errors.ts';
import { createAgent, type IDIDManager, type IKey, type IKeyManager, type TAgent } from '@veramo/core';
import { KeyManager } from '@veramo/key-manager';
import { DIDManager } from '@veramo/did-manager';
import { KeyManagementSystem } from '@veramo/kms-local';
import { WebDIDProvider } from '@veramo/did-provider-web';
import { KnexDIDStore } from './did-store.ts';
import { KnexKeyStore } from './key-store.ts';
import { KnexPrivateKeyStore } from './private-key-store.ts';
import type { PrivateKeyCipher } from './private-key-cipher.ts';

export type IdentityAgent = TAgent<IKeyManager & IDIDManager>;

/** The names this agent registers its KMS and DID provider under (stored with every key and DID). */
export const LOCAL_KMS = 'local';
export const DID_WEB_PROVIDER = 'did:web';

/** PKCS #8 DER prefix of an Ed25519 private key (RFC 8410); the 32-byte seed follows. */
const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

/** A node:crypto private key from the hex kms-local stores (Ed25519: seed, or seed + public key; P-256: d). */
export function nativePrivateKey(type: string, privateKeyHex: string): KeyObject | null {
  const bytes = Buffer.from(privateKeyHex, 'hex');
  if (type === 'Ed25519' && (bytes.length === 32 || bytes.length === 64)) {
    return createPrivateKey({ key: Buffer.concat([ED25519_PKCS8_PREFIX, bytes.subarray(0, 32)]), format: 'der', type: 'pkcs8' });
  }
  if (type === 'Secp256r1' && bytes.length === 32) {
    const ecdh = createECDH('prime256v1');
    ecdh.setPrivateKey(bytes);
    const point = ecdh.getPublicKey();
    const jwk = { kty: 'EC', crv: 'P-256', d: bytes.toString('base64url'), x: point.subarray(1, 33).toString('base64url'), y: point.subarray(33, 65).toString('base64url') };
    return createPrivateKey({ key: jwk, format: 'jwk' });
  }
  return null;
}

/** A JWS signature (base64url) by node:crypto, or null for a key type or algorithm it does not sign here. */
export function signNatively(type: string, key: KeyObject, data: Uint8Array, algorithm?: string): string | null {
  if (type === 'Ed25519' && (algorithm === undefined || algorithm === 'EdDSA' || algorithm === 'Ed25519')) return cryptoSign(null, data, key).toString('base64url');
  if (type === 'Secp256r1' && (algorithm === undefined || algorithm === 'ES256')) return cryptoSign('sha256', data, { key, dsaEncoding: 'ieee-p1363' }).toString('base64url');
  return null;
}

/**
 * kms-local, signing with node:crypto instead of its JavaScript curves: the same keys and the
 * same JWS signatures (EdDSA; ES256 as r || s), several times faster, which matters when HR
 * provides a batch of credentials. Key creation and storage stay kms-local's.
 *
 * kms-local also turns any failure to read a private key into "key_not_found". When that
 * happens we read the key again ourselves so the caller gets the real reason (a wrong database
 * key, say) as an AppError; the happy path pays nothing extra.
 */
class SealedKeyManagementSystem extends KeyManagementSystem {
  private readonly sealedKeys: KnexPrivateKeyStore;

  constructor(sealedKeys: KnexPrivateKeyStore) {
    super(sealedKeys);
    this.sealedKeys = sealedKeys;
  }

  override async sign(args: { keyRef: Pick<IKey, 'kid'>; algorithm?: string; data: Uint8Array; [x: string]: unknown }): Promise<string> {
    let managed: { type: string; privateKeyHex: string };
    try {
      managed = await this.sealedKeys.getKey({ alias: args.keyRef.kid });
    } catch (error) {
      if (error instanceof AppError) throw error;
      throw new Error(`key_not_found: No key entry found for kid=${args.keyRef.kid}`, { cause: error });
    }
    const key = nativePrivateKey(managed.type, managed.privateKeyHex);
    const signature = key ? signNatively(managed.type, key, args.data, args.algorithm) : null;
    if (signature !== null) return signature;
    return super.sign(args);
  }
}

/** db may be a transaction, so that creating a DID and its key is all or nothing. */
export function createIdentityAgent(db: Knex, cipher: PrivateKeyCipher, now: () => Date): IdentityAgent {
  const privateKeys = new KnexPrivateKeyStore(db, cipher, now);
  return createAgent<IKeyManager & IDIDManager>({
    plugins: [
      new KeyManager({ store: new KnexKeyStore(db, now), kms: { [LOCAL_KMS]: new SealedKeyManagementSystem(privateKeys) } }),
      new DIDManager({
        store: new KnexDIDStore(db, now),
        defaultProvider: DID_WEB_PROVIDER,
        providers: { [DID_WEB_PROVIDER]: new WebDIDProvider({ defaultKms: LOCAL_KMS }) },
      }),
    ],
  });
}

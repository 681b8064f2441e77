// A Veramo agent whose key manager, local KMS and DID manager keep everything in our store.
import type { Knex } from 'knex';
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

/**
 * kms-local turns any failure to read a private key into "key_not_found". When that happens we
 * read the key again ourselves so the caller gets the real reason (a wrong database key, say)
 * as an AppError; the happy path pays nothing extra.
 */
class SealedKeyManagementSystem extends KeyManagementSystem {
  private readonly sealedKeys: KnexPrivateKeyStore;

  constructor(sealedKeys: KnexPrivateKeyStore) {
    super(sealedKeys);
    this.sealedKeys = sealedKeys;
  }

  override async sign(args: { keyRef: Pick<IKey, 'kid'>; algorithm?: string; data: Uint8Array; [x: string]: unknown }): Promise<string> {
    try {
      return await super.sign(args);
    } catch (error) {
      if (error instanceof Error && error.message.startsWith('key_not_found')) await this.sealedKeys.getKey({ alias: args.keyRef.kid });
      throw error;
    }
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

// The trust's signing identity: its did:web issuer DID, the keys behind it (created and used
// through Veramo, kept in the encrypted store), the document IT publishes, and key rotation.
import type { Knex } from 'knex';
import { AppError } from '../../errors.ts';
import type { KeyObject } from 'node:crypto';
import { createIdentityAgent, nativePrivateKey, DID_WEB_PROVIDER, LOCAL_KMS, type IdentityAgent } from './agent.ts';
import { KnexPrivateKeyStore } from './private-key-store.ts';
import {
  ALGORITHM_OF,
  SIGNING_KEY_TYPES,
  didWebAddress,
  didWebDocument,
  methodSpecificId,
  publicKeyJwk,
  verificationMethodId,
  type DidDocument,
  type DidWebLocation,
  type PublicJwk,
  type SigningKeyType,
} from './did-web.ts';
import { PrivateKeyCipher } from './private-key-cipher.ts';
import { DID_KEYS_TABLE } from './did-store.ts';
import { KEYS_TABLE, type KeyRow } from './key-store.ts';

export type { DidDocument, SigningKeyType } from './did-web.ts';

export const IDENTITY_TABLE = 'issuer_identity';
const IDENTITY_ID = 'trust';

export interface SigningIdentityDeps {
  /** The open store; a getter because the store opens after the app is built. */
  knex(): Knex;
  /** The open store's 256-bit database key (Vault.open.key): private keys are sealed under it. */
  databaseKey(): Buffer;
  now(): Date;
}

export interface CreateSigningIdentity extends DidWebLocation {
  keyType: SigningKeyType;
}

export interface IssuerKey {
  /** Veramo's key id, which is also the key's DID URL (verification method id), e.g. did:web:x#key-1. */
  kid: string;
  type: SigningKeyType;
  algorithm: 'EdDSA' | 'ES256';
  publicKeyJwk: PublicJwk;
  current: boolean;
  createdAt: string;
}

export interface IssuerIdentity {
  did: string;
  host: string;
  path: string | null;
  documentUrl: string;
  currentKid: string;
  /** In the order they were added; the current key is the last one added by create or rotate. */
  keys: IssuerKey[];
  createdAt: string;
  rotatedAt: string | null;
}

export interface SigningKey {
  did: string;
  /** Pass as keyRef to keyManagerSign and as the JWS header's kid. */
  kid: string;
  type: SigningKeyType;
  algorithm: 'EdDSA' | 'ES256';
}

interface IdentityRow {
  id: string;
  did: string;
  host: string;
  path: string | null;
  current_kid: string;
  created_at: string;
  rotated_at: string | null;
}

const notCreated = () =>
  new AppError('not-set-up', 'The trust\u2019s signing identity has not been created yet.', { detail: 'no issuer_identity row' });

function checkKeyType(keyType: unknown): SigningKeyType {
  if (!SIGNING_KEY_TYPES.includes(keyType as SigningKeyType)) {
    throw new AppError('invalid-input', 'Choose Ed25519 or P-256 for the trust\u2019s signing key.', {
      fields: [{ field: 'keyType', message: 'Choose Ed25519 or P-256' }],
      detail: `key type ${String(keyType)}`,
    });
  }
  return keyType as SigningKeyType;
}

export class SigningIdentity {
  private readonly deps: SigningIdentityDeps;
  private cached: { knex: Knex; databaseKey: Buffer; cipher: PrivateKeyCipher; agent: IdentityAgent } | null = null;

  constructor(deps: SigningIdentityDeps) {
    this.deps = deps;
  }

  /** The Veramo agent over the open store, for signing (keyManagerSign) and the DID manager. */
  agent(): IdentityAgent {
    return this.current().agent;
  }

  /** Creates the trust's did:web DID with its first key; there is only ever one. */
  async create(input: CreateSigningIdentity): Promise<IssuerIdentity> {
    const address = didWebAddress(input);
    const keyType = checkKeyType(input.keyType);
    const { cipher } = this.current();
    const now = this.deps.now().toISOString();
    await this.deps.knex().transaction(async (trx) => {
      const existing = (await trx(IDENTITY_TABLE).where({ id: IDENTITY_ID }).first()) as IdentityRow | undefined;
      if (existing) {
        throw new AppError('conflict', `The trust already has its signing identity, ${existing.did}. Rotate its key instead of creating another.`, {
          detail: `create refused: ${existing.did} exists, asked for ${address.did}`,
        });
      }
      const kid = verificationMethodId(address.did, 'key-1');
      const agent = createIdentityAgent(trx, cipher, this.deps.now);
      await agent.didManagerCreate({
        provider: DID_WEB_PROVIDER,
        alias: methodSpecificId(address.did),
        kms: LOCAL_KMS,
        options: { key: { type: keyType, kid } },
      });
      const row: IdentityRow = { id: IDENTITY_ID, did: address.did, host: address.host, path: address.path, current_kid: kid, created_at: now, rotated_at: null };
      await trx(IDENTITY_TABLE).insert(row);
    });
    return this.require();
  }

  /** The trust's DID and its keys, or null before create(). */
  async get(): Promise<IssuerIdentity | null> {
    const knex = this.deps.knex();
    const row = (await knex(IDENTITY_TABLE).where({ id: IDENTITY_ID }).first()) as IdentityRow | undefined;
    if (!row) return null;
    const keys = await this.keysOf(knex, row.did);
    return {
      did: row.did,
      host: row.host,
      path: row.path,
      documentUrl: didWebAddress({ host: row.host, path: row.path }).documentUrl,
      currentKid: row.current_kid,
      keys: keys.map((key) => ({
        kid: key.kid,
        type: key.type as SigningKeyType,
        algorithm: ALGORITHM_OF[key.type as SigningKeyType],
        publicKeyJwk: publicKeyJwk(key.type, key.public_key_hex),
        current: key.kid === row.current_kid,
        createdAt: key.created_at,
      })),
      createdAt: row.created_at,
      rotatedAt: row.rotated_at,
    };
  }

  /** The DID document IT publishes at documentUrl (https://<host>/.well-known/did.json without a path). */
  async didDocument(): Promise<DidDocument> {
    const identity = await this.require();
    const identifier = await this.agent().didManagerGet({ did: identity.did });
    return didWebDocument(identity.did, identifier.keys, identity.currentKid);
  }

  /**
   * Adds a new key and makes it the one that signs. Earlier keys stay in the DID document, so
   * what they signed still verifies. The key type stays the same unless another is asked for.
   */
  async rotate(options: { keyType?: SigningKeyType } = {}): Promise<IssuerIdentity> {
    const { cipher } = this.current();
    await this.deps.knex().transaction(async (trx) => {
      const row = (await trx(IDENTITY_TABLE).where({ id: IDENTITY_ID }).first()) as IdentityRow | undefined;
      if (!row) throw notCreated();
      const keys = await this.keysOf(trx, row.did);
      const currentType = keys.find((key) => key.kid === row.current_kid)?.type as SigningKeyType;
      const keyType = checkKeyType(options.keyType ?? currentType);
      const kid = await this.nextKid(trx, row.did, keys.length + 1);
      const agent = createIdentityAgent(trx, cipher, this.deps.now);
      const key = await agent.keyManagerCreate({ kms: LOCAL_KMS, type: keyType, kid });
      await agent.didManagerAddKey({ did: row.did, key });
      await trx(IDENTITY_TABLE).where({ id: IDENTITY_ID }).update({ current_kid: kid, rotated_at: this.deps.now().toISOString() });
    });
    return this.require();
  }

  /** The current key's id alone: one small read, for callers that keep the rest. */
  async currentKid(): Promise<string> {
    const row = (await this.deps.knex()(IDENTITY_TABLE).where({ id: IDENTITY_ID }).first('current_kid')) as Pick<IdentityRow, 'current_kid'> | undefined;
    if (!row) throw notCreated();
    return row.current_kid;
  }

  /** A key's private half, unsealed, for node:crypto to sign with. */
  async privateKey(kid: string): Promise<KeyObject> {
    const { cipher } = this.current();
    const managed = await new KnexPrivateKeyStore(this.deps.knex(), cipher, this.deps.now).getKey({ alias: kid });
    const key = nativePrivateKey(managed.type, managed.privateKeyHex);
    if (!key) throw new AppError('internal', 'The signing key is of a type this service cannot sign with.', { detail: `${kid} ${managed.type}` });
    return key;
  }

  /** The key that signs new credentials now. */
  async signingKey(): Promise<SigningKey> {
    const identity = await this.require();
    const key = identity.keys.find((candidate) => candidate.current);
    if (!key) throw new AppError('internal', 'The current signing key is missing from the trust\u2019s DID.', { detail: identity.currentKid });
    return { did: identity.did, kid: key.kid, type: key.type, algorithm: key.algorithm };
  }

  private async require(): Promise<IssuerIdentity> {
    const identity = await this.get();
    if (!identity) throw notCreated();
    return identity;
  }

  private async keysOf(db: Knex, did: string): Promise<KeyRow[]> {
    return (await db(DID_KEYS_TABLE)
      .join(KEYS_TABLE, `${KEYS_TABLE}.kid`, `${DID_KEYS_TABLE}.kid`)
      .where(`${DID_KEYS_TABLE}.did`, did)
      .orderBy(`${DID_KEYS_TABLE}.position`)
      .select(`${KEYS_TABLE}.*`)) as KeyRow[];
  }

  /** did#key-<n>, skipping any number already taken (by a key removed from the DID, say). */
  private async nextKid(db: Knex, did: string, from: number): Promise<string> {
    for (let n = from; ; n++) {
      const kid = verificationMethodId(did, `key-${n}`);
      if (!(await db(KEYS_TABLE).where({ kid }).first())) return kid;
    }
  }

  /** One agent per open store and key: rebuilt when the vault is closed and opened again. We keep
   * the caller's Buffer (no copy of the key) and compare by reference. */
  private current(): { cipher: PrivateKeyCipher; agent: IdentityAgent } {
    const knex = this.deps.knex();
    const databaseKey = this.deps.databaseKey();
    if (!this.cached || this.cached.knex !== knex || this.cached.databaseKey !== databaseKey) {
      const cipher = new PrivateKeyCipher(databaseKey);
      this.cached = { knex, databaseKey, cipher, agent: createIdentityAgent(knex, cipher, this.deps.now) };
    }
    return this.cached;
  }
}

// Signs a W3C verifiable credential (data model 1.1) as a JWT with the trust's current key, through
// Veramo's credential plugin and its JWT provider, over a given store or transaction.
import type { KeyObject } from 'node:crypto';
import type { Knex } from 'knex';
import { createAgent, type CredentialPayload, type ICredentialIssuer, type IIdentifier, type IKeyManager, type IPluginMethodMap, type TAgent } from '@veramo/core';
import { CredentialPlugin } from '@veramo/credential-w3c';
import { CredentialProviderJWT } from '@veramo/credential-jwt';
import { AppError } from '../../errors.ts';
import { SigningIdentity, type SigningKey } from '../identity/signing-identity.ts';
import { signNatively } from '../identity/agent.ts';

export interface SignerDeps {
  databaseKey(): Buffer;
  now(): Date;
}

/** The W3C VC data model 1.1 context every credential we sign carries. */
export const VC_CONTEXT_V1 = 'https://www.w3.org/2018/credentials/v1';

const credentialPlugin = new CredentialPlugin([new CredentialProviderJWT()]);

/** What signing with the current key needs, read once per key and open store. */
interface ReadySigner {
  key: SigningKey;
  agent: TAgent<ICredentialIssuer>;
}

/**
 * Per open store (its database key object, which is new each time the vault opens): the signer
 * for the current key. Rotation changes the current kid, which every signing reads first, so a
 * stale key is never used.
 */
const readySigners = new WeakMap<Buffer, ReadySigner>();

async function readySigner(db: Knex, deps: SignerDeps): Promise<ReadySigner> {
  const databaseKey = deps.databaseKey();
  const identity = new SigningIdentity({ knex: () => db, databaseKey: () => databaseKey, now: deps.now });
  const currentKid = await identity.currentKid();
  const ready = readySigners.get(databaseKey);
  if (ready && ready.key.kid === currentKid) return ready;

  const key = await identity.signingKey();
  const identifier: IIdentifier = await identity.agent().didManagerGet({ did: key.did });
  const privateKey: KeyObject = await identity.privateKey(key.kid);
  // The credential plugin needs the DID manager's get and the key manager's sign; both are
  // answered from what was just read, so signing touches the store no further.
  const methods: IPluginMethodMap = {
    didManagerGet: async () => identifier,
    keyManagerSign: async (args: Parameters<IKeyManager['keyManagerSign']>[0]) => {
      if (args.keyRef !== key.kid) throw new AppError('internal', 'Only the current signing key signs credentials.', { detail: `asked for ${args.keyRef}` });
      // As Veramo's key manager reads it: text in the given encoding (utf-8 unless hex), or bytes.
      const data: Uint8Array = typeof args.data === 'string' ? Buffer.from(args.data.replace(/^0x/, ''), args.encoding === 'base16' || args.encoding === 'hex' ? 'hex' : 'utf8') : (args.data as Uint8Array);
      const signature = signNatively(key.type, privateKey, data, args.algorithm);
      if (signature === null) throw new AppError('internal', 'The signing key cannot sign with that algorithm.', { detail: `${key.type} ${String(args.algorithm)}` });
      return signature;
    },
  };
  const signer = { key, agent: createAgent<ICredentialIssuer>({ plugins: [credentialPlugin, { methods }] }) };
  readySigners.set(databaseKey, signer);
  return signer;
}

export type Sign = (build: (key: SigningKey) => CredentialPayload) => Promise<{ jwt: string; key: SigningKey }>;

/**
 * A signer for the key that is current in `db` (which may be a transaction: the store has one
 * connection, so signing inside a transaction must read through it), for one credential or many.
 */
export async function prepareSigner(db: Knex, deps: SignerDeps): Promise<Sign> {
  const { key, agent } = await readySigner(db, deps);
  return async (build) => {
    const credential = build(key);
    if (credential.issuer !== key.did) throw new AppError('internal', 'A credential must be issued by the trust\u2019s own DID.', { detail: `issuer ${String(credential.issuer)}, trust ${key.did}` });
    // keyRef picks the current key (the DID also lists the keys it had before); the header names it
    // so that a verifier takes the right method from the DID document.
    const signed = await agent.createVerifiableCredential({ credential, proofFormat: 'jwt', keyRef: key.kid, header: { kid: key.kid } });
    const jwt = (signed.proof as { jwt?: unknown } | undefined)?.jwt;
    if (typeof jwt !== 'string') throw new AppError('internal', 'The credential could not be signed.', { detail: 'Veramo returned no proof.jwt' });
    return { jwt, key };
  };
}

/** Signs one credential with the key that is current in `db`. */
export async function signCredential(db: Knex, deps: SignerDeps, build: (key: SigningKey) => CredentialPayload): Promise<{ jwt: string; key: SigningKey }> {
  return (await prepareSigner(db, deps))(build);
}

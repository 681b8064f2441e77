// Signs a W3C verifiable credential (data model 1.1) as a JWT with the trust's current key, through
// Veramo's credential plugin and its JWT provider, over a given store or transaction.
import type { Knex } from 'knex';
import { createAgent, type CredentialPayload, type ICredentialIssuer, type IDIDManager, type IKeyManager, type IPluginMethodMap } from '@veramo/core';
import { CredentialPlugin } from '@veramo/credential-w3c';
import { CredentialProviderJWT } from '@veramo/credential-jwt';
import { AppError } from '../../errors.ts';
import { SigningIdentity, type SigningKey } from '../identity/signing-identity.ts';

export interface SignerDeps {
  databaseKey(): Buffer;
  now(): Date;
}

/** The W3C VC data model 1.1 context every credential we sign carries. */
export const VC_CONTEXT_V1 = 'https://www.w3.org/2018/credentials/v1';

const credentialPlugin = new CredentialPlugin([new CredentialProviderJWT()]);

/**
 * Signs what `build` makes for the key that is current in `db` (which may be a transaction: the store has one
 * connection, so signing inside a transaction must read the keys through it). The credential
 * plugin needs only the DID manager's get and the key manager's sign, which are handed to the
 * identity's own agent over the same db.
 */
export async function signCredential(db: Knex, deps: SignerDeps, build: (key: SigningKey) => CredentialPayload): Promise<{ jwt: string; key: SigningKey }> {
  const identity = new SigningIdentity({ knex: () => db, databaseKey: deps.databaseKey, now: deps.now });
  const key = await identity.signingKey();
  const credential = build(key);
  if (credential.issuer !== key.did) throw new AppError('internal', 'A credential must be issued by the trust\u2019s own DID.', { detail: `issuer ${String(credential.issuer)}, trust ${key.did}` });
  const identityAgent = identity.agent();
  const forwarded: IPluginMethodMap = {
    didManagerGet: (args: Parameters<IDIDManager['didManagerGet']>[0]) => identityAgent.didManagerGet(args),
    keyManagerSign: (args: Parameters<IKeyManager['keyManagerSign']>[0]) => identityAgent.keyManagerSign(args),
  };
  const agent = createAgent<ICredentialIssuer>({ plugins: [credentialPlugin, { methods: forwarded }] });
  // keyRef picks the current key (the DID also lists the keys it had before); the header names it
  // so that a verifier takes the right method from the DID document.
  const signed = await agent.createVerifiableCredential({ credential, proofFormat: 'jwt', keyRef: key.kid, header: { kid: key.kid } });
  const jwt = (signed.proof as { jwt?: unknown } | undefined)?.jwt;
  if (typeof jwt !== 'string') throw new AppError('internal', 'The credential could not be signed.', { detail: 'Veramo returned no proof.jwt' });
  return { jwt, key };
}

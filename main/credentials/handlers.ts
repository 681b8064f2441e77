// The credentials operations of the contract.
import type { Handlers } from '../api/dispatcher.ts';
import { AppError, type FieldError } from '../errors.ts';
import { trustedIssuerSchema } from './trusted-issuers.ts';
import type { Credentials } from './service.ts';
import type { IssuedCredential } from './issuing/issued-credentials.ts';
import type { SigningKeyType } from './identity/signing-identity.ts';

type CredentialHandlers = Pick<
  Handlers,
  | 'trustedIssuers.list'
  | 'trustedIssuers.add'
  | 'trustedIssuers.remove'
  | 'trustedIssuers.export'
  | 'trustedIssuers.import'
  | 'signingIdentity.get'
  | 'signingIdentity.exportDidDocument'
  | 'signingIdentity.rotate'
  | 'statusLists.export'
  | 'credentials.revoke'
  | 'credentials.suspend'
  | 'credentials.reinstate'
>;

/** IT's settings and the screens say P-256; Veramo says Secp256r1. */
const VERAMO_KEY_TYPE = { Ed25519: 'Ed25519', 'P-256': 'Secp256r1' } as const satisfies Record<string, SigningKeyType>;
const SETTINGS_KEY_TYPE = { Ed25519: 'Ed25519', Secp256r1: 'P-256' } as const satisfies Record<SigningKeyType, string>;

function stateOf(credential: IssuedCredential) {
  return { id: credential.id, state: credential.state, stateChangedAt: credential.stateChangedAt ?? credential.issuedAt };
}

export function credentialHandlers(credentials: Credentials): CredentialHandlers {
  return {
    'trustedIssuers.list': async () => ({
      issuers: (await credentials.listTrustedIssuers()).map((issuer) => ({
        odsCode: issuer.odsCode,
        name: issuer.name,
        isThisTrust: issuer.isThisTrust,
        addedAt: issuer.addedAt,
        dids: issuer.dids.map((entry) => ({ did: entry.did, keys: entry.didDocument.verificationMethod.length })),
      })),
    }),
    'trustedIssuers.add': async (input, caller) => {
      let didDocument: unknown;
      try {
        didDocument = JSON.parse(input.didDocument);
      } catch {
        throw new AppError('invalid-input', 'Some answers need correcting.', { fields: [{ field: 'didDocument', message: 'The DID document must be JSON, as published at /.well-known/did.json' }] });
      }
      const parsed = trustedIssuerSchema.safeParse({ odsCode: input.odsCode, name: input.name, dids: [{ did: input.did.trim(), didDocument }] });
      if (!parsed.success) {
        const fields: FieldError[] = parsed.error.issues.map((issue) => {
          const [first, , second] = issue.path.map(String);
          const field = first === 'dids' ? (second === 'did' ? 'did' : 'didDocument') : (first ?? 'didDocument');
          return { field, message: field === 'didDocument' && issue.path.length > 3 ? `DID document: ${issue.path.slice(3).join('.')}: ${issue.message}` : issue.message };
        });
        throw new AppError('invalid-input', 'Some answers need correcting.', { fields });
      }
      await credentials.addTrustedIssuer(parsed.data, caller.user!.id);
      return { ok: true as const };
    },
    'trustedIssuers.remove': async (input) => {
      await credentials.removeTrustedIssuer(input.odsCode.trim().toUpperCase());
      return { ok: true as const };
    },
    'trustedIssuers.export': async () => ({ fileName: 'trusted-issuers.json', content: await credentials.exportTrustedIssuers() }),
    'trustedIssuers.import': async (input, caller) => credentials.importTrustedIssuers(input.content, caller.user!.id),

    'signingIdentity.get': async () => {
      const identity = await credentials.identity.get();
      if (!identity) throw new AppError('not-set-up', 'The trust\u2019s signing identity has not been created yet.', { detail: 'no issuer identity' });
      return {
        did: identity.did,
        documentUrl: identity.documentUrl,
        keys: identity.keys.map((key) => ({
          kid: key.kid,
          keyType: SETTINGS_KEY_TYPE[key.type],
          algorithm: key.algorithm,
          publicKeyJwk: JSON.stringify(key.publicKeyJwk),
          current: key.current,
          createdAt: key.createdAt,
        })),
        createdAt: identity.createdAt,
        rotatedAt: identity.rotatedAt,
        statusLists: await credentials.statusLists.lists(),
      };
    },
    'signingIdentity.exportDidDocument': async () => ({ fileName: 'did.json', content: `${JSON.stringify(await credentials.didDocument(), null, 2)}\n` }),
    'signingIdentity.rotate': async (input, caller) => {
      const rotated = await credentials.rotateKey(input.keyType ? { keyType: VERAMO_KEY_TYPE[input.keyType] } : {}, caller.user!.id);
      return { currentKid: rotated.currentKid };
    },
    'statusLists.export': async (input) => ({ fileName: `${input.listId}.jwt`, content: await credentials.statusLists.statusListCredential(input.listId) }),

    'credentials.revoke': async (input) => stateOf(await credentials.revoke(input.credentialId, input.reason)),
    'credentials.suspend': async (input) => stateOf(await credentials.suspend(input.credentialId, input.reason)),
    'credentials.reinstate': async (input) => stateOf(await credentials.reinstate(input.credentialId, input.reason ? input.reason : null)),
  };
}

// The credentials operations of the contract.
import type { Handlers } from '../api/dispatcher.ts';
import { AppError, type FieldError } from '../errors.ts';
import { trustedIssuerSchema } from './trusted-issuers.ts';
import type { Credentials } from './service.ts';

type CredentialHandlers = Pick<Handlers, 'trustedIssuers.list' | 'trustedIssuers.add' | 'trustedIssuers.remove' | 'trustedIssuers.export' | 'trustedIssuers.import'>;

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
  };
}

// The credentials operations of the contract.
import type { Knex } from 'knex';
import type { Handlers } from '../api/dispatcher.ts';
import { AppError, type FieldError } from '../errors.ts';
import { TrustedIssuers, trustedIssuerSchema } from './trusted-issuers.ts';

type CredentialHandlers = Pick<Handlers, 'trustedIssuers.list' | 'trustedIssuers.add' | 'trustedIssuers.remove' | 'trustedIssuers.export' | 'trustedIssuers.import'>;

export function credentialHandlers(deps: { knex(): Knex; now(): Date }): CredentialHandlers {
  const list = () => new TrustedIssuers(deps.knex());
  return {
    'trustedIssuers.list': async () => ({
      issuers: (await list().list()).map((issuer) => ({
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
      await list().add(parsed.data, deps.now().toISOString(), caller.user!.id);
      return { ok: true as const };
    },
    'trustedIssuers.remove': async (input) => {
      await list().remove(input.odsCode.trim().toUpperCase());
      return { ok: true as const };
    },
    'trustedIssuers.export': async () => ({ fileName: 'trusted-issuers.json', content: await list().exportFile() }),
    'trustedIssuers.import': async (input, caller) => list().importFile(input.content, deps.now().toISOString(), caller.user!.id),
  };
}

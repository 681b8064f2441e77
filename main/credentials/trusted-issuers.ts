// The trusted-issuer list: which NHS organisations' credentials this trust accepts. Each entry is an
// organisation (ODS code, name) with one or more DIDs and their DID documents; the file format for
// import and export is the same JSON. This trust's own entry is always there and cannot be removed.
import type { Knex } from 'knex';
import { z } from 'zod';
import { AppError, type FieldError } from '../errors.ts';

const did = z.string().max(500).regex(/^did:(web|key|jwk):[A-Za-z0-9._:%-]+$/, 'Enter a DID that starts did:web:, did:key: or did:jwk:');

const publicJwk = z
  .object({ kty: z.enum(['OKP', 'EC']), crv: z.enum(['Ed25519', 'P-256']), x: z.string().min(1), y: z.string().optional(), kid: z.string().optional(), alg: z.string().optional(), use: z.string().optional() })
  .strict();

/** A DID document as a trust publishes it: public keys only, every method controlled by the DID. */
export const didDocumentSchema = z
  .object({
    '@context': z.union([z.string(), z.array(z.union([z.string(), z.record(z.string(), z.unknown())]))]).optional(),
    id: did,
    verificationMethod: z
      .array(z.object({ id: z.string().min(1).max(600), type: z.enum(['JsonWebKey2020', 'JsonWebKey']), controller: did, publicKeyJwk: publicJwk }).strict())
      .min(1)
      .max(20),
    assertionMethod: z.array(z.string()).optional(),
    authentication: z.array(z.string()).optional(),
  })
  .loose()
  .superRefine((document, ctx) => {
    for (const [i, method] of document.verificationMethod.entries()) {
      if (method.controller !== document.id) ctx.addIssue({ code: 'custom', path: ['verificationMethod', i, 'controller'], message: 'Every key must be controlled by the DID itself' });
      if (!method.id.startsWith(`${document.id}#`)) ctx.addIssue({ code: 'custom', path: ['verificationMethod', i, 'id'], message: 'Every key id must start with the DID and #' });
    }
  });
export type DidDocument = z.infer<typeof didDocumentSchema>;

export const trustedIssuerSchema = z
  .object({
    odsCode: z.string().trim().toUpperCase().regex(/^[A-Z0-9]{3}([A-Z0-9]{2})?$/, 'Enter an ODS code of 3 or 5 letters and numbers, like RHQ'),
    name: z.string().trim().min(1, 'Enter the organisation name').max(200),
    dids: z.array(z.object({ did, didDocument: didDocumentSchema }).strict()).min(1, 'Add at least one DID').max(10),
  })
  .strict()
  .superRefine((issuer, ctx) => {
    for (const [i, entry] of issuer.dids.entries()) {
      if (entry.didDocument.id !== entry.did) ctx.addIssue({ code: 'custom', path: ['dids', i, 'didDocument'], message: 'The DID document is for a different DID' });
    }
  });
export type TrustedIssuer = z.infer<typeof trustedIssuerSchema>;

export const trustedIssuerFileSchema = z
  .object({ format: z.literal('staff-passport-trusted-issuers/v1'), issuers: z.array(trustedIssuerSchema).max(1000) })
  .strict();

export interface TrustedIssuerEntry extends TrustedIssuer {
  isThisTrust: boolean;
  addedAt: string;
}

export class TrustedIssuers {
  private readonly knex: Knex;

  constructor(knex: Knex) {
    this.knex = knex;
  }

  async list(): Promise<TrustedIssuerEntry[]> {
    const organisations = (await this.knex('trusted_issuers').orderBy([{ column: 'is_this_trust', order: 'desc' }, { column: 'name' }])) as Array<{ ods_code: string; name: string; is_this_trust: number; added_at: string }>;
    const dids = (await this.knex('trusted_issuer_dids').orderBy('added_at')) as Array<{ did: string; ods_code: string; did_document: string }>;
    return organisations.map((org) => ({
      odsCode: org.ods_code,
      name: org.name,
      isThisTrust: org.is_this_trust === 1,
      addedAt: org.added_at,
      dids: dids.filter((entry) => entry.ods_code === org.ods_code).map((entry) => ({ did: entry.did, didDocument: JSON.parse(entry.did_document) as DidDocument })),
    }));
  }

  /** The organisation that a DID belongs to on the list, with the stored document; undefined when untrusted. */
  async byDid(value: string): Promise<{ odsCode: string; name: string; didDocument: DidDocument } | undefined> {
    const row = (await this.knex('trusted_issuer_dids as d').join('trusted_issuers as o', 'o.ods_code', 'd.ods_code').where('d.did', value).first('o.ods_code', 'o.name', 'd.did_document')) as
      | { ods_code: string; name: string; did_document: string }
      | undefined;
    return row ? { odsCode: row.ods_code, name: row.name, didDocument: JSON.parse(row.did_document) as DidDocument } : undefined;
  }

  /** This trust's own entry (organisation only), or undefined before set-up put it there. */
  async thisTrust(): Promise<{ odsCode: string; name: string } | undefined> {
    const row = (await this.knex('trusted_issuers').where({ is_this_trust: 1 }).first('ods_code', 'name')) as { ods_code: string; name: string } | undefined;
    return row ? { odsCode: row.ods_code, name: row.name } : undefined;
  }

  /** Adds an organisation, or adds DIDs to one already on the list (a new key, a second DID). */
  async add(issuer: TrustedIssuer, at: string, addedBy: string | null, options: { isThisTrust?: boolean } = {}): Promise<void> {
    await this.knex.transaction(async (trx) => {
      const existing = (await trx('trusted_issuers').where({ ods_code: issuer.odsCode }).first()) as { name: string } | undefined;
      if (!existing) await trx('trusted_issuers').insert({ ods_code: issuer.odsCode, name: issuer.name, is_this_trust: options.isThisTrust ? 1 : 0, added_at: at, added_by: addedBy });
      for (const entry of issuer.dids) {
        const holder = (await trx('trusted_issuer_dids').where({ did: entry.did }).first()) as { ods_code: string } | undefined;
        if (holder && holder.ods_code !== issuer.odsCode) {
          throw new AppError('conflict', `That DID is already on the list for ${holder.ods_code}.`, { fields: [{ field: 'did', message: `That DID is already on the list for ${holder.ods_code}` }] });
        }
        await trx('trusted_issuer_dids')
          .insert({ did: entry.did, ods_code: issuer.odsCode, did_document: JSON.stringify(entry.didDocument), added_at: at })
          .onConflict('did')
          .merge(['did_document']);
      }
    });
  }

  async remove(odsCode: string): Promise<void> {
    const row = (await this.knex('trusted_issuers').where({ ods_code: odsCode }).first()) as { is_this_trust: number } | undefined;
    if (!row) throw new AppError('not-found', 'That organisation is not on the list.');
    if (row.is_this_trust === 1) throw new AppError('conflict', 'Your own trust is always on the list of trusted issuers.');
    await this.knex('trusted_issuers').where({ ods_code: odsCode }).delete();
  }

  async exportFile(): Promise<string> {
    const issuers = (await this.list()).map(({ odsCode, name, dids }) => ({ odsCode, name, dids }));
    return `${JSON.stringify({ format: 'staff-passport-trusted-issuers/v1', issuers }, null, 2)}\n`;
  }

  /** Reads a list file and adds every organisation in it, all or nothing. */
  async importFile(content: string, at: string, addedBy: string | null): Promise<{ organisations: number }> {
    let json: unknown;
    try {
      json = JSON.parse(content);
    } catch {
      throw fileError('The selected file is not a trusted-issuer list (it is not JSON)');
    }
    const parsed = trustedIssuerFileSchema.safeParse(json);
    if (!parsed.success) {
      const first = parsed.error.issues[0]!;
      throw fileError(`The selected file is not a valid trusted-issuer list: ${first.path.join('.') || 'file'}: ${first.message}`);
    }
    await this.knex.transaction(async (trx) => {
      const list = new TrustedIssuers(trx);
      for (const issuer of parsed.data.issuers) await list.add(issuer, at, addedBy);
    });
    return { organisations: parsed.data.issuers.length };
  }
}

function fileError(message: string): AppError {
  const fields: FieldError[] = [{ field: 'file', message }];
  return new AppError('invalid-input', message, { fields });
}

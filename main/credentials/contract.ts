// The credentials part of the contract: the trusted-issuer list (administrators).
import { z } from 'zod';
import { op } from '../api/operation.ts';

const issuerOutput = z.object({
  odsCode: z.string(),
  name: z.string(),
  isThisTrust: z.boolean(),
  addedAt: z.string(),
  dids: z.array(z.object({ did: z.string(), keys: z.number().int() })),
});

const file = z
  .object({ fileName: z.string().max(260), content: z.string().max(5 * 1024 * 1024, 'The selected file must be smaller than 5MB') })
  .strict();

export const credentialOperations = {
  'trustedIssuers.list': op({ access: 'administrator', input: z.object({}).strict(), output: z.object({ issuers: z.array(issuerOutput) }), audited: false }),
  'trustedIssuers.add': op({
    access: 'administrator',
    input: z
      .object({
        odsCode: z.string().max(20),
        name: z.string().max(300),
        did: z.string().max(600),
        /** The DID document as JSON text, pasted or read from a file. */
        didDocument: z.string().max(256 * 1024, 'The DID document must be smaller than 256KB'),
      })
      .strict(),
    output: z.object({ ok: z.literal(true) }),
    audited: true,
    records: (input) => [input.odsCode.trim().toUpperCase()],
  }),
  'trustedIssuers.remove': op({
    access: 'administrator',
    input: z.object({ odsCode: z.string().max(20) }).strict(),
    output: z.object({ ok: z.literal(true) }),
    audited: true,
    records: (input) => [input.odsCode],
  }),
  'trustedIssuers.export': op({ access: 'administrator', input: z.object({}).strict(), output: z.object({ fileName: z.string(), content: z.string() }), audited: true }),
  'trustedIssuers.import': op({ access: 'administrator', input: file, output: z.object({ organisations: z.number().int() }), audited: true }),
} as const;

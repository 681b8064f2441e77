// The credentials part of the contract: the trusted-issuer list and the trust's signing identity
// and status lists (administrators); revoking, suspending and reinstating credentials (HR).
import { z } from 'zod';
import { op } from '../api/operation.ts';

/**
 * Why HR revokes a credential a staff member has accepted (the product's list). The code is what
 * crosses the door and is kept with the credential; the label is how HR reads it.
 */
export const REVOCATION_REASONS = [
  { code: 'training-expired', label: 'Training has expired' },
  { code: 'left-organisation', label: 'The staff member has left the organisation' },
  { code: 'provided-in-error', label: 'Provided in error' },
  { code: 'lost-phone', label: 'The staff member has lost their phone' },
  { code: 'no-longer-valid', label: 'No longer valid' },
  { code: 'suspected-no-longer-valid', label: 'Suspected to be no longer valid' },
  { code: 'staff-member-deceased', label: 'The staff member has died' },
] as const;
export type RevocationReason = (typeof REVOCATION_REASONS)[number]['code'];
const revocationReasonCodes = REVOCATION_REASONS.map((reason) => reason.code) as [RevocationReason, ...RevocationReason[]];

/** The key types as IT's settings name them (issuerKeyType); Veramo calls P-256 Secp256r1. */
export const signingKeyTypeSchema = z.enum(['Ed25519', 'P-256'], { error: 'Choose Ed25519 or P-256' });

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

const downloadFile = z.object({ fileName: z.string(), content: z.string() });

const signingIdentityOutput = z.object({
  did: z.string(),
  /** Where IT publishes the DID document (did:web resolution). */
  documentUrl: z.string(),
  keys: z.array(
    z.object({
      /** The verification method id: <did>#key-<n>. */
      kid: z.string(),
      keyType: signingKeyTypeSchema,
      algorithm: z.enum(['EdDSA', 'ES256']),
      /** The public key as JSON text, for IT to compare with the published document. */
      publicKeyJwk: z.string(),
      /** Signs new credentials; the others still verify what they signed. */
      current: z.boolean(),
      createdAt: z.string(),
    }),
  ),
  createdAt: z.string(),
  rotatedAt: z.string().nullable(),
  statusLists: z.array(
    z.object({
      id: z.string(),
      generation: z.number().int(),
      purpose: z.enum(['revocation', 'suspension']),
      /** Where verifiers fetch the list; fixed in every credential that uses it. */
      url: z.string(),
      /** Credentials given a place in the list. */
      allocated: z.number().int(),
      updatedAt: z.string(),
    }),
  ),
});

const credentialId = z.string().trim().min(1, 'Enter the credential id').max(200, 'The credential id must be 200 characters or fewer');
const credentialStateOutput = z.object({ id: z.string(), state: z.enum(['issued', 'suspended', 'revoked']), stateChangedAt: z.string() });

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

  'signingIdentity.get': op({ access: 'administrator', input: z.object({}).strict(), output: signingIdentityOutput, audited: false }),
  /** The DID document as a file, for IT to publish at the document URL. */
  'signingIdentity.exportDidDocument': op({
    access: 'administrator',
    input: z.object({}).strict(),
    output: downloadFile,
    audited: true,
  }),
  /** A new key signs from now on; earlier keys stay in the DID document so what they signed still verifies. */
  'signingIdentity.rotate': op({
    access: 'administrator',
    input: z
      .object({
        keyType: signingKeyTypeSchema.optional(),
        confirm: z.literal(true, { error: 'Confirm that you want to rotate the signing key' }),
      })
      .strict(),
    output: z.object({ currentKid: z.string() }),
    audited: true,
    records: (_input, output) => [output.currentKid],
  }),
  /** A status list as the signed credential verifiers fetch, for IT to publish at its address. */
  'statusLists.export': op({
    access: 'administrator',
    input: z.object({ listId: z.string().uuid('There is no such status list') }).strict(),
    output: downloadFile,
    audited: true,
    records: (input) => [input.listId],
  }),

  /** Revocation is final: the credential never verifies again. */
  'credentials.revoke': op({
    access: 'hr',
    input: z.object({ credentialId, reason: z.enum(revocationReasonCodes, { error: 'Select why the credential is being revoked' }) }).strict(),
    output: credentialStateOutput,
    audited: true,
    records: (input) => [input.credentialId],
  }),
  /** The credential fails verification until it is reinstated. */
  'credentials.suspend': op({
    access: 'hr',
    input: z
      .object({
        credentialId,
        reason: z.string().trim().min(1, 'Enter why the credential is being suspended').max(500, 'The reason must be 500 characters or fewer'),
      })
      .strict(),
    output: credentialStateOutput,
    audited: true,
    records: (input) => [input.credentialId],
  }),
  'credentials.reinstate': op({
    access: 'hr',
    input: z.object({ credentialId, reason: z.string().trim().max(500, 'The reason must be 500 characters or fewer').optional() }).strict(),
    output: credentialStateOutput,
    audited: true,
    records: (input) => [input.credentialId],
  }),
} as const;

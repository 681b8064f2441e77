// The wallet part of the contract: credential offers and presentation requests shown on screen as
// QR codes, what HR can offer from a passport, and the credentials staff share, with HR's decision
// on each. Everything here is HR work; the wallet's own protocol traffic never crosses the door.
import { z } from 'zod';
import { op } from '../api/operation.ts';

export const OFFER_STATES = ['waiting', 'scanned', 'collected', 'accepted', 'expired', 'cancelled', 'failed'] as const;
export type OfferState = (typeof OFFER_STATES)[number];
/** States after which nothing more happens to an offer. */
export const FINAL_OFFER_STATES: readonly OfferState[] = ['accepted', 'expired', 'cancelled', 'failed'];

export const OFFERED_CREDENTIAL_STATES = ['offered', 'issued', 'accepted', 'deleted', 'failed'] as const;
export type OfferedCredentialState = (typeof OFFERED_CREDENTIAL_STATES)[number];

export const REQUEST_STATES = ['waiting', 'scanned', 'shared', 'expired', 'cancelled', 'failed'] as const;
export type RequestState = (typeof REQUEST_STATES)[number];
export const FINAL_REQUEST_STATES: readonly RequestState[] = ['shared', 'expired', 'cancelled', 'failed'];

export const SHARED_DECISIONS = ['pending', 'accepted', 'rejected'] as const;
export type SharedDecision = (typeof SHARED_DECISIONS)[number];

const passportId = z.string().uuid('That record does not exist');
const offerId = z.string().uuid('That offer does not exist');
const requestId = z.string().uuid('That request does not exist');

const claimLine = z.object({ label: z.string(), value: z.string() });

export const offerViewSchema = z.object({
  id: z.string(),
  passportId: z.string(),
  state: z.enum(OFFER_STATES),
  /** Why it failed, was cancelled or expired, in words HR can repeat to the staff member. */
  stateReason: z.string().nullable(),
  /** The link a wallet opens (openid-credential-offer://...); null once the offer is over. */
  offerUri: z.string().nullable(),
  /** The QR code of offerUri, a PNG data URL at a whole number of pixels per module; null once over. */
  qrCode: z.string().nullable(),
  /** The code the staff member types into their wallet, shown only while the offer is open. */
  txCode: z.string().nullable(),
  createdAt: z.string(),
  expiresAt: z.string(),
  changedAt: z.string(),
  credentials: z.array(
    z.object({
      id: z.string(),
      typeId: z.string(),
      displayName: z.string(),
      /** What it is about, e.g. "Fire Safety – level 1". */
      summary: z.string(),
      state: z.enum(OFFERED_CREDENTIAL_STATES),
      /** When it was issued to the wallet; null until then. */
      issuedAt: z.string().nullable(),
      /** Whether the issued credential still stands (revoked or suspended since); null until issued. */
      status: z.enum(['issued', 'suspended', 'revoked']).nullable(),
    }),
  ),
});
export type OfferView = z.infer<typeof offerViewSchema>;

export const requestViewSchema = z.object({
  id: z.string(),
  passportId: z.string(),
  state: z.enum(REQUEST_STATES),
  stateReason: z.string().nullable(),
  /** The link a wallet opens (openid4vp://...); null once the request is over. */
  requestUri: z.string().nullable(),
  qrCode: z.string().nullable(),
  createdAt: z.string(),
  expiresAt: z.string(),
  changedAt: z.string(),
  asked: z.array(z.object({ typeId: z.string(), displayName: z.string() })),
  /** How many credentials the wallet shared in answer. */
  sharedCount: z.number().int(),
});
export type RequestView = z.infer<typeof requestViewSchema>;

const checkView = z.object({ name: z.string(), label: z.string(), outcome: z.enum(['pass', 'fail', 'unknown']), reason: z.string() });

export const sharedCredentialViewSchema = z.object({
  id: z.string(),
  passportId: z.string(),
  requestId: z.string(),
  typeId: z.string().nullable(),
  /** The catalogue's name, or the credential's own type when it is not one we know. */
  displayName: z.string(),
  /** What it is about, to tell it from others of its type ("Fire Safety – level 1"); the type's name when nothing says more. */
  about: z.string(),
  /** The category's label, or "Other" for types we do not know. */
  category: z.string(),
  issuer: z.object({ did: z.string(), odsCode: z.string().nullable(), name: z.string().nullable() }),
  outcome: z.enum(['pass', 'fail', 'unknown']),
  summary: z.string(),
  checks: z.array(checkView),
  claims: z.array(claimLine),
  issuedAt: z.string().nullable(),
  expiresAt: z.string().nullable(),
  receivedAt: z.string(),
  decision: z.enum(SHARED_DECISIONS),
  decidedAt: z.string().nullable(),
  /** Whether HR may accept it: only credentials that passed every check can be accepted. */
  acceptable: z.boolean(),
});
export type SharedCredentialView = z.infer<typeof sharedCredentialViewSchema>;

export const providableRecordSchema = z.object({
  /** The kept record's id: what wallet.offerRecords takes. */
  recordId: z.string(),
  typeId: z.string().nullable(),
  displayName: z.string(),
  category: z.string(),
  /** The system it came from (the connection's name). */
  system: z.string(),
  summary: z.string(),
  claims: z.array(claimLine),
  lastFetchedAt: z.string(),
  /** Whether it can be offered; when not, why (expired, not a type we issue, not valid). */
  providable: z.boolean(),
  reason: z.string().nullable(),
});
export type ProvidableRecord = z.infer<typeof providableRecordSchema>;

const records = (input: { passportId: string }) => [input.passportId];

export const walletOperations = {
  /** The identity credential and access key due after an identity check, offered together. */
  'wallet.offerIdentity': op({
    access: 'hr',
    input: z.object({ passportId }).strict(),
    output: offerViewSchema,
    audited: true,
    records: (input, output) => [input.passportId, output.id],
  }),
  /** The records kept for a passport from its linked systems, fetched again first when refresh is set. */
  'wallet.providableRecords': op({
    access: 'hr',
    input: z.object({ passportId, refresh: z.boolean().default(false) }).strict(),
    output: z.object({ records: z.array(providableRecordSchema), problems: z.array(z.string()) }),
    audited: true,
    records,
  }),
  /** Offers credentials made from the chosen records, once HR declares reasonable care. */
  'wallet.offerRecords': op({
    access: 'hr',
    input: z
      .object({
        passportId,
        recordIds: z.array(z.string().uuid('Choose records from the list')).min(1, 'Choose at least one record to provide').max(50, 'Choose 50 records or fewer at a time'),
        reasonableCare: z.literal(true, { error: 'Confirm that you have taken reasonable care to check this information' }),
      })
      .strict(),
    output: offerViewSchema,
    audited: true,
    records: (input, output) => [input.passportId, output.id],
  }),
  'wallet.offer': op({ access: 'hr', input: z.object({ offerId }).strict(), output: offerViewSchema, audited: false }),
  'wallet.offers': op({ access: 'hr', input: z.object({ passportId }).strict(), output: z.object({ offers: z.array(offerViewSchema) }), audited: false }),
  'wallet.cancelOffer': op({ access: 'hr', input: z.object({ offerId }).strict(), output: offerViewSchema, audited: true, records: (input) => [input.offerId] }),
  /** The same credentials again with new codes, after an offer expired, failed or was cancelled. */
  'wallet.renewOffer': op({
    access: 'hr',
    input: z.object({ offerId }).strict(),
    output: offerViewSchema,
    audited: true,
    records: (input, output) => [input.offerId, output.id],
  }),
  /** Asks the staff member's wallet to share credentials of the chosen types. */
  'wallet.requestCredentials': op({
    access: 'hr',
    input: z
      .object({
        passportId,
        typeIds: z.array(z.string().min(1).max(60)).min(1, 'Choose at least one type of credential to ask for').max(20),
      })
      .strict(),
    output: requestViewSchema,
    audited: true,
    records: (input, output) => [input.passportId, output.id],
  }),
  'wallet.presentationRequest': op({ access: 'hr', input: z.object({ requestId }).strict(), output: requestViewSchema, audited: false }),
  'wallet.presentationRequests': op({ access: 'hr', input: z.object({ passportId }).strict(), output: z.object({ requests: z.array(requestViewSchema) }), audited: false }),
  'wallet.cancelRequest': op({ access: 'hr', input: z.object({ requestId }).strict(), output: requestViewSchema, audited: true, records: (input) => [input.requestId] }),
  'wallet.sharedCredentials': op({
    access: 'hr',
    input: z.object({ passportId }).strict(),
    output: z.object({ credentials: z.array(sharedCredentialViewSchema) }),
    audited: false,
  }),
  /** HR's decision on each shared credential; a trust can reject another trust's credential, never revoke it. */
  'wallet.decideShared': op({
    access: 'hr',
    input: z
      .object({
        passportId,
        decisions: z
          .array(z.object({ sharedCredentialId: z.string().uuid('That credential does not exist'), decision: z.enum(['accepted', 'rejected'], { error: 'Choose accept or reject' }) }).strict())
          .min(1, 'Choose accept or reject for at least one credential')
          .max(100),
      })
      .strict(),
    output: z.object({ credentials: z.array(sharedCredentialViewSchema) }),
    audited: true,
    records: (input) => [input.passportId, ...input.decisions.map((decision) => decision.sharedCredentialId)],
  }),
  /**
   * The staff member has a new wallet (a lost phone): later offers accept proofs from another key.
   * Until HR records this, only the wallet that first collected can collect again.
   */
  'wallet.recordNewWallet': op({
    access: 'hr',
    input: z.object({ passportId, reason: z.string().trim().min(1, 'Enter why the staff member has a new wallet').max(500, 'The reason must be 500 characters or fewer') }).strict(),
    output: z.object({ ok: z.literal(true) }),
    audited: true,
    records,
  }),
} as const;

/** Events the wallet module pushes to the renderer: the offer and request panels update from these. */
export const walletEvents = {
  'wallet.offerChanged': z.object({ offerId: z.string(), passportId: z.string(), state: z.enum(OFFER_STATES) }),
  'wallet.requestChanged': z.object({ requestId: z.string(), passportId: z.string(), state: z.enum(REQUEST_STATES) }),
} as const;

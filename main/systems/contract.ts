// The authoritative-systems part of the contract: connections (administrators), and matching and
// links (HR): looking a staff member up in ESR by assignment number, searching another system
// with ranked candidates, confirming or rejecting them, and removing a link.
import { z } from 'zod';
import { op } from '../api/operation.ts';
import { odsCodeSchema, recordVersionSchema } from '../api/shared-schemas.ts';
import { CONNECTION_KINDS, CONNECTION_OPERATIONS } from './vocabulary.ts';

export { CONNECTION_KINDS, CONNECTION_OPERATIONS, type ConnectionKind, type ConnectionOperation } from './vocabulary.ts';

const codes = <T extends readonly { code: string }[]>(list: T) => list.map((entry) => entry.code) as unknown as [T[number]['code'], ...T[number]['code'][]];

const LOOPBACK = /^(localhost|127\.\d{1,3}\.\d{1,3}\.\d{1,3}|\[::1\])$/i;

/** An address of an authoritative system: https, or http only on this computer (the sandbox). */
const systemUrl = (what: string) =>
  z
    .string()
    .trim()
    .min(1, `Enter the ${what}`)
    .max(300, `The ${what} must be 300 characters or fewer`)
    .refine((value) => URL.canParse(value), `Enter the ${what} as a full address, like https://esr.example.nhs.uk/dsp-api`)
    .transform((value) => new URL(value))
    .refine((url) => url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK.test(url.hostname)), `The ${what} must start with https://`)
    .refine((url) => !url.username && !url.password && !url.search && !url.hash, `The ${what} cannot contain a user name, password, query or fragment`)
    .transform((url) => url.toString().replace(/\/+$/, ''));

export const connectionInputSchema = z
  .object({
    name: z.string().trim().min(1, 'Enter a name for this connection').max(100, 'The name must be 100 characters or fewer'),
    kind: z.enum(codes(CONNECTION_KINDS), { error: 'Choose the kind of system' }),
    baseUrl: systemUrl('base URL'),
    organisation: odsCodeSchema,
    tokenUrl: systemUrl('token URL'),
    clientId: z
      .string()
      .trim()
      .min(1, 'Enter the client ID the system gave you')
      .max(200, 'The client ID must be 200 characters or fewer')
      .regex(/^[\x21-\x7e]+$/, 'The client ID cannot contain spaces or special characters'),
    operations: z
      .array(z.enum(codes(CONNECTION_OPERATIONS), { error: 'Choose an operation from the list' }))
      .min(1, 'Choose at least one thing Staff Passport may do')
      .max(CONNECTION_OPERATIONS.length)
      .transform((list) => [...new Set(list)]),
  })
  .strict();
export type ConnectionInput = z.output<typeof connectionInputSchema>;

const connectionId = z.string().uuid('That connection does not exist');
const passportId = z.string().uuid('That record does not exist');
const version = recordVersionSchema;

export const systemHealthSchema = z.object({
  state: z.enum(['unknown', 'pass', 'warn', 'fail']),
  checkedAt: z.string().nullable(),
  /** Plain English, e.g. "ESR did not answer in time". */
  message: z.string().nullable(),
});

export const connectionSchema = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.enum(codes(CONNECTION_KINDS)),
  baseUrl: z.string(),
  organisation: z.string(),
  tokenUrl: z.string(),
  clientId: z.string(),
  operations: z.array(z.enum(codes(CONNECTION_OPERATIONS))),
  /** The key id of the client key pair the system's administrators register. */
  keyId: z.string(),
  health: systemHealthSchema,
  version: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type ConnectionView = z.infer<typeof connectionSchema>;

const downloadFile = z.object({ fileName: z.string(), content: z.string() });

const testStep = z.object({
  step: z.enum(['status', 'token', 'search']),
  outcome: z.enum(['pass', 'fail', 'skipped']),
  message: z.string(),
});

const comparisonRow = z.object({
  field: z.enum(['firstName', 'middleNames', 'surname', 'birthDate', 'email']),
  label: z.string(),
  passportValue: z.string().nullable(),
  systemValue: z.string().nullable(),
  level: z.enum(['exact', 'close', 'different', 'missing']),
  /** Plain English: why these agree, nearly agree or differ. */
  reason: z.string(),
});

export const candidateSchema = z.object({
  employeeId: z.string(),
  firstName: z.string(),
  surname: z.string(),
  birthDate: z.string().nullable(),
  email: z.string().nullable(),
  furtherInformation: z.string().nullable(),
  score: z.number(),
  band: z.enum(['strong', 'possible', 'weak']),
  comparisons: z.array(comparisonRow),
});
export type CandidateView = z.infer<typeof candidateSchema>;

const linkSchema = z.object({
  id: z.string(),
  connectionId: z.string(),
  connectionName: z.string(),
  connectionKind: z.enum(codes(CONNECTION_KINDS)),
  employeeId: z.string(),
  method: z.enum(['assignment-number', 'search']),
  /** The system's name for the person when HR confirmed the link. */
  systemName: z.string(),
  linkedAt: z.string(),
  linkedByName: z.string().nullable(),
});
export type LinkView = z.infer<typeof linkSchema>;

const ok = z.object({ ok: z.literal(true) });

export const systemsOperations = {
  'connections.list': op({ access: 'hr', input: z.object({}).strict(), output: z.object({ connections: z.array(connectionSchema) }), audited: false }),
  /** Creates the client key pair and the event API key; the key is shown this once. */
  'connections.add': op({
    access: 'administrator',
    input: connectionInputSchema,
    output: z.object({ connectionId: z.string(), eventsApiKey: z.string(), jwks: downloadFile }),
    audited: true,
    records: (_input, output) => [output.connectionId],
  }),
  'connections.update': op({
    access: 'administrator',
    input: connectionInputSchema.extend({ connectionId, version }).strict(),
    output: ok,
    audited: true,
    records: (input) => [input.connectionId],
  }),
  'connections.remove': op({
    access: 'administrator',
    input: z.object({ connectionId, version }).strict(),
    output: ok,
    audited: true,
    records: (input) => [input.connectionId],
  }),
  /** The public key set the system's administrators register for this connection's client. */
  'connections.exportJwks': op({ access: 'administrator', input: z.object({ connectionId }).strict(), output: downloadFile, audited: true, records: (input) => [input.connectionId] }),
  /** Replaces the event API key; the old one stops working at once. */
  'connections.newEventsApiKey': op({
    access: 'administrator',
    input: z.object({ connectionId }).strict(),
    output: z.object({ eventsApiKey: z.string() }),
    audited: true,
    records: (input) => [input.connectionId],
  }),
  /** Each step of reaching the system, with a plain result; changes nothing but the health shown. */
  'connections.test': op({ access: 'administrator', input: z.object({ connectionId }).strict(), output: z.object({ steps: z.array(testStep) }), audited: true, records: (input) => [input.connectionId] }),

  'links.list': op({ access: 'hr', input: z.object({ passportId }).strict(), output: z.object({ links: z.array(linkSchema) }), audited: false }),
  'links.remove': op({
    access: 'hr',
    input: z.object({ linkId: z.string().uuid('That link does not exist') }).strict(),
    output: ok,
    audited: true,
    records: (input) => [input.linkId],
  }),

  /** Looks a staff member up in ESR; nothing is linked until HR confirms. */
  'matching.lookUpAssignment': op({
    access: 'hr',
    input: z
      .object({
        passportId,
        connectionId,
        assignmentNumber: z.string().trim().regex(/^\d{8}$/, 'Enter an assignment number of 8 digits, like 12345678'),
      })
      .strict(),
    output: z.object({ lookupId: z.string(), candidate: candidateSchema }),
    audited: true,
    records: (input) => [input.passportId, input.connectionId],
  }),
  /** Searches the system several ways and ranks what it finds; nothing is linked until HR decides. */
  'matching.search': op({
    access: 'hr',
    input: z.object({ passportId, connectionId }).strict(),
    output: z.object({ lookupId: z.string(), searches: z.number().int(), candidates: z.array(candidateSchema) }),
    audited: true,
    records: (input) => [input.passportId, input.connectionId],
  }),
  /** HR's decision on a look-up: link one candidate, or none of these. */
  'matching.decide': op({
    access: 'hr',
    input: z.object({ lookupId: z.string().uuid('That search has expired. Search again'), employeeId: z.string().min(1, 'Choose one of the records shown, or "None of these".').max(200, 'Choose one of the records shown, or "None of these".').nullable() }).strict(),
    output: z.object({ linkId: z.string().nullable(), decisionId: z.string(), passportId: z.string(), connectionId: z.string() }),
    audited: true,
    records: (_input, output) => [output.passportId, output.connectionId, output.decisionId, ...(output.linkId ? [output.linkId] : [])],
  }),
};

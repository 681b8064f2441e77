// The staff passport part of the contract: invitations, lists, the person's page, identity checks,
// profile edits and status changes. Inputs are checked for shape here; the field rules
// (main/staff/rules.ts) run in the service, so that a form gets every problem at once.
import { z } from 'zod';
import { op } from '../api/operation.ts';
import { recordVersionSchema } from '../api/shared-schemas.ts';
import {
  CREDENTIALS_DUE_ON_IDENTITY,
  DECLINE_REASONS,
  EMPLOYMENT_STATUSES,
  EMPLOYMENT_TYPES,
  LISTS,
  SOURCES,
  STAFF_GROUPS,
  STATUSES,
  valuesOf,
} from './vocabulary.ts';

const passportId = z.string().uuid('That record does not exist');
const version = recordVersionSchema;
const text = (max = 200) => z.string().max(max, `Must be ${max} characters or fewer`);
const optionalText = (max = 200) => text(max).optional();

export const datePartsSchema = z.object({ day: text(10), month: text(10), year: text(10) }).strict();

export const profileInputSchema = z
  .object({
    firstName: text(),
    lastName: text(),
    dateOfBirth: datePartsSchema,
    email: text(320),
    mobile: text(40),
    staffGroup: text(),
    jobRole: optionalText(),
    employmentType: text(),
    employmentStatus: text(),
    orielPin: optionalText(40),
    esrAssignmentNumber: optionalText(40),
    professionalBody: optionalText(),
    registrationNumber: optionalText(40),
  })
  .strict();

/** What the batch of a CSV import shares: chosen once on the upload page. */
export const batchSchema = z
  .object({ staffGroup: text(), jobRole: optionalText(), employmentType: text(), employmentStatus: text() })
  .strict();

/** The CSV file as read by the renderer. 2 MB of text is about 15,000 rows. */
export const MAX_CSV_CHARACTERS = 2 * 1024 * 1024;
const csvFileSchema = z
  .object({
    fileName: text(260),
    content: z.string().max(MAX_CSV_CHARACTERS, 'The selected file must be smaller than 2MB'),
    batch: batchSchema,
  })
  .strict();

const statusSchema = z.enum(valuesOf(STATUSES));
const listSchema = z.enum(valuesOf(LISTS));

export const profileSchema = z.object({
  firstName: z.string(),
  lastName: z.string(),
  dateOfBirth: z.string(),
  email: z.string(),
  mobile: z.string(),
  /** The mobile as HR reads it: 07911 123456, or +33 6 12 34 56 78. */
  mobileDisplay: z.string(),
  staffGroup: z.enum(valuesOf(STAFF_GROUPS)),
  jobRole: z.string().nullable(),
  employmentType: z.enum(valuesOf(EMPLOYMENT_TYPES)),
  employmentStatus: z.enum(valuesOf(EMPLOYMENT_STATUSES)),
  orielPin: z.string().nullable(),
  esrAssignmentNumber: z.string().nullable(),
  professionalBody: z.string().nullable(),
  registrationNumber: z.string().nullable(),
});
export type ProfileView = z.infer<typeof profileSchema>;

export const passportRowSchema = z.object({
  id: z.string(),
  firstName: z.string(),
  lastName: z.string(),
  dateOfBirth: z.string(),
  createdAt: z.string(),
  staffGroup: z.enum(valuesOf(STAFF_GROUPS)),
  employmentType: z.enum(valuesOf(EMPLOYMENT_TYPES)),
  employmentStatus: z.enum(valuesOf(EMPLOYMENT_STATUSES)),
  registrationNumber: z.string().nullable(),
  professionalBody: z.string().nullable(),
  list: listSchema,
  status: statusSchema,
  source: z.enum(valuesOf(SOURCES)),
  /** What HR needs to do next for this passport, in plain English. */
  whatIsNeeded: z.string(),
});
export type PassportRow = z.infer<typeof passportRowSchema>;

export const ACTIONS = [
  'resend-invitation',
  'check-identity',
  'mark-appointment-needed',
  'decline-access',
  'edit-profile',
  'disable',
  'enable',
  'delete',
] as const;
export type PassportAction = (typeof ACTIONS)[number];

const eventSchema = z.object({
  seq: z.number().int(),
  at: z.string(),
  actorName: z.string().nullable(),
  kind: z.string(),
  summary: z.string(),
  changes: z.array(z.object({ field: z.string(), from: z.string(), to: z.string() })),
});

const messageSchema = z.object({
  id: z.string(),
  channel: z.enum(['email', 'sms']),
  recipient: z.string(),
  subject: z.string().nullable(),
  body: z.string(),
  createdAt: z.string(),
  state: z.enum(['queued', 'sent', 'failed']),
  sentAt: z.string().nullable(),
});

const identityCheckSchema = z.object({
  method: z.literal('face-to-face'),
  checkedAt: z.string(),
  checkedByName: z.string(),
  /** A data: URL, shown on the passport page. */
  photo: z.string(),
  firstName: z.string(),
  middleNames: z.string().nullable(),
  lastName: z.string(),
  dateOfBirth: z.string(),
  legalGender: z.string(),
  nationality: z.string(),
  address: z.object({ line1: z.string(), line2: z.string().nullable(), town: z.string(), postcode: z.string() }),
  document: z.object({ type: z.string(), number: z.string(), issuingCountry: z.string(), expiryDate: z.string(), notes: z.string().nullable() }),
});

export const passportSchema = z.object({
  id: z.string(),
  version: z.number().int(),
  list: listSchema,
  status: statusSchema,
  source: z.enum(valuesOf(SOURCES)),
  createdAt: z.string(),
  updatedAt: z.string(),
  profile: profileSchema,
  declined: z.object({ reason: z.enum(valuesOf(DECLINE_REASONS)), detail: z.string().nullable() }).nullable(),
  whatIsNeeded: z.string(),
  actions: z.array(z.enum(ACTIONS)),
  identityCheck: identityCheckSchema.nullable(),
  credentialsDue: z.array(z.object({ type: z.enum(valuesOf(CREDENTIALS_DUE_ON_IDENTITY)), since: z.string(), reason: z.string() })),
  messages: z.array(messageSchema),
  history: z.array(eventSchema),
});
export type PassportView = z.infer<typeof passportSchema>;

const filterOf = <T extends readonly { value: string }[]>(options: T) =>
  z.array(z.enum(valuesOf(options as unknown as readonly { value: string; label: string }[]) as [string, ...string[]])).max(options.length).optional();

export const listInputSchema = z
  .object({
    /** 'all' is the global search across every list. */
    list: z.enum([...valuesOf(LISTS), 'all']),
    search: text(200).optional(),
    employmentType: filterOf(EMPLOYMENT_TYPES),
    employmentStatus: filterOf(EMPLOYMENT_STATUSES),
    status: filterOf(STATUSES),
    source: filterOf(SOURCES),
    staffGroup: filterOf(STAFF_GROUPS),
    page: z.number().int().min(1).max(100_000).default(1),
    pageSize: z.number().int().min(1).max(100).default(25),
  })
  .strict();
export type ListQuery = z.output<typeof listInputSchema>;

const importProblemSchema = z.object({ line: z.number().int(), problems: z.array(z.string()) });

const countsSchema = z.object({
  invitationsPending: z.number().int().min(0),
  identitiesToVerify: z.number().int().min(0),
  appointmentsToComplete: z.number().int().min(0),
  awaitingCredentials: z.number().int().min(0),
});
export type Counters = z.infer<typeof countsSchema>;

const onePassport = z.object({ passportId }).strict();
const onePassportAtVersion = z.object({ passportId, version }).strict();
const ok = z.object({ ok: z.literal(true) });
const recordsOfInput = (input: { passportId: string }) => [input.passportId];

export const staffOperations = {
  'home.summary': op({ access: 'hr', input: z.object({}).strict(), output: countsSchema, audited: false }),

  /** Checks a single invitation before the check-answers page; stores nothing. */
  'staff.checkInvitation': op({ access: 'hr', input: z.object({ profile: profileInputSchema }).strict(), output: z.object({ profile: profileSchema }), audited: false }),
  'staff.invite': op({
    access: 'hr',
    input: z.object({ profile: profileInputSchema }).strict(),
    output: z.object({ passportId: z.string() }),
    audited: true,
    records: (_input, output) => [output.passportId],
  }),
  /** Reads a CSV file and says what would be uploaded; stores nothing. */
  'staff.previewImport': op({
    access: 'hr',
    input: csvFileSchema,
    output: z.object({ rows: z.number().int(), valid: z.number().int(), invalid: z.array(importProblemSchema) }),
    audited: false,
  }),
  /** Creates every valid row of the file in one transaction. */
  'staff.import': op({
    access: 'hr',
    input: csvFileSchema,
    output: z.object({ created: z.number().int(), passportIds: z.array(z.string()), invalid: z.array(importProblemSchema) }),
    audited: true,
    records: (_input, output) => output.passportIds,
  }),

  'staff.list': op({
    access: 'hr',
    input: listInputSchema,
    output: z.object({ rows: z.array(passportRowSchema), total: z.number().int(), page: z.number().int(), pageSize: z.number().int() }),
    audited: false,
  }),
  'staff.get': op({ access: 'hr', input: onePassport, output: passportSchema, audited: true, records: recordsOfInput }),

  'staff.resendInvitation': op({ access: 'hr', input: onePassport, output: ok, audited: true, records: recordsOfInput }),
  'staff.delete': op({ access: 'hr', input: onePassportAtVersion, output: ok, audited: true, records: recordsOfInput }),
  'staff.confirmIdentity': op({
    access: 'hr',
    input: z
      .object({
        passportId,
        version,
        identity: z
          .object({
            photo: z.object({ mediaType: text(60), base64: z.string().max(3 * 1024 * 1024, 'The photo must be smaller than 2MB') }).strict(),
            firstName: text(),
            middleNames: optionalText(),
            lastName: text(),
            dateOfBirth: datePartsSchema,
            legalGender: text(),
            nationality: text(),
            address: z.object({ line1: text(), line2: optionalText(), town: text(), postcode: text(20) }).strict(),
            document: z
              .object({ type: text(), number: text(60), issuingCountry: text(), expiryDate: datePartsSchema, notes: optionalText(2000) })
              .strict(),
          })
          .strict(),
      })
      .strict(),
    output: ok,
    audited: true,
    records: recordsOfInput,
  }),
  'staff.declineAccess': op({
    access: 'hr',
    input: z.object({ passportId, version, reason: text(), detail: optionalText(1000) }).strict(),
    output: ok,
    audited: true,
    records: recordsOfInput,
  }),
  'staff.markAppointmentNeeded': op({ access: 'hr', input: onePassportAtVersion, output: ok, audited: true, records: recordsOfInput }),
  'staff.updateProfile': op({
    access: 'hr',
    input: z.object({ passportId, version, profile: profileInputSchema }).strict(),
    /** How many fields changed; 0 means the answers were the same and nothing was saved. */
    output: z.object({ changed: z.number().int().min(0) }),
    audited: true,
    records: recordsOfInput,
  }),
  'staff.disable': op({ access: 'hr', input: onePassportAtVersion, output: ok, audited: true, records: recordsOfInput }),
  'staff.enable': op({ access: 'hr', input: onePassportAtVersion, output: ok, audited: true, records: recordsOfInput }),
} as const;

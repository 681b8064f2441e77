// The catalogue: one declarative definition per credential type. Each says what the credential is
// called (its verifiable-credential type and its name for people), where it sits, the schema and
// label of every claim, how long it is valid, and, for the types the DSP API standard carries, how
// a record maps to claims and back to the record the standard sends.
import { z } from 'zod';
import { CREDENTIAL_TYPE_NAMES, type CREDENTIAL_CATEGORIES } from '../../staff/vocabulary.ts';
import { dspBoolean, endOfPeriod, isoDate, lenientEnum, odsCode, partialDate, text } from './shapes.ts';

export type CredentialCategory = (typeof CREDENTIAL_CATEGORIES)[number]['value'];

/** A type's id, name and category, as the vocabulary lists them. */
function named(id: (typeof CREDENTIAL_TYPE_NAMES)[number]['id']): { id: string; displayName: string; category: CredentialCategory } {
  const { displayName, category } = CREDENTIAL_TYPE_NAMES.find((type) => type.id === id)!;
  return { id, displayName, category };
}

type Claims = z.ZodObject<z.ZodRawShape>;

export interface RecordMapping<S extends Claims> {
  /** The `recordType` of the standard's record. */
  recordType: string;
  /** Reads a record (tolerating the standard's known faults) into claims; throws a ZodError on anything else. */
  fromRecord(record: unknown): z.output<S>;
  /** The record exactly as the standard defines it. */
  toRecord(claims: z.output<S>): Record<string, unknown>;
}

export interface CredentialDefinition<S extends Claims = Claims> {
  /** Our code for the type, e.g. "core-skill". */
  id: string;
  /** The verifiable-credential type name, after "VerifiableCredential". */
  vcType: string;
  category: CredentialCategory;
  /** What HR and the wallet call it (en-GB). */
  displayName: string;
  claims: S;
  /** A label for every claim, for HR screens and wallet display metadata (en-GB). */
  labels: { [K in keyof z.output<S>]-?: string };
  /** The last day it is valid (YYYY-MM-DD), or null when only revocation ends it. */
  validUntil(claims: z.output<S>): string | null;
  /** Why it must not be issued today, if it must not. */
  notIssuable?(claims: z.output<S>, today: string): string | null;
  record?: RecordMapping<S>;
}

function define<S extends Claims>(definition: CredentialDefinition<S>): CredentialDefinition<S> {
  return definition;
}

/**
 * The mapping for a record whose fields are the claims, one for one: claim names mean the same at
 * every trust because they are the standard's own names. `input` tolerates the published faults.
 */
function sameFields<S extends Claims>(recordType: string, claims: S, input: z.ZodType<z.output<S>> = claims as unknown as z.ZodType<z.output<S>>): RecordMapping<S> {
  return {
    recordType,
    fromRecord(record) {
      const { recordType: type, ...fields } = z.object({ recordType: z.literal(recordType) }).loose().parse(record);
      void type;
      return input.parse(fields);
    },
    toRecord: (value) => ({ recordType, ...dropUndefined(value as Record<string, unknown>) }),
  };
}

function dropUndefined(value: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined));
}

// ---- Identity and New Starter Information -----------------------------------------------------

export const accessKey = define({
  ...named('access-key'),
  vcType: 'NHSAccessKeyCredential',
  claims: z
    .object({
      organisationOdsCode: odsCode,
      organisationName: text(200),
      firstName: text(100),
      lastName: text(100),
    })
    .strict(),
  labels: { organisationOdsCode: 'Organisation ODS code', organisationName: 'Organisation', firstName: 'First name', lastName: 'Last name' },
  validUntil: () => null,
});

const photo = z.string().regex(/^[A-Za-z0-9+/]+={0,2}$/, 'A base64-encoded image').max(7 * 1024 * 1024);

export const identity = define({
  ...named('identity'),
  vcType: 'NHSIdentityCredential',
  claims: z
    .object({
      photo,
      firstName: text(100),
      middleNames: text(200).optional(),
      lastName: text(100),
      dateOfBirth: isoDate,
      legalGender: z.enum(['female', 'male', 'unspecified']),
      nationality: text(100),
      addressLine1: text(200),
      addressLine2: text(200).optional(),
      town: text(100),
      postcode: text(10),
    })
    .strict(),
  labels: {
    photo: 'Photo',
    firstName: 'First name',
    middleNames: 'Middle names',
    lastName: 'Last name',
    dateOfBirth: 'Date of birth',
    legalGender: 'Legal gender',
    nationality: 'Nationality',
    addressLine1: 'Address line 1',
    addressLine2: 'Address line 2',
    town: 'Town or city',
    postcode: 'Postcode',
  },
  validUntil: () => null,
});

export const newStarterInformation = define({
  ...named('new-starter-information'),
  vcType: 'NHSNewStarterInformationCredential',
  // Self-declared by the staff member: every claim is optional.
  claims: z
    .object({
      preferredName: text(100).optional(),
      pronouns: text(50).optional(),
      personalEmail: z.email().optional(),
      personalMobile: text(30).optional(),
      emergencyContactName: text(200).optional(),
      emergencyContactRelationship: text(100).optional(),
      emergencyContactPhone: text(30).optional(),
      niNumber: z.string().regex(/^[A-CEGHJ-PR-TW-Z]{2}\d{6}[A-D]$/, 'A National Insurance number, like QQ123456C').optional(),
      bankDetailsProvided: z.boolean().optional(),
    })
    .strict(),
  labels: {
    preferredName: 'Preferred name',
    pronouns: 'Pronouns',
    personalEmail: 'Personal email address',
    personalMobile: 'Personal mobile phone number',
    emergencyContactName: 'Emergency contact',
    emergencyContactRelationship: 'Relationship to them',
    emergencyContactPhone: 'Emergency contact phone number',
    niNumber: 'National Insurance number',
    bankDetailsProvided: 'Bank details provided',
  },
  validUntil: () => null,
});

// ---- Employment checks ------------------------------------------------------------------------

const EVIDENCE_CHECKERS = ['Yoti Ltd', 'Digidentity B.V.'] as const;

const rightToWorkClaims = z
  .object({
    legalFirstName: text(100),
    middleNames: text(200).optional(),
    legalSurname: text(100),
    birthDate: isoDate,
    biometricPageImage: photo,
    photograph: photo,
    identityDocumentExpiryDate: isoDate,
    identityVerified: z.literal(true),
    evidenceCheckedBy: z.enum(EVIDENCE_CHECKERS),
    dateOfIdCheck: isoDate,
    GPG45profile: text(10),
  })
  .strict();

export const rightToWork = define({
  ...named('right-to-work'),
  vcType: 'NHSRightToWorkCredential',
  claims: rightToWorkClaims,
  labels: {
    legalFirstName: 'Legal first name',
    middleNames: 'Middle names',
    legalSurname: 'Legal last name',
    birthDate: 'Date of birth',
    biometricPageImage: 'Identity document photo page',
    photograph: 'Photo',
    identityDocumentExpiryDate: 'Identity document expiry date',
    identityVerified: 'Identity verified',
    evidenceCheckedBy: 'Evidence checked by',
    dateOfIdCheck: 'Date of identity check',
    GPG45profile: 'GPG45 identity profile',
  },
  validUntil: () => null,
  notIssuable: (claims, today) => (claims.identityDocumentExpiryDate < today ? 'The identity document has expired, so a right to work credential cannot be issued.' : null),
  record: sameFields('RightToWork', rightToWorkClaims, rightToWorkClaims.extend({ identityVerified: dspBoolean.pipe(z.literal(true)) })),
});

const dbsSupportingClaims = z
  .object({
    legalFirstName: text(100),
    middleNames: text(200).optional(),
    legalSurname: text(100),
    birthDate: isoDate,
    currentAddress: text(500).optional(),
    currentAddressVerified: z.boolean(),
    dateOfAddressCheck: isoDate.optional(),
    identityVerified: z.literal(true),
    evidenceCheckedBy: z.enum(EVIDENCE_CHECKERS),
    dateOfIdCheck: isoDate,
    GPG45profile: text(10),
    GPG44level: z.enum(['Low', 'Medium', 'High', 'Very high']).optional(),
    subjectId: text(100),
    passportNumber: text(20).optional(),
    passportBirthDate: isoDate.optional(),
    passportNationality: text(100).optional(),
    passportIssuingCountry: z.string().regex(/^[A-Z]{3}$/).optional(),
    passportIssueDate: isoDate.optional(),
    drivingLicenceNumber: text(20).optional(),
    drivingLicenceBirthDate: isoDate.optional(),
    drivingLicenceType: z.enum(['Photocard', 'Paper']).optional(),
    drivingLicenceValidFrom: isoDate.optional(),
    drivingLicenceCountry: z.string().regex(/^[A-Z]{3}$/).optional(),
  })
  .strict();

export const dbsSupportingInformation = define({
  ...named('dbs-supporting-information'),
  vcType: 'NHSDBSSupportingInformationCredential',
  claims: dbsSupportingClaims,
  labels: {
    legalFirstName: 'Legal first name',
    middleNames: 'Middle names',
    legalSurname: 'Legal last name',
    birthDate: 'Date of birth',
    currentAddress: 'Current address',
    currentAddressVerified: 'Current address verified',
    dateOfAddressCheck: 'Date of address check',
    identityVerified: 'Identity verified',
    evidenceCheckedBy: 'Evidence checked by',
    dateOfIdCheck: 'Date of identity check',
    GPG45profile: 'GPG45 identity profile',
    GPG44level: 'GPG44 level of protection',
    subjectId: 'Identity check reference',
    passportNumber: 'Passport number',
    passportBirthDate: 'Date of birth on passport',
    passportNationality: 'Nationality on passport',
    passportIssuingCountry: 'Passport issuing country',
    passportIssueDate: 'Passport issue date',
    drivingLicenceNumber: 'Driving licence number',
    drivingLicenceBirthDate: 'Date of birth on driving licence',
    drivingLicenceType: 'Driving licence type',
    drivingLicenceValidFrom: 'Driving licence valid from',
    drivingLicenceCountry: 'Driving licence issuing country',
  },
  validUntil: () => null,
  record: sameFields(
    'DBSCheckSupportingInformation',
    dbsSupportingClaims,
    dbsSupportingClaims.extend({ currentAddressVerified: dspBoolean, identityVerified: dspBoolean.pipe(z.literal(true)) }),
  ),
});

const dbsOutcomeClaims = z
  .object({
    applicantFirstName: text(100),
    applicantMiddleNames: z.string().max(200),
    applicantSurname: text(100),
    applicantDateOfBirth: isoDate,
    typeOfDbsCheck: z.enum(['Basic check', 'Standard check', 'Enhanced check', 'Enhanced with barred list(s) check']),
    adultsBarredListChecked: z.boolean(),
    childrensBarredListChecked: z.boolean(),
    certificateNumber: z.string().regex(/^\d{12}$/, 'A DBS certificate number is 12 digits'),
    disclosureIssueDate: isoDate,
    informationDisclosed: z.boolean(),
    workforceType: z.enum(['Child', 'Adult', 'Child and Adult']).optional(),
    registeredBodyNumber: z.string().regex(/^\d{11}$/, 'A registered body number is 11 digits'),
    registeredBodyName: text(200),
  })
  .strict();

export const dbsCheckOutcome = define({
  ...named('dbs-check-outcome'),
  vcType: 'NHSDBSCheckOutcomeCredential',
  claims: dbsOutcomeClaims,
  labels: {
    applicantFirstName: 'First name used in the check',
    applicantMiddleNames: 'Middle names used in the check',
    applicantSurname: 'Last name used in the check',
    applicantDateOfBirth: 'Date of birth used in the check',
    typeOfDbsCheck: 'Type of check',
    adultsBarredListChecked: "Adults' barred list checked",
    childrensBarredListChecked: "Children's barred list checked",
    certificateNumber: 'Certificate number',
    disclosureIssueDate: 'Certificate issue date',
    informationDisclosed: 'Information disclosed',
    workforceType: 'Workforce',
    registeredBodyNumber: 'Registered body number',
    registeredBodyName: 'Registered body',
  },
  validUntil: () => null,
  record: sameFields(
    'DBSCheckOutcome',
    dbsOutcomeClaims,
    dbsOutcomeClaims.extend({ adultsBarredListChecked: dspBoolean, childrensBarredListChecked: dspBoolean, informationDisclosed: dspBoolean }),
  ),
});

// The standard's enum lacks the NMC and types the number as a number (HCPC numbers have letters).
const PROFESSIONAL_BODIES = ['General Medical Council', 'General Dental Council', 'General Pharmaceutical Council', 'Health and Care Professions Council', 'Nursing and Midwifery Council'] as const;

const registrationClaims = z
  .object({
    professionalBody: z.enum(PROFESSIONAL_BODIES),
    registrationNumber: z.string().regex(/^[A-Z0-9]{1,12}$/, 'A registration number is letters and numbers'),
    registrationDate: isoDate.optional(),
    expiryDate: isoDate.optional(),
    revalidationDate: isoDate.optional(),
    registrationCheckDate: isoDate.optional(),
  })
  .strict();

export const professionalRegistration = define({
  ...named('professional-registration'),
  vcType: 'NHSProfessionalRegistrationCredential',
  claims: registrationClaims,
  labels: {
    professionalBody: 'Professional body',
    registrationNumber: 'Registration number',
    registrationDate: 'Date registered',
    expiryDate: 'Registration expiry date',
    revalidationDate: 'Revalidation date',
    registrationCheckDate: 'Date the registration was checked',
  },
  validUntil: (claims) => claims.expiryDate ?? null,
  record: {
    recordType: 'ProfessionalRegistration',
    fromRecord(record) {
      const { recordType: _type, registrationNumber, ...rest } = z
        .object({ recordType: z.literal('ProfessionalRegistration'), registrationNumber: z.union([z.number().int().nonnegative(), z.string()]) })
        .loose()
        .parse(record);
      return registrationClaims.parse({ ...rest, registrationNumber: String(registrationNumber).trim().toUpperCase() });
    },
    // A number where the standard can carry one; HCPC and NMC numbers have letters and stay text.
    toRecord: (claims) => ({
      recordType: 'ProfessionalRegistration',
      ...dropUndefined({ ...claims, registrationNumber: /^\d+$/.test(claims.registrationNumber) ? Number(claims.registrationNumber) : claims.registrationNumber }),
    }),
  },
});

// ---- Confirmation of assignment ---------------------------------------------------------------

export const employmentAssignment = define({
  ...named('employment-assignment'),
  vcType: 'NHSEmploymentAssignmentCredential',
  claims: z
    .object({
      employerName: text(200),
      employerOdsCode: odsCode,
      department: text(200).optional(),
      staffGroup: text(100),
      jobRole: text(100),
      positionTitle: text(200),
      assignmentCategory: text(100),
      assignmentStatus: text(100),
      startDate: isoDate,
      fixedTermEndDate: isoDate.optional(),
      payBand: text(50).optional(),
      assignmentNumber: z.string().regex(/^\d{8}(-\d+)?$/, 'An ESR assignment number is 8 digits'),
    })
    .strict(),
  labels: {
    employerName: 'Employer',
    employerOdsCode: 'Employer ODS code',
    department: 'Department',
    staffGroup: 'Staff group',
    jobRole: 'Job role',
    positionTitle: 'Position',
    assignmentCategory: 'Assignment category',
    assignmentStatus: 'Assignment status',
    startDate: 'Start date',
    fixedTermEndDate: 'Fixed-term end date',
    payBand: 'Pay band',
    assignmentNumber: 'Assignment number',
  },
  validUntil: (claims) => claims.fixedTermEndDate ?? null,
});

export const temporaryPlacement = define({
  ...named('temporary-placement'),
  vcType: 'NHSTemporaryPlacementCredential',
  claims: z
    .object({
      positionTitle: text(200),
      positionNumber: text(50),
      workPattern: text(200),
      startDate: isoDate,
      endDate: isoDate,
      permanentEmployerName: text(200),
      permanentEmployerOdsCode: odsCode,
      hostName: text(200),
      hostOdsCode: odsCode,
      department: text(200),
      departmentContactName: text(200),
      departmentContactEmail: z.email(),
      hrContactName: text(200),
      hrContactEmail: z.email(),
      approvedBy: text(200),
      licenceToAttendConfirmed: z.boolean(),
    })
    .strict(),
  labels: {
    positionTitle: 'Position',
    positionNumber: 'Position number',
    workPattern: 'Work pattern',
    startDate: 'Start date',
    endDate: 'End date',
    permanentEmployerName: 'Permanent employer',
    permanentEmployerOdsCode: 'Permanent employer ODS code',
    hostName: 'Host organisation',
    hostOdsCode: 'Host ODS code',
    department: 'Department',
    departmentContactName: 'Department contact',
    departmentContactEmail: 'Department contact email',
    hrContactName: 'HR contact',
    hrContactEmail: 'HR contact email',
    approvedBy: 'Approved by',
    licenceToAttendConfirmed: 'Licence to attend confirmed',
  },
  validUntil: (claims) => claims.endDate,
  notIssuable: (claims) => (claims.endDate < claims.startDate ? 'The placement ends before it starts.' : null),
});

// ---- Core skills training information ---------------------------------------------------------

const coreSkillClaims = z
  .object({
    competencyFramework: z.enum(['CSTF', 'MAND']),
    subjectName: text(200),
    competencyName: text(300),
    subjectLevel: z.string().regex(/^\d+$/),
    renewalPeriodNumber: z.string().regex(/^\d+$/).optional(),
    renewalPeriodUnits: z.enum(['Year', 'Years', 'Month', 'Months']).optional(),
    proficiencyLevel: z.enum(['0 - Not Assessed', '1 - Assessed']).optional(),
    attainmentStatus: z.literal('ACHIEVED'),
    learningMethod: text(100).optional(),
    awardingOrganisation: odsCode,
    dateLastAwarded: isoDate,
    dateTo: isoDate.optional(),
  })
  .strict();

export const coreSkill = define({
  ...named('core-skill'),
  vcType: 'NHSCoreSkillCredential',
  claims: coreSkillClaims,
  labels: {
    competencyFramework: 'Framework',
    subjectName: 'Subject',
    competencyName: 'Competency',
    subjectLevel: 'Level',
    renewalPeriodNumber: 'Renewal period',
    renewalPeriodUnits: 'Renewal period units',
    proficiencyLevel: 'Proficiency',
    attainmentStatus: 'Attainment',
    learningMethod: 'Learning method',
    awardingOrganisation: 'Awarding organisation',
    dateLastAwarded: 'Date last awarded',
    dateTo: 'Valid until',
  },
  // Date last awarded plus the renewal period; without a renewal period it does not expire.
  validUntil: (claims) => {
    if (!claims.renewalPeriodNumber || !claims.renewalPeriodUnits) return claims.dateTo ?? null;
    return endOfPeriod(claims.dateLastAwarded, Number(claims.renewalPeriodNumber), claims.renewalPeriodUnits.startsWith('Year') ? 'year' : 'month');
  },
  record: sameFields('CoreSkillsTraining', coreSkillClaims),
});

// ---- Health information – vaccinations and testing ----------------------------------------------

const vaccinationClaims = z.object({ code: text(50), description: text(200), date: partialDate }).strict();
export const vaccination = define({
  ...named('vaccination'),
  vcType: 'NHSVaccinationCredential',
  claims: vaccinationClaims,
  labels: { code: 'Code', description: 'Vaccination', date: 'Date' },
  validUntil: () => null,
  record: sameFields('Vaccination', vaccinationClaims),
});

const clinicalTestClaims = z
  .object({ code: text(50), description: text(200), date: partialDate, result: text(200).optional(), interpretation: z.enum(['Detected', 'Not detected', 'Equivocal']) })
  .strict();
export const clinicalTest = define({
  ...named('clinical-test'),
  vcType: 'NHSClinicalTestCredential',
  claims: clinicalTestClaims,
  labels: { code: 'Code', description: 'Test', date: 'Date', result: 'Result', interpretation: 'Interpretation' },
  validUntil: () => null,
  record: sameFields('ClinicalTest', clinicalTestClaims, clinicalTestClaims.extend({ interpretation: lenientEnum(['Detected', 'Not detected', 'Equivocal'] as const) })),
});

const observationClaims = z.object({ code: text(50), description: text(200), result: z.enum(['Yes', 'No']) }).strict();
export const observation = define({
  ...named('observation'),
  vcType: 'NHSObservationCredential',
  claims: observationClaims,
  labels: { code: 'Code', description: 'Observation', result: 'Observed' },
  validUntil: () => null,
  record: sameFields('Observation', observationClaims),
});

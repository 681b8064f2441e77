// The words of the staff passport journeys: every code the store keeps, with the label HR sees.
// Pure data with no imports, so the renderer may import it at run time as well as the main side.

export const STAFF_GROUPS = [
  { value: 'additional-clinical-services', label: 'Additional Clinical Services' },
  { value: 'additional-professional-scientific-technical', label: 'Additional Professional Scientific and Technical' },
  { value: 'administrative-clerical', label: 'Administrative and Clerical' },
  { value: 'allied-health-professionals', label: 'Allied Health Professionals' },
  { value: 'estates-ancillary', label: 'Estates and Ancillary' },
  { value: 'healthcare-scientists', label: 'Healthcare Scientists' },
  { value: 'medical-dental', label: 'Medical and Dental' },
  { value: 'nursing-midwifery-registered', label: 'Nursing and Midwifery Registered' },
  { value: 'students-non-medical', label: 'Students (non-medical)' },
  { value: 'students-medical-undergraduate', label: 'Students (medical undergraduate)' },
] as const;

export const EMPLOYMENT_TYPES = [
  { value: 'permanent-or-fixed-term', label: 'Permanent or fixed term' },
  { value: 'temporary-mover', label: 'Temporary mover' },
] as const;

export const EMPLOYMENT_STATUSES = [
  { value: 'current-or-leaver', label: 'Current employee or leaver' },
  { value: 'new-starter', label: 'New starter' },
] as const;

export const SOURCES = [
  { value: 'invited', label: 'Invited' },
  { value: 'self-sign-up', label: 'Self sign-up' },
] as const;

/**
 * Where a record sits in HR's work: identity and access (before a passport exists), then the
 * staff passports lists, Pending and Reviewed. A status belongs to one list.
 */
export const LISTS = [
  { value: 'identity', label: 'Identity and access' },
  { value: 'pending', label: 'Pending' },
  { value: 'reviewed', label: 'Reviewed' },
] as const;

export const STATUSES = [
  { value: 'invitation-sent', label: 'Invitation sent', list: 'identity', tag: 'blue' },
  { value: 'identity-to-verify', label: 'Identity to verify', list: 'identity', tag: 'yellow' },
  { value: 'appointment-needed', label: 'Appointment needed', list: 'identity', tag: 'orange' },
  { value: 'access-declined', label: 'Access declined', list: 'identity', tag: 'red' },
  { value: 'credentials-pending', label: 'Credentials pending', list: 'pending', tag: 'yellow' },
  { value: 'active', label: 'Active', list: 'reviewed', tag: 'green' },
  { value: 'disabled', label: 'Disabled', list: null, tag: 'grey' },
  { value: 'deactivated', label: 'Deactivated', list: 'reviewed', tag: 'grey' },
] as const;

export const PROFESSIONAL_BODIES = [
  { value: 'GMC', label: 'General Medical Council (GMC)', example: '1234567' },
  { value: 'GDC', label: 'General Dental Council (GDC)', example: '123456' },
  { value: 'GPhC', label: 'General Pharmaceutical Council (GPhC)', example: '2012345' },
  { value: 'HCPC', label: 'Health and Care Professions Council (HCPC)', example: 'PA12345' },
  { value: 'NMC', label: 'Nursing and Midwifery Council (NMC)', example: '12A3456E' },
] as const;

export const DECLINE_REASONS = [
  { value: 'not-new-starter', label: 'Not identified as a new starter here' },
  { value: 'identity-not-confirmed', label: 'Unable to confirm identity' },
  { value: 'other', label: 'Other' },
] as const;

export const LEGAL_GENDERS = [
  { value: 'female', label: 'Female' },
  { value: 'male', label: 'Male' },
  { value: 'unspecified', label: 'Not specified (X)' },
] as const;

export const IDENTITY_DOCUMENTS = [
  { value: 'passport', label: 'Passport' },
  { value: 'driving-licence', label: 'Photocard driving licence' },
  { value: 'biometric-residence-permit', label: 'Biometric residence permit or card' },
  { value: 'national-identity-card', label: 'National identity card' },
  { value: 'other', label: 'Other photo identity document' },
] as const;

/** The credentials a confirmed identity makes due: issued when the wallet work lands. */
export const CREDENTIALS_DUE_ON_IDENTITY = [
  { value: 'identity', label: 'Identity credential' },
  { value: 'access-key', label: 'Access key' },
] as const;

/** The sections of a staff passport that credentials are grouped in, in the order HR sees them. */
export const CREDENTIAL_CATEGORIES = [
  { value: 'identity', label: 'Identity and New Starter Information' },
  { value: 'employment', label: 'Employment checks' },
  { value: 'assignment', label: 'Confirmation of assignment' },
  { value: 'core-skills', label: 'Core skills training information' },
  { value: 'health', label: 'Health information – vaccinations and testing' },
] as const;

/**
 * The credential types by name: the catalogue's id, what HR and wallets call each one (en-GB) and
 * its category, in the order HR sees them. The catalogue's definitions take their names from
 * here, so the screens show the very names credentials are issued under.
 */
export const CREDENTIAL_TYPE_NAMES = [
  { id: 'identity', displayName: 'Identity', askedName: 'Identity', category: 'identity' },
  { id: 'access-key', displayName: 'Access key', askedName: 'Access keys', category: 'identity' },
  { id: 'new-starter-information', displayName: 'New starter information', askedName: 'New starter information', category: 'identity' },
  { id: 'right-to-work', displayName: 'Right to work', askedName: 'Right to work', category: 'employment' },
  { id: 'dbs-supporting-information', displayName: 'DBS supporting information', askedName: 'DBS supporting information', category: 'employment' },
  { id: 'dbs-check-outcome', displayName: 'DBS check', askedName: 'DBS checks', category: 'employment' },
  { id: 'professional-registration', displayName: 'Professional registration', askedName: 'Professional registrations', category: 'employment' },
  { id: 'employment-assignment', displayName: 'Employment assignment', askedName: 'Employment assignments', category: 'assignment' },
  { id: 'temporary-placement', displayName: 'Temporary placement', askedName: 'Temporary placements', category: 'assignment' },
  { id: 'core-skill', displayName: 'Core skill', askedName: 'Core skills', category: 'core-skills' },
  { id: 'vaccination', displayName: 'Vaccination', askedName: 'Vaccinations', category: 'health' },
  { id: 'clinical-test', displayName: 'Clinical test', askedName: 'Clinical tests', category: 'health' },
  { id: 'observation', displayName: 'Observation', askedName: 'Observations', category: 'health' },
] as const satisfies ReadonlyArray<{ id: string; displayName: string; /** How HR asks for it: plural where a person may hold several. */ askedName: string; category: (typeof CREDENTIAL_CATEGORIES)[number]['value'] }>;

export type StaffGroup = (typeof STAFF_GROUPS)[number]['value'];
export type EmploymentType = (typeof EMPLOYMENT_TYPES)[number]['value'];
export type EmploymentStatus = (typeof EMPLOYMENT_STATUSES)[number]['value'];
export type Source = (typeof SOURCES)[number]['value'];
export type ListName = (typeof LISTS)[number]['value'];
export type PassportStatus = (typeof STATUSES)[number]['value'];
export type ProfessionalBody = (typeof PROFESSIONAL_BODIES)[number]['value'];
export type DeclineReason = (typeof DECLINE_REASONS)[number]['value'];
export type LegalGender = (typeof LEGAL_GENDERS)[number]['value'];
export type IdentityDocument = (typeof IDENTITY_DOCUMENTS)[number]['value'];

type Option = { readonly value: string; readonly label: string };

/** The label for a code, or the code itself if it is not one of the options. */
export function labelOf(options: readonly Option[], value: string | null | undefined): string {
  if (value === null || value === undefined) return '';
  return options.find((option) => option.value === value)?.label ?? value;
}

export function valuesOf<T extends readonly Option[]>(options: T): [T[number]['value'], ...Array<T[number]['value']>] {
  return options.map((option) => option.value) as [T[number]['value'], ...Array<T[number]['value']>];
}

/** The columns of the batch-invitation CSV file, as the template names them. */
export const CSV_COLUMNS = [
  { key: 'firstName', heading: 'First name', example: 'Amina' },
  { key: 'lastName', heading: 'Last name', example: "O'Neill-Khan" },
  { key: 'dateOfBirth', heading: 'Date of birth', example: '31/01/1990' },
  { key: 'email', heading: 'Email address', example: 'amina.oneill-khan@nhs.net' },
  { key: 'mobile', heading: 'Mobile phone number', example: '07911 123456' },
  { key: 'orielPin', heading: 'Oriel PIN', example: '' },
  { key: 'esrAssignmentNumber', heading: 'ESR assignment number', example: '12345678' },
] as const;
export type CsvColumnKey = (typeof CSV_COLUMNS)[number]['key'];

/** The most rows one file may hold; a rotation is usually a few hundred. */
export const MAX_CSV_ROWS = 10_000;

// The DSP API standard's bodies as TypeScript types: what the client hands the rest of the app
// once a response has passed validation and the published document's known faults have been
// normalised (booleans sent as strings become booleans; a numeric registrationNumber becomes text,
// because HCPC numbers start with letters). Kept beside the schemas in ./dsp-api/, which decide.

export type SystemKind = 'esr' | 'learning' | 'recruitment' | 'occupational-health' | 'other';

/** The plain-English name of each kind of system, as HR says it. */
export const SYSTEM_KIND_NAMES: Record<SystemKind, string> = {
  esr: 'ESR',
  learning: 'the learning management system',
  recruitment: 'the recruitment system',
  'occupational-health': 'the occupational health system',
  other: 'the system',
};

export type DspOperation = 'search-for-employee' | 'get-employee-personal-details' | 'get-employee-records' | 'add-employee-record' | 'status';

export interface EmployeePersonalDetails {
  id: string;
  firstName: string;
  surname: string;
  birthDate?: string;
  email?: string;
  /** ESR's person id (not the assignment number). */
  esrIdentifier?: string;
  furtherInformation?: string;
}

export interface SearchParameters {
  firstName?: string;
  surname?: string;
  /** YYYY-MM-DD */
  birthDate?: string;
}

export const EVIDENCE_CHECKERS = ['Yoti Ltd', 'Digidentity B.V.'] as const;

export interface RightToWork {
  recordType: 'RightToWork';
  legalFirstName: string;
  middleNames?: string;
  legalSurname: string;
  birthDate: string;
  biometricPageImage: string;
  photograph: string;
  identityDocumentExpiryDate: string;
  identityVerified: boolean;
  evidenceCheckedBy: (typeof EVIDENCE_CHECKERS)[number];
  dateOfIdCheck: string;
  GPG45profile: string;
}

export interface DBSCheckSupportingInformation {
  recordType: 'DBSCheckSupportingInformation';
  legalFirstName: string;
  middleNames?: string;
  legalSurname: string;
  birthDate: string;
  currentAddress?: string;
  currentAddressVerified: boolean;
  dateOfAddressCheck?: string;
  identityVerified: boolean;
  evidenceCheckedBy: (typeof EVIDENCE_CHECKERS)[number];
  dateOfIdCheck: string;
  GPG45profile: string;
  GPG44level?: 'Low' | 'Medium' | 'High' | 'Very high';
  subjectId: string;
  passportNumber?: string;
  passportBirthDate?: string;
  passportNationality?: string;
  passportIssuingCountry?: string;
  passportIssueDate?: string;
  drivingLicenceNumber?: string;
  drivingLicenceBirthDate?: string;
  drivingLicenceType?: 'Photocard' | 'Paper';
  drivingLicenceValidFrom?: string;
  drivingLicenceCountry?: string;
}

export const DBS_CHECK_TYPES = ['Basic check', 'Standard check', 'Enhanced check', 'Enhanced with barred list(s) check'] as const;

export interface DBSCheckOutcome {
  recordType: 'DBSCheckOutcome';
  applicantFirstName: string;
  applicantMiddleNames: string;
  applicantSurname: string;
  applicantDateOfBirth: string;
  typeOfDbsCheck: (typeof DBS_CHECK_TYPES)[number];
  adultsBarredListChecked: boolean;
  childrensBarredListChecked: boolean;
  certificateNumber: string;
  disclosureIssueDate: string;
  informationDisclosed: boolean;
  workforceType?: 'Child' | 'Adult' | 'Child and Adult';
  /** Exactly 11 digits. */
  registeredBodyNumber: string;
  registeredBodyName: string;
}

export interface CoreSkillsTraining {
  recordType: 'CoreSkillsTraining';
  competencyFramework: 'CSTF' | 'MAND';
  subjectName: string;
  competencyName: string;
  subjectLevel: string;
  renewalPeriodNumber?: string;
  renewalPeriodUnits?: string;
  proficiencyLevel?: '0 - Not Assessed' | '1 - Assessed';
  attainmentStatus: 'ACHIEVED';
  learningMethod?: string;
  awardingOrganisation: string;
  dateLastAwarded: string;
  dateTo?: string;
}

export const PROFESSIONAL_BODIES = ['General Medical Council', 'General Dental Council', 'General Pharmaceutical Council', 'Health and Care Professions Council'] as const;

export interface ProfessionalRegistration {
  recordType: 'ProfessionalRegistration';
  professionalBody: (typeof PROFESSIONAL_BODIES)[number];
  /** Text here, though the document says number: HCPC numbers start with letters. */
  registrationNumber: string;
  registrationDate?: string;
  expiryDate?: string;
  revalidationDate?: string;
  registrationCheckDate?: string;
}

export interface Vaccination {
  recordType: 'Vaccination';
  code: string;
  description: string;
  date: string;
}

export interface ClinicalTest {
  recordType: 'ClinicalTest';
  code: string;
  description: string;
  date: string;
  result?: string;
  interpretation: 'Detected' | 'Not detected' | 'Equivocal';
}

export interface Observation {
  recordType: 'Observation';
  code: string;
  description: string;
  result: 'Yes' | 'No';
}

/** What get-employee-records may return. */
export type EmployeeRecordGet = CoreSkillsTraining | DBSCheckOutcome | Vaccination | ClinicalTest | Observation;
/** What add-employee-record accepts. */
export type EmployeeRecordPost = EmployeeRecordGet | RightToWork | DBSCheckSupportingInformation | ProfessionalRegistration;
export type RecordType = EmployeeRecordPost['recordType'];

export interface EmployeeRecords {
  id: string;
  records: EmployeeRecordGet[];
}

export interface OperationOutcome {
  resourceType: 'OperationOutcome';
  issue: Array<{ severity: 'fatal' | 'error' | 'warning' | 'information'; code: string; details?: { text: string } }>;
}

export interface SystemStatus {
  status: 'pass' | 'fail' | 'warn';
  description?: string;
  version?: string;
  releaseId?: string;
  notes?: string[];
  output?: string;
  checks?: Record<string, unknown>;
}

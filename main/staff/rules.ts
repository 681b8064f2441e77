// The field rules of a staff member's profile and identity check: one place, used by the form
// operations and by the CSV import, so a value refused on a form is refused in a file too.
// Pure functions: no I/O; "today" is passed in.
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { z } from 'zod';
import type { FieldError } from '../errors.ts';
import {
  EMPLOYMENT_STATUSES,
  EMPLOYMENT_TYPES,
  IDENTITY_DOCUMENTS,
  LEGAL_GENDERS,
  PROFESSIONAL_BODIES,
  STAFF_GROUPS,
  type EmploymentStatus,
  type EmploymentType,
  type IdentityDocument,
  type LegalGender,
  type ProfessionalBody,
  type StaffGroup,
} from './vocabulary.ts';

export interface DateParts {
  day: string;
  month: string;
  year: string;
}

/** What a form or a CSV row gives: strings as typed, codes as chosen. */
export interface ProfileInput {
  firstName: string;
  lastName: string;
  dateOfBirth: DateParts;
  email: string;
  mobile: string;
  staffGroup: string;
  jobRole?: string | undefined;
  employmentType: string;
  employmentStatus: string;
  orielPin?: string | undefined;
  esrAssignmentNumber?: string | undefined;
  professionalBody?: string | undefined;
  registrationNumber?: string | undefined;
}

/** A profile that passed every rule, in the form the store keeps. */
export interface Profile {
  firstName: string;
  lastName: string;
  /** YYYY-MM-DD */
  dateOfBirth: string;
  email: string;
  /** E.164, e.g. +447911123456 */
  mobile: string;
  staffGroup: StaffGroup;
  jobRole: string | null;
  employmentType: EmploymentType;
  employmentStatus: EmploymentStatus;
  orielPin: string | null;
  esrAssignmentNumber: string | null;
  professionalBody: ProfessionalBody | null;
  registrationNumber: string | null;
}

export type Checked<T> = { ok: true; value: T } | { ok: false; problems: FieldError[] };

const MINIMUM_AGE = 16;
const EARLIEST_YEAR = 1900;

/** Collapses runs of spaces, trims, and turns curly apostrophes into straight ones. */
export function tidy(value: string | undefined | null): string {
  return (value ?? '').replace(/[\u2018\u2019\u02bc]/g, "'").replace(/\s+/g, ' ').trim();
}

// Letters in any alphabet (with their accents), spaces, hyphens and apostrophes, starting with a letter.
const NAME = /^\p{L}[\p{L}\p{M} '-]*$/u;

export function checkName(raw: string | undefined, label: string, problems: FieldError[], field: string, required = true): string | null {
  const value = tidy(raw);
  if (value === '') {
    if (required) problems.push({ field, message: `Enter their ${label.toLowerCase()}` });
    return null;
  }
  if (value.length > 100) problems.push({ field, message: `${label} must be 100 characters or fewer` });
  else if (!NAME.test(value)) problems.push({ field, message: `${label} must only include letters, spaces, hyphens and apostrophes` });
  return value;
}

/** An ISO date (YYYY-MM-DD) for day, month and year, or null when that date does not exist. */
export function isoDate(day: number, month: number, year: number): string | null {
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null;
  return date.toISOString().slice(0, 10);
}

// Built once: making a formatter with a time zone costs about half a millisecond.
const UK_DATE = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit' });

/** Today's date in the UK, as YYYY-MM-DD. */
export function ukToday(now: Date): string {
  return UK_DATE.format(now);
}

function yearsBetween(fromIso: string, toIso: string): number {
  const [fy, fm, fd] = fromIso.split('-').map(Number) as [number, number, number];
  const [ty, tm, td] = toIso.split('-').map(Number) as [number, number, number];
  return ty - fy - (tm < fm || (tm === fm && td < fd) ? 1 : 0);
}

export interface DateRule {
  label: string;
  /** 'past': before today; 'future': after today; 'any'. */
  when: 'past' | 'future' | 'any';
  minimumAge?: number;
}

/** The NHS.UK date-input messages: what is missing, then whether it is real, then the range. */
export function checkDate(parts: DateParts | undefined, rule: DateRule, today: string, problems: FieldError[], field: string, required = true): string | null {
  const day = tidy(parts?.day);
  const month = tidy(parts?.month);
  const year = tidy(parts?.year);
  if (day === '' && month === '' && year === '') {
    if (required) problems.push({ field, message: `Enter ${rule.label.toLowerCase()}` });
    return null;
  }
  const missing = [day === '' ? 'a day' : null, month === '' ? 'a month' : null, year === '' ? 'a year' : null].filter(Boolean);
  if (missing.length > 0) {
    problems.push({ field, message: `${rule.label} must include ${missing.join(' and ')}` });
    return null;
  }
  if (!/^\d{1,2}$/.test(day) || !/^\d{1,2}$/.test(month) || !/^\d+$/.test(year)) {
    problems.push({ field, message: `${rule.label} must be a real date` });
    return null;
  }
  if (year.length !== 4) {
    problems.push({ field, message: 'Year must include 4 numbers' });
    return null;
  }
  const iso = isoDate(Number(day), Number(month), Number(year));
  if (!iso) {
    problems.push({ field, message: `${rule.label} must be a real date` });
    return null;
  }
  if (Number(year) < EARLIEST_YEAR) problems.push({ field, message: `${rule.label} must be after ${EARLIEST_YEAR}` });
  else if (rule.when === 'past' && iso >= today) problems.push({ field, message: `${rule.label} must be in the past` });
  else if (rule.when === 'future' && iso <= today) problems.push({ field, message: `${rule.label} must be in the future` });
  else if (rule.minimumAge !== undefined && yearsBetween(iso, today) < rule.minimumAge) {
    problems.push({ field, message: `They must be ${rule.minimumAge} or older. Check the ${rule.label.toLowerCase()}` });
  } else return iso;
  return null;
}

/** Splits a CSV or typed date, "31/01/1990" or "1990-01-31", into its parts. */
export function datePartsFrom(text: string): DateParts {
  const value = tidy(text);
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(value);
  if (iso) return { year: iso[1]!, month: iso[2]!, day: iso[3]! };
  const uk = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d+)$/.exec(value);
  if (uk) return { day: uk[1]!, month: uk[2]!, year: uk[3]! };
  // Not a date at all: keep it whole so that the rule says "must be a real date".
  return value === '' ? { day: '', month: '', year: '' } : { day: value, month: 'x', year: 'x' };
}

const emailShape = z.email();

export function checkEmail(raw: string | undefined, problems: FieldError[], field = 'email'): string | null {
  const value = tidy(raw).toLowerCase();
  if (value === '') {
    problems.push({ field, message: 'Enter their email address' });
    return null;
  }
  if (value.length > 254 || !emailShape.safeParse(value).success) {
    problems.push({ field, message: 'Enter an email address in the correct format, like name@example.com' });
    return null;
  }
  return value;
}

/** A mobile number in UK (07911 123456) or international (+33 6 12 34 56 78) form, as E.164. */
export function checkMobile(raw: string | undefined, problems: FieldError[], field = 'mobile'): string | null {
  const value = tidy(raw);
  if (value === '') {
    problems.push({ field, message: 'Enter their mobile phone number' });
    return null;
  }
  // The phone library reads letters as keypad digits (0800 FLOWERS); a mobile number has none.
  if (!/^\+?[\d\s().-]+$/.test(value)) {
    problems.push({ field, message: 'Mobile phone number must only include numbers, spaces and a + at the start' });
    return null;
  }
  const phone = parsePhoneNumberFromString(value, 'GB');
  if (!phone || !phone.isValid()) {
    problems.push({ field, message: 'Enter a mobile phone number, like 07911 123456 or +44 7911 123456' });
    return null;
  }
  const type = phone.getType();
  if (type !== 'MOBILE' && type !== 'FIXED_LINE_OR_MOBILE' && type !== 'PERSONAL_NUMBER') {
    problems.push({ field, message: 'Enter a mobile phone number, not a landline' });
    return null;
  }
  return phone.number;
}

/** How HR reads a stored number: UK numbers as dialled at home, others with their country code. */
export function displayMobile(e164: string): string {
  const phone = parsePhoneNumberFromString(e164);
  if (!phone) return e164;
  return phone.countryCallingCode === '44' ? phone.formatNational() : phone.formatInternational();
}

function checkCode<T extends string>(raw: string | undefined, options: readonly { value: T }[], message: string, problems: FieldError[], field: string): T | null {
  const value = tidy(raw);
  const found = options.find((option) => option.value === value);
  if (!found) problems.push({ field, message });
  return found?.value ?? null;
}

const JOB_ROLE = /^[\p{L}\p{N}][\p{L}\p{M}\p{N} '&(),./-]*$/u;

export function checkJobRole(raw: string | undefined, problems: FieldError[], field = 'jobRole'): string | null {
  const value = tidy(raw);
  if (value === '') return null;
  if (value.length > 100) problems.push({ field, message: 'Job role must be 100 characters or fewer' });
  else if (!JOB_ROLE.test(value)) problems.push({ field, message: 'Job role must only include letters, numbers, spaces and simple punctuation' });
  return value;
}

export function checkEsrAssignmentNumber(raw: string | undefined, problems: FieldError[], field = 'esrAssignmentNumber'): string | null {
  const value = tidy(raw).replace(/\s/g, '');
  if (value === '') return null;
  if (!/^\d{8}$/.test(value)) problems.push({ field, message: 'ESR assignment number must be 8 numbers, like 12345678' });
  return value;
}

export function checkOrielPin(raw: string | undefined, problems: FieldError[], field = 'orielPin'): string | null {
  const value = tidy(raw).replace(/\s/g, '');
  if (value === '') return null;
  if (!/^\d{1,10}$/.test(value)) problems.push({ field, message: 'Oriel PIN must only include numbers' });
  return value;
}

const REGISTRATION_NUMBER: Record<ProfessionalBody, RegExp> = {
  GMC: /^\d{7}$/,
  GDC: /^\d{1,6}$/,
  GPhC: /^\d{7}$/,
  HCPC: /^[A-Z]{2}\d{5,6}$/,
  NMC: /^\d{2}[A-Z]\d{4}[A-Z]$/,
};

export function checkRegistration(
  rawBody: string | undefined,
  rawNumber: string | undefined,
  problems: FieldError[],
): { professionalBody: ProfessionalBody | null; registrationNumber: string | null } {
  const bodyText = tidy(rawBody);
  const number = tidy(rawNumber).replace(/\s/g, '').toUpperCase();
  if (bodyText === '' && number === '') return { professionalBody: null, registrationNumber: null };
  if (bodyText === '') {
    problems.push({ field: 'professionalBody', message: 'Select the professional body they are registered with' });
    return { professionalBody: null, registrationNumber: number };
  }
  const body = checkCode(bodyText, PROFESSIONAL_BODIES, 'Select the professional body they are registered with', problems, 'professionalBody');
  if (!body) return { professionalBody: null, registrationNumber: number || null };
  if (number === '') {
    problems.push({ field: 'registrationNumber', message: 'Enter their registration number' });
    return { professionalBody: body, registrationNumber: null };
  }
  if (!REGISTRATION_NUMBER[body].test(number)) {
    const example = PROFESSIONAL_BODIES.find((option) => option.value === body)!.example;
    problems.push({ field: 'registrationNumber', message: `Enter a ${body} registration number in the correct format, like ${example}` });
  }
  return { professionalBody: body, registrationNumber: number };
}

export function checkProfile(input: ProfileInput, today: string): Checked<Profile> {
  const problems: FieldError[] = [];
  const firstName = checkName(input.firstName, 'First name', problems, 'firstName');
  const lastName = checkName(input.lastName, 'Last name', problems, 'lastName');
  const dateOfBirth = checkDate(input.dateOfBirth, { label: 'Date of birth', when: 'past', minimumAge: MINIMUM_AGE }, today, problems, 'dateOfBirth');
  const email = checkEmail(input.email, problems);
  const mobile = checkMobile(input.mobile, problems);
  const staffGroup = checkCode(input.staffGroup, STAFF_GROUPS, 'Select their staff group', problems, 'staffGroup');
  const jobRole = checkJobRole(input.jobRole, problems);
  const employmentType = checkCode(input.employmentType, EMPLOYMENT_TYPES, 'Select their employment type', problems, 'employmentType');
  const employmentStatus = checkCode(input.employmentStatus, EMPLOYMENT_STATUSES, 'Select their employment status', problems, 'employmentStatus');
  const orielPin = checkOrielPin(input.orielPin, problems);
  const esrAssignmentNumber = checkEsrAssignmentNumber(input.esrAssignmentNumber, problems);
  const registration = checkRegistration(input.professionalBody, input.registrationNumber, problems);
  if (problems.length > 0) return { ok: false, problems };
  return {
    ok: true,
    value: {
      firstName: firstName!,
      lastName: lastName!,
      dateOfBirth: dateOfBirth!,
      email: email!,
      mobile: mobile!,
      staffGroup: staffGroup!,
      jobRole,
      employmentType: employmentType!,
      employmentStatus: employmentStatus!,
      orielPin,
      esrAssignmentNumber,
      ...registration,
    },
  };
}

/** The choices made once for a whole CSV file. */
export function checkBatch(input: { staffGroup: string; jobRole?: string | undefined; employmentType: string; employmentStatus: string }): FieldError[] {
  const problems: FieldError[] = [];
  checkCode(input.staffGroup, STAFF_GROUPS, 'Select the staff group for everyone in the file', problems, 'staffGroup');
  checkJobRole(input.jobRole, problems);
  checkCode(input.employmentType, EMPLOYMENT_TYPES, 'Select the employment type for everyone in the file', problems, 'employmentType');
  checkCode(input.employmentStatus, EMPLOYMENT_STATUSES, 'Select the employment status for everyone in the file', problems, 'employmentStatus');
  return problems;
}

// ---- The face-to-face identity check ---------------------------------------------------------

export interface IdentityCheckInput {
  photo: { mediaType: string; base64: string };
  firstName: string;
  middleNames?: string | undefined;
  lastName: string;
  dateOfBirth: DateParts;
  legalGender: string;
  nationality: string;
  address: { line1: string; line2?: string | undefined; town: string; postcode: string };
  document: { type: string; number: string; issuingCountry: string; expiryDate: DateParts; notes?: string | undefined };
}

export interface IdentityCheck {
  photo: { mediaType: 'image/jpeg' | 'image/png'; bytes: Buffer };
  firstName: string;
  middleNames: string | null;
  lastName: string;
  dateOfBirth: string;
  legalGender: LegalGender;
  nationality: string;
  address: { line1: string; line2: string | null; town: string; postcode: string };
  document: { type: IdentityDocument; number: string; issuingCountry: string; expiryDate: string; notes: string | null };
}

export const MAX_PHOTO_BYTES = 2 * 1024 * 1024;

/** A JPEG or PNG, checked by its first bytes rather than by what the file claims to be. */
export function checkPhoto(photo: IdentityCheckInput['photo'] | undefined, problems: FieldError[], field = 'photo'): IdentityCheck['photo'] | null {
  if (!photo || photo.base64 === '') {
    problems.push({ field, message: 'Upload a photo of them' });
    return null;
  }
  const bytes = Buffer.from(photo.base64, 'base64');
  if (bytes.length > MAX_PHOTO_BYTES) {
    problems.push({ field, message: 'The photo must be smaller than 2MB' });
    return null;
  }
  const isJpeg = bytes.length > 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff;
  const isPng = bytes.length > 8 && bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  if (!isJpeg && !isPng) {
    problems.push({ field, message: 'The photo must be a JPG or PNG' });
    return null;
  }
  return { mediaType: isJpeg ? 'image/jpeg' : 'image/png', bytes };
}

const POSTCODE = /^([A-Z]{1,2}\d[A-Z\d]?) ?(\d[A-Z]{2})$/;
const PLACE = /^[\p{L}\p{N}][\p{L}\p{M}\p{N} '&(),./-]*$/u;

function checkText(raw: string | undefined, label: string, problems: FieldError[], field: string, options: { required: boolean; max?: number; pattern?: RegExp }): string | null {
  const value = tidy(raw);
  if (value === '') {
    if (options.required) problems.push({ field, message: `Enter ${label}` });
    return null;
  }
  const max = options.max ?? 100;
  const name = label.replace(/^(their|the) /, '');
  if (value.length > max) problems.push({ field, message: `${name[0]!.toUpperCase()}${name.slice(1)} must be ${max} characters or fewer` });
  else if (options.pattern && !options.pattern.test(value)) {
    problems.push({ field, message: `${name[0]!.toUpperCase()}${name.slice(1)} must only include letters, numbers, spaces and simple punctuation` });
  }
  return value;
}

export function checkIdentity(input: IdentityCheckInput, today: string): Checked<IdentityCheck> {
  const problems: FieldError[] = [];
  const photo = checkPhoto(input.photo, problems);
  const firstName = checkName(input.firstName, 'First name', problems, 'firstName');
  const middleNames = checkName(input.middleNames, 'Middle names', problems, 'middleNames', false);
  const lastName = checkName(input.lastName, 'Last name', problems, 'lastName');
  const dateOfBirth = checkDate(input.dateOfBirth, { label: 'Date of birth', when: 'past', minimumAge: MINIMUM_AGE }, today, problems, 'dateOfBirth');
  const legalGender = checkCode(input.legalGender, LEGAL_GENDERS, 'Select their legal gender', problems, 'legalGender');
  const nationality = checkName(input.nationality, 'Nationality', problems, 'nationality');
  const line1 = checkText(input.address?.line1, 'the first line of their address', problems, 'address.line1', { required: true, pattern: PLACE });
  const line2 = checkText(input.address?.line2, 'the second line of their address', problems, 'address.line2', { required: false, pattern: PLACE });
  const town = checkText(input.address?.town, 'their town or city', problems, 'address.town', { required: true, pattern: PLACE });
  const postcodeText = tidy(input.address?.postcode).toUpperCase();
  const postcodeMatch = POSTCODE.exec(postcodeText);
  if (postcodeText === '') problems.push({ field: 'address.postcode', message: 'Enter their postcode' });
  else if (!postcodeMatch) problems.push({ field: 'address.postcode', message: 'Enter a real postcode, like LS1 4AP' });
  const documentType = checkCode(input.document?.type, IDENTITY_DOCUMENTS, 'Select the document you checked', problems, 'document.type');
  const documentNumber = checkText(input.document?.number, 'the document number', problems, 'document.number', { required: true, max: 30, pattern: /^[A-Za-z0-9][A-Za-z0-9 -]*$/ });
  const issuingCountry = checkText(input.document?.issuingCountry, 'the country that issued the document', problems, 'document.issuingCountry', { required: true, pattern: PLACE });
  const expiryDate = checkDate(input.document?.expiryDate, { label: 'Expiry date', when: 'future' }, today, problems, 'document.expiryDate');
  const notes = checkText(input.document?.notes, 'notes', problems, 'document.notes', { required: false, max: 1000 });
  if (problems.length > 0) return { ok: false, problems };
  return {
    ok: true,
    value: {
      photo: photo!,
      firstName: firstName!,
      middleNames,
      lastName: lastName!,
      dateOfBirth: dateOfBirth!,
      legalGender: legalGender!,
      nationality: nationality!,
      address: { line1: line1!, line2, town: town!, postcode: `${postcodeMatch![1]} ${postcodeMatch![2]}` },
      document: { type: documentType!, number: documentNumber!.toUpperCase(), issuingCountry: issuingCountry!, expiryDate: expiryDate!, notes },
    },
  };
}

/** The words "First name", "Mobile" ... HR sees for each profile field, in the history and on screen. */
export const PROFILE_LABELS: Record<keyof Profile, string> = {
  firstName: 'First name',
  lastName: 'Last name',
  dateOfBirth: 'Date of birth',
  email: 'Email address',
  mobile: 'Mobile phone number',
  staffGroup: 'Staff group',
  jobRole: 'Job role',
  employmentType: 'Employment type',
  employmentStatus: 'Employment status',
  orielPin: 'Oriel PIN',
  esrAssignmentNumber: 'ESR assignment number',
  professionalBody: 'Professional body',
  registrationNumber: 'Registration number',
};

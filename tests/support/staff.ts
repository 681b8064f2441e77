// Staff passport test data: valid people (unique emails and real-format UK mobiles), CSV text in
// the template's shape, and a face-to-face identity check.
import { CSV_COLUMNS } from '../../main/staff/vocabulary.ts';
import type { InputOf } from '../../main/api/contract.ts';
import type { StaffPassportApp } from '../../main/app.ts';
import { call } from './app.ts';

export type ProfileInput = InputOf<'staff.invite'>['profile'];

const FIRST = ['Amina', 'Oliver', 'Siobhan', 'Rhys', 'Priya', 'Tomasz', 'Grace', 'Kwame', 'Eilidh', 'Mohammed'];
const LAST = ['Smith', 'Jones', 'Patel', "O'Neill", 'Nowak', 'Williams', 'Okafor', 'Brown-Taylor', 'Khan', 'Evans'];

/** The n-th person: names cycle so that surnames repeat, as they do at a real trust. */
export function person(n: number, overrides: Partial<ProfileInput> = {}): ProfileInput {
  const first = FIRST[n % FIRST.length]!;
  const last = LAST[Math.floor(n / FIRST.length) % LAST.length]!;
  return {
    firstName: first,
    lastName: last,
    dateOfBirth: { day: String(1 + (n % 28)), month: String(1 + (n % 12)), year: String(1960 + (n % 40)) },
    email: `${first}.${last.replace(/[^A-Za-z]/g, '')}.${n}@nhs.net`.toLowerCase(),
    mobile: `07911 ${String(100000 + n)}`,
    staffGroup: 'nursing-midwifery-registered',
    employmentType: 'permanent-or-fixed-term',
    employmentStatus: 'new-starter',
    ...overrides,
  };
}

export const BATCH = { staffGroup: 'medical-dental', jobRole: 'Foundation doctor', employmentType: 'temporary-mover', employmentStatus: 'new-starter' } as const;

const cell = (value: string) => (/[",\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);

/** A CSV file in the template's shape, one row per person. */
export function csvOf(people: ProfileInput[], options: { esr?: (n: number) => string } = {}): string {
  const lines = [CSV_COLUMNS.map((column) => column.heading).join(',')];
  people.forEach((p, n) => {
    const date = `${p.dateOfBirth.day.padStart(2, '0')}/${p.dateOfBirth.month.padStart(2, '0')}/${p.dateOfBirth.year}`;
    lines.push([p.firstName, p.lastName, date, p.email, p.mobile, p.orielPin ?? '', options.esr?.(n) ?? p.esrAssignmentNumber ?? ''].map(cell).join(','));
  });
  return `${lines.join('\r\n')}\r\n`;
}

/** A real 1×1 PNG. */
export const PHOTO_PNG_BASE64 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGM4UREAAAOcAZE0RLfkAAAAAElFTkSuQmCC';

export function identityCheck(p: ProfileInput, overrides: Partial<InputOf<'staff.confirmIdentity'>['identity']> = {}): InputOf<'staff.confirmIdentity'>['identity'] {
  return {
    photo: { mediaType: 'image/png', base64: PHOTO_PNG_BASE64 },
    firstName: p.firstName,
    middleNames: 'Rose',
    lastName: p.lastName,
    dateOfBirth: p.dateOfBirth,
    legalGender: 'female',
    nationality: 'British',
    address: { line1: '1 Infirmary Road', town: 'Sheffield', postcode: 's6 3df' },
    document: { type: 'passport', number: '123456789', issuingCountry: 'United Kingdom', expiryDate: { day: '1', month: '6', year: '2031' }, notes: 'Original seen at the desk' },
    ...overrides,
  };
}

export async function invite(app: StaffPassportApp, p: ProfileInput): Promise<string> {
  return (await call(app, 'staff.invite', { profile: p })).passportId;
}

export async function version(app: StaffPassportApp, passportId: string): Promise<number> {
  return (await call(app, 'staff.get', { passportId })).version;
}

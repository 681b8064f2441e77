// The pure field rules of staff passports.
import { describe, expect, it } from 'vitest';
import type { FieldError } from '../../main/errors.ts';
import { checkDate, checkMobile, checkName, checkRegistration, datePartsFrom, displayMobile, isoDate, ukToday } from '../../main/staff/rules.ts';
import { searchKey } from '../../main/staff/passports.ts';

const problemsOf = (run: (problems: FieldError[]) => unknown) => {
  const problems: FieldError[] = [];
  const value = run(problems);
  return { value, messages: problems.map((p) => p.message) };
};

describe('names', () => {
  it.each(['Zoë', "O'Neill", 'Mary-Jane', 'Nguyễn Văn', 'Ólafsdóttir', 'Søren', 'Ngozi Adaeze'])('accepts %s', (name) => {
    expect(problemsOf((p) => checkName(name, 'First name', p, 'firstName')).messages).toEqual([]);
  });
  it.each(['J@ne', 'Smith2', '-Smith', "'", 'Jo;DROP', 'Ann_Marie', 'Bob!'])('refuses %s', (name) => {
    expect(problemsOf((p) => checkName(name, 'First name', p, 'firstName')).messages).toEqual(['First name must only include letters, spaces, hyphens and apostrophes']);
  });
  it('tidies spaces and curly apostrophes', () => {
    expect(problemsOf((p) => checkName('  Siobhán   O’Brien ', 'Last name', p, 'lastName')).value).toBe("Siobhán O'Brien");
  });
});

describe('dates', () => {
  const today = '2026-11-22';
  const dob = { label: 'Date of birth', when: 'past', minimumAge: 16 } as const;
  it('knows which dates exist', () => {
    expect(isoDate(29, 2, 2024)).toBe('2024-02-29');
    expect(isoDate(29, 2, 2023)).toBeNull();
    expect(isoDate(31, 4, 2000)).toBeNull();
    expect(isoDate(0, 1, 2000)).toBeNull();
  });
  it('gives the NHS.UK messages in order: missing parts, real date, range', () => {
    const message = (day: string, month: string, year: string) => problemsOf((p) => checkDate({ day, month, year }, dob, today, p, 'dateOfBirth')).messages;
    expect(message('', '', '')).toEqual(['Enter date of birth']);
    expect(message('1', '', '')).toEqual(['Date of birth must include a month and a year']);
    expect(message('a', '1', '1990')).toEqual(['Date of birth must be a real date']);
    expect(message('29', '2', '1991')).toEqual(['Date of birth must be a real date']);
    expect(message('1', '1', '19900')).toEqual(['Year must include 4 numbers']);
    expect(message('22', '11', '2026')).toEqual(['Date of birth must be in the past']);
    expect(message('23', '11', '2010')).toEqual(['They must be 16 or older. Check the date of birth']);
    expect(message('22', '11', '2010')).toEqual([]);
  });
  it('reads CSV dates written the UK way or the ISO way', () => {
    expect(datePartsFrom('31/01/1990')).toEqual({ day: '31', month: '01', year: '1990' });
    expect(datePartsFrom('1990-01-31')).toEqual({ day: '31', month: '01', year: '1990' });
    expect(datePartsFrom('31.1.1990')).toEqual({ day: '31', month: '1', year: '1990' });
    expect(problemsOf((p) => checkDate(datePartsFrom('next Tuesday'), dob, today, p, 'd')).messages).toEqual(['Date of birth must be a real date']);
  });
  it('takes today in the UK, not in UTC', () => {
    // 23:30 UTC on 30 June is already 1 July in London (BST).
    expect(ukToday(new Date('2026-06-30T23:30:00Z'))).toBe('2026-07-01');
    expect(ukToday(new Date('2026-12-31T23:30:00Z'))).toBe('2026-12-31');
  });
});

describe('mobile numbers', () => {
  it.each([
    ['07911 123456', '+447911123456'],
    ['07911123456', '+447911123456'],
    ['+44 (0)7911 123456', '+447911123456'],
    ['0044 7911 123456', '+447911123456'],
    ['+33 6 12 34 56 78', '+33612345678'],
    ['+353 85 123 4567', '+353851234567'],
  ])('accepts %s as %s', (typed, e164) => {
    expect(problemsOf((p) => checkMobile(typed, p)).value).toBe(e164);
  });
  it('shows UK numbers the way they are dialled at home and others with their country code', () => {
    expect(displayMobile('+447911123456')).toBe('07911 123456');
    expect(displayMobile('+33612345678')).toBe('+33 6 12 34 56 78');
  });
});

describe('professional registration', () => {
  it.each([
    ['GMC', '1234567'],
    ['NMC', '12a3456e'],
    ['HCPC', 'pa 12345'],
    ['GPhC', '2012345'],
    ['GDC', '123456'],
  ])('accepts a %s number %s', (body, number) => {
    expect(problemsOf((p) => checkRegistration(body, number, p)).messages).toEqual([]);
  });
  it('refuses a number in another body’s format, and a body nobody knows', () => {
    expect(problemsOf((p) => checkRegistration('GMC', '12A3456E', p)).messages).toEqual(['Enter a GMC registration number in the correct format, like 1234567']);
    expect(problemsOf((p) => checkRegistration('XYZ', '1', p)).messages).toEqual(['Select the professional body they are registered with']);
  });
});

describe('search keys', () => {
  it('drops case, accents and apostrophes, and treats hyphens as spaces', () => {
    expect(searchKey("Zoë O'Neill-Khan")).toBe('zoe oneill khan');
    expect(searchKey('  SIOBHÁN ')).toBe('siobhan');
  });
});

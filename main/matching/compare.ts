// Field-by-field comparison of the passport's person with one record from another system.
import type { EmployeePersonalDetails } from '../systems/dsp-types.ts';
import { givenNameFrequency, surnameFrequency } from './name-frequencies.ts';
import { nameFamilies, nameRelation } from './nicknames.ts';
import { foldName, memoise, nameKey, nameParts, titleCase } from './normalise.ts';
import { M_U, SWAPPED_NAMES_PENALTY, fixedWeight, frequencyWeight, matchWeight } from './score.ts';
import { jaroWinkler, jaroWinklerBound, withinOneEdit } from './similarity.ts';
import type { ComparisonLevel, ComparisonRule, FieldComparison, MatchField, MatchSubject } from './types.ts';

/** Jaro–Winkler at or above this is "spelt almost the same". */
export const TYPO_SIMILARITY = 0.92;
/** A surname at least this common gets "counts for less" in its reason (Smith … about the top 40). */
export const COMMON_SURNAME = 0.001;
/** A first name at least this common gets "counts for less" (Sarah, David … about the top 40). */
export const COMMON_FIRST_NAME = 0.003;
/** A name at most this common gets "counts for more" (about 1 in 50,000 or rarer). */
export const UNUSUAL_NAME = 2e-5;
/** The smallest u for two first names of one family: about the share of a whole family of names. */
const FAMILY_FLOOR = 1e-4;

export const FIELD_LABELS: Readonly<Record<MatchField, string>> = {
  firstName: 'First name',
  middleNames: 'Middle names',
  surname: 'Surname',
  birthDate: 'Date of birth',
  email: 'Email',
};

/** The subject, folded and looked up once, so comparing with 200 candidates is cheap. */
export interface PreparedSubject {
  readonly subject: MatchSubject;
  readonly firstName: string | null;
  readonly firstKey: string;
  readonly firstParts: readonly string[];
  readonly firstFrequency: number;
  /** Name families of the first name and the known-as name together. */
  readonly firstFamilies: readonly number[];
  readonly knownAs: string | null;
  readonly knownAsKey: string;
  readonly middleNames: readonly string[];
  readonly middleKeys: readonly string[];
  readonly surname: string | null;
  readonly surnameKey: string;
  readonly surnameParts: readonly string[];
  readonly surnameFrequency: number;
  readonly previousSurname: string | null;
  readonly previousKey: string;
  readonly previousParts: readonly string[];
  readonly birthDate: string | null;
  readonly email: string | null;
  /** Comparisons already made for this subject, by the system's value: candidates share names. */
  readonly seen: Readonly<Record<'firstName' | 'surname' | 'birthDate' | 'email', Map<string, FieldComparison>>>;
}

/** A trimmed value, or null when there is nothing there. */
export function present(value: string | null | undefined): string | null {
  return typeof value === 'string' ? tidy(value) : null;
}

const tidy = memoise((value: string): string | null => {
  const trimmed = value.trim().replace(/\s+/g, ' ');
  // A value of only punctuation ("-", "'") is as good as nothing; names, dates and emails have letters or digits.
  return /[\p{L}\p{N}]/u.test(trimmed) ? trimmed : null;
});

export function prepareSubject(subject: MatchSubject): PreparedSubject {
  const firstName = present(subject.firstName);
  const surname = present(subject.surname);
  const knownAs = present(subject.knownAs);
  const previousSurname = present(subject.previousSurname);
  const middleNames = (present(subject.middleNames) ?? '').split(' ').filter((name) => nameKey(name).length > 0);
  return {
    subject,
    firstName,
    firstKey: nameKey(firstName ?? ''),
    firstParts: nameParts(firstName ?? ''),
    firstFrequency: givenNameFrequency(firstName ?? ''),
    firstFamilies: [...nameFamilies(firstName ?? ''), ...nameFamilies(knownAs ?? '')],
    knownAs,
    knownAsKey: nameKey(knownAs ?? ''),
    middleNames,
    middleKeys: middleNames.map(nameKey),
    surname,
    surnameKey: nameKey(surname ?? ''),
    surnameParts: nameParts(surname ?? ''),
    surnameFrequency: surnameFrequency(surname ?? ''),
    previousSurname,
    previousKey: nameKey(previousSurname ?? ''),
    previousParts: nameParts(previousSurname ?? ''),
    birthDate: present(subject.birthDate),
    email: present(subject.email),
    seen: { firstName: new Map(), surname: new Map(), birthDate: new Map(), email: new Map() },
  };
}

/** Spelt almost the same: Jaro–Winkler ≥ 0.92, or one edit apart when both have 4 letters or more. */
export function spellingClose(aKey: string, bKey: string): boolean {
  if (aKey.length < 3 || bKey.length < 3) return false;
  if (Math.min(aKey.length, bKey.length) >= 4 && withinOneEdit(aKey, bKey)) return true;
  return jaroWinklerBound(aKey, bKey) >= TYPO_SIMILARITY && jaroWinkler(aKey, bKey) >= TYPO_SIMILARITY;
}

/** The comparison made before for this value, or a new one remembered. Shared: callers copy before changing. */
function remembered(seen: Map<string, FieldComparison>, value: string | null | undefined, compare: () => FieldComparison): FieldComparison {
  const key = typeof value === 'string' ? value : '';
  const known = seen.get(key);
  if (known !== undefined) return known;
  const comparison = compare();
  seen.set(key, comparison);
  return comparison;
}

function row(field: MatchField, level: ComparisonLevel, rule: ComparisonRule, subjectValue: string | null, candidateValue: string | null, weight: number, reason: string): FieldComparison {
  return { field, label: FIELD_LABELS[field], level, rule, subjectValue, candidateValue, weight, reason };
}

function missingRow(field: MatchField, subjectValue: string | null, candidateValue: string | null, what: string): FieldComparison {
  const reason = subjectValue === null ? `The passport has no ${what}` : `The system has no ${what}`;
  return row(field, 'missing', 'missing', subjectValue, candidateValue, 0, reason);
}

function sameApartFromPunctuation(a: string, b: string): string {
  return foldName(a) === foldName(b) && a.toLowerCase() === b.toLowerCase() ? '' : ` (ignoring accents, spaces and punctuation: '${a}' and '${b}')`;
}

function firstNameRarity(name: string, frequency: number): string {
  if (frequency >= COMMON_FIRST_NAME) return ` ${titleCase(name)} is a common first name, so it counts for less.`;
  if (frequency <= UNUSUAL_NAME) return ` ${titleCase(name)} is an unusual first name, so it counts for more.`;
  return '';
}

function surnameRarity(name: string, frequency: number): string {
  if (frequency >= COMMON_SURNAME) return ` ${titleCase(name)} is a common surname, so it counts for less.`;
  if (frequency <= UNUSUAL_NAME) return ` ${titleCase(name)} is an unusual surname, so it counts for more.`;
  return '';
}

function familyReason(candidate: string, passport: string): string {
  switch (nameRelation(candidate, passport)) {
    case 'shortFormOf': return `First name '${candidate}' is a short form of '${passport}'`;
    case 'formalOf': return `First name '${candidate}' is the full form of '${passport}'`;
    case 'spellingOf': return `First name '${candidate}' is another spelling of '${passport}'`;
    default: return `First names '${candidate}' and '${passport}' are both forms of the same name`;
  }
}

/** The first name rules, in order: exact, known-as, name family, middle name, typo, part, initial. */
export function compareFirstName(s: PreparedSubject, candidateValue: string | null | undefined): FieldComparison {
  return remembered(s.seen.firstName, candidateValue, () => firstNameRow(s, candidateValue));
}

function firstNameRow(s: PreparedSubject, candidateValue: string | null | undefined): FieldComparison {
  const candidate = present(candidateValue);
  const passport = s.firstName;
  if (passport === null || candidate === null) return missingRow('firstName', passport, candidate, 'first name');
  const key = nameKey(candidate);
  const rules = M_U.firstName;
  if (key === s.firstKey) {
    return row('firstName', 'exact', 'exact', passport, candidate, frequencyWeight(rules.exact, s.firstFrequency),
      `First names match${sameApartFromPunctuation(passport, candidate)}.${firstNameRarity(passport, s.firstFrequency)}`);
  }
  if (s.knownAs !== null && key === s.knownAsKey) {
    return row('firstName', 'close', 'known-as', passport, candidate, frequencyWeight(rules.knownAs, givenNameFrequency(s.knownAs)),
      `First name '${candidate}' is the name they are known by`);
  }
  const families = nameFamilies(candidate);
  const related = families.length > 0 && families.some((family) => s.firstFamilies.includes(family));
  for (const name of !related ? [] : s.knownAs === null ? [passport] : [passport, s.knownAs]) {
    if (nameRelation(candidate, name) !== 'unrelated') {
      const u = Math.max(FAMILY_FLOOR, 2 * Math.max(givenNameFrequency(candidate), givenNameFrequency(name)));
      return row('firstName', 'close', 'name-family', passport, candidate, matchWeight(rules.nameFamily.m, u), familyReason(candidate, name));
    }
  }
  const middle = s.middleKeys.indexOf(key);
  if (middle >= 0) {
    return row('firstName', 'close', 'middle-name', passport, candidate, frequencyWeight(rules.middleName, givenNameFrequency(candidate)),
      `First name '${candidate}' is their middle name`);
  }
  if (spellingClose(key, s.firstKey)) {
    return row('firstName', 'close', 'typo', passport, candidate, fixedWeight(rules.typo), `First name '${candidate}' is spelt almost the same as '${passport}'`);
  }
  const candidateParts = nameParts(candidate);
  if (candidateParts.length > 1 || s.firstParts.length > 1) {
    const shared = candidateParts.filter((part) => s.firstParts.includes(part));
    if (shared.length > 0) {
      const rarest = Math.min(...shared.map(givenNameFrequency));
      const reason = candidateParts.length < s.firstParts.length
        ? `First name '${candidate}' is part of '${passport}'`
        : `First name '${candidate}' contains '${passport}'`;
      return row('firstName', 'close', 'name-part', passport, candidate, frequencyWeight(rules.namePart, rarest),
        candidateParts.length === s.firstParts.length ? `First names '${candidate}' and '${passport}' share a part` : reason);
    }
  }
  if ((key.length === 1 && s.firstKey.startsWith(key)) || (s.firstKey.length === 1 && key.startsWith(s.firstKey))) {
    return row('firstName', 'close', 'initial', passport, candidate, fixedWeight(rules.initial),
      `Only an initial is held, and it agrees ('${candidate}' and '${passport}')`);
  }
  return row('firstName', 'different', 'different', passport, candidate, fixedWeight(rules.different), `First names differ ('${passport}' and '${candidate}')`);
}

/** The surname rules, in order: exact, previous surname, parts of a double-barrelled name, typo. */
export function compareSurname(s: PreparedSubject, candidateValue: string | null | undefined): FieldComparison {
  return remembered(s.seen.surname, candidateValue, () => surnameRow(s, candidateValue));
}

function surnameRow(s: PreparedSubject, candidateValue: string | null | undefined): FieldComparison {
  const candidate = present(candidateValue);
  const passport = s.surname;
  if (passport === null || candidate === null) return missingRow('surname', passport, candidate, 'surname');
  const key = nameKey(candidate);
  const rules = M_U.surname;
  if (key === s.surnameKey) {
    return row('surname', 'exact', 'exact', passport, candidate, frequencyWeight(rules.exact, s.surnameFrequency),
      `Surnames match${sameApartFromPunctuation(passport, candidate)}.${surnameRarity(passport, s.surnameFrequency)}`);
  }
  if (s.previousSurname !== null && key === s.previousKey) {
    return row('surname', 'close', 'previous-surname', passport, candidate, frequencyWeight(rules.previousSurname, surnameFrequency(s.previousSurname)),
      `Surname matches a previous surname '${s.previousSurname}'`);
  }
  const candidateParts = nameParts(candidate);
  const passportParts = [...s.surnameParts, ...s.previousParts];
  if (candidateParts.length > 1 || passportParts.length > 1) {
    const sameParts = candidateParts.length === s.surnameParts.length && candidateParts.length > 1
      && candidateParts.every((part) => s.surnameParts.includes(part));
    if (sameParts) {
      return row('surname', 'close', 'name-part', passport, candidate, frequencyWeight(rules.namePart, s.surnameFrequency),
        `Surname '${candidate}' has the same parts as '${passport}' in another order`);
    }
    const shared = candidateParts.filter((part) => passportParts.includes(part));
    if (shared.length > 0) {
      const rarest = Math.min(...shared.map(surnameFrequency));
      const reason = candidateParts.length === 1
        ? `Surname '${candidate}' is part of '${s.surnameParts.includes(key) ? passport : s.previousSurname ?? passport}'`
        : `Surname '${candidate}' contains '${titleCase(shared[0] ?? '')}', part of the passport's surname`;
      return row('surname', 'close', 'name-part', passport, candidate, frequencyWeight(rules.namePart, rarest), reason);
    }
  }
  if (spellingClose(key, s.surnameKey)) {
    return row('surname', 'close', 'typo', passport, candidate, fixedWeight(rules.typo), `Surname '${candidate}' is spelt almost the same as '${passport}'`);
  }
  if (s.previousSurname !== null && spellingClose(key, s.previousKey)) {
    return row('surname', 'close', 'previous-surname-typo', passport, candidate, fixedWeight(rules.previousSurnameTypo),
      `Surname '${candidate}' is spelt almost the same as a previous surname '${s.previousSurname}'`);
  }
  return row('surname', 'different', 'different', passport, candidate, fixedWeight(rules.different),
    `Surnames differ ('${passport}' and '${candidate}')${s.previousSurname === null ? '' : `, and it is not the previous surname '${s.previousSurname}'`}`);
}

interface CalendarDate { year: number; month: number; day: number; digits: string }

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** A real calendar date written YYYY-MM-DD, or null. */
export const parseBirthDate: (value: string) => CalendarDate | null = memoise((value) => {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (match === null) return null;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  return Object.freeze({ year, month, day, digits: `${match[1]}${match[2]}${match[3]}` });
});

function differingPositions(a: string, b: string): number[] {
  const positions: number[] = [];
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) positions.push(i);
  return positions;
}

/** Which date rule two valid dates meet: the most telling first. */
export function birthDateRule(a: CalendarDate, b: CalendarDate): 'exact' | 'day-month-swapped' | 'digits-transposed' | 'adjacent-year' | 'one-digit' | 'different' {
  if (a.digits === b.digits) return 'exact';
  if (a.year === b.year && a.month === b.day && a.day === b.month) return 'day-month-swapped';
  const differ = differingPositions(a.digits, b.digits);
  if (differ.length === 2 && differ[1] === differ[0]! + 1 && a.digits[differ[0]!] === b.digits[differ[1]!] && a.digits[differ[1]!] === b.digits[differ[0]!]) {
    return 'digits-transposed';
  }
  if (a.month === b.month && a.day === b.day && Math.abs(a.year - b.year) === 1) return 'adjacent-year';
  if (differ.length === 1) return 'one-digit';
  return 'different';
}

export function compareBirthDate(s: PreparedSubject, candidateValue: string | null | undefined): FieldComparison {
  return remembered(s.seen.birthDate, candidateValue, () => birthDateRow(s, candidateValue));
}

function birthDateRow(s: PreparedSubject, candidateValue: string | null | undefined): FieldComparison {
  const candidate = present(candidateValue);
  const passport = s.birthDate;
  if (passport === null || candidate === null) return missingRow('birthDate', passport, candidate, 'date of birth');
  const a = parseBirthDate(passport);
  const b = parseBirthDate(candidate);
  if (a === null || b === null) {
    const whose = a === null ? 'passport' : 'system';
    return row('birthDate', 'missing', 'missing', passport, candidate, 0, `The ${whose}'s date of birth '${a === null ? passport : candidate}' is not a real date`);
  }
  const rules = M_U.birthDate;
  switch (birthDateRule(a, b)) {
    case 'exact': return row('birthDate', 'exact', 'exact', passport, candidate, fixedWeight(rules.exact), 'Dates of birth match');
    case 'day-month-swapped': return row('birthDate', 'close', 'day-month-swapped', passport, candidate, fixedWeight(rules.dayMonthSwapped), 'Date of birth has day and month swapped');
    case 'digits-transposed': return row('birthDate', 'close', 'digits-transposed', passport, candidate, fixedWeight(rules.digitsTransposed), 'Date of birth has two digits the wrong way round');
    case 'adjacent-year': return row('birthDate', 'close', 'adjacent-year', passport, candidate, fixedWeight(rules.adjacentYear), 'Date of birth is the same day but a year out');
    case 'one-digit': return row('birthDate', 'close', 'one-digit', passport, candidate, fixedWeight(rules.oneDigit), 'Date of birth differs by one digit');
    default: return row('birthDate', 'different', 'different', passport, candidate, fixedWeight(rules.different), 'Dates of birth differ');
  }
}

export function compareEmail(s: PreparedSubject, candidateValue: string | null | undefined): FieldComparison {
  return remembered(s.seen.email, candidateValue, () => emailRow(s, candidateValue));
}

function emailRow(s: PreparedSubject, candidateValue: string | null | undefined): FieldComparison {
  const candidate = present(candidateValue);
  const passport = s.email;
  if (passport === null || candidate === null) return missingRow('email', passport, candidate, 'email address');
  const a = passport.toLowerCase();
  const b = candidate.toLowerCase();
  const rules = M_U.email;
  if (a === b) return row('email', 'exact', 'exact', passport, candidate, fixedWeight(rules.exact), 'Email addresses match');
  // "liz.smith2@" beside "liz.smith@" or "liz.smith1@" is not a slip: mail systems number the
  // mailboxes of people who share a name, so it is another person's address.
  const withoutDigits = (address: string) => address.replace(/\d+/g, '');
  if (withoutDigits(a) === withoutDigits(b)) {
    return row('email', 'different', 'different', passport, candidate, fixedWeight(rules.different),
      'Email addresses differ only by a number, as the mailboxes of two people with the same name do');
  }
  if (Math.min(a.length, b.length) >= 6 && withinOneEdit(a, b)) {
    return row('email', 'close', 'typo', passport, candidate, fixedWeight(rules.typo), 'Email addresses differ by one character');
  }
  const localA = a.slice(0, a.lastIndexOf('@'));
  const localB = b.slice(0, b.lastIndexOf('@'));
  if (localA.length >= 3 && localA === localB) {
    return row('email', 'close', 'same-mailbox-name', passport, candidate, fixedWeight(rules.sameMailboxName),
      'Email addresses have the same name before the @ but different domains');
  }
  return row('email', 'different', 'different', passport, candidate, fixedWeight(rules.different),
    'Email addresses differ (people often have more than one, so this counts for little)');
}

/** Middle names against the extra given names a system keeps in its first name field ("Mary Grace"). */
export function compareMiddleNames(s: PreparedSubject, candidateNames: readonly string[]): FieldComparison | null {
  const passport = s.middleNames.length > 0 ? s.middleNames.join(' ') : null;
  const candidate = candidateNames.length > 0 ? candidateNames.join(' ') : null;
  if (passport === null && candidate === null) return null;
  if (passport === null || candidate === null) {
    return row('middleNames', 'missing', 'missing', passport, candidate, 0,
      passport === null ? 'The passport has no middle names' : 'The system does not hold middle names');
  }
  const rules = M_U.middleNames;
  const keys = candidateNames.map(nameKey);
  if (keys.join(' ') === s.middleKeys.join(' ')) {
    return row('middleNames', 'exact', 'exact', passport, candidate, frequencyWeight(rules.exact, givenNameFrequency(s.middleNames[0] ?? '')), 'Middle names match');
  }
  const agrees = keys.some((key, i) => s.middleKeys.some((passportKey, j) => key === passportKey
    || (key.length === 1 && passportKey.startsWith(key))
    || (passportKey.length === 1 && key.startsWith(passportKey))
    || nameRelation(candidateNames[i] ?? '', s.middleNames[j] ?? '') !== 'unrelated'));
  if (agrees) {
    return row('middleNames', 'close', 'name-part', passport, candidate, fixedWeight(rules.close), `Middle names partly agree ('${passport}' and '${candidate}')`);
  }
  return row('middleNames', 'different', 'different', passport, candidate, fixedWeight(rules.different), `Middle names differ ('${passport}' and '${candidate}')`);
}

/**
 * First name and surname the other way round: the system's surname compared as a first name and
 * its first name compared as a surname, each with every rule (so "Jones Liz" for Elizabeth Jones,
 * or a married name the other way round, still count). Used only when both agree that way and,
 * after the penalty for the swap, they beat the names the right way round.
 */
function swappedNames(s: PreparedSubject, candidateFirst: string, candidateSurname: string, straight: number): [FieldComparison, FieldComparison] | null {
  const agrees = (comparison: FieldComparison) => comparison.level === 'exact' || (comparison.level === 'close' && comparison.rule !== 'initial');
  const surname = compareSurname(s, candidateFirst);
  if (!agrees(surname)) return null;
  const firstName = compareFirstName(s, candidateSurname);
  if (!agrees(firstName)) return null;
  if (firstName.weight + surname.weight - 2 * SWAPPED_NAMES_PENALTY <= straight) return null;
  const swapped = `First name and surname are the other way round: the system has '${candidateFirst} ${candidateSurname}'`;
  const detail = (comparison: FieldComparison) => (comparison.level === 'exact' ? '' : `. ${comparison.reason}`);
  return [
    { ...firstName, level: 'close', rule: 'swapped-names', candidateValue: candidateSurname, weight: firstName.weight - SWAPPED_NAMES_PENALTY, reason: swapped + detail(firstName) },
    { ...surname, level: 'close', rule: 'swapped-names', candidateValue: candidateFirst, weight: surname.weight - SWAPPED_NAMES_PENALTY, reason: swapped + detail(surname) },
  ];
}

/** Every field's comparison for one candidate, in the order HR reads them. */
export function compareCandidate(s: PreparedSubject, candidate: EmployeePersonalDetails): FieldComparison[] {
  const candidateFirst = present(candidate.firstName);
  const candidateSurname = present(candidate.surname);
  let firstName = compareFirstName(s, candidateFirst);
  let surname = compareSurname(s, candidateSurname);
  let extraGivenNames: string[] = [];
  // A system that keeps middle names in the first name field: "Mary Grace" for Mary (middle Grace).
  if (firstName.level !== 'exact' && candidateFirst !== null && candidateFirst.includes(' ')) {
    const [first = '', ...rest] = candidateFirst.split(' ');
    const byFirstWord = compareFirstName(s, first);
    if (byFirstWord.level === 'exact') {
      firstName = { ...byFirstWord, candidateValue: candidateFirst };
      extraGivenNames = rest;
    }
  }
  if (firstName.level !== 'exact' && surname.level !== 'exact' && candidateFirst !== null && candidateSurname !== null) {
    const swapped = swappedNames(s, candidateFirst, candidateSurname, firstName.weight + surname.weight);
    if (swapped !== null) [firstName, surname] = swapped;
  }
  const comparisons = [firstName];
  const middleNames = compareMiddleNames(s, extraGivenNames);
  if (middleNames !== null) comparisons.push(middleNames);
  comparisons.push(surname, compareBirthDate(s, candidate.birthDate), compareEmail(s, candidate.email));
  // Each candidate gets its own rows: remembered ones are shared between candidates.
  return comparisons.map((comparison) => ({ ...comparison }));
}

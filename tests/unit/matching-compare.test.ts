// Field comparisons: every level and rule, the weights, and the strings people actually type.
import { describe, expect, it } from 'vitest';
import {
  birthDateRule, compareBirthDate, compareCandidate, compareEmail, compareFirstName, compareMiddleNames, compareSurname,
  parseBirthDate, prepareSubject, present, spellingClose,
} from '../../main/matching/compare.ts';
import { M_U, PLAUSIBLE_BIRTH_DATES, RARITY_FLOOR, SWAPPED_NAMES_PENALTY, fixedWeight, frequencyWeight, matchWeight } from '../../main/matching/score.ts';
import { jaroWinkler, jaroWinklerBound, withinOneEdit } from '../../main/matching/similarity.ts';
import { givenNameFrequency, surnameFrequency } from '../../main/matching/name-frequencies.ts';
import type { MatchSubject } from '../../main/matching/types.ts';

const elizabeth: MatchSubject = {
  firstName: 'Elizabeth', middleNames: 'Grace Anne', surname: 'Smith', previousSurname: 'Jones', knownAs: 'Beth',
  birthDate: '1985-03-12', email: 'Liz.Smith@nhs.net',
};
const s = prepareSubject(elizabeth);
const subject = (overrides: Partial<MatchSubject>) => prepareSubject({ ...elizabeth, ...overrides });

describe('Jaro–Winkler', () => {
  it.each([
    ['MARTHA', 'MARHTA', 0.961], ['DWAYNE', 'DUANE', 0.84], ['DIXON', 'DICKSONX', 0.813],
  ])('%s / %s = %f (published values)', (a, b, expected) => {
    expect(jaroWinkler(a, b)).toBeCloseTo(expected, 3);
    expect(jaroWinkler(b, a)).toBeCloseTo(expected, 3);
  });
  it('is 1 for equal strings, 0 for nothing in common or an empty string', () => {
    expect(jaroWinkler('smith', 'smith')).toBe(1);
    expect(jaroWinkler('abc', 'xyz')).toBe(0);
    expect(jaroWinkler('', 'smith')).toBe(0);
    expect(jaroWinkler('', '')).toBe(0);
  });
  it('rewards a shared beginning (the Winkler part)', () => {
    expect(jaroWinkler('sarah', 'sara')).toBeGreaterThan(jaroWinkler('asrah', 'sara'));
  });
});

describe('Jaro–Winkler bound', () => {
  const names = ['smith', 'smyth', 'jones', 'jonas', 'sarah', 'sara', 'elizabeth', 'elisabeth', 'okonkwo', 'okonkow', 'ian', 'ivan', 'aab', 'abcdef', 'fedcba', 'xyz', 'a'];
  it('is never below the real similarity', () => {
    for (const a of names) for (const b of names) expect(jaroWinklerBound(a, b)).toBeGreaterThanOrEqual(jaroWinkler(a, b) - 1e-12);
  });
  it('rules out names with too few letters in common', () => {
    expect(jaroWinklerBound('smith', 'okonkwo')).toBeLessThan(0.92);
    expect(jaroWinklerBound('xyz', 'abc')).toBe(0);
    expect(jaroWinklerBound('', 'abc')).toBe(0);
  });
});

describe('one edit apart', () => {
  it.each([
    ['smith', 'smyth', true], ['smith', 'smth', true], ['smith', 'smiith', true], ['smith', 'msith', true],
    ['smith', 'smiht', true], ['smith', 'smith', true], ['smith', 'smythe', false], ['smith', 'jones', false],
    ['smith', 'mshti', false], ['ab', 'ba', true], ['abc', 'cba', false],
  ])('%s → %s: %s', (a, b, expected) => {
    expect(withinOneEdit(a, b)).toBe(expected);
  });
});

describe('spelt almost the same', () => {
  it.each([
    ['sarah', 'sara', true], ['smith', 'smyth', true], ['okonkwo', 'okonkow', true], ['mcdonald', 'macdonald', true],
    ['smith', 'jones', false], ['lee', 'leo', false], ['li', 'lu', false], ['ann', 'anna', true],
  ])('%s / %s: %s', (a, b, expected) => {
    expect(spellingClose(a, b)).toBe(expected);
  });
});

describe('present', () => {
  it('treats blank and punctuation-only values as nothing', () => {
    expect(present('')).toBeNull();
    expect(present('   ')).toBeNull();
    expect(present(" - ' ")).toBeNull();
    expect(present(undefined)).toBeNull();
    expect(present(null)).toBeNull();
    expect(present('  Mary   Jane ')).toBe('Mary Jane');
  });
});

describe('dates of birth', () => {
  it('reads only real calendar dates written YYYY-MM-DD', () => {
    expect(parseBirthDate('1985-03-12')).toMatchObject({ year: 1985, month: 3, day: 12, digits: '19850312' });
    expect(parseBirthDate('2024-02-29')).not.toBeNull();
    for (const bad of ['2023-02-29', '1985-13-01', '1985-00-10', '1985-04-31', '1900-02-29', '12/03/1985', '1985-3-12', '']) {
      expect(parseBirthDate(bad)).toBeNull();
    }
    expect(parseBirthDate('2000-02-29')).not.toBeNull();
  });
  it.each([
    ['1985-03-12', '1985-03-12', 'exact'],
    ['1985-03-12', '1985-12-03', 'day-month-swapped'],
    ['1985-03-12', '1958-03-12', 'digits-transposed'],
    ['1985-03-12', '1985-03-21', 'digits-transposed'],
    ['1985-03-12', '1986-03-12', 'adjacent-year'],
    ['1989-03-12', '1990-03-12', 'adjacent-year'],
    ['1985-03-12', '1985-03-13', 'one-digit'],
    ['1985-03-12', '1975-03-12', 'one-digit'],
    ['1985-03-12', '1985-08-12', 'one-digit'],
    ['1985-03-12', '1987-03-12', 'one-digit'],
    ['1985-03-12', '1985-04-13', 'different'],
    ['1985-03-12', '1991-07-25', 'different'],
    ['1985-03-03', '1985-03-03', 'exact'],
  ])('%s against %s: %s', (a, b, rule) => {
    expect(birthDateRule(parseBirthDate(a)!, parseBirthDate(b)!)).toBe(rule);
  });
  it('gives each rule its level, weight and reason', () => {
    const cases: Array<[string, string, string, string]> = [
      ['1985-03-12', 'exact', 'exact', 'Dates of birth match'],
      ['1985-12-03', 'close', 'day-month-swapped', 'Date of birth has day and month swapped'],
      ['1985-03-21', 'close', 'digits-transposed', 'Date of birth has two digits the wrong way round'],
      ['1984-03-12', 'close', 'adjacent-year', 'Date of birth is the same day but a year out'],
      ['1985-03-19', 'close', 'one-digit', 'Date of birth differs by one digit'],
      ['1991-07-25', 'different', 'different', 'Dates of birth differ'],
    ];
    for (const [candidate, level, rule, reason] of cases) {
      expect(compareBirthDate(s, candidate)).toMatchObject({ field: 'birthDate', label: 'Date of birth', level, rule, reason, subjectValue: '1985-03-12', candidateValue: candidate });
    }
  });
  it('weighs exact above every close rule, close above nothing, and different below nothing', () => {
    const weight = (candidate: string) => compareBirthDate(s, candidate).weight;
    expect(weight('1985-03-12')).toBeCloseTo(Math.log2(0.95 * PLAUSIBLE_BIRTH_DATES));
    expect(weight('1985-03-12')).toBeGreaterThan(weight('1985-12-03'));
    expect(weight('1985-12-03')).toBeGreaterThan(weight('1985-03-21'));
    expect(weight('1985-03-21')).toBeGreaterThan(weight('1984-03-12'));
    expect(weight('1984-03-12')).toBeGreaterThan(weight('1985-03-19'));
    expect(weight('1985-03-19')).toBeGreaterThan(0);
    expect(weight('1991-07-25')).toBeLessThan(-5);
  });
  it('counts a missing or unreal date as missing, weight 0', () => {
    expect(compareBirthDate(s, undefined)).toMatchObject({ level: 'missing', weight: 0, reason: 'The system has no date of birth', candidateValue: null });
    expect(compareBirthDate(s, '  ')).toMatchObject({ level: 'missing', weight: 0 });
    expect(compareBirthDate(subject({ birthDate: null }), '1985-03-12')).toMatchObject({ level: 'missing', weight: 0, reason: 'The passport has no date of birth' });
    expect(compareBirthDate(s, '1985-02-30')).toMatchObject({ level: 'missing', weight: 0, reason: "The system's date of birth '1985-02-30' is not a real date" });
  });
});

describe('first name', () => {
  it('matches exactly whatever the case, accents and spacing', () => {
    expect(compareFirstName(s, 'ELIZABETH')).toMatchObject({ level: 'exact', rule: 'exact' });
    expect(compareFirstName(s, '  elizabeth ')).toMatchObject({ level: 'exact' });
    const zoe = compareFirstName(subject({ firstName: 'Zoë' }), 'Zoe');
    expect(zoe).toMatchObject({ level: 'exact' });
    expect(zoe.reason).toContain("ignoring accents, spaces and punctuation: 'Zoë' and 'Zoe'");
  });
  it('weighs an exact common first name less than a rare one, and says so', () => {
    const sarah = compareFirstName(subject({ firstName: 'Sarah' }), 'Sarah');
    const seun = compareFirstName(subject({ firstName: 'Oluwaseun' }), 'Oluwaseun');
    expect(sarah.weight).toBeCloseTo(Math.log2(0.9 / givenNameFrequency('Sarah')));
    expect(seun.weight).toBeGreaterThan(sarah.weight + 5);
    expect(sarah.reason).toBe('First names match. Sarah is a common first name, so it counts for less.');
    expect(compareFirstName(subject({ firstName: 'Zebedee' }), 'zebedee').reason).toBe('First names match. Zebedee is an unusual first name, so it counts for more.');
  });
  it('knows the name they go by', () => {
    expect(compareFirstName(s, 'Beth')).toMatchObject({ level: 'close', rule: 'known-as', reason: "First name 'Beth' is the name they are known by" });
    expect(compareFirstName(s, 'Beth').weight).toBeCloseTo(Math.log2(0.1 / givenNameFrequency('Beth')));
  });
  it.each([
    ['Liz', "First name 'Liz' is a short form of 'Elizabeth'"],
    ['lizzie', "First name 'lizzie' is a short form of 'Elizabeth'"],
    ['Elisabeth', "First name 'Elisabeth' is another spelling of 'Elizabeth'"],
  ])('knows %s belongs with Elizabeth', (candidate, reason) => {
    expect(compareFirstName(subject({ knownAs: null }), candidate)).toMatchObject({ level: 'close', rule: 'name-family', reason });
  });
  it('knows the full form of a short name, and two short forms of one name', () => {
    expect(compareFirstName(subject({ firstName: 'Liz', knownAs: null }), 'Elizabeth').reason).toBe("First name 'Elizabeth' is the full form of 'Liz'");
    expect(compareFirstName(subject({ firstName: 'Beth', knownAs: null }), 'Libby').reason).toBe("First names 'Libby' and 'Beth' are both forms of the same name");
  });
  it('uses the known-as name for families too', () => {
    expect(compareFirstName(subject({ firstName: 'Margaret', knownAs: 'Beth' }), 'Betty')).toMatchObject({ rule: 'name-family' });
  });
  it('gives a nickname a positive weight, less than an exact match', () => {
    const liz = compareFirstName(subject({ knownAs: null }), 'Liz');
    expect(liz.weight).toBeGreaterThan(2);
    expect(liz.weight).toBeLessThan(compareFirstName(s, 'Elizabeth').weight);
  });
  it('recognises a middle name used as the first name', () => {
    expect(compareFirstName(s, 'Grace')).toMatchObject({ level: 'close', rule: 'middle-name', reason: "First name 'Grace' is their middle name" });
    expect(compareFirstName(s, 'Anne')).toMatchObject({ rule: 'middle-name' });
  });
  it('recognises a typing slip', () => {
    expect(compareFirstName(s, 'Elizabteh')).toMatchObject({ level: 'close', rule: 'typo', reason: "First name 'Elizabteh' is spelt almost the same as 'Elizabeth'" });
    expect(compareFirstName(s, 'Elizabteh').weight).toBeCloseTo(fixedWeight(M_U.firstName.typo));
  });
  it('recognises part of a double first name', () => {
    const maryJane = subject({ firstName: 'Mary-Jane', knownAs: null, middleNames: null });
    expect(compareFirstName(maryJane, 'Mary Jane')).toMatchObject({ level: 'exact' });
    expect(compareFirstName(maryJane, 'Jane')).toMatchObject({ level: 'close', rule: 'name-part', reason: "First name 'Jane' is part of 'Mary-Jane'" });
    expect(compareFirstName(subject({ firstName: 'Jane', knownAs: null, middleNames: null }), 'Jane-Louise')).toMatchObject({ rule: 'name-part', reason: "First name 'Jane-Louise' contains 'Jane'" });
  });
  it('recognises an initial that agrees, with little weight', () => {
    const initial = compareFirstName(s, 'E.');
    expect(initial).toMatchObject({ level: 'close', rule: 'initial' });
    expect(initial.weight).toBeLessThan(0);
    expect(initial.weight).toBeGreaterThan(compareFirstName(s, 'Mohammed').weight);
    expect(compareFirstName(s, 'J')).toMatchObject({ level: 'different' });
  });
  it('counts a different first name strongly against', () => {
    const different = compareFirstName(s, 'Mohammed');
    expect(different).toMatchObject({ level: 'different', rule: 'different', reason: "First names differ ('Elizabeth' and 'Mohammed')" });
    expect(different.weight).toBeCloseTo(Math.log2(0.015 / 0.97));
  });
  it('keeps Christopher and Christine apart', () => {
    expect(compareFirstName(subject({ firstName: 'Christopher', knownAs: null }), 'Christine').level).toBe('different');
  });
  it('counts a blank first name on either side as missing', () => {
    expect(compareFirstName(s, '')).toMatchObject({ level: 'missing', weight: 0, reason: 'The system has no first name' });
    expect(compareFirstName(subject({ firstName: '  ' }), 'Elizabeth')).toMatchObject({ level: 'missing', weight: 0, reason: 'The passport has no first name' });
  });
});

describe('surname', () => {
  it('weighs an exact common surname less than a rare one', () => {
    const weight = (surname: string) => compareSurname(subject({ surname, previousSurname: null }), surname).weight;
    expect(weight('Smith')).toBeCloseTo(Math.log2(0.85 / 0.01));
    expect(weight('Okafor')).toBeGreaterThan(weight('Patel'));
    expect(weight('Patel')).toBeGreaterThan(weight('Smith'));
    expect(weight('Okonkwo-Barratt')).toBeGreaterThan(weight('Okafor'));
    expect(weight('Okonkwo-Barratt')).toBeCloseTo(frequencyWeight(M_U.surname.exact, RARITY_FLOOR));
  });
  it('says when a surname is common or unusual', () => {
    expect(compareSurname(s, 'SMITH').reason).toBe('Surnames match. Smith is a common surname, so it counts for less.');
    expect(compareSurname(subject({ surname: 'Okonkwo-Barratt' }), 'okonkwo-barratt').reason).toBe('Surnames match. Okonkwo-Barratt is an unusual surname, so it counts for more.');
    expect(compareSurname(subject({ surname: 'Gibson' }), 'Gibson').reason).toBe('Surnames match.');
  });
  it("matches O'Brien however the apostrophe is written", () => {
    const obrien = subject({ surname: "O'Brien" });
    for (const written of ['OBrien', 'O’Brien', "o'brien", 'O Brien']) expect(compareSurname(obrien, written).level).toBe('exact');
    expect(compareSurname(obrien, 'OBrien').reason).toContain('ignoring accents, spaces and punctuation');
    expect(compareSurname(obrien, "O'BRIEN").reason).not.toContain('ignoring');
  });
  it('recognises a previous surname', () => {
    const previous = compareSurname(s, 'Jones');
    expect(previous).toMatchObject({ level: 'close', rule: 'previous-surname', reason: "Surname matches a previous surname 'Jones'" });
    expect(previous.weight).toBeCloseTo(Math.log2(0.3 / surnameFrequency('Jones')));
  });
  it('recognises parts of a double-barrelled surname, either way round', () => {
    const barrelled = subject({ surname: 'Okonkwo-Barratt', previousSurname: null });
    expect(compareSurname(barrelled, 'Okonkwo')).toMatchObject({ level: 'close', rule: 'name-part', reason: "Surname 'Okonkwo' is part of 'Okonkwo-Barratt'" });
    expect(compareSurname(barrelled, 'Barratt Okonkwo')).toMatchObject({ rule: 'name-part', reason: "Surname 'Barratt Okonkwo' has the same parts as 'Okonkwo-Barratt' in another order" });
    expect(compareSurname(barrelled, 'Okonkwo Barratt').level).toBe('exact');
    expect(compareSurname(subject({ surname: 'Smith', previousSurname: null }), 'Smith-Jones')).toMatchObject({ rule: 'name-part', reason: "Surname 'Smith-Jones' contains 'Smith', part of the passport's surname" });
    expect(compareSurname(s, 'Jones-Evans')).toMatchObject({ rule: 'name-part' });
  });
  it('weighs a rare shared part more than a common one', () => {
    const barrelled = subject({ surname: 'Okonkwo-Smith', previousSurname: null });
    expect(compareSurname(barrelled, 'Okonkwo').weight).toBeGreaterThan(compareSurname(barrelled, 'Smith').weight);
  });
  it('recognises a typing slip in the surname and in the previous surname', () => {
    expect(compareSurname(s, 'Smiht')).toMatchObject({ level: 'close', rule: 'typo', reason: "Surname 'Smiht' is spelt almost the same as 'Smith'" });
    expect(compareSurname(s, 'Jnoes')).toMatchObject({ level: 'close', rule: 'previous-surname-typo', reason: "Surname 'Jnoes' is spelt almost the same as a previous surname 'Jones'" });
  });
  it('counts a different surname against, less than a different first name', () => {
    const different = compareSurname(s, 'Patel');
    expect(different).toMatchObject({ level: 'different', reason: "Surnames differ ('Smith' and 'Patel'), and it is not the previous surname 'Jones'" });
    expect(different.weight).toBeLessThan(0);
    expect(different.weight).toBeGreaterThan(compareFirstName(s, 'Mohammed').weight);
    expect(compareSurname(subject({ previousSurname: null }), 'Patel').reason).toBe("Surnames differ ('Smith' and 'Patel')");
  });
  it('counts a blank surname as missing', () => {
    expect(compareSurname(s, '')).toMatchObject({ level: 'missing', weight: 0, reason: 'The system has no surname' });
    expect(compareSurname(subject({ surname: '' }), 'Smith')).toMatchObject({ level: 'missing', weight: 0, reason: 'The passport has no surname' });
  });
});

describe('email', () => {
  it.each([
    ['liz.smith@NHS.net', 'exact', 'exact', 'Email addresses match'],
    ['liz.smith@nhs.nte', 'close', 'typo', 'Email addresses differ by one character'],
    ['liz.smith@gmail.com', 'close', 'same-mailbox-name', 'Email addresses have the same name before the @ but different domains'],
    ['e.smith@nhs.net', 'different', 'different', 'Email addresses differ (people often have more than one, so this counts for little)'],
    ['liz.smith2@nhs.net', 'different', 'different', 'Email addresses differ only by a number, as the mailboxes of two people with the same name do'],
  ])('%s: %s', (candidate, level, rule, reason) => {
    expect(compareEmail(s, candidate)).toMatchObject({ field: 'email', level, rule, reason });
  });
  it('weighs exact > typo > same mailbox name > 0 > different, and different only a little', () => {
    const weight = (candidate: string) => compareEmail(s, candidate).weight;
    expect(weight('liz.smith@nhs.net')).toBeGreaterThan(weight('liz.smith@nhs.nte'));
    expect(weight('liz.smith@nhs.nte')).toBeGreaterThan(weight('liz.smith@gmail.com'));
    expect(weight('liz.smith@gmail.com')).toBeGreaterThan(0);
    expect(weight('e.smith@nhs.net')).toBeLessThan(0);
    expect(weight('e.smith@nhs.net')).toBeGreaterThan(-2);
  });
  it('is missing when either side has none', () => {
    expect(compareEmail(s, undefined)).toMatchObject({ level: 'missing', weight: 0 });
    expect(compareEmail(subject({ email: null }), 'a@b.c')).toMatchObject({ level: 'missing', weight: 0, reason: 'The passport has no email address' });
  });
});

describe('middle names', () => {
  it('has no row when neither side has middle names', () => {
    expect(compareMiddleNames(subject({ middleNames: null }), [])).toBeNull();
  });
  it('is missing when only one side has them', () => {
    expect(compareMiddleNames(s, [])).toMatchObject({ level: 'missing', weight: 0, reason: 'The system does not hold middle names' });
    expect(compareMiddleNames(subject({ middleNames: '' }), ['Grace'])).toMatchObject({ level: 'missing', reason: 'The passport has no middle names' });
  });
  it('is exact, close (an initial, one of several) or different', () => {
    expect(compareMiddleNames(s, ['grace', 'ANNE'])).toMatchObject({ level: 'exact', reason: 'Middle names match' });
    expect(compareMiddleNames(s, ['G'])).toMatchObject({ level: 'close' });
    expect(compareMiddleNames(s, ['Anne'])).toMatchObject({ level: 'close' });
    expect(compareMiddleNames(s, ['Victoria'])).toMatchObject({ level: 'different' });
    expect(compareMiddleNames(s, ['grace', 'anne'])!.weight).toBeGreaterThan(compareMiddleNames(s, ['G'])!.weight);
    expect(compareMiddleNames(s, ['Victoria'])!.weight).toBeLessThan(0);
  });
});

describe('a whole candidate', () => {
  it('lists the fields in the order HR reads them', () => {
    const rows = compareCandidate(s, { id: '1', firstName: 'Elizabeth', surname: 'Smith', birthDate: '1985-03-12', email: 'liz.smith@nhs.net' });
    expect(rows.map((comparison) => comparison.field)).toEqual(['firstName', 'middleNames', 'surname', 'birthDate', 'email']);
    expect(rows.map((comparison) => comparison.label)).toEqual(['First name', 'Middle names', 'Surname', 'Date of birth', 'Email']);
  });
  it('reads middle names kept in the first name field', () => {
    const rows = compareCandidate(s, { id: '1', firstName: 'Elizabeth Grace Anne', surname: 'Smith' });
    expect(rows[0]).toMatchObject({ field: 'firstName', level: 'exact', candidateValue: 'Elizabeth Grace Anne' });
    expect(rows[1]).toMatchObject({ field: 'middleNames', level: 'exact', candidateValue: 'Grace Anne' });
  });
  it('recognises first name and surname the other way round', () => {
    const rows = compareCandidate(subject({ knownAs: null }), { id: '1', firstName: 'Smith', surname: 'Elizabeth', birthDate: '1985-03-12' });
    const first = rows.find((comparison) => comparison.field === 'firstName')!;
    const surname = rows.find((comparison) => comparison.field === 'surname')!;
    expect(first).toMatchObject({ level: 'close', rule: 'swapped-names', candidateValue: 'Elizabeth', reason: "First name and surname are the other way round: the system has 'Smith Elizabeth'" });
    expect(surname).toMatchObject({ level: 'close', rule: 'swapped-names', candidateValue: 'Smith' });
    expect(first.weight).toBeCloseTo(compareFirstName(s, 'Elizabeth').weight - SWAPPED_NAMES_PENALTY);
    expect(surname.weight).toBeCloseTo(compareSurname(s, 'Smith').weight - SWAPPED_NAMES_PENALTY);
  });
  it('recognises swapped names with a short form or a previous surname in them', () => {
    const rows = compareCandidate(subject({ knownAs: null }), { id: '1', firstName: 'Jones', surname: 'Liz' });
    expect(rows[0]).toMatchObject({ rule: 'swapped-names' });
    expect(rows[0]!.reason).toContain("First name 'Liz' is a short form of 'Elizabeth'");
    expect(rows[2]!.reason).toContain("Surname matches a previous surname 'Jones'");
  });
  it('does not call names swapped when they agree the right way round', () => {
    const thomas = prepareSubject({ firstName: 'Thomas', surname: 'Thomas' });
    expect(compareCandidate(thomas, { id: '1', firstName: 'Thomas', surname: 'Thomas' }).map((comparison) => comparison.rule)).toEqual(['exact', 'exact', 'missing', 'missing']);
    expect(compareCandidate(s, { id: '1', firstName: 'Smith', surname: 'Mohammed' })[0]!.rule).toBe('different');
  });
  it('weights are log2(m/u) from the table', () => {
    expect(fixedWeight(M_U.birthDate.different)).toBeCloseTo(Math.log2(0.02 / 0.997));
    expect(matchWeight(1, 0.5)).toBe(1);
    expect(frequencyWeight({ m: 0.5 }, 1e-12)).toBeCloseTo(Math.log2(0.5 / RARITY_FLOOR));
  });
});

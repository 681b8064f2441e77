// Nickname families and name frequencies: the data the matcher and the population generator share.
import { describe, expect, it } from 'vitest';
import { formalNamesOf, nameFamilies, nameRelation, nicknamesOf, sameNameFamily, NAME_FAMILY_COUNT } from '../../main/matching/nicknames.ts';
import {
  FEMALE_GIVEN_NAMES, MALE_GIVEN_NAMES, MINIMUM_NAME_FREQUENCY, SURNAME_FREQUENCIES, UNKNOWN_GIVEN_NAME_FREQUENCY,
  UNKNOWN_SURNAME_FREQUENCY, givenNameFrequency, surnameFrequency,
} from '../../main/matching/name-frequencies.ts';
import { foldName, nameKey, nameParts, titleCase } from '../../main/matching/normalise.ts';

describe('name folding', () => {
  it('removes accents, case and spare whitespace', () => {
    expect(foldName('  Zoë   ANNE ')).toBe('zoe anne');
    expect(nameKey('Zoë')).toBe('zoe');
    expect(nameKey('Małgorzata')).toBe('malgorzata');
    expect(nameKey('Søren')).toBe('soren');
  });
  it('gives O\'Brien, OBrien, O’Brien and O Brien one key', () => {
    expect(new Set(["O'Brien", 'OBRIEN', 'O’Brien', 'O Brien'].map(nameKey)).size).toBe(1);
  });
  it('splits parts at hyphens, dashes and spaces', () => {
    expect(nameParts('Smith-Jones')).toEqual(['smith', 'jones']);
    expect(nameParts('Smith – Jones')).toEqual(['smith', 'jones']);
    expect(nameParts("De Silva O'Neill")).toEqual(['de', 'silva', 'oneill']);
    expect(nameParts('   ')).toEqual([]);
  });
  it('title-cases names with apostrophes and hyphens', () => {
    expect(titleCase("o'brien-SMITH")).toBe("O'Brien-Smith");
  });
});

describe('nickname families', () => {
  it('holds at least 150 families', () => {
    expect(NAME_FAMILY_COUNT).toBeGreaterThanOrEqual(150);
  });
  it.each([
    ['Elizabeth', ['Liz', 'Lizzie', 'Beth', 'Betty', 'Eliza', 'Libby']],
    ['William', ['Will', 'Bill', 'Billy', 'Liam']],
    ['Katherine', ['Kate', 'Katie', 'Kath', 'Cathy']],
    ['Catherine', ['Kate', 'Katie', 'Kath', 'Cathy', 'Katherine']],
    ['Margaret', ['Maggie', 'Meg', 'Peggy']],
    ['Robert', ['Rob', 'Bob', 'Bobby']],
    ['James', ['Jim', 'Jamie']],
    ['Alexander', ['Alex', 'Sandy', 'Xander']],
    ['Mohammed', ['Muhammad', 'Mohammad', 'Mohamed']],
  ])('knows the short forms of %s', (formal, forms) => {
    expect(nicknamesOf(formal)).toEqual(expect.arrayContaining(forms));
  });
  it('ignores case and accents in the input and answers in Title Case', () => {
    expect(nicknamesOf('  eLiZaBeTh ')).toContain('Liz');
    expect(nicknamesOf('ELIZABETH')).toEqual(nicknamesOf('elizabeth'));
  });
  it('does not list the name itself', () => {
    expect(nicknamesOf('Elizabeth')).not.toContain('Elizabeth');
    expect(formalNamesOf('Mohammed')).not.toContain('Mohammed');
  });
  it('has nothing for a name it does not know, or an empty one', () => {
    expect(nicknamesOf('Xyzzy')).toEqual([]);
    expect(nicknamesOf('')).toEqual([]);
    expect(formalNamesOf('')).toEqual([]);
  });
  it('goes from short form to formal names, across families', () => {
    expect(formalNamesOf('Liz')).toEqual(expect.arrayContaining(['Elizabeth']));
    expect(formalNamesOf('chris')).toEqual(expect.arrayContaining(['Christopher', 'Christine', 'Christina']));
    expect(formalNamesOf('Bill')).toEqual(['William']);
    expect(formalNamesOf('Muhammad')).toEqual(expect.arrayContaining(['Mohammed', 'Mohamed']));
  });
  it.each([
    ['Liz', 'Elizabeth', true], ['elizabeth', 'LIZ', true], ['Beth', 'Betty', true], ['Zoë', 'zoe', true],
    ['Katherine', 'Catherine', true], ['Kate', 'Catherine', true], ['Chris', 'Christine', true],
    ['Christopher', 'Christine', false], ['Elizabeth', 'Margaret', false], ['Bill', 'Bob', false],
    ['', '', false], ['Xyzzy', 'Plugh', false], ['Xyzzy', 'xyzzy', true],
  ])('sameNameFamily(%j, %j) is %s', (a, b, same) => {
    expect(sameNameFamily(a, b)).toBe(same);
  });
  it('lists the families a name belongs to', () => {
    expect(nameFamilies('Chris').length).toBeGreaterThanOrEqual(2);
    expect(nameFamilies('Liz').some((family) => nameFamilies('Elizabeth').includes(family))).toBe(true);
    expect(nameFamilies('Xyzzy')).toEqual([]);
  });
  it('says how two names relate', () => {
    expect(nameRelation('Liz', 'Elizabeth')).toBe('shortFormOf');
    expect(nameRelation('Elizabeth', 'Liz')).toBe('formalOf');
    expect(nameRelation('Catherine', 'Katherine')).toBe('spellingOf');
    expect(nameRelation('Beth', 'Libby')).toBe('sameFamily');
    expect(nameRelation('Beth', 'Beth')).toBe('same');
    expect(nameRelation('Beth', 'Sarah')).toBe('unrelated');
  });
});

describe('name frequency tables', () => {
  it.each([
    ['surnames', SURNAME_FREQUENCIES, 400],
    ['women\'s names', FEMALE_GIVEN_NAMES, 200],
    ['men\'s names', MALE_GIVEN_NAMES, 200],
  ] as const)('%s: large enough, positive, no duplicates, most common first', (_label, table, atLeast) => {
    expect(table.length).toBeGreaterThanOrEqual(atLeast);
    for (const [, perMillion] of table) expect(perMillion).toBeGreaterThan(0);
    expect(new Set(table.map(([name]) => nameKey(name))).size).toBe(table.length);
    for (let index = 1; index < table.length; index++) expect(table[index - 1]![1]).toBeGreaterThanOrEqual(table[index]![1]);
  });
  it('starts with Smith then Jones, near their real frequencies', () => {
    expect(SURNAME_FREQUENCIES[0]).toEqual(['Smith', 10_000]);
    expect(SURNAME_FREQUENCIES[1]?.[0]).toBe('Jones');
  });
  it.each(['Patel', 'Khan', 'Ahmed', 'Ali', 'Begum', 'Hussain', 'Singh', 'Kaur', 'Okafor', 'Adeyemi', 'Santos', 'Reyes', 'Murphy', 'Kowalski', 'Nowak'])(
    'includes %s', (surname) => {
      expect(SURNAME_FREQUENCIES.some(([name]) => name === surname)).toBe(true);
    },
  );
});

describe('surnameFrequency', () => {
  it('reads the table, ignoring case, accents and apostrophes', () => {
    expect(surnameFrequency('Smith')).toBeCloseTo(0.01);
    expect(surnameFrequency(' SMITH ')).toBe(surnameFrequency('smith'));
    expect(surnameFrequency('OBrien')).toBe(surnameFrequency("O'Brien"));
    expect(surnameFrequency('Wisniewski')).toBe(surnameFrequency('Wiśniewski'));
  });
  it('ranks common surnames above rare ones', () => {
    expect(surnameFrequency('Smith')).toBeGreaterThan(surnameFrequency('Patel'));
    expect(surnameFrequency('Patel')).toBeGreaterThan(surnameFrequency('Okafor'));
    expect(surnameFrequency('Okafor')).toBeGreaterThan(surnameFrequency('Zzyzx'));
  });
  it('gives an unknown or empty surname the documented floor', () => {
    expect(surnameFrequency('Zzyzx')).toBe(UNKNOWN_SURNAME_FREQUENCY);
    expect(surnameFrequency('')).toBe(UNKNOWN_SURNAME_FREQUENCY);
    expect(UNKNOWN_SURNAME_FREQUENCY).toBe(1 / 200_000);
  });
  it('keeps a surname with a space that is in the table whole', () => {
    expect(surnameFrequency('Dela Cruz')).toBeCloseTo(25e-6);
  });
  it('makes a double-barrelled surname rarer than either part', () => {
    expect(surnameFrequency('Smith-Jones')).toBeCloseTo(0.01 * 0.01 * 0.0075, 10);
    expect(surnameFrequency('Smith Jones')).toBe(surnameFrequency('Smith-Jones'));
    expect(surnameFrequency('Smith-Jones')).toBeLessThan(surnameFrequency('Jones'));
    expect(surnameFrequency('Okonkwo-Barratt')).toBe(MINIMUM_NAME_FREQUENCY);
  });
  it('treats a multi-part surname with no known part as one unknown surname', () => {
    expect(surnameFrequency('Van der Berg')).toBe(UNKNOWN_SURNAME_FREQUENCY);
  });
  it('always answers inside (0, 1)', () => {
    for (const surname of ['Smith', '', 'Smith-Smith-Smith', 'Zz-Yy', "'-'"]) {
      expect(surnameFrequency(surname)).toBeGreaterThan(0);
      expect(surnameFrequency(surname)).toBeLessThan(1);
    }
  });
});

describe('givenNameFrequency', () => {
  it('averages the shares among women and men', () => {
    expect(givenNameFrequency('Sarah')).toBeCloseTo(18_000 / 1e6 / 2);
    expect(givenNameFrequency('David')).toBeCloseTo(20_000 / 1e6 / 2);
    expect(givenNameFrequency('Oluwaseun')).toBeCloseTo(160 / 1e6 / 2);
  });
  it('gives a short form the frequency of its formal name', () => {
    expect(givenNameFrequency('Liz')).toBe(givenNameFrequency('Elizabeth'));
  });
  it('uses the first of several given names', () => {
    expect(givenNameFrequency('Mary Grace')).toBe(givenNameFrequency('Mary'));
  });
  it('folds accents', () => {
    expect(givenNameFrequency('Zoë')).toBe(givenNameFrequency('Zoe'));
  });
  it('gives an unknown or empty name the documented floor', () => {
    expect(givenNameFrequency('Xyzzy')).toBe(UNKNOWN_GIVEN_NAME_FREQUENCY);
    expect(givenNameFrequency('')).toBe(UNKNOWN_GIVEN_NAME_FREQUENCY);
  });
});

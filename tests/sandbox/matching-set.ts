// A labelled set for the matching benchmark: what HR's passport says about a person (the legal
// names, date of birth and email as the staff member gave them), with the slips real data has
// applied at realistic rates, and the id that person truly has in one system.
import { nicknamesOf } from '../../main/matching/nicknames.ts';
import type { Person, Population, SandboxSystem } from './model.ts';
import { ADJACENT_KEYS, SURNAME_PARTICLES } from './population-data.ts';
import { createRandom, hasAccents, isRealDate, weightedTable, draw, withoutAccents, type Random } from './population.ts';

/** What the passport says about the staff member: the fields a match is made from. */
export interface PassportQuery {
  legalFirstName: string;
  middleNames: string | null;
  surname: string;
  previousSurname: string | null;
  knownAs: string | null;
  /** YYYY-MM-DD */
  birthDate: string;
  email: string | null;
}

export type PerturbationKind =
  | 'typo'
  | 'swapped-names'
  | 'married-name'
  | 'nickname'
  | 'birth-date-day-month-swapped'
  | 'birth-date-digit-wrong'
  | 'surname-one-part'
  | 'email-missing'
  | 'accents-dropped';

export type TypoKind = 'transposition' | 'dropped-letter' | 'doubled-letter' | 'adjacent-key';

export interface Perturbation {
  kind: PerturbationKind;
  /** The passport field it changed. */
  field: keyof PassportQuery | 'names';
  /** For a typo, which slip. */
  typo?: TypoKind;
  /** The value before and after, for reading a failure. */
  from: string | null;
  to: string | null;
}

export interface LabelledQuery {
  /** Position in the set. */
  index: number;
  /** The true person (Person.key). */
  personKey: number;
  system: SandboxSystem;
  query: PassportQuery;
  /** The true person's id in the system; null when the person is not in it (the right answer is "none"). */
  expectedId: string | null;
  /** What was done to the truth, in the order applied; empty for a clean query. */
  perturbations: Perturbation[];
}

export interface MatchingSetOptions {
  seed: number;
  count: number;
  system: SandboxSystem;
  /** Share of queries about people who are not in the system (default 0). */
  absentShare?: number;
}

/** The passport as the truth has it, before any slip. */
export function truthOf(person: Person): PassportQuery {
  return {
    legalFirstName: person.legalFirstName,
    middleNames: person.middleNames,
    surname: person.surname,
    previousSurname: person.previousSurname,
    knownAs: person.knownAs,
    birthDate: person.birthDate,
    email: person.email,
  };
}

// ---- The slips ----------------------------------------------------------------------------------

/** Positions of letters (not spaces, hyphens or apostrophes) in a name. */
function letterPositions(value: string): number[] {
  const positions: number[] = [];
  for (let index = 0; index < value.length; index++) if (/\p{L}/u.test(value[index] as string)) positions.push(index);
  return positions;
}

const sameIgnoringCase = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/** One typing slip in a name; null when the name is too short to slip on. */
export function typo(random: Random, value: string, kind: TypoKind): string | null {
  const letters = letterPositions(value);
  if (letters.length < 3) return null;
  for (let attempt = 0; attempt < 12; attempt++) {
    // Not the first letter: people rarely get that wrong, and it keeps the name findable.
    const at = letters[random.int(1, letters.length - 1)] as number;
    const letter = value[at] as string;
    let result: string;
    switch (kind) {
      case 'transposition': {
        const before = at - 1;
        if (!letters.includes(before) || sameIgnoringCase(value[before] as string, letter) || before === 0) continue;
        result = value.slice(0, before) + letter + (value[before] as string) + value.slice(at + 1);
        break;
      }
      case 'dropped-letter':
        result = value.slice(0, at) + value.slice(at + 1);
        break;
      case 'doubled-letter':
        result = value.slice(0, at + 1) + letter.toLowerCase() + value.slice(at + 1);
        break;
      case 'adjacent-key': {
        const neighbours = ADJACENT_KEYS[withoutAccents(letter).toLowerCase()];
        if (!neighbours) continue;
        const replacement = random.pick([...neighbours]);
        result = value.slice(0, at) + (letter === letter.toUpperCase() ? replacement.toUpperCase() : replacement) + value.slice(at + 1);
        break;
      }
    }
    if (!sameIgnoringCase(result, value)) return result;
  }
  return null;
}

/** The date with day and month the wrong way round, when that is a different real date. */
export function swapDayAndMonth(birthDate: string): string | null {
  const [year, month, day] = birthDate.split('-') as [string, string, string];
  const swapped = `${year}-${day}-${month}`;
  return swapped !== birthDate && isRealDate(swapped) ? swapped : null;
}

/** One digit of the date wrong, still a real date and a working age. */
export function oneDigitWrong(random: Random, birthDate: string): string | null {
  const digitPositions = [2, 3, 5, 6, 8, 9];
  for (let attempt = 0; attempt < 20; attempt++) {
    const at = random.pick(digitPositions);
    const digit = random.int(0, 9);
    if (String(digit) === birthDate[at]) continue;
    const result = birthDate.slice(0, at) + digit + birthDate.slice(at + 1);
    const year = Number(result.slice(0, 4));
    if (isRealDate(result) && year >= 1940 && year <= 2010) return result;
  }
  return null;
}

/** One part of a surname of several ("Smith-Jones" → "Jones", "van der Berg" → "Berg"), or null. */
export function oneSurnamePart(random: Random, surname: string): string | null {
  const parts = surname.split(/[\s-]+/).filter((part) => part.length > 1 && !SURNAME_PARTICLES.has(part.toLowerCase()));
  if (surname.split(/[\s-]+/).length < 2 || parts.length === 0) return null;
  const part = random.pick(parts);
  return part === surname ? null : part;
}

const nameHasAccents = (query: PassportQuery) => [query.legalFirstName, query.middleNames, query.surname, query.previousSurname, query.knownAs].some((value) => value !== null && hasAccents(value));

/** The fields each kind of slip touches: two slips on one query never touch the same one. */
const TOUCHES: Record<PerturbationKind, readonly string[]> = {
  typo: ['first', 'surname'],
  'swapped-names': ['first', 'surname'],
  'married-name': ['surname'],
  nickname: ['first'],
  'birth-date-day-month-swapped': ['birthDate'],
  'birth-date-digit-wrong': ['birthDate'],
  'surname-one-part': ['surname'],
  'email-missing': ['email'],
  'accents-dropped': [],
};

/** How often each slip is chosen, among those that can apply to this person. */
const SLIP_WEIGHTS: Record<PerturbationKind, number> = {
  typo: 26,
  nickname: 14,
  'married-name': 12,
  'birth-date-day-month-swapped': 10,
  'birth-date-digit-wrong': 10,
  'swapped-names': 6,
  // These two apply to few people (a surname of several parts, a name with accents), so when they can they are likely.
  'surname-one-part': 40,
  'email-missing': 12,
  'accents-dropped': 30,
};

function applicable(kind: PerturbationKind, person: Person, query: PassportQuery, systemSurname: string): boolean {
  switch (kind) {
    case 'typo':
    case 'swapped-names':
      return true;
    case 'married-name':
      return person.previousSurname !== null && systemSurname.length > 0;
    case 'nickname':
      return person.knownAs !== null || nicknamesOf(query.legalFirstName).some((nickname) => nickname !== query.legalFirstName);
    case 'birth-date-day-month-swapped':
      return swapDayAndMonth(query.birthDate) !== null;
    case 'birth-date-digit-wrong':
      return true;
    case 'surname-one-part':
      return /[\s-]/.test(query.surname.trim());
    case 'email-missing':
      return query.email !== null;
    case 'accents-dropped':
      return nameHasAccents(query);
  }
}

const TYPO_KINDS: readonly TypoKind[] = ['transposition', 'dropped-letter', 'doubled-letter', 'adjacent-key'];

/** Applies one slip to the query; null when it turned out not to apply (the query is then unchanged). */
function apply(random: Random, kind: PerturbationKind, person: Person, query: PassportQuery, systemSurname: string): Perturbation | null {
  switch (kind) {
    case 'typo': {
      const field = random.chance(0.45) ? 'legalFirstName' : 'surname';
      const how = random.pick(TYPO_KINDS);
      const from = query[field];
      const to = typo(random, from, how);
      if (to === null) return null;
      query[field] = to;
      return { kind, field, typo: how, from, to };
    }
    case 'swapped-names': {
      const from = `${query.legalFirstName} / ${query.surname}`;
      [query.legalFirstName, query.surname] = [query.surname, query.legalFirstName];
      return { kind, field: 'names', from, to: `${query.legalFirstName} / ${query.surname}` };
    }
    case 'married-name': {
      // The passport and the system disagree about which surname is current, and the passport
      // does not carry the other one: a new name against the system's old one, or the other way.
      const previous = person.previousSurname as string;
      const systemHasOld = withoutAccents(systemSurname).toLowerCase() === withoutAccents(previous).toLowerCase();
      const from = query.surname;
      query.surname = systemHasOld ? person.surname : previous;
      query.previousSurname = null;
      return { kind, field: 'surname', from, to: query.surname };
    }
    case 'nickname': {
      const options = person.knownAs ? [person.knownAs] : nicknamesOf(query.legalFirstName).filter((nickname) => nickname !== query.legalFirstName).slice(0, 3);
      if (options.length === 0) return null;
      const from = query.legalFirstName;
      query.legalFirstName = random.pick(options);
      query.knownAs = null;
      return { kind, field: 'legalFirstName', from, to: query.legalFirstName };
    }
    case 'birth-date-day-month-swapped': {
      const to = swapDayAndMonth(query.birthDate);
      if (to === null) return null;
      const from = query.birthDate;
      query.birthDate = to;
      return { kind, field: 'birthDate', from, to };
    }
    case 'birth-date-digit-wrong': {
      const to = oneDigitWrong(random, query.birthDate);
      if (to === null) return null;
      const from = query.birthDate;
      query.birthDate = to;
      return { kind, field: 'birthDate', from, to };
    }
    case 'surname-one-part': {
      const to = oneSurnamePart(random, query.surname);
      if (to === null) return null;
      const from = query.surname;
      query.surname = to;
      return { kind, field: 'surname', from, to };
    }
    case 'email-missing': {
      const from = query.email;
      query.email = null;
      return { kind, field: 'email', from, to: null };
    }
    case 'accents-dropped': {
      const from = [query.legalFirstName, query.middleNames, query.surname].filter((value) => value !== null).join(' ');
      query.legalFirstName = withoutAccents(query.legalFirstName);
      query.surname = withoutAccents(query.surname);
      if (query.middleNames) query.middleNames = withoutAccents(query.middleNames);
      if (query.previousSurname) query.previousSurname = withoutAccents(query.previousSurname);
      if (query.knownAs) query.knownAs = withoutAccents(query.knownAs);
      return { kind, field: 'names', from, to: [query.legalFirstName, query.middleNames, query.surname].filter((value) => value !== null).join(' ') };
    }
  }
}

/** How many slips a query gets: most none or one, some two. */
const SLIP_COUNTS = weightedTable([0, 1, 2], (count) => [0.5, 0.38, 0.12][count] as number);

function perturb(random: Random, person: Person, systemSurname: string): { query: PassportQuery; perturbations: Perturbation[] } {
  const query = truthOf(person);
  const perturbations: Perturbation[] = [];
  const wanted = draw(SLIP_COUNTS, random);
  const touched = new Set<string>();
  for (let attempt = 0; perturbations.length < wanted && attempt < 6; attempt++) {
    const kinds = (Object.keys(SLIP_WEIGHTS) as PerturbationKind[]).filter(
      (kind) => !perturbations.some((done) => done.kind === kind) && TOUCHES[kind].every((field) => !touched.has(field)) && applicable(kind, person, query, systemSurname),
    );
    if (kinds.length === 0) break;
    const kind = draw(weightedTable(kinds, (candidate) => SLIP_WEIGHTS[candidate]), random);
    const done = apply(random, kind, person, query, systemSurname);
    if (!done) continue;
    perturbations.push(done);
    // A typo touches only the field it changed; the others touch what they say.
    const fields = kind === 'typo' ? [done.field === 'legalFirstName' ? 'first' : 'surname'] : TOUCHES[kind];
    for (const field of fields) touched.add(field);
  }
  return { query, perturbations };
}

/**
 * Queries about people of the population, each labelled with the person's id in the system. The
 * same population, seed, count and system give the same set.
 */
export function buildMatchingSet(population: Population, { seed, count, system, absentShare = 0 }: MatchingSetOptions): LabelledQuery[] {
  const random = createRandom((Math.imul(seed >>> 0, 0x2c1b3c6d) ^ [...system].reduce((hash, letter) => Math.imul(hash ^ letter.charCodeAt(0), 16777619), 2166136261)) >>> 0);
  const present = population.people.filter((person) => person.systems[system]);
  const absent = population.people.filter((person) => !person.systems[system]);
  const absentCount = Math.min(absent.length, Math.round(count * absentShare));
  const presentCount = count - absentCount;
  if (presentCount > present.length) throw new RangeError(`The population has ${present.length} people in ${system}; cannot draw ${presentCount} queries about them.`);
  const sample = (people: Person[], howMany: number): Person[] => {
    // A partial Fisher-Yates shuffle: distinct people, in a random order.
    const pool = [...people];
    for (let index = 0; index < howMany; index++) {
      const other = index + Math.floor(random.next() * (pool.length - index));
      [pool[index], pool[other]] = [pool[other] as Person, pool[index] as Person];
    }
    return pool.slice(0, howMany);
  };
  const chosen = [...sample(present, presentCount), ...sample(absent, absentCount)];
  // Absent people mixed in among the rest rather than at the end.
  for (let index = chosen.length - 1; index > 0; index--) {
    const other = Math.floor(random.next() * (index + 1));
    [chosen[index], chosen[other]] = [chosen[other] as Person, chosen[index] as Person];
  }
  return chosen.map((person, index) => {
    const entry = person.systems[system];
    const { query, perturbations } = perturb(random, person, entry?.details.surname ?? '');
    return { index, personKey: person.key, system, query, expectedId: entry?.id ?? null, perturbations };
  });
}

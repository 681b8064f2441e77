// The sandbox population generator: a deterministic set of NHS staff at two trusts, each as ESR, the
// learning system, the recruitment system and occupational health know them, with the untidiness
// of real records (maiden names, nicknames, missing emails, namesakes, twins, feed lags).
//
// Where a core skill came from: the standard has no field for the source system, and its
// awardingOrganisation is an ODS code, so ESR writes the source into learningMethod after the
// method, in brackets: "E-learning (Kallidus Learn)", "Observation (Think LMS)", "E-learning (ESR
// OLM)" for one completed in ESR itself, "E-learning (ESR inter-authority transfer)" for one carried
// from a previous NHS employer (whose ODS code is then the awardingOrganisation).
// sourceLearningSystemOf() reads it back. The learning system's own records carry the bare method.
//
// People and each system's details are made up front; a person's records are made the first time
// any of them is read (see recordsWhenRead), from that person's own random stream.
import { FEMALE_GIVEN_NAMES, MALE_GIVEN_NAMES, SURNAME_FREQUENCIES } from '../../main/matching/name-frequencies.ts';
import { nicknamesOf } from '../../main/matching/nicknames.ts';
import type { ClinicalTest, CoreSkillsTraining, DBSCheckOutcome, EmployeePersonalDetails, EmployeeRecordGet, Observation, Vaccination } from '../../main/systems/dsp-types.ts';
import { SANDBOX_ORGANISATIONS, type Person, type Population, type SandboxOrganisation, type SandboxSystem, type SystemEntry } from './model.ts';
import {
  ACUTE_PLACES, CHILD_FACING_PLACES, CLINICAL_TESTS, CSTF, DEPARTMENT_SITES, ESR_INTER_AUTHORITY_TRANSFER, ESR_OWN_LEARNING, EXPOSURE_PRONE_PLACES,
  LEARNING_SYSTEM_BY_ORGANISATION, MAND, MEDICAL_SPECIALTIES, NAME_TRADITIONS, NEIGHBOURING_TRUSTS, OBSERVATIONS, RARE_SURNAME_ENDS, RARE_SURNAME_STARTS,
  REGISTERED_BODIES, SITES, STAFF_GROUPS, VACCINATIONS, competencyNameOf,
  type CoreSkillDefinition, type JobRoleDefinition, type NameTradition, type RegisteredBody, type SiteDefinition, type StaffGroupDefinition,
} from './population-data.ts';

/** Every date in the population is relative to this day, so the output never drifts with the clock. */
export const POPULATION_AS_OF = '2026-11-01';
export const DEFAULT_POPULATION_SIZE = 30_000;

// ---- A small seeded random number generator (sfc32, seeded through splitmix32) ----------------

export interface Random {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [min, max], inclusive. */
  int(min: number, max: number): number;
  chance(probability: number): boolean;
  pick<T>(items: readonly T[]): T;
}

export function createRandom(seed: number): Random {
  let state = seed >>> 0;
  const splitmix = (): number => {
    state = (state + 0x9e3779b9) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
  let a = splitmix();
  let b = splitmix();
  let c = splitmix();
  let d = splitmix();
  const next = (): number => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) >>> 0;
    return t / 4294967296;
  };
  for (let i = 0; i < 12; i++) next();
  return {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    chance: (probability) => next() < probability,
    pick: <T>(items: readonly T[]): T => {
      if (items.length === 0) throw new Error('pick from an empty list');
      return items[Math.floor(next() * items.length)] as T;
    },
  };
}

/** Items with weights, drawn in O(log n). */
export interface WeightedTable<T> {
  items: readonly T[];
  cumulative: Float64Array;
  total: number;
}

export function weightedTable<T>(items: readonly T[], weightOf: (item: T, index: number) => number): WeightedTable<T> {
  const cumulative = new Float64Array(items.length);
  let total = 0;
  items.forEach((item, index) => {
    total += Math.max(0, weightOf(item, index));
    cumulative[index] = total;
  });
  if (total <= 0) throw new Error('a weighted table needs some weight');
  return { items, cumulative, total };
}

export function draw<T>(table: WeightedTable<T>, random: Random): T {
  const target = random.next() * table.total;
  let low = 0;
  let high = table.items.length - 1;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((table.cumulative[middle] as number) > target) high = middle;
    else low = middle + 1;
  }
  return table.items[low] as T;
}

// ---- Dates as day numbers (days since 1970-01-01), without Date objects ----------------------

export function dayOf(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146097 + dayOfEra - 719468;
}

export function civilOf(dayNumber: number): [year: number, month: number, day: number] {
  const z = dayNumber + 719468;
  const era = Math.floor(z / 146097);
  const dayOfEra = z - era * 146097;
  const yearOfEra = Math.floor((dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36524) - Math.floor(dayOfEra / 146096)) / 365);
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const mp = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return [yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day];
}

const pad = (value: number, width: number) => String(value).padStart(width, '0');

/** Dates from 1900 to 2100, formatted once each: the population formats about a million. */
const ISO_CACHE: (string | undefined)[] = new Array<string | undefined>(73_000).fill(undefined);
const ISO_CACHE_FROM = dayOf(1900, 1, 1);

export function isoOf(dayNumber: number): string {
  const index = dayNumber - ISO_CACHE_FROM;
  const cached = ISO_CACHE[index];
  if (cached !== undefined) return cached;
  const [year, month, day] = civilOf(dayNumber);
  const iso = `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
  if (index >= 0 && index < 73_000) ISO_CACHE[index] = iso;
  return iso;
}

export function dayOfIso(iso: string): number {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!match) throw new Error(`not a YYYY-MM-DD date: ${iso}`);
  return dayOf(Number(match[1]), Number(match[2]), Number(match[3]));
}

/** Whether a YYYY-MM-DD string names a real calendar day. */
export function isRealDate(iso: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!match) return false;
  const [, y, m, d] = match.map(Number) as [number, number, number, number];
  if (m < 1 || m > 12 || d < 1) return false;
  return isoOf(dayOf(y, m, d)) === iso;
}

/** The same day of the month some years later (29 February becomes 1 March). */
function addYears(dayNumber: number, years: number): number {
  const [year, month, day] = civilOf(dayNumber);
  return dayOf(year + years, month, day);
}

/** The day before the anniversary some years on (a core skill's dateTo), cached: it is asked for about a million times. */
const ANNIVERSARY_EVES = [1, 2, 3].map(() => new Int32Array(73_000));
function anniversaryEve(dayNumber: number, years: 1 | 2 | 3): number {
  const cache = ANNIVERSARY_EVES[years - 1] as Int32Array;
  const index = dayNumber - ISO_CACHE_FROM;
  if (index < 0 || index >= cache.length) return addYears(dayNumber, years) - 1;
  // 0 marks "not yet worked out": no cached day is 1970-01-01.
  return (cache[index] ||= addYears(dayNumber, years) - 1);
}

const AS_OF = dayOfIso(POPULATION_AS_OF);
const [AS_OF_YEAR] = civilOf(AS_OF);
const YEAR = 365.25;

// ---- Names ------------------------------------------------------------------------------------

/** Letters folded to plain ASCII, as older systems store them ("Siobhán" → "Siobhan", "Łukasz" → "Lukasz"). */
export function withoutAccents(value: string): string {
  if (PLAIN.test(value)) return value;
  return value
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/[łŁøØđĐßæÆœŒ]/g, (letter) => ({ ł: 'l', Ł: 'L', ø: 'o', Ø: 'O', đ: 'd', Đ: 'D', ß: 'ss', æ: 'ae', Æ: 'AE', œ: 'oe', Œ: 'OE' })[letter] ?? letter);
}

const PLAIN = /^[\x20-\x7e]*$/;

export function hasAccents(value: string): boolean {
  return withoutAccents(value) !== value;
}

/** The long tail of rare British surnames: parts of real place names combined, less common with rank. */
let rareSurnames: WeightedTable<string> | null = null;
function rareSurnameTable(): WeightedTable<string> {
  if (rareSurnames) return rareSurnames;
  const inTable = new Set(SURNAME_FREQUENCIES.map(([name]) => name.toLowerCase()));
  const names = new Set<string>();
  const middles = ['', 'en', 'er', 'ing', 'le', 'ers'];
  for (const start of RARE_SURNAME_STARTS) {
    for (const middle of middles) {
      for (const end of RARE_SURNAME_ENDS) {
        const joined = `${start}${middle}${end}`;
        if (/(.)\1\1/.test(joined.toLowerCase())) continue;
        if (!inTable.has(joined.toLowerCase())) names.add(joined);
      }
    }
  }
  // A fixed order, independent of the population's seed, so a rare name is equally rare in every population.
  const ordered = [...names];
  const shuffle = createRandom(0x5eed);
  for (let i = ordered.length - 1; i > 0; i--) {
    const j = Math.floor(shuffle.next() * (i + 1));
    [ordered[i], ordered[j]] = [ordered[j] as string, ordered[i] as string];
  }
  rareSurnames = weightedTable(ordered, (_name, index) => 1 / (index + 2000));
  return rareSurnames;
}

const UK_SURNAMES = weightedTable(SURNAME_FREQUENCIES, ([, perMillion]) => perMillion);
const UK_SURNAME_MASS = UK_SURNAMES.total;
/** The share of British people whose surname is beyond the frequency table. */
const RARE_SURNAME_SHARE = Math.max(0.3, 1 - UK_SURNAME_MASS / 1_000_000);
const FEMALE_NAMES = weightedTable(FEMALE_GIVEN_NAMES, ([, perMillion]) => perMillion);
const MALE_NAMES = weightedTable(MALE_GIVEN_NAMES, ([, perMillion]) => perMillion);
const FAVOURITE_MIDDLE_NAMES = {
  female: ['Louise', 'Jane', 'Marie', 'Elizabeth', 'Anne', 'Ann', 'Victoria', 'Jayne', 'Claire', 'Michelle', 'Rose', 'Mary', 'Catherine', 'Lynn', 'May', 'Grace'],
  male: ['John', 'James', 'David', 'Michael', 'Paul', 'Robert', 'Peter', 'Thomas', 'William', 'Anthony', 'Edward', 'Richard', 'Alan', 'George'],
};

interface TraditionTables {
  tradition: NameTradition;
  /** How much less often women change surname on marriage than in British custom. */
  keepsNameFactor: number;
  /** Whether doctors of this tradition mostly qualified abroad (and registered with the GMC later). */
  qualifiedAbroad: boolean;
  female: WeightedTable<string>;
  male: WeightedTable<string>;
  surnames: WeightedTable<string>;
}
// Flatter than British names: each tradition's lists are its commonest names, not its whole range.
const TRADITIONS: readonly TraditionTables[] = NAME_TRADITIONS.map((tradition) => ({
  tradition,
  keepsNameFactor: ['southern-european', 'east-asian', 'middle-eastern'].includes(tradition.key) ? 0.25 : tradition.key === 'south-asian' ? 0.5 : 1,
  qualifiedAbroad: !['irish', 'north-western-european'].includes(tradition.key),
  female: weightedTable(tradition.female, (_name, index) => 1 / (index + 4)),
  male: weightedTable(tradition.male, (_name, index) => 1 / (index + 4)),
  surnames: weightedTable(tradition.surnames, (_name, index) => 1 / (index + 10)),
}));

type NameProfile = 'medical' | 'nursing' | 'other';
const TRADITION_BY_PROFILE: Record<NameProfile, WeightedTable<TraditionTables | null>> = Object.fromEntries(
  (['medical', 'nursing', 'other'] as const).map((profile) => {
    const items: (TraditionTables | null)[] = [null, ...TRADITIONS];
    const foreign = TRADITIONS.reduce((sum, tables) => sum + tables.tradition.shares[profile], 0);
    return [profile, weightedTable(items, (item) => (item === null ? 1 - foreign : item.tradition.shares[profile]))];
  }),
) as Record<NameProfile, WeightedTable<TraditionTables | null>>;

function givenName(random: Random, sex: Person['sex'], tradition: TraditionTables | null): string {
  if (tradition) return draw(sex === 'female' ? tradition.female : tradition.male, random);
  return draw(sex === 'female' ? FEMALE_NAMES : MALE_NAMES, random)[0];
}

function britishSurname(random: Random): string {
  if (random.chance(RARE_SURNAME_SHARE)) return draw(rareSurnameTable(), random);
  return draw(UK_SURNAMES, random)[0];
}

function surnameOf(random: Random, sex: Person['sex'], tradition: TraditionTables | null): string {
  if (!tradition) {
    // About 1 in 100 British surnames is double-barrelled.
    if (random.chance(0.012)) {
      const first = britishSurname(random);
      let second = britishSurname(random);
      while (second === first) second = britishSurname(random);
      return `${first}-${second}`;
    }
    return britishSurname(random);
  }
  const surname = draw(tradition.surnames, random);
  const [masculine, feminine] = surname.split('/') as [string, string | undefined];
  if (feminine !== undefined) return sex === 'female' ? feminine : masculine;
  if (surname === 'Singh' && sex === 'female' && random.chance(0.7)) return 'Kaur';
  return surname;
}

function middleNamesOf(random: Random, sex: Person['sex'], tradition: TraditionTables | null, firstName: string): string | null {
  const share = tradition ? tradition.tradition.middleNameShare : 0.72;
  if (!random.chance(share)) return null;
  if (tradition?.tradition.middleFromSurnames) return draw(tradition.surnames, random).split('/')[0] as string;
  const one = (): string => {
    for (let attempt = 0; attempt < 5; attempt++) {
      const name = !tradition && random.chance(0.35) ? random.pick(FAVOURITE_MIDDLE_NAMES[sex]) : givenName(random, sex, tradition);
      if (name !== firstName) return name;
    }
    return random.pick(FAVOURITE_MIDDLE_NAMES[sex]);
  };
  const first = one();
  if (random.chance(0.1)) {
    const second = one();
    if (second !== first) return `${first} ${second}`;
  }
  return first;
}

const NICKNAMES = new Map<string, readonly string[]>();
function nicknamesFor(name: string): readonly string[] {
  let nicknames = NICKNAMES.get(name);
  if (!nicknames) NICKNAMES.set(name, (nicknames = nicknamesOf(name).filter((nickname) => nickname !== name)));
  return nicknames;
}

/** Addresses reserved for examples (RFC 2606), so no generated address reaches a real mailbox. */
const PERSONAL_EMAIL_DOMAINS = ['example.com', 'example.org', 'example.net'] as const;

/** Lower-case letters (and hyphens) only, for email addresses. */
function emailPart(value: string): string {
  return withoutAccents(value).toLowerCase().replace(/[^a-z-]/g, '');
}

// ---- People ----------------------------------------------------------------------------------

const STAFF_GROUP_TABLE = weightedTable(STAFF_GROUPS, (group) => group.share);
const ROLE_TABLES = new Map<StaffGroupDefinition, WeightedTable<JobRoleDefinition>>(STAFF_GROUPS.map((group) => [group, weightedTable(group.roles, (role) => role.weight)]));

/** NHS staff by age (NHS England workforce statistics, rounded): share of headcount in each band. */
const AGE_BANDS: readonly (readonly [from: number, to: number, share: number])[] = [
  [18, 24, 6], [25, 29, 11], [30, 34, 12], [35, 39, 12], [40, 44, 12], [45, 49, 12], [50, 54, 13], [55, 59, 12], [60, 64, 7], [65, 67, 2],
];
const AGE_WEIGHT = new Map<number, number>();
for (const [from, to, share] of AGE_BANDS) for (let age = from; age <= to; age++) AGE_WEIGHT.set(age, share / (to - from + 1));
const AGE_TABLES = new Map<number, WeightedTable<number>>();
function ageTable(min: number, max: number): WeightedTable<number> {
  const key = min * 100 + max;
  let table = AGE_TABLES.get(key);
  if (!table) {
    const ages = Array.from({ length: max - min + 1 }, (_, index) => min + index);
    table = weightedTable(ages, (age) => AGE_WEIGHT.get(age) ?? 0.5);
    AGE_TABLES.set(key, table);
  }
  return table;
}

/** Rotation start dates for doctors in training: the first Wednesday of August and of February. */
const ROTATION_STARTS = [dayOf(2024, 8, 7), dayOf(2025, 2, 5), dayOf(2025, 8, 6), dayOf(2026, 2, 4), dayOf(2026, 8, 5)];
const IN_TRAINING = new Set(['Foundation Year 1', 'Foundation Year 2', 'Core Training', 'Specialty Registrar', 'Clinical Fellow']);
/** Traditions from countries where tuberculosis is common, whose staff occupational health screens with an IGRA. */
const TB_SCREENED = new Set(['south-asian', 'filipino', 'west-african', 'southern-african', 'east-asian', 'middle-eastern']);

/** Everything about a person that the systems are built from (more than Person carries). */
interface Draft {
  person: Person;
  tradition: TraditionTables | null;
  role: JobRoleDefinition;
  group: StaffGroupDefinition;
  birthSurname: string;
  birthDay: number;
  age: number;
  grade: string;
  department: string;
  site: string;
  contract: 'Permanent' | 'Fixed Term' | 'Bank' | 'Placement';
  startDay: number;
  leaveDay: number | null;
  /** When the surname changed, when it did. */
  nameChangeDay: number | null;
  workEmail: string | null;
  personalEmail: string;
  /** The ODS code of the trust they came from, when their competences followed them through ESR. */
  previousTrust: string | null;
  /** The population's offset for DBS certificate numbers. */
  certificateOffset: number;
}

/** Ids already given out, per kind, so every id is unique. */
interface Registry {
  numbers: Map<string, Set<number>>;
  ids: Record<'esrPerson' | 'esrAssignment' | 'learning' | 'recruitment' | 'occupationalHealth', IdScramble>;
  workEmails: Map<string, number>;
  personalEmails: Set<string>;
  certificateOffset: number;
}

/**
 * A system's id numbers: each person's key scrambled into the system's range by a multiplier prime
 * to the range's size, so two people never share one, without a registry of ids given out.
 */
interface IdScramble {
  min: number;
  span: number;
  multiplier: number;
  offset: number;
}

function idScramble(random: Random, min: number, max: number): IdScramble {
  const span = max - min + 1;
  let multiplier = random.int(Math.floor(span / 3), Math.floor(span / 2));
  while (greatestCommonDivisor(multiplier, span) !== 1) multiplier++;
  return { min, span, multiplier, offset: random.int(0, span - 1) };
}

function greatestCommonDivisor(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

/** The id number for a key: exact in doubles while key × multiplier stays below 2^53 (keys up to ten million here). */
function scrambledId(scramble: IdScramble, key: number): number {
  return scramble.min + ((key * scramble.multiplier + scramble.offset) % scramble.span);
}

function uniqueNumber(random: Random, registry: Registry, kind: string, min: number, max: number): number {
  let used = registry.numbers.get(kind);
  if (!used) registry.numbers.set(kind, (used = new Set()));
  for (;;) {
    const value = random.int(min, max);
    if (!used.has(value)) {
      used.add(value);
      return value;
    }
  }
}

/** Per trust: the sites with wards, and the general hospitals where most departments are. */
const SITE_TABLES = Object.fromEntries(
  SANDBOX_ORGANISATIONS.map(({ odsCode }) => {
    const sites = SITES[odsCode];
    const specialist = ['Jessop Wing', 'Charles Clifford Dental Hospital', 'Weston Park Hospital', 'Community Services'];
    return [odsCode, {
      wards: weightedTable(sites.filter((site) => site.name !== 'Charles Clifford Dental Hospital'), (site) => site.weight),
      general: weightedTable(sites.filter((site) => !specialist.includes(site.name)), (site) => site.weight),
    }];
  }),
) as Record<SandboxOrganisation, { wards: WeightedTable<SiteDefinition>; general: WeightedTable<SiteDefinition> }>;

function placeOf(random: Random, role: JobRoleDefinition, organisation: SandboxOrganisation): { department: string; site: string } {
  if (role.places === 'ward') {
    const site = draw(SITE_TABLES[organisation].wards, random);
    return { department: random.pick(site.wards), site: site.name };
  }
  const department = role.places === 'specialty' ? random.pick(MEDICAL_SPECIALTIES) : random.pick(role.places);
  const fixed = DEPARTMENT_SITES[department]?.[organisation];
  if (fixed && random.chance(0.85)) return { department, site: fixed };
  return { department, site: draw(SITE_TABLES[organisation].general, random).name };
}

/** A GMC number: seven digits, issued in sequence, so older doctors have lower numbers. */
function gmcNumberOf(random: Random, registry: Registry, birthYear: number, international: boolean): string {
  const registrationYear = Math.min(AS_OF_YEAR - 1, birthYear + (international ? random.int(27, 36) : random.int(23, 26)));
  const [low, high] =
    registrationYear < 2000 ? [2_000_000 + (registrationYear - 1960) * 50_000, 2_050_000 + (registrationYear - 1960) * 50_000]
    : registrationYear < 2008 ? [4_000_000 + (registrationYear - 2000) * 375_000, 4_375_000 + (registrationYear - 2000) * 375_000]
    : [7_000_000 + (registrationYear - 2008) * 45_000, 7_045_000 + (registrationYear - 2008) * 45_000];
  return String(uniqueNumber(random, registry, 'gmc', Math.max(1_000_000, low), Math.min(9_999_999, high - 1)));
}

function tenureDays(random: Random, role: JobRoleDefinition, age: number): number {
  const workingYears = Math.max(0, age - (role.kind === 'doctor' || role.kind === 'dentist' ? 23 : 18));
  const years = Math.min(workingYears, -Math.log(1 - random.next()) * 7.5);
  return Math.floor(years * YEAR);
}

function generateDraft(random: Random, key: number, drafts: readonly Draft[], registry: Registry): Draft {
  const organisation: SandboxOrganisation = random.chance(0.7) ? 'RHQ' : 'RCB';
  const group = draw(STAFF_GROUP_TABLE, random);
  const role = draw(ROLE_TABLES.get(group) as WeightedTable<JobRoleDefinition>, random);
  const grade = random.pick(role.grades);
  let sex: Person['sex'] = random.chance(group.femaleShare) ? 'female' : 'male';
  const profile: NameProfile = role.kind === 'doctor' || role.kind === 'dentist' || role.kind === 'medical-student' ? 'medical' : group.name.startsWith('Nursing') || group.name.startsWith('Additional Clinical') ? 'nursing' : 'other';
  let tradition = draw(TRADITION_BY_PROFILE[profile], random);

  let age = draw(ageTable(role.ages[0], role.ages[1]), random);
  let birthDay = random.int(addYears(AS_OF, -(age + 1)) + 1, addYears(AS_OF, -age));
  let firstName: string | null = null;
  let birthSurname: string | null = null;

  // Twins and namesakes who work at the same trusts: a few on purpose, beyond those that chance makes.
  const relation = key > 20 ? random.next() : 1;
  if (relation < 0.006) {
    // A twin: same surname and date of birth, different first name.
    for (let back = 1; back <= Math.min(400, drafts.length); back++) {
      const sibling = drafts[drafts.length - back] as Draft;
      if (sibling.age < role.ages[0] || sibling.age > role.ages[1]) continue;
      tradition = sibling.tradition;
      birthSurname = sibling.birthSurname;
      birthDay = sibling.birthDay;
      age = sibling.age;
      sex = random.chance(0.5) ? sibling.person.sex : sex;
      do firstName = givenName(random, sex, tradition);
      while (firstName === sibling.person.legalFirstName);
      break;
    }
  } else if (relation < 0.011) {
    // A namesake: same first name and surname, another date of birth.
    for (let back = 1; back <= Math.min(400, drafts.length); back++) {
      const other = drafts[drafts.length - back] as Draft;
      if (other.birthDay === birthDay) continue;
      tradition = other.tradition;
      sex = other.person.sex;
      firstName = other.person.legalFirstName;
      birthSurname = other.birthSurname;
      break;
    }
  }
  firstName ??= givenName(random, sex, tradition);
  birthSurname ??= surnameOf(random, sex, tradition);
  const middleNames = middleNamesOf(random, sex, tradition, firstName);
  const [birthYear] = civilOf(birthDay);

  // A change of surname: marriage, mostly women, less often in traditions where women keep their names.
  let surname = birthSurname;
  let previousSurname: string | null = null;
  let nameChangeDay: number | null = null;
  const keepsName = tradition ? tradition.keepsNameFactor : 1;
  const changeShare = sex === 'male' ? 0.012 : (age < 22 ? 0.02 : age < 30 ? 0.2 : age < 40 ? 0.38 : 0.42) * keepsName;
  if (random.chance(changeShare)) {
    let spouse = tradition && random.chance(0.8) ? surnameOf(random, sex, tradition) : surnameOf(random, sex, null);
    while (spouse === birthSurname) spouse = surnameOf(random, sex, null);
    const married = random.chance(0.07) && !birthSurname.includes('-') && !spouse.includes('-') ? `${birthSurname}-${spouse}` : spouse;
    if (random.chance(0.04)) {
      // Back to the birth name after a divorce: the married name is the previous one.
      previousSurname = married;
    } else {
      surname = married;
      previousSurname = birthSurname;
    }
    nameChangeDay = random.int(Math.min(addYears(birthDay, 20), AS_OF - 60), AS_OF - 30);
  }

  // What colleagues call them.
  let knownAs: string | null = null;
  const nicknames = nicknamesFor(firstName);
  if (tradition?.tradition.englishNameShare && random.chance(tradition.tradition.englishNameShare)) knownAs = givenName(random, sex, null);
  else if (nicknames.length > 0 && random.chance(0.24)) knownAs = random.pick(nicknames.slice(0, 3));
  else if (middleNames && random.chance(0.035)) knownAs = middleNames.split(' ')[0] as string;
  if (knownAs === firstName) knownAs = null;

  // Employment.
  const place = placeOf(random, role, organisation);
  let startDay: number;
  if (IN_TRAINING.has(role.role) || role.kind === 'medical-student' || role.kind === 'student') {
    const rotations = ROTATION_STARTS.filter((day) => day <= AS_OF && day >= birthDay + 18 * YEAR);
    startDay = rotations.length > 0 ? random.pick(rotations.slice(-3)) : AS_OF - random.int(30, 600);
  } else {
    startDay = AS_OF - tenureDays(random, role, age) - random.int(0, 30);
  }
  const contract: Draft['contract'] = role.kind === 'student' || role.kind === 'medical-student' ? 'Placement' : IN_TRAINING.has(role.role) ? 'Fixed Term' : random.chance(0.06) ? 'Fixed Term' : random.chance(0.085) ? 'Bank' : 'Permanent';
  let leaveDay: number | null = null;
  if (random.chance(0.08) && startDay < AS_OF - 60) leaveDay = random.int(Math.max(startDay + 30, AS_OF - 730), AS_OF - 1);

  // Email: NHSmail for most, formed from the name they had when they started.
  const surnameAtStart = previousSurname && nameChangeDay !== null && nameChangeDay > startDay ? previousSurname : surname;
  let workEmail: string | null = null;
  if (random.chance(role.kind === 'estates' ? 0.72 : role.kind === 'student' ? 0.6 : 0.95)) {
    const first = knownAs && random.chance(0.25) ? knownAs : firstName;
    const base = `${emailPart(first.split(' ')[0] as string)}.${emailPart(surnameAtStart.replace(/ /g, ''))}`;
    const count = (registry.workEmails.get(base) ?? 0) + 1;
    registry.workEmails.set(base, count);
    workEmail = `${base}${count > 1 ? count - 1 : ''}@nhs.example`;
  }
  let personalEmail: string;
  do {
    const first = emailPart(firstName.split(' ')[0] as string);
    const last = emailPart(surnameAtStart.replace(/[ -]/g, ''));
    const domain = random.pick(PERSONAL_EMAIL_DOMAINS);
    const style = random.int(0, 3);
    const local = style === 0 ? `${first}.${last}${random.int(1, 99)}` : style === 1 ? `${first}${last}${pad(birthYear % 100, 2)}` : style === 2 ? `${first[0] ?? 'x'}${last}${random.int(10, 999)}` : `${last}.${first}${random.int(1, 9)}`;
    personalEmail = `${local}@${domain}`;
  } while (registry.personalEmails.has(personalEmail));
  registry.personalEmails.add(personalEmail);
  const emailChoice = random.next();
  const email = emailChoice < 0.06 ? null : workEmail && emailChoice < 0.8 ? workEmail : personalEmail;

  const gmcNumber = role.kind === 'doctor' ? gmcNumberOf(random, registry, birthYear, tradition?.qualifiedAbroad ?? false) : null;
  const previousTrust = startDay > AS_OF - 2 * YEAR && random.chance(0.3) ? random.pick(NEIGHBOURING_TRUSTS) : null;

  const person: Person = {
    key, organisation, sex, legalFirstName: firstName, middleNames, surname, previousSurname, knownAs,
    birthDate: isoOf(birthDay), email, gmcNumber, staffGroup: group.name, jobRole: role.role, systems: {},
  };
  return {
    person, tradition, role, group, birthSurname, birthDay, age, grade, department: place.department, site: place.site, contract,
    startDay, leaveDay, nameChangeDay, workEmail, personalEmail, previousTrust, certificateOffset: registry.certificateOffset,
  };
}

/** The surname someone had on a given day. */
function surnameOn(draft: Draft, day: number): string {
  const { person, nameChangeDay } = draft;
  return person.previousSurname && nameChangeDay !== null && day < nameChangeDay ? person.previousSurname : person.surname;
}

/** Whether the name changed while they worked here (so systems filled in before then still have the old one). */
function changedWhileEmployed(draft: Draft): boolean {
  return draft.nameChangeDay !== null && draft.nameChangeDay > draft.startDay;
}

// ---- Records --------------------------------------------------------------------------------

function requiredCoreSkills(draft: Draft): CoreSkillDefinition[] {
  const { role, department } = draft;
  const childFacing = CHILD_FACING_PLACES.has(department) || role.role === 'Midwife' || role.role === 'Neonatal Nurse';
  const acute = ACUTE_PLACES.has(department);
  const base = [CSTF.equality, CSTF.healthSafety, CSTF.conflict, CSTF.fire, CSTF.informationGovernance];
  const newborn = role.role === 'Midwife' || role.role === 'Neonatal Nurse' || department === 'Neonatal Unit' || department === 'Labour Ward';
  const clinicalResus = newborn ? CSTF.resusNewborn2 : childFacing && department === 'Paediatrics' ? CSTF.resusPaediatric2 : CSTF.resusAdult2;
  switch (role.kind) {
    case 'non-clinical':
    case 'estates':
      return [...base, CSTF.infection1, role.role === 'Porter' ? CSTF.moving2 : CSTF.moving1, CSTF.adults1, CSTF.children1, CSTF.prevent1, CSTF.resus1, MAND.oliverMcGowan];
    case 'clinical-support':
      return [...base, CSTF.infection2, CSTF.moving2, CSTF.adults2, childFacing ? CSTF.children3 : CSTF.children2, CSTF.prevent1, clinicalResus, MAND.oliverMcGowan, MAND.mentalCapacity];
    case 'clinical-registered': {
      const senior = ['Sister/Charge Nurse', 'Nurse Manager', 'Modern Matron', 'Advanced Practitioner'].includes(role.role);
      const nurse = draft.group.name.startsWith('Nursing');
      const skills = [...base, CSTF.infection2, CSTF.moving2, senior ? CSTF.adults3 : CSTF.adults2, childFacing ? CSTF.children3 : CSTF.children2, CSTF.prevent3, acute && nurse ? CSTF.resusAdult3 : clinicalResus, MAND.oliverMcGowan, MAND.mentalCapacity];
      if (nurse) skills.push(MAND.bloodTransfusion, MAND.medicines, MAND.sepsis);
      return skills;
    }
    case 'doctor':
      return [...base, CSTF.infection2, CSTF.moving1, draft.role.role === 'Consultant' ? CSTF.adults3 : CSTF.adults2, childFacing ? CSTF.children3 : CSTF.children2, CSTF.prevent3, department === 'Paediatrics' ? CSTF.resusPaediatric2 : CSTF.resusAdult3, MAND.bloodTransfusion, MAND.mentalCapacity, MAND.oliverMcGowan];
    case 'dentist':
      return [...base, CSTF.infection2, CSTF.moving1, CSTF.adults2, childFacing ? CSTF.children3 : CSTF.children2, CSTF.prevent3, CSTF.resusAdult2, MAND.oliverMcGowan];
    case 'student':
    case 'medical-student':
      return [CSTF.equality, CSTF.fire, CSTF.informationGovernance, CSTF.infection2, CSTF.moving2, CSTF.resusAdult2];
  }
}

const COMPETENCY_NAMES = new Map<CoreSkillDefinition, string>();
function competencyName(skill: CoreSkillDefinition): string {
  let name = COMPETENCY_NAMES.get(skill);
  if (name === undefined) COMPETENCY_NAMES.set(skill, (name = competencyNameOf(skill)));
  return name;
}

/** "E-learning (Kallidus Learn)": the method, and the source in brackets (one string per pair, not per record). */
const LEARNING_METHODS = new Map<string, Map<string, string>>();
function learningMethodFrom(method: string, source: string): string {
  let bySource = LEARNING_METHODS.get(method);
  if (!bySource) LEARNING_METHODS.set(method, (bySource = new Map()));
  let text = bySource.get(source);
  if (text === undefined) bySource.set(source, (text = `${method} (${source})`));
  return text;
}

function coreSkillRecord(skill: CoreSkillDefinition, awardDay: number, awardingOrganisation: string, learningMethod: string): CoreSkillsTraining {
  const renewal = skill.renewalYears;
  const proficiencyLevel = skill.assessed ? '1 - Assessed' : '0 - Not Assessed';
  // Two literal shapes rather than conditional spreads: this runs a few hundred thousand times.
  if (!renewal) {
    return {
      recordType: 'CoreSkillsTraining', competencyFramework: skill.framework, subjectName: skill.subjectName, competencyName: competencyName(skill),
      subjectLevel: skill.subjectLevel, proficiencyLevel, attainmentStatus: 'ACHIEVED', learningMethod, awardingOrganisation, dateLastAwarded: isoOf(awardDay),
    };
  }
  return {
    recordType: 'CoreSkillsTraining', competencyFramework: skill.framework, subjectName: skill.subjectName, competencyName: competencyName(skill),
    subjectLevel: skill.subjectLevel, renewalPeriodNumber: RENEWAL_NUMBERS[renewal], renewalPeriodUnits: renewal === 1 ? 'Year' : 'Years',
    proficiencyLevel, attainmentStatus: 'ACHIEVED', learningMethod, awardingOrganisation, dateLastAwarded: isoOf(awardDay),
    // As the standard's example: valid to the day before the anniversary.
    dateTo: isoOf(anniversaryEve(awardDay, renewal)),
  };
}
const RENEWAL_NUMBERS = { 1: '1', 2: '2', 3: '3' } as const;

interface CoreSkillRecords {
  learning: CoreSkillsTraining[];
  esr: CoreSkillsTraining[];
}

function coreSkillRecords(random: Random, draft: Draft, inLearning: boolean, inEsr: boolean): CoreSkillRecords {
  const learning: CoreSkillsTraining[] = [];
  const esr: CoreSkillsTraining[] = [];
  const organisation = draft.person.organisation;
  const lms = LEARNING_SYSTEM_BY_ORGANISATION[organisation];
  const reference = draft.leaveDay ?? AS_OF;
  const earliest = draft.startDay - 90;
  const newStarter = reference - draft.startDay < 60;
  for (const skill of requiredCoreSkills(draft)) {
    const method = skill.subjectName === 'Fire Safety' && random.chance(0.3) ? 'Classroom' : skill.method;
    if (draft.previousTrust && skill.framework === 'CSTF' && random.chance(0.6)) {
      // Carried over from the previous trust through ESR; not (yet) redone here.
      if (inEsr) {
        const awarded = random.int(draft.startDay - 700, draft.startDay - 20);
        esr.push(coreSkillRecord(skill, awarded, draft.previousTrust, learningMethodFrom(method, ESR_INTER_AUTHORITY_TRANSFER)));
      }
      continue;
    }
    if (!random.chance(newStarter ? 0.5 : 0.93)) continue;
    let awarded: number;
    if (skill.renewalYears) {
      const period = Math.floor(skill.renewalYears * YEAR);
      awarded = random.chance(0.87) ? reference - random.int(1, period - 1) : reference - random.int(period, period + 400);
    } else {
      awarded = reference - random.int(1, 3 * 365);
    }
    if (awarded < earliest) awarded = random.int(Math.min(earliest, reference - 1), reference - 1);
    const inLms = inLearning && random.chance(0.96);
    if (inLms) learning.push(coreSkillRecord(skill, awarded, organisation, method));
    if (!inEsr) continue;
    if (inLms && reference - awarded <= 7) {
      // ESR's nightly feed from the learning system lags: it still has the award before this one.
      const previous = skill.renewalYears ? addYears(awarded, -skill.renewalYears) : null;
      if (previous !== null && previous >= earliest) esr.push(coreSkillRecord(skill, previous, organisation, learningMethodFrom(method, lms)));
      continue;
    }
    esr.push(coreSkillRecord(skill, awarded, organisation, learningMethodFrom(method, inLms ? lms : ESR_OWN_LEARNING)));
  }
  return { learning, esr };
}

/**
 * A DBS certificate number: twelve digits, unique to the person without a registry (records are
 * made lazily, in any order): the key scrambled by a multiplier prime to ten, so different keys
 * never share a number.
 */
function certificateNumberOf(draft: Draft): string {
  const scrambled = (draft.person.key * 7_919_113 + draft.certificateOffset) % 10_000_000_000;
  return `00${pad(scrambled, 10)}`;
}

function dbsOutcome(random: Random, draft: Draft): DBSCheckOutcome | null {
  const { role, department } = draft;
  const childFacing = CHILD_FACING_PLACES.has(department) || role.role === 'Midwife';
  let type: DBSCheckOutcome['typeOfDbsCheck'];
  const roll = random.next();
  switch (role.kind) {
    case 'non-clinical':
      if (roll < 0.12) return null;
      type = roll < 0.5 ? 'Basic check' : roll < 0.78 ? 'Standard check' : 'Enhanced with barred list(s) check';
      break;
    case 'estates':
      if (roll < 0.1) return null;
      type = roll < 0.5 ? 'Basic check' : roll < 0.7 ? 'Standard check' : 'Enhanced with barred list(s) check';
      break;
    default:
      type = roll < 0.9 ? 'Enhanced with barred list(s) check' : 'Enhanced check';
  }
  const workforceType: DBSCheckOutcome['workforceType'] | undefined = type.startsWith('Enhanced') ? (childFacing ? (random.chance(0.7) ? 'Child and Adult' : 'Child') : random.chance(0.85) ? 'Adult' : 'Child and Adult') : undefined;
  const barred = type === 'Enhanced with barred list(s) check';
  // A check before the start date; staff who started before the DBS existed have had a recheck since.
  const checkDay = draft.startDay < dayOf(2013, 3, 1) ? random.int(dayOf(2013, 3, 1), (draft.leaveDay ?? AS_OF) - 1) : Math.min(draft.startDay - random.int(10, 90), AS_OF - 1);
  const body: RegisteredBody = random.chance(0.75) ? (REGISTERED_BODIES[draft.person.organisation][0] as RegisteredBody) : random.pick(REGISTERED_BODIES.umbrella);
  return {
    recordType: 'DBSCheckOutcome',
    applicantFirstName: draft.person.legalFirstName,
    applicantMiddleNames: draft.person.middleNames ?? '',
    applicantSurname: surnameOn(draft, checkDay),
    applicantDateOfBirth: draft.person.birthDate,
    typeOfDbsCheck: type,
    adultsBarredListChecked: barred && workforceType !== 'Child',
    childrensBarredListChecked: barred && workforceType !== 'Adult',
    certificateNumber: certificateNumberOf(draft),
    disclosureIssueDate: isoOf(checkDay),
    informationDisclosed: random.chance(0.035),
    ...(workforceType ? { workforceType } : {}),
    registeredBodyNumber: body.number,
    registeredBodyName: body.name,
  };
}

const vaccination = (kind: keyof typeof VACCINATIONS, date: string): Vaccination => ({ recordType: 'Vaccination', code: VACCINATIONS[kind].code, description: VACCINATIONS[kind].description, date });
function clinicalTest(kind: keyof typeof CLINICAL_TESTS, day: number, result: string, interpretation: ClinicalTest['interpretation']): ClinicalTest {
  return { recordType: 'ClinicalTest', code: CLINICAL_TESTS[kind].code, description: CLINICAL_TESTS[kind].description, date: isoOf(day), result, interpretation };
}
const observation = (kind: keyof typeof OBSERVATIONS, result: Observation['result']): Observation => ({ recordType: 'Observation', code: OBSERVATIONS[kind].code, description: OBSERVATIONS[kind].description, result });

interface HealthRecords {
  vaccinations: Vaccination[];
  tests: ClinicalTest[];
  observations: Observation[];
}

function healthRecords(random: Random, draft: Draft): HealthRecords {
  const vaccinations: { day: number; record: Vaccination }[] = [];
  const tests: { day: number; record: ClinicalTest }[] = [];
  const observations: Observation[] = [];
  const { role } = draft;
  const end = draft.leaveDay ?? AS_OF;
  const clinical = !['non-clinical', 'estates'].includes(role.kind);
  const [birthYear] = civilOf(draft.birthDay);
  const traditionKey = draft.tradition?.tradition.key ?? 'uk';
  const assessment = Math.min(end - 1, draft.startDay - random.int(5, 40));
  const addVaccination = (kind: keyof typeof VACCINATIONS, day: number) => {
    if (day <= end && day > draft.birthDay) vaccinations.push({ day, record: vaccination(kind, isoOf(day)) });
  };

  // Hepatitis B: a course of three, then the antibody level; a booster and a retest for low responders.
  if (random.chance(clinical ? 0.88 : role.kind === 'estates' ? 0.2 : 0.04)) {
    const first = Math.max(draft.birthDay + 18 * 365, assessment + random.int(0, 60));
    addVaccination('hepatitisB', first);
    addVaccination('hepatitisB', first + random.int(28, 35));
    addVaccination('hepatitisB', first + random.int(170, 200));
    const testDay = first + random.int(230, 320);
    if (testDay <= end) {
      const roll = random.next();
      const level = roll < 0.84 ? random.int(100, 1000) : roll < 0.92 ? random.int(10, 99) : random.int(0, 9);
      tests.push({ day: testDay, record: clinicalTest('hepatitisBSurfaceAntibody', testDay, level >= 1000 ? '>1000 mIU/mL' : `${level} mIU/mL`, level >= 10 ? 'Detected' : 'Not detected') });
      if (level < 10) {
        addVaccination('hepatitisB', testDay + random.int(20, 40));
        const retest = testDay + random.int(70, 100);
        if (retest <= end) {
          const after = random.chance(0.6) ? random.int(10, 400) : random.int(0, 9);
          tests.push({ day: retest, record: clinicalTest('hepatitisBSurfaceAntibody', retest, `${after} mIU/mL`, after >= 10 ? 'Detected' : 'Not detected') });
        }
      }
    }
  }
  if (clinical && EXPOSURE_PRONE_PLACES.has(draft.department) && assessment > draft.birthDay) {
    tests.push({ day: assessment, record: clinicalTest('hepatitisBSurfaceAntigen', assessment, 'Negative', 'Not detected') });
  }

  // Measles, mumps and rubella: from childhood for those born after 1987, given at work otherwise.
  if (random.chance(clinical ? 0.62 : 0.1)) {
    if (birthYear >= 1988 && traditionKey === 'uk') {
      vaccinations.push({ day: dayOf(birthYear + 1, 6, 1), record: vaccination('mmr', random.chance(0.5) ? String(birthYear + 1) : `${birthYear + 1}-${pad(random.int(1, 12), 2)}`) });
      vaccinations.push({ day: dayOf(birthYear + 4, 6, 1), record: vaccination('mmr', String(birthYear + 4)) });
    } else {
      addVaccination('mmr', assessment + random.int(10, 40));
      addVaccination('mmr', assessment + random.int(60, 100));
    }
  } else if (clinical && random.chance(0.12) && assessment > draft.birthDay) {
    const immune = random.chance(0.95);
    tests.push({ day: assessment, record: clinicalTest('rubella', assessment, immune ? 'Immune' : 'Not immune', immune ? 'Detected' : 'Not detected') });
  }

  // Chickenpox: a history asked, an antibody test when there is none, two doses when not immune.
  if (clinical && random.chance(0.7)) {
    const history = random.chance(traditionKey === 'uk' || traditionKey.endsWith('european') || traditionKey === 'irish' ? 0.88 : 0.7);
    observations.push(observation('chickenpoxHistory', history ? 'Yes' : 'No'));
    if (!history && assessment > draft.birthDay) {
      const roll = random.next();
      const interpretation: ClinicalTest['interpretation'] = roll < 0.78 ? 'Detected' : roll < 0.94 ? 'Not detected' : 'Equivocal';
      tests.push({ day: assessment, record: clinicalTest('varicellaAntibody', assessment, interpretation === 'Detected' ? 'Positive' : interpretation === 'Not detected' ? 'Negative' : 'Equivocal', interpretation) });
      if (interpretation !== 'Detected') {
        const first = assessment + random.int(14, 40);
        addVaccination('varicella', first);
        addVaccination('varicella', first + random.int(28, 56));
      }
    }
  }

  // Tuberculosis: a BCG scar looked for; an IGRA for those from countries where TB is common.
  if (clinical && random.chance(0.55)) {
    const likely = TB_SCREENED.has(traditionKey) ? 0.9 : traditionKey === 'uk' && birthYear <= 1990 ? 0.8 : 0.15;
    const scar = random.chance(likely);
    observations.push(observation('bcgScar', scar ? 'Yes' : 'No'));
    if (scar && random.chance(0.5)) {
      const year = TB_SCREENED.has(traditionKey) ? birthYear : birthYear + 13;
      vaccinations.push({ day: dayOf(year, 1, 1), record: vaccination('bcg', String(year)) });
    }
  }
  if (TB_SCREENED.has(traditionKey) && random.chance(0.8) && assessment > draft.birthDay) {
    const roll = random.next();
    const [result, interpretation]: [string, ClinicalTest['interpretation']] = roll < 0.88 ? ['Negative', 'Not detected'] : roll < 0.97 ? ['Positive', 'Detected'] : ['Indeterminate', 'Equivocal'];
    tests.push({ day: assessment, record: clinicalTest('tuberculosisIgra', assessment, result, interpretation) });
  }

  // Seasonal flu: offered every autumn; this season's campaign is under way on the reference date.
  for (const season of [AS_OF_YEAR - 2, AS_OF_YEAR - 1, AS_OF_YEAR]) {
    const from = dayOf(season, 9, 20);
    const to = Math.min(dayOf(season, 12, 15), AS_OF - 1);
    if (draft.startDay > to || end < from) continue;
    if (random.chance((clinical ? 0.5 : 0.38) * (season === AS_OF_YEAR ? 0.7 : 1))) addVaccination('influenza', random.int(Math.max(from, draft.startDay), Math.min(to, end)));
  }

  // COVID-19: given at staff vaccination hubs in 2021, when they worked here then.
  if (draft.startDay < dayOf(2021, 2, 1) && random.chance(clinical ? 0.72 : 0.55)) {
    const first = random.int(dayOf(2020, 12, 15), dayOf(2021, 2, 28));
    addVaccination('covidFirst', first);
    addVaccination('covidSecond', first + random.int(56, 84));
    if (random.chance(0.8)) addVaccination('covidBooster', random.int(dayOf(2021, 10, 1), dayOf(2021, 12, 31)));
    if (random.chance(0.45)) addVaccination('covidBooster', random.int(dayOf(2022, 9, 15), dayOf(2022, 12, 15)));
  }
  vaccinations.sort((a, b) => a.day - b.day);
  tests.sort((a, b) => a.day - b.day);
  return { vaccinations: vaccinations.map((entry) => entry.record), tests: tests.map((entry) => entry.record), observations };
}

// ---- Each system's view of the person -----------------------------------------------------------

function jobTitle(draft: Draft): string {
  return draft.grade === draft.role.role || draft.grade === 'Student' ? draft.role.role : `${draft.role.role} (${draft.grade})`;
}

function details(fields: EmployeePersonalDetails): EmployeePersonalDetails {
  const out: EmployeePersonalDetails = { id: fields.id, firstName: fields.firstName, surname: fields.surname };
  if (fields.birthDate !== undefined) out.birthDate = fields.birthDate;
  if (fields.email !== undefined) out.email = fields.email;
  if (fields.esrIdentifier !== undefined) out.esrIdentifier = fields.esrIdentifier;
  if (fields.furtherInformation !== undefined) out.furtherInformation = fields.furtherInformation;
  return out;
}

/** A date of birth keyed in with day and month the wrong way round, when that is still a date. */
function miskeyedBirthDate(birthDate: string): string {
  const [year, month, day] = birthDate.split('-') as [string, string, string];
  const swapped = `${year}-${day}-${month}`;
  return swapped !== birthDate && isRealDate(swapped) ? swapped : birthDate;
}

function buildSystems(random: Random, draft: Draft, registry: Registry, recordsOf: RecordsOf): Partial<Record<SandboxSystem, SystemEntry>> {
  const { person } = draft;
  const leaver = draft.leaveDay !== null;
  const leftOn = draft.leaveDay !== null ? isoOf(draft.leaveDay) : null;
  const recentStarter = draft.startDay > AS_OF - 6 * YEAR;
  let inEsr = random.chance(0.97);
  const inLearning = random.chance(0.95);
  const inRecruitment = random.chance(recentStarter ? 0.97 : 0.6);
  const inHealth = random.chance(0.85);
  if (!inEsr && !inLearning && !inRecruitment && !inHealth) inEsr = true;

  const systems: Partial<Record<SandboxSystem, SystemEntry>> = {};
  const changed = changedWhileEmployed(draft);
  const esrPersonId = inEsr || inLearning ? String(scrambledId(registry.ids.esrPerson, person.key)) : null;

  if (inEsr) {
    const id = String(scrambledId(registry.ids.esrAssignment, person.key));
    systems.esr = systemEntry(
      id,
      details({
        id, firstName: person.legalFirstName, surname: person.surname, birthDate: person.birthDate,
        email: draft.workEmail && random.chance(0.95) ? draft.workEmail : undefined,
        esrIdentifier: esrPersonId ?? undefined,
        furtherInformation: `${jobTitle(draft)}, ${draft.department}, ${draft.site} - ${draft.contract}${leftOn ? ` - Left ${leftOn}` : ''}`,
      }),
      leaver,
      'esr',
      recordsOf,
    );
  }

  if (inLearning) {
    const id = `LMS${pad(scrambledId(registry.ids.learning, person.key), 7)}`;
    const doctor = draft.role.kind === 'doctor';
    // Learning systems list people as they sign in: by the name they go by, more often than not.
    const firstName = person.knownAs && random.chance(0.6) ? person.knownAs : person.legalFirstName;
    const surname = changed && random.chance(0.15) ? (person.previousSurname as string) : person.surname;
    const further = doctor ? `${draft.role.role} - ${draft.department}${person.gmcNumber && random.chance(0.5) ? ` - GMC ${person.gmcNumber}` : ''}` : `${draft.role.role}, ${draft.department}`;
    systems.learning = systemEntry(
      id,
      details({
        id, firstName, surname,
        birthDate: random.chance(0.92) ? person.birthDate : undefined,
        email: draft.workEmail && random.chance(0.97) ? draft.workEmail : undefined,
        esrIdentifier: inEsr && esrPersonId && random.chance(0.6) ? esrPersonId : undefined,
        furtherInformation: random.chance(0.9) ? `${further}${leaver ? ' (inactive)' : ''}` : undefined,
      }),
      leaver,
      'learning',
      recordsOf,
    );
  }

  if (inRecruitment) {
    const id = `APP${pad(scrambledId(registry.ids.recruitment, person.key), 7)}`;
    // The application is as the applicant filled it in: the name they had then, a preferred name sometimes.
    let firstName = person.knownAs && random.chance(0.08) ? person.knownAs : person.legalFirstName;
    if (person.middleNames && random.chance(0.03)) firstName = `${firstName} ${person.middleNames}`;
    const surname = surnameOn(draft, draft.startDay - 60);
    const department = draft.department.replace(/[^A-Za-z]/g, '').slice(0, 3).toUpperCase().padEnd(3, 'X');
    const vacancy = `${person.organisation}-${department}-${pad(random.int(1, 9999), 4)}`;
    systems.recruitment = systemEntry(
      id,
      details({
        id, firstName, surname,
        birthDate: random.chance(0.005) ? miskeyedBirthDate(person.birthDate) : person.birthDate,
        email: random.chance(0.98) ? draft.personalEmail : undefined,
        furtherInformation: `${jobTitle(draft)} - ${draft.department} (${vacancy}) - ${draft.contract}`,
      }),
      leaver,
      'recruitment',
      recordsOf,
    );
  }

  if (inHealth) {
    const id = `OH${pad(scrambledId(registry.ids.occupationalHealth, person.key), 6)}`;
    // A legacy system: plain letters only, some surnames in capitals, and the old surname kept after a change.
    let firstName = person.knownAs && random.chance(0.2) ? person.knownAs : person.legalFirstName;
    if (person.middleNames && random.chance(0.03)) firstName = `${firstName} ${person.middleNames}`;
    let surname = changed && random.chance(0.7) ? (person.previousSurname as string) : person.surname;
    if (random.chance(0.15)) surname = surname.toUpperCase();
    const email = random.chance(0.55) ? (draft.workEmail && random.chance(0.6) ? draft.workEmail : draft.personalEmail) : undefined;
    systems['occupational-health'] = systemEntry(
      id,
      details({
        id, firstName: withoutAccents(firstName), surname: withoutAccents(surname),
        birthDate: random.chance(0.004) ? miskeyedBirthDate(person.birthDate) : person.birthDate,
        email,
        furtherInformation: random.chance(0.8) ? `${draft.role.role}, ${draft.site}` : undefined,
      }),
      leaver,
      'occupational-health',
      recordsOf,
    );
  }
  return systems;
}

/**
 * Each person's records are made the first time any of them is read, from the person's own random
 * stream, so they are the same whatever order people are read in. Building every record up front
 * is most of the cost of a population (about a million records for 30,000 people), and a sandbox
 * server reads only the people it is asked about. Once read, records is a plain array property.
 */
type RecordsOf = (system: SandboxSystem) => EmployeeRecordGet[];

function recordsWhenRead(draft: Draft, populationSeed: number): RecordsOf {
  let built: Partial<Record<SandboxSystem, EmployeeRecordGet[]>> | null = null;
  return (system) => {
    built ??= buildRecords(createRandom((populationSeed ^ Math.imul(draft.person.key + 1, 0x9e3779b1)) >>> 0), draft, draft.person.systems);
    return built[system] ?? [];
  };
}

/**
 * One system's entry for a person. Its records are an own, enumerable property like any other
 * (JSON, spreading and deep equality see them), backed until first read by one shared getter,
 * which makes them and replaces itself with the plain array.
 */
class SandboxSystemEntry implements SystemEntry {
  id: string;
  details: EmployeePersonalDetails;
  declare records: EmployeeRecordGet[];
  leaver: boolean;
  #recordsOf: RecordsOf | null;
  readonly #system: SandboxSystem;

  constructor(id: string, details: EmployeePersonalDetails, leaver: boolean, system: SandboxSystem, recordsOf: RecordsOf) {
    this.id = id;
    this.details = details;
    Object.defineProperty(this, 'records', LAZY_RECORDS);
    this.leaver = leaver;
    this.#recordsOf = recordsOf;
    this.#system = system;
  }

  /** Makes the records, once; the maker (and the person's draft it holds) is let go after. */
  static unreadRecords(entry: SandboxSystemEntry): EmployeeRecordGet[] {
    const records = entry.#recordsOf ? entry.#recordsOf(entry.#system) : [];
    entry.#recordsOf = null;
    return records;
  }
}

const settleRecords = (entry: object, value: EmployeeRecordGet[]) => Object.defineProperty(entry, 'records', { value, writable: true, enumerable: true, configurable: true });

// One getter and one setter shared by every entry, rather than a pair of closures each.
const LAZY_RECORDS: PropertyDescriptor = {
  enumerable: true,
  configurable: true,
  get(this: SandboxSystemEntry): EmployeeRecordGet[] {
    const value = SandboxSystemEntry.unreadRecords(this);
    settleRecords(this, value);
    return value;
  },
  set(this: SandboxSystemEntry, value: EmployeeRecordGet[]) {
    settleRecords(this, value);
  },
};

function systemEntry(id: string, details: EmployeePersonalDetails, leaver: boolean, system: SandboxSystem, recordsOf: RecordsOf): SystemEntry {
  return new SandboxSystemEntry(id, details, leaver, system, recordsOf);
}

function buildRecords(random: Random, draft: Draft, systems: Partial<Record<SandboxSystem, SystemEntry>>): Partial<Record<SandboxSystem, EmployeeRecordGet[]>> {
  const skills = coreSkillRecords(random, draft, systems.learning !== undefined, systems.esr !== undefined);
  const dbs = dbsOutcome(random, draft);
  const health = systems['occupational-health'] ? healthRecords(random, draft) : null;
  const records: Partial<Record<SandboxSystem, EmployeeRecordGet[]>> = {};
  if (systems.esr) {
    const esr: EmployeeRecordGet[] = skills.esr;
    if (dbs && random.chance(0.6)) esr.push(dbs);
    // Sheffield's occupational health system sends immunisations to ESR; York's does not.
    if (health && draft.person.organisation === 'RHQ') for (const record of health.vaccinations) if (!record.description.includes('SARS-CoV-2')) esr.push(record);
    records.esr = esr;
  }
  if (systems.learning) records.learning = skills.learning;
  if (systems.recruitment) records.recruitment = dbs && random.chance(0.95) ? [dbs] : [];
  if (health) records['occupational-health'] = [...health.vaccinations, ...health.tests, ...health.observations];
  return records;
}

// ---- The population -----------------------------------------------------------------------------

/** A population of NHS staff at the two sandbox trusts: the same seed and size give the same people. */
export function generatePopulation({ seed, size }: { seed: number; size: number }): Population {
  if (!Number.isInteger(size) || size < 0) throw new RangeError(`size must be a whole number, not ${size}`);
  const random = createRandom((Math.imul(seed >>> 0, 0x9e3779b1) ^ Math.imul(size, 0x85ebca6b)) >>> 0);
  const registry: Registry = {
    numbers: new Map(),
    ids: {
      esrPerson: idScramble(random, 10_000_000, 19_999_999),
      esrAssignment: idScramble(random, 20_000_000, 39_999_999),
      learning: idScramble(random, 0, 9_999_999),
      recruitment: idScramble(random, 0, 9_999_999),
      occupationalHealth: idScramble(random, 0, 999_999),
    },
    workEmails: new Map(),
    personalEmails: new Set(),
    certificateOffset: random.int(0, 999_999_999),
  };
  const recordSeed = random.int(0, 0xffffffff);
  const drafts: Draft[] = [];
  const people: Person[] = [];
  for (let key = 0; key < size; key++) {
    const draft = generateDraft(random, key, drafts, registry);
    draft.person.systems = buildSystems(random, draft, registry, recordsWhenRead(draft, recordSeed));
    drafts.push(draft);
    people.push(draft.person);
  }
  return { seed, size, people };
}

/** The learning system a core skill in ESR came from, as ESR notes it after the learning method (null when it does not). */
export function sourceLearningSystemOf(record: Pick<CoreSkillsTraining, 'learningMethod'>): string | null {
  const match = /\(([^()]+)\)\s*$/.exec(record.learningMethod ?? '');
  return match ? (match[1] as string) : null;
}

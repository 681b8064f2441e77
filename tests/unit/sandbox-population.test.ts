// The sandbox population is realistic enough to test matching against: names with their real skew,
// namesakes and twins, maiden names, nicknames and missing emails, doctors with GMC numbers, each
// system's own ids and view of the person, records exactly as the DSP standard's schemas say, and a
// labelled matching set with the slips real passports have. Also: same seed, same people; and quick.
import { beforeAll, describe, expect, it } from 'vitest';
import { dspStandard } from '../../main/systems/dsp-schema.ts';
import type { ClinicalTest, CoreSkillsTraining, DBSCheckOutcome, EmployeeRecordGet, Observation, Vaccination } from '../../main/systems/dsp-types.ts';
import { SANDBOX_ORGANISATIONS, SANDBOX_SYSTEMS, type Person, type Population, type SandboxSystem } from '../sandbox/model.ts';
import { buildMatchingSet, type LabelledQuery, type PerturbationKind } from '../sandbox/matching-set.ts';
import { CSTF, LEARNING_SYSTEM_BY_ORGANISATION, STAFF_GROUPS, VACCINATIONS } from '../sandbox/population-data.ts';
import { POPULATION_AS_OF, civilOf, dayOf, dayOfIso, generatePopulation, hasAccents, isoOf, sourceLearningSystemOf } from '../sandbox/population.ts';

const SIZE = 30_000;
let population: Population;
let people: Person[];
let generationMs = 0;
let generationCpuMs = 0;

const share = (count: number, of = people.length) => count / of;
const countOf = (test: (person: Person) => boolean) => people.filter(test).length;
const entriesOf = (system: SandboxSystem) => people.flatMap((person) => (person.systems[system] ? [{ person, entry: person.systems[system] }] : []));
const recordsOf = <T extends EmployeeRecordGet>(system: SandboxSystem, type: T['recordType']) =>
  entriesOf(system).flatMap(({ person, entry }) => entry.records.filter((record): record is T => record.recordType === type).map((record) => ({ person, record })));
const figures: Record<string, string | number> = {};
const note = (name: string, value: string | number) => {
  figures[name] = value;
};

beforeAll(() => {
  const started = performance.now();
  const cpu = process.threadCpuUsage();
  population = generatePopulation({ seed: 20_261_101, size: SIZE });
  const used = process.threadCpuUsage(cpu);
  generationMs = performance.now() - started;
  generationCpuMs = (used.user + used.system) / 1000;
  people = population.people;
});

describe('the sandbox population', () => {
  it('is the same for the same seed and size, and different for another seed', () => {
    const first = generatePopulation({ seed: 42, size: 1500 });
    const again = generatePopulation({ seed: 42, size: 1500 });
    expect(again).toEqual(first);
    expect(JSON.stringify(again)).toBe(JSON.stringify(first));
    // Records are made when first read, from each person's own stream: the order of reading does not matter.
    const backwards = generatePopulation({ seed: 42, size: 1500 });
    const readBackwards = [...backwards.people].reverse().map((person) => Object.values(person.systems).map((entry) => entry.records));
    expect(readBackwards.reverse()).toEqual(first.people.map((person) => Object.values(person.systems).map((entry) => entry.records)));
    const other = generatePopulation({ seed: 43, size: 1500 });
    expect(other.people.map((person) => person.surname)).not.toEqual(first.people.map((person) => person.surname));
  });

  it('has the size asked for, keyed 0..size-1, at the two sandbox organisations (about 70/30)', () => {
    expect(population.size).toBe(SIZE);
    expect(people).toHaveLength(SIZE);
    expect(people.every((person, index) => person.key === index)).toBe(true);
    expect(generatePopulation({ seed: 1, size: 0 }).people).toEqual([]);
    const codes: string[] = SANDBOX_ORGANISATIONS.map((organisation) => organisation.odsCode);
    expect(people.every((person) => codes.includes(person.organisation))).toBe(true);
    const rhq = share(countOf((person) => person.organisation === 'RHQ'));
    note('RHQ share', rhq.toFixed(3));
    expect(rhq).toBeGreaterThan(0.66);
    expect(rhq).toBeLessThan(0.74);
  });

  it('is generated quickly: 30,000 people in well under five seconds, their million records soon after', () => {
    note('generation ms (30,000 people)', `${Math.round(generationMs)} elapsed, ${Math.round(generationCpuMs)} on this thread's CPU`);
    console.log(`Generated ${SIZE} people in ${Math.round(generationMs)} ms (${Math.round(generationCpuMs)} ms of CPU)`);
    // CPU time, not elapsed: other test processes on a busy machine stretch the elapsed time, not the work.
    expect(generationCpuMs).toBeLessThan(5000);
    const started = performance.now();
    let records = 0;
    for (const person of people) for (const entry of Object.values(person.systems)) records += entry.records.length;
    const readingMs = performance.now() - started;
    note('records', records);
    note('ms to make every record on first reading', Math.round(readingMs));
    expect(records).toBeGreaterThan(SIZE * 20);
    expect(readingMs).toBeLessThan(15_000);
  });

  it('has British surnames with their real skew: Smith and Jones common, a long tail of rare ones', () => {
    const bySurname = new Map<string, number>();
    for (const person of people) bySurname.set(person.surname, (bySurname.get(person.surname) ?? 0) + 1);
    const ranked = [...bySurname].sort((a, b) => b[1] - a[1]);
    const [top, topCount] = ranked[0] as [string, number];
    const topTen = ranked.slice(0, 10).reduce((sum, [, count]) => sum + count, 0);
    const singletons = ranked.filter(([, count]) => count === 1).length;
    note('top surnames', ranked.slice(0, 5).map(([name, count]) => `${name} ${count}`).join(', '));
    note('top surname share', share(topCount).toFixed(4));
    note('distinct surnames', bySurname.size);
    note('surnames held by one person only', singletons);
    expect(['Smith', 'Jones']).toContain(top);
    expect(ranked.slice(0, 3).map(([name]) => name)).toContain('Smith');
    expect(share(topCount)).toBeGreaterThan(0.004);
    expect(share(topCount)).toBeLessThan(0.015);
    expect(share(topTen)).toBeLessThan(0.06);
    expect(bySurname.size).toBeGreaterThan(8000);
    expect(singletons).toBeGreaterThan(3000);
  });

  it('is about 77% women, as NHS staff are', () => {
    const female = share(countOf((person) => person.sex === 'female'));
    note('female share', female.toFixed(3));
    expect(female).toBeGreaterThan(0.73);
    expect(female).toBeLessThan(0.81);
  });

  it('has people who share a surname and date of birth, and people who share a first name and surname', () => {
    const bySurnameAndBirth = new Map<string, Person[]>();
    const byFullName = new Map<string, Person[]>();
    for (const person of people) {
      const one = `${person.surname}|${person.birthDate}`;
      const two = `${person.legalFirstName}|${person.surname}`;
      bySurnameAndBirth.set(one, [...(bySurnameAndBirth.get(one) ?? []), person]);
      byFullName.set(two, [...(byFullName.get(two) ?? []), person]);
    }
    const twinLike = [...bySurnameAndBirth.values()].filter((group) => group.length > 1 && new Set(group.map((person) => person.legalFirstName)).size > 1).length;
    const namesakes = [...byFullName.values()].filter((group) => group.length > 1 && new Set(group.map((person) => person.birthDate)).size > 1).length;
    note('surname + date of birth shared (groups, different first names)', twinLike);
    note('first name + surname shared (groups, different dates of birth)', namesakes);
    expect(twinLike).toBeGreaterThanOrEqual(60);
    expect(namesakes).toBeGreaterThanOrEqual(300);
  });

  it('has double-barrelled and multi-part surnames, apostrophes and accents', () => {
    const hyphenated = countOf((person) => person.surname.includes('-'));
    const spaced = countOf((person) => person.surname.includes(' '));
    const apostrophe = countOf((person) => person.surname.includes("'"));
    const accented = countOf((person) => [person.legalFirstName, person.surname, person.middleNames ?? ''].some(hasAccents));
    note('hyphenated surnames', hyphenated);
    note('multi-part surnames with a space', spaced);
    note("surnames with an apostrophe (O'Brien)", apostrophe);
    note('people with accents in their names', accented);
    expect(share(hyphenated)).toBeGreaterThan(0.01);
    expect(spaced).toBeGreaterThan(150);
    expect(apostrophe).toBeGreaterThan(100);
    expect(accented).toBeGreaterThan(200);
    for (const pattern of [/^van (der |den )?[A-Z]/, /^(de|da|dos) [A-Z]/, /^O'[A-Z]/, /^[A-Z][a-z]+ [A-Z][a-z]+$/, /^[A-Z][a-z]+-[A-Z][a-z]+$/]) {
      expect(people.some((person) => pattern.test(person.surname)), String(pattern)).toBe(true);
    }
    const withMiddle = share(countOf((person) => person.middleNames !== null));
    note('share with middle names', withMiddle.toFixed(3));
    expect(withMiddle).toBeGreaterThan(0.5);
    expect(withMiddle).toBeLessThan(0.8);
  });

  it('has changes of surname, with the old surname still in some systems', () => {
    const changed = people.filter((person) => person.previousSurname !== null);
    note('people with a previous surname', changed.length);
    expect(share(changed.length)).toBeGreaterThan(0.12);
    expect(share(changed.length)).toBeLessThan(0.35);
    expect(changed.every((person) => person.previousSurname !== person.surname)).toBe(true);
    const womenShare = share(changed.filter((person) => person.sex === 'female').length, changed.length);
    expect(womenShare).toBeGreaterThan(0.95);
    const oldNameIn = (system: SandboxSystem) => changed.filter((person) => person.systems[system] && person.systems[system].details.surname.toLowerCase() === (person.previousSurname as string).toLowerCase().normalize('NFKD').replace(/\p{M}/gu, '')).length;
    note('occupational health records under the previous surname', oldNameIn('occupational-health'));
    note('recruitment records under the previous surname', oldNameIn('recruitment'));
    note('ESR records under the previous surname', oldNameIn('esr'));
    expect(oldNameIn('occupational-health')).toBeGreaterThan(300);
    expect(oldNameIn('recruitment')).toBeGreaterThan(300);
    expect(oldNameIn('esr')).toBe(0);
  });

  it('has known-as names, which the learning system lists people by', () => {
    const knownAs = people.filter((person) => person.knownAs !== null);
    note('people with a known-as name', knownAs.length);
    expect(share(knownAs.length)).toBeGreaterThan(0.08);
    expect(share(knownAs.length)).toBeLessThan(0.2);
    expect(knownAs.every((person) => person.knownAs !== person.legalFirstName)).toBe(true);
    const byKnownAs = knownAs.filter((person) => person.systems.learning?.details.firstName === person.knownAs).length;
    note('learning records under the known-as name', byKnownAs);
    expect(byKnownAs).toBeGreaterThan(knownAs.length * 0.4);
    expect(knownAs.every((person) => !person.systems.esr || person.systems.esr.details.firstName === person.legalFirstName)).toBe(true);
  });

  it('has missing emails, and emails that differ by system', () => {
    const missing = countOf((person) => person.email === null);
    note('people with no email', missing);
    expect(share(missing)).toBeGreaterThan(0.03);
    expect(share(missing)).toBeLessThan(0.1);
    const esrWithout = share(entriesOf('esr').filter(({ entry }) => entry.details.email === undefined).length, entriesOf('esr').length);
    note('ESR records with no email', esrWithout.toFixed(3));
    expect(esrWithout).toBeGreaterThan(0.03);
    // Applicants apply with a personal address; NHSmail comes later.
    const recruitmentPersonal = entriesOf('recruitment').filter(({ entry }) => entry.details.email !== undefined && !entry.details.email.endsWith('@nhs.example')).length;
    expect(share(recruitmentPersonal, entriesOf('recruitment').length)).toBeGreaterThan(0.9);
    const emails = people.flatMap((person) => (person.email ? [person.email] : []));
    expect(new Set(emails).size).toBe(emails.length);
  });

  it('has staff groups and job roles in NHS proportions, and GMC numbers for doctors only', () => {
    const groups = new Map<string, number>();
    for (const person of people) groups.set(person.staffGroup, (groups.get(person.staffGroup) ?? 0) + 1);
    expect([...groups.keys()].sort()).toEqual(STAFF_GROUPS.map((group) => group.name).sort());
    const groupShare = (name: string) => share(groups.get(name) ?? 0);
    note('staff groups', [...groups].sort((a, b) => b[1] - a[1]).map(([name, count]) => `${name} ${(share(count) * 100).toFixed(1)}%`).join('; '));
    expect(groupShare('Nursing and Midwifery Registered')).toBeGreaterThan(0.23);
    expect(groupShare('Additional Clinical Services')).toBeGreaterThan(0.19);
    expect(groupShare('Administrative and Clerical')).toBeGreaterThan(0.19);
    expect(groupShare('Medical and Dental')).toBeGreaterThan(0.08);
    expect(groupShare('Medical and Dental')).toBeLessThan(0.12);
    for (const person of people) expect(STAFF_GROUPS.find((group) => group.name === person.staffGroup)?.roles.some((role) => role.role === person.jobRole)).toBe(true);

    const withGmc = people.filter((person) => person.gmcNumber !== null);
    const medical = people.filter((person) => person.staffGroup === 'Medical and Dental');
    note('doctors (GMC numbers)', withGmc.length);
    expect(withGmc.every((person) => person.staffGroup === 'Medical and Dental' && /^\d{7}$/.test(person.gmcNumber as string))).toBe(true);
    expect(new Set(withGmc.map((person) => person.gmcNumber)).size).toBe(withGmc.length);
    expect(withGmc.length).toBeGreaterThan(medical.length * 0.85);
    expect(medical.filter((person) => person.gmcNumber === null).every((person) => person.jobRole === 'Dental Surgeon')).toBe(true);
  });

  it('has working ages, 18 to 67 on the reference date', () => {
    const [asOfYear, asOfMonth, asOfDay] = civilOf(dayOfIso(POPULATION_AS_OF));
    const ageOf = (birthDate: string) => {
      const [year, month, day] = civilOf(dayOfIso(birthDate));
      return asOfYear - year - (month > asOfMonth || (month === asOfMonth && day > asOfDay) ? 1 : 0);
    };
    const ages = people.map((person) => ageOf(person.birthDate));
    expect(Math.min(...ages)).toBeGreaterThanOrEqual(18);
    expect(Math.max(...ages)).toBeLessThanOrEqual(67);
    const median = [...ages].sort((a, b) => a - b)[Math.floor(ages.length / 2)] as number;
    note('median age', median);
    expect(median).toBeGreaterThan(38);
    expect(median).toBeLessThan(48);
  });

  it('has leavers, marked alike in every system that knows them', () => {
    const leavers = people.filter((person) => Object.values(person.systems).some((entry) => entry.leaver));
    note('leavers', leavers.length);
    expect(share(leavers.length)).toBeGreaterThan(0.04);
    expect(share(leavers.length)).toBeLessThan(0.12);
    expect(leavers.every((person) => Object.values(person.systems).every((entry) => entry.leaver))).toBe(true);
  });

  it('puts most people in each system, under ids unique to that system', () => {
    const coverage: Record<SandboxSystem, [number, number]> = { esr: [0.95, 0.99], learning: [0.93, 0.97], recruitment: [0.74, 0.86], 'occupational-health': [0.82, 0.88] };
    const formats: Record<SandboxSystem, RegExp> = { esr: /^\d{8}$/, learning: /^LMS\d{7}$/, recruitment: /^APP\d{7}$/, 'occupational-health': /^OH\d{6}$/ };
    for (const system of SANDBOX_SYSTEMS) {
      const entries = entriesOf(system);
      note(`in ${system}`, entries.length);
      expect(share(entries.length), system).toBeGreaterThan(coverage[system][0]);
      expect(share(entries.length), system).toBeLessThan(coverage[system][1]);
      const ids = entries.map(({ entry }) => entry.id);
      expect(new Set(ids).size, system).toBe(ids.length);
      expect(ids.every((id) => formats[system].test(id)), system).toBe(true);
      expect(entries.every(({ entry }) => entry.details.id === entry.id)).toBe(true);
    }
    expect(people.every((person) => Object.keys(person.systems).length > 0)).toBe(true);
    const esr = entriesOf('esr');
    const personIds = esr.map(({ entry }) => entry.details.esrIdentifier);
    expect(personIds.every((id) => id !== undefined && /^\d{8}$/.test(id))).toBe(true);
    expect(new Set(personIds).size).toBe(personIds.length);
    expect(esr.every(({ entry }) => entry.details.esrIdentifier !== entry.id && entry.details.furtherInformation)).toBe(true);
    // The learning system holds the ESR person id for some, and then the same one.
    const learningWithEsrId = entriesOf('learning').filter(({ entry }) => entry.details.esrIdentifier !== undefined);
    expect(learningWithEsrId.length).toBeGreaterThan(1000);
    expect(learningWithEsrId.every(({ person, entry }) => person.systems.esr?.details.esrIdentifier === entry.details.esrIdentifier)).toBe(true);
  });

  it('records core skills for the eleven CSTF subjects with their renewal periods, and ESR names the learning system they came from', () => {
    const learning = recordsOf<CoreSkillsTraining>('learning', 'CoreSkillsTraining');
    const subjects = new Set(learning.filter(({ record }) => record.competencyFramework === 'CSTF').map(({ record }) => record.subjectName));
    expect([...subjects].sort()).toEqual([...new Set(Object.values(CSTF).map((skill) => skill.subjectName))].sort());
    expect(subjects.size).toBe(11);
    // One check per record would be a third of a million expect() calls: collect the faults instead.
    const faults: string[] = [];
    for (const { record } of learning) {
      if ((record.subjectName === 'Resuscitation' || record.subjectName === 'Information Governance and Data Security') && record.renewalPeriodNumber !== '1') faults.push(`${record.subjectName} renews every ${record.renewalPeriodNumber}`);
      if (record.renewalPeriodNumber) {
        const years = Number(record.renewalPeriodNumber);
        if (record.renewalPeriodUnits !== (years === 1 ? 'Year' : 'Years')) faults.push(`units ${record.renewalPeriodUnits} for ${years}`);
        const [year, month, day] = civilOf(dayOfIso(record.dateLastAwarded));
        // The day before the anniversary (29 February's anniversary is 1 March).
        if (record.dateTo !== isoOf(dayOf(year + years, month, day) - 1)) faults.push(`${record.dateLastAwarded} + ${years} → ${record.dateTo}`);
      } else if (record.dateTo !== undefined) faults.push(`dateTo without a renewal period: ${record.competencyName}`);
      if (record.dateLastAwarded > POPULATION_AS_OF) faults.push(`awarded in the future: ${record.dateLastAwarded}`);
      if (sourceLearningSystemOf(record) !== null) faults.push(`the learning system names a source: ${record.learningMethod}`);
    }
    expect(faults.slice(0, 10)).toEqual([]);
    const expired = share(learning.filter(({ record }) => record.dateTo !== undefined && record.dateTo < POPULATION_AS_OF).length, learning.length);
    note('learning core skills', learning.length);
    note('share of learning core skills expired', expired.toFixed(3));
    expect(expired).toBeGreaterThan(0.05);
    expect(expired).toBeLessThan(0.3);

    const esr = recordsOf<CoreSkillsTraining>('esr', 'CoreSkillsTraining');
    const sources = new Map<string, number>();
    for (const { person, record } of esr) {
      const source = sourceLearningSystemOf(record) as string;
      sources.set(source, (sources.get(source) ?? 0) + 1);
      if ((source === 'ESR inter-authority transfer') === (record.awardingOrganisation === person.organisation)) faults.push(`${source} awarded by ${record.awardingOrganisation} for ${person.organisation}`);
      if ((source === 'Kallidus Learn' || source === 'Think LMS') && source !== LEARNING_SYSTEM_BY_ORGANISATION[person.organisation]) faults.push(`${source} at ${person.organisation}`);
    }
    expect(faults.slice(0, 10)).toEqual([]);
    note('ESR core skills by source', [...sources].map(([source, count]) => `${source} ${count}`).join(', '));
    expect([...sources.keys()].sort()).toEqual(['ESR OLM', 'ESR inter-authority transfer', 'Kallidus Learn', 'Think LMS']);
  });

  it('records DBS check outcomes as the standard defines them', () => {
    const outcomes = recordsOf<DBSCheckOutcome>('recruitment', 'DBSCheckOutcome');
    note('DBS outcomes in recruitment', outcomes.length);
    expect(share(outcomes.length, entriesOf('recruitment').length)).toBeGreaterThan(0.75);
    const certificates = new Set<string>();
    const faults: string[] = [];
    for (const { person, record } of outcomes) {
      const fault = (what: string) => faults.push(`${what}: ${JSON.stringify(record)}`);
      if (!/^\d{12}$/.test(record.certificateNumber)) fault('certificate number');
      if (!/^\d{11}$/.test(record.registeredBodyNumber)) fault('registered body number');
      if (typeof record.informationDisclosed !== 'boolean') fault('informationDisclosed');
      const barred = record.typeOfDbsCheck === 'Enhanced with barred list(s) check';
      if (record.adultsBarredListChecked !== (barred && record.workforceType !== 'Child')) fault('adults barred list');
      if (record.childrensBarredListChecked !== (barred && record.workforceType !== 'Adult')) fault("children's barred list");
      if ((record.workforceType === undefined) !== !record.typeOfDbsCheck.startsWith('Enhanced')) fault('workforce type');
      if (record.applicantSurname !== person.surname && record.applicantSurname !== person.previousSurname) fault('applicant surname');
      if (record.applicantDateOfBirth !== person.birthDate) fault('applicant date of birth');
      if (record.disclosureIssueDate > POPULATION_AS_OF) fault('issued in the future');
      certificates.add(record.certificateNumber);
    }
    expect(faults.slice(0, 5)).toEqual([]);
    expect(certificates.size).toBe(outcomes.length);
    const types = new Set(outcomes.map(({ record }) => record.typeOfDbsCheck));
    expect(types.size).toBe(4);
    expect(recordsOf<DBSCheckOutcome>('esr', 'DBSCheckOutcome').length).toBeGreaterThan(1000);
  });

  it('records vaccinations, clinical tests and observations in occupational health', () => {
    const vaccinations = recordsOf<Vaccination>('occupational-health', 'Vaccination');
    const codes = new Set(vaccinations.map(({ record }) => record.code));
    for (const { code } of Object.values(VACCINATIONS)) expect(codes, code).toContain(code);
    expect(vaccinations.every(({ record }) => /^\d{4}(-\d{2}(-\d{2})?)?$/.test(record.date) && record.date <= POPULATION_AS_OF)).toBe(true);
    expect(vaccinations.some(({ record }) => /^\d{4}$/.test(record.date))).toBe(true);
    const tests = recordsOf<ClinicalTest>('occupational-health', 'ClinicalTest');
    expect(new Set(tests.map(({ record }) => record.interpretation))).toEqual(new Set(['Detected', 'Not detected', 'Equivocal']));
    expect(tests.some(({ record }) => record.description.includes('Hepatitis B surface antibody'))).toBe(true);
    expect(tests.some(({ record }) => record.description.includes('IGRA'))).toBe(true);
    const observations = recordsOf<Observation>('occupational-health', 'Observation');
    expect(new Set(observations.map(({ record }) => record.result))).toEqual(new Set(['Yes', 'No']));
    expect(observations.some(({ record }) => record.description === 'BCG scar present')).toBe(true);
    note('occupational health records', `${vaccinations.length} vaccinations, ${tests.length} clinical tests, ${observations.length} observations`);
  });

  it('answers exactly as the DSP standard says, for a sample of people in every system', () => {
    const standard = dspStandard();
    let checked = 0;
    for (let index = 0; index < people.length; index += 97) {
      const person = people[index] as Person;
      for (const [system, entry] of Object.entries(person.systems)) {
        const asSent = JSON.parse(JSON.stringify(entry)) as typeof entry;
        expect(asSent).toEqual(entry);
        const where = `person ${person.key} in ${system}`;
        expect(standard.checkResponse('get-employee-personal-details', 200, asSent.details), where).toEqual({ ok: true });
        expect(standard.checkResponse('search-for-employee', 200, [asSent.details]), where).toEqual({ ok: true });
        expect(standard.checkResponse('get-employee-records', 200, { id: entry.id, records: asSent.records }), where).toEqual({ ok: true });
        checked++;
      }
    }
    note('system entries checked against the schema', checked);
    expect(checked).toBeGreaterThan(1000);
    // The checker does catch a fault of the kind the published examples have.
    const dbs = recordsOf<DBSCheckOutcome>('recruitment', 'DBSCheckOutcome')[0]?.record as DBSCheckOutcome;
    expect(standard.checkResponse('get-employee-records', 200, { id: '1', records: [{ ...dbs, informationDisclosed: 'false' }] }).ok).toBe(false);
  });
});

describe('the matching labelled set', () => {
  let set: LabelledQuery[];
  beforeAll(() => {
    set = buildMatchingSet(population, { seed: 5, count: 4000, system: 'learning' });
  });

  it('is the same for the same population, seed, count and system', () => {
    expect(buildMatchingSet(population, { seed: 5, count: 4000, system: 'learning' })).toEqual(set);
    expect(buildMatchingSet(population, { seed: 6, count: 4000, system: 'learning' })).not.toEqual(set);
  });

  it('labels each query with the true person and their id in the system', () => {
    expect(set).toHaveLength(4000);
    expect(new Set(set.map((query) => query.personKey)).size).toBe(4000);
    for (const query of set) {
      const person = people[query.personKey] as Person;
      expect(query.expectedId).toBe(person.systems.learning?.id);
      expect(query.system).toBe('learning');
    }
  });

  it('applies realistic slips at realistic rates: most queries none or one, some two', () => {
    const byCount = [0, 0, 0];
    const kinds = new Map<PerturbationKind, number>();
    for (const query of set) {
      byCount[query.perturbations.length] = (byCount[query.perturbations.length] ?? 0) + 1;
      for (const perturbation of query.perturbations) kinds.set(perturbation.kind, (kinds.get(perturbation.kind) ?? 0) + 1);
    }
    note('matching set: queries with 0/1/2 slips', byCount.join('/'));
    note('matching set: slips', [...kinds].sort((a, b) => b[1] - a[1]).map(([kind, count]) => `${kind} ${count}`).join(', '));
    expect(byCount).toHaveLength(3);
    expect(share(byCount[0] as number, set.length)).toBeGreaterThan(0.4);
    expect(share(byCount[0] as number, set.length)).toBeLessThan(0.62);
    expect(share(byCount[1] as number, set.length)).toBeGreaterThan(0.28);
    expect(share(byCount[2] as number, set.length)).toBeGreaterThan(0.06);
    expect(share(byCount[2] as number, set.length)).toBeLessThan(0.18);
    const everyKind: PerturbationKind[] = ['typo', 'swapped-names', 'married-name', 'nickname', 'birth-date-day-month-swapped', 'birth-date-digit-wrong', 'surname-one-part', 'email-missing', 'accents-dropped'];
    for (const kind of everyKind) expect(kinds.get(kind) ?? 0, kind).toBeGreaterThan(10);
    const typoKinds = new Set(set.flatMap((query) => query.perturbations.flatMap((perturbation) => (perturbation.typo ? [perturbation.typo] : []))));
    expect(typoKinds).toEqual(new Set(['transposition', 'dropped-letter', 'doubled-letter', 'adjacent-key']));
  });

  it('leaves the truth identifiable: one slip per field, the date of birth off by one digit or swapped at most', () => {
    for (const query of set) {
      const person = people[query.personKey] as Person;
      const fields = query.perturbations.flatMap((perturbation) => (perturbation.field === 'names' && perturbation.kind === 'swapped-names' ? ['legalFirstName', 'surname'] : perturbation.kind === 'accents-dropped' ? [] : [perturbation.field]));
      expect(new Set(fields).size, JSON.stringify(query)).toBe(fields.length);
      const truth = person.birthDate;
      const dateSlip = query.perturbations.find((perturbation) => perturbation.field === 'birthDate');
      if (!dateSlip) expect(query.query.birthDate).toBe(truth);
      else {
        const differing = [...truth].filter((character, index) => character !== query.query.birthDate[index]).length;
        expect(dateSlip.kind === 'birth-date-digit-wrong' ? differing === 1 : query.query.birthDate === `${truth.slice(0, 4)}-${truth.slice(8, 10)}-${truth.slice(5, 7)}`).toBe(true);
      }
      if (query.perturbations.length === 0) {
        expect(query.query).toEqual({ legalFirstName: person.legalFirstName, middleNames: person.middleNames, surname: person.surname, previousSurname: person.previousSurname, knownAs: person.knownAs, birthDate: person.birthDate, email: person.email });
      }
    }
  });

  it('can include people who are not in the system, whose right answer is none', () => {
    const withAbsent = buildMatchingSet(population, { seed: 9, count: 2000, system: 'recruitment', absentShare: 0.1 });
    const absent = withAbsent.filter((query) => query.expectedId === null);
    expect(absent).toHaveLength(200);
    expect(absent.every((query) => !people[query.personKey]?.systems.recruitment)).toBe(true);
    expect(() => buildMatchingSet(population, { seed: 1, count: SIZE, system: 'recruitment' })).toThrow(RangeError);
  });
});

describe('the figures', () => {
  it('are printed for the report', () => {
    console.log(Object.entries(figures).map(([name, value]) => `${name}: ${value}`).join('\n'));
    expect(Object.keys(figures).length).toBeGreaterThan(20);
  });
});

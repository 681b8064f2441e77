// The search plan: which exact-match searches find a person whose records disagree, in what order, and how many.
import { describe, expect, it } from 'vitest';
import { MAX_NAME_VARIANTS, MAX_SEARCHES, searchPlan } from '../../main/matching/searches.ts';
import type { MatchSubject } from '../../main/matching/types.ts';

const plain: MatchSubject = { firstName: 'Sarah', surname: 'Patel', birthDate: '1985-03-12' };

describe('search plan', () => {
  it('runs the most specific searches first, in the documented order', () => {
    expect(searchPlan(plain)).toEqual([
      { firstName: 'Sarah', surname: 'Patel', birthDate: '1985-03-12' },
      { surname: 'Patel', birthDate: '1985-03-12' },
      { firstName: 'Sarah', birthDate: '1985-03-12' },
      { birthDate: '1985-03-12' },
      { firstName: 'Sarah', surname: 'Patel' },
      { firstName: 'Patel', surname: 'Sarah' },
      { birthDate: '1985-12-03' },
      { firstName: 'Sal', surname: 'Patel' },
      { firstName: 'Sally', surname: 'Patel' },
      { firstName: 'Sadie', surname: 'Patel' },
      { firstName: 'Sara', surname: 'Patel' },
      { surname: 'Patel' },
      { firstName: 'Sarah' },
    ]);
  });
  it('searches by the known-as name and the previous surname', () => {
    const plan = searchPlan({ ...plain, knownAs: 'Sally', previousSurname: 'Shah' });
    expect(plan).toContainEqual({ firstName: 'Sally', surname: 'Patel' });
    expect(plan).toContainEqual({ firstName: 'Sarah', surname: 'Shah' });
    expect(plan).toContainEqual({ surname: 'Shah', birthDate: '1985-03-12' });
    expect(plan.findIndex((search) => search.firstName === 'Sally')).toBeLessThan(plan.findIndex((search) => search.surname === 'Shah'));
  });
  it('searches each part of a double-barrelled surname, and the parts joined', () => {
    const plan = searchPlan({ ...plain, surname: 'Okonkwo-Barratt' });
    for (const surname of ['Okonkwo', 'Barratt', 'Okonkwo Barratt', 'OkonkwoBarratt']) {
      expect(plan).toContainEqual({ surname, birthDate: '1985-03-12' });
    }
    const undated = searchPlan({ firstName: 'Ada', surname: 'Okonkwo Barratt' });
    expect(undated).toContainEqual({ firstName: 'Ada', surname: 'Okonkwo' });
    expect(undated).toContainEqual({ firstName: 'Ada', surname: 'Okonkwo-Barratt' });
  });
  it('swaps first name and surname', () => {
    expect(searchPlan(plain)).toContainEqual({ firstName: 'Patel', surname: 'Sarah' });
  });
  it('swaps day and month only when that makes another real date', () => {
    expect(searchPlan(plain)).toContainEqual({ birthDate: '1985-12-03' });
    expect(searchPlan({ ...plain, birthDate: '1985-03-25' }).filter((search) => Object.keys(search).length === 1 && search.birthDate !== undefined)).toEqual([{ birthDate: '1985-03-25' }]);
    expect(searchPlan({ ...plain, birthDate: '1985-03-03' }).filter((search) => Object.keys(search).length === 1 && search.birthDate !== undefined)).toEqual([{ birthDate: '1985-03-03' }]);
  });
  it('searches by name without the date, to find a record whose date is wrong', () => {
    const plan = searchPlan(plain);
    expect(plan).toContainEqual({ firstName: 'Sarah', surname: 'Patel' });
  });
  it('searches by the forms of the first name: short forms of a formal name, the formal name of a short one', () => {
    const formal = searchPlan({ firstName: 'Elizabeth', surname: 'Jones', birthDate: '1970-01-20' });
    expect(formal).toContainEqual({ firstName: 'Liz', surname: 'Jones' });
    expect(formal).toContainEqual({ firstName: 'Beth', surname: 'Jones' });
    const short = searchPlan({ firstName: 'Liz', surname: 'Jones', birthDate: '1970-01-20' });
    expect(short).toContainEqual({ firstName: 'Elizabeth', surname: 'Jones' });
  });
  it('spells names without accents and apostrophes for systems that drop them', () => {
    const plan = searchPlan({ firstName: 'Zoë', surname: "O'Brien", birthDate: '1990-05-20' });
    expect(plan).toContainEqual({ firstName: 'Zoe', surname: 'OBrien' });
    expect(plan).toContainEqual({ firstName: 'Zoë', surname: 'O Brien' });
  });
  it(`never runs more than ${MAX_SEARCHES} searches, and keeps the most specific ones`, () => {
    const busy = searchPlan({ firstName: 'Elizabeth', surname: "O'Brien-Smith-Jones", knownAs: 'Beth', previousSurname: 'Évans', birthDate: '1985-03-12' });
    expect(busy).toHaveLength(MAX_SEARCHES);
    expect(MAX_SEARCHES).toBeLessThanOrEqual(20);
    expect(busy[0]).toEqual({ firstName: 'Elizabeth', surname: "O'Brien-Smith-Jones", birthDate: '1985-03-12' });
    // The last resorts keep their places however full the plan is.
    expect(busy.slice(-3)).toEqual([{ surname: "O'Brien-Smith-Jones" }, { firstName: 'Elizabeth' }, { firstName: 'Beth' }]);
  });
  it(`searches at most ${MAX_NAME_VARIANTS} other forms of the first name, the commonest first`, () => {
    const plan = searchPlan({ firstName: 'Elizabeth', surname: 'Jones', birthDate: '1970-01-20' });
    const variants = plan.filter((search) => search.firstName !== undefined && search.firstName !== 'Elizabeth' && search.firstName !== 'Jones');
    expect(variants.map((search) => search.firstName)).toEqual(['Liz', 'Beth', 'Lizzie', 'Betty']);
  });
  it('never repeats a search, ignoring case and spacing', () => {
    const plan = searchPlan({ firstName: 'sarah', surname: ' PATEL ', knownAs: 'SARAH', previousSurname: 'patel', birthDate: '1985-03-12' });
    const keys = plan.map((search) => JSON.stringify([search.firstName?.toLowerCase(), search.surname?.toLowerCase(), search.birthDate]));
    expect(new Set(keys).size).toBe(keys.length);
    expect(plan[0]).toEqual({ firstName: 'sarah', surname: 'PATEL', birthDate: '1985-03-12' });
  });
  it('searches by one name alone only at the end: the surname, the first name, then the known-as name', () => {
    const plan = searchPlan({ firstName: 'Elizabeth', surname: 'Smith-Jones', knownAs: 'Beth', previousSurname: 'Evans', birthDate: '1985-03-12' });
    const single = plan.filter((search) => Object.keys(search).length === 1 && search.birthDate === undefined);
    expect(single).toEqual([{ surname: 'Smith-Jones' }, { firstName: 'Elizabeth' }, { firstName: 'Beth' }]);
    expect(plan.slice(-3)).toEqual(single);
  });
  it('without a date of birth, searches by names and finally each name alone', () => {
    const plan = searchPlan({ firstName: 'Sarah', surname: 'Patel' });
    expect(plan[0]).toEqual({ firstName: 'Sarah', surname: 'Patel' });
    expect(plan.slice(-2)).toEqual([{ surname: 'Patel' }, { firstName: 'Sarah' }]);
    expect(plan.every((search) => search.birthDate === undefined)).toBe(true);
  });
  it('searches the surname repaired of a doubled letter, with the first name', () => {
    const plan = searchPlan({ firstName: 'Lee', surname: 'Harrrison', birthDate: '1992-11-28' });
    expect(plan).toContainEqual({ firstName: 'Lee', surname: 'Harrison' });
    // Each doubled pair on its own: "Daalenhall" may be Dalenhall or Daalenhal.
    const pairs = searchPlan({ firstName: 'Jade', surname: 'Daalenhall' });
    expect(pairs).toContainEqual({ firstName: 'Jade', surname: 'Dalenhall' });
    expect(pairs).toContainEqual({ firstName: 'Jade', surname: 'Daalenhal' });
  });
  it('searches known names one keystroke from an unknown surname or first name, never from a known one', () => {
    expect(searchPlan({ firstName: 'Lee', surname: 'Walhs', birthDate: '1975-06-28' })).toContainEqual({ firstName: 'Lee', surname: 'Walsh' });
    expect(searchPlan({ firstName: 'Nataile', surname: 'Jones' })).toContainEqual({ firstName: 'Natalie', surname: 'Jones' });
    // Clark is a surname in its own right, not a misspelt Clarke.
    expect(searchPlan({ firstName: 'Anna', surname: 'Clark' }).filter((search) => search.surname === 'Clarke')).toEqual([]);
    expect(searchPlan({ firstName: 'Anna', surname: 'Clarkk' })).toContainEqual({ firstName: 'Anna', surname: 'Clarke' });
  });
  it('searches the first name with the middle names, as some systems keep them', () => {
    expect(searchPlan({ ...plain, middleNames: 'Grace' })).toContainEqual({ firstName: 'Sarah Grace', surname: 'Patel' });
  });
  it('searches the previous and current surnames joined, both ways round', () => {
    const plan = searchPlan({ ...plain, surname: 'Goldercroft', previousSurname: 'Copeercombe' });
    expect(plan).toContainEqual({ firstName: 'Sarah', surname: 'Copeercombe-Goldercroft' });
    expect(plan).toContainEqual({ firstName: 'Sarah', surname: 'Goldercroft-Copeercombe' });
  });
  it('with the names swapped, also searches the known-as name as the first name', () => {
    // The passport has "Cooper Claire" (the names the wrong way round), known as Clare: the system has "Clare Cooper".
    expect(searchPlan({ firstName: 'Cooper', surname: 'Claire', knownAs: 'Clare', birthDate: '1993-04-19' })).toContainEqual({ firstName: 'Clare', surname: 'Cooper' });
  });
  it('ignores a date of birth that is not a real date', () => {
    const plan = searchPlan({ ...plain, birthDate: '1985-02-30' });
    expect(plan.every((search) => search.birthDate === undefined)).toBe(true);
    expect(plan[0]).toEqual({ firstName: 'Sarah', surname: 'Patel' });
  });
  it('copes with empty names', () => {
    expect(searchPlan({ firstName: '', surname: '', birthDate: '1985-03-12' })).toEqual([{ birthDate: '1985-03-12' }, { birthDate: '1985-12-03' }]);
    expect(searchPlan({ firstName: '  ', surname: '' })).toEqual([]);
    expect(searchPlan({ firstName: '', surname: 'Patel', birthDate: '1985-03-25' })).toEqual([{ surname: 'Patel', birthDate: '1985-03-25' }, { birthDate: '1985-03-25' }, { surname: 'Patel' }]);
    expect(searchPlan({ firstName: 'Sarah', surname: '', birthDate: '1985-03-25' })).toEqual([{ firstName: 'Sarah', birthDate: '1985-03-25' }, { birthDate: '1985-03-25' }, { firstName: 'Sarah' }]);
  });
});

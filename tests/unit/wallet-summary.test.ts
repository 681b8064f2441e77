// What an offered or shared credential is about, in a few words: what tells it apart from others of its type.
import { describe, expect, it } from 'vitest';
import { definitionById } from '../../main/credentials/catalogue/index.ts';
import { summaryOf } from '../../main/wallet/service.ts';

const about = (typeId: string, claims: Record<string, unknown>) => summaryOf(definitionById(typeId)!, claims);

describe('summaryOf', () => {
  it('names a core skill by its competency (or subject) and level', () => {
    expect(about('core-skill', { competencyName: 'Fire Safety', subjectName: 'Fire', subjectLevel: '1' })).toBe('Fire Safety \u2013 level 1');
    expect(about('core-skill', { subjectName: 'Moving and handling' })).toBe('Moving and handling');
  });

  it('names the other types someone may hold several of by what sets each apart', () => {
    expect(about('professional-registration', { professionalBody: 'GMC', registrationNumber: '1234567' })).toBe('GMC');
    expect(about('dbs-check-outcome', { typeOfDbsCheck: 'Enhanced' })).toBe('Enhanced');
    expect(about('employment-assignment', { positionTitle: 'Staff Nurse', jobRole: 'Nurse' })).toBe('Staff Nurse');
    expect(about('vaccination', { code: '123', description: 'Hepatitis B', date: '2024-01' })).toBe('Hepatitis B');
    expect(about('access-key', { organisationName: 'Leeds Teaching Hospitals NHS Trust', organisationOdsCode: 'RR8' })).toBe('Leeds Teaching Hospitals NHS Trust');
  });

  it('falls back to the type name when no claim says more', () => {
    expect(about('identity', { firstName: 'Jane', lastName: 'Smith' })).toBe('Identity');
  });

  it('names a credential only by short text or numbers: anything else in a shared credential is passed over', () => {
    expect(about('core-skill', { competencyName: { nested: true }, subjectName: '  Fire  ', subjectLevel: 2 })).toBe('Fire \u2013 level 2');
    expect(about('core-skill', { competencyName: '', subjectName: 'Fire' })).toBe('Fire');
    expect(about('core-skill', { competencyName: 'x'.repeat(400) }).length).toBe(150);
  });
});

// The credential catalogue: every definition complete, and every record the DSP API standard
// publishes as an example read into claims and written back as the standard's record.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CATALOGUE, claimsFromRecord, definitionById, definitionByRecordType, subjectSchema, validateSubject } from '../../main/credentials/catalogue/index.ts';
import { CREDENTIAL_CATEGORIES } from '../../main/staff/vocabulary.ts';

const SPEC = fileURLToPath(new URL('../../../shared/specs/dsp-api/', import.meta.url));
const EXAMPLES = join(SPEC, 'components/examples');

/** Every record in the published examples, with the file it came from. */
function publishedRecords(): Array<{ file: string; record: Record<string, unknown> }> {
  const found: Array<{ file: string; record: Record<string, unknown> }> = [];
  for (const file of readdirSync(EXAMPLES).filter((name) => name.endsWith('.json'))) {
    let body: unknown;
    try {
      body = JSON.parse(readFileSync(join(EXAMPLES, file), 'utf8'));
    } catch {
      continue; // the deep-ping example is not JSON (a known fault); it holds no records
    }
    const candidates = Array.isArray((body as { records?: unknown }).records) ? (body as { records: unknown[] }).records : [body];
    for (const record of candidates) if (record && typeof record === 'object' && 'recordType' in record) found.push({ file, record: record as Record<string, unknown> });
  }
  return found;
}

/**
 * The known faults of the published examples, put right: booleans written as strings, and
 * "Not Detected" for "Not detected". A fault not named here fails the round trip.
 */
function asTheStandardDefinesIt(record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(record).map(([key, value]) => {
      if (value === 'true' || value === 'false') return [key, value === 'true'];
      if (key === 'interpretation' && value === 'Not Detected') return [key, 'Not detected'];
      return [key, value];
    }),
  );
}

describe('the definitions', () => {
  it('has the thirteen credential types, each once', () => {
    expect(CATALOGUE.map((d) => d.displayName)).toEqual([
      'Access key',
      'Identity',
      'Right to work',
      'DBS supporting information',
      'DBS check',
      'Professional registration',
      'Employment assignment',
      'Temporary placement',
      'Core skill',
      'Vaccination',
      'Clinical test',
      'Observation',
      'New starter information',
    ]);
    expect(new Set(CATALOGUE.map((d) => d.id)).size).toBe(13);
    expect(new Set(CATALOGUE.map((d) => d.vcType)).size).toBe(13);
  });

  for (const definition of CATALOGUE) {
    it(`${definition.displayName}: a category, a type name and a label for every claim`, () => {
      expect(CREDENTIAL_CATEGORIES.map((c) => c.value)).toContain(definition.category);
      expect(definition.vcType).toMatch(/^NHS[A-Za-z]+Credential$/);
      expect(Object.keys(definition.labels).sort()).toEqual(Object.keys(definition.claims.shape).sort());
      for (const label of Object.values(definition.labels)) expect(label).toMatch(/^[A-Z'][^]*[a-z)0-9]$/);
    });
  }

  it('maps every record type the standard can send', () => {
    const yaml = readFileSync(join(SPEC, 'digital-staff-passport-api-standard.yaml'), 'utf8');
    const post = /EmployeeRecordPost:\n\s+oneOf:\n((?:\s+- \$ref: '#\/components\/schemas\/\w+'\n)+)/.exec(yaml);
    const types = [...post![1]!.matchAll(/schemas\/(\w+)'/g)].map((m) => m[1]!);
    expect(types).toHaveLength(8);
    for (const type of types) expect(definitionByRecordType(type)?.record, type).toBeDefined();
  });
});

describe('round trips against every published example', () => {
  const records = publishedRecords();

  it('finds records of all eight types in the examples', () => {
    expect(new Set(records.map((r) => r.record.recordType)).size).toBe(8);
  });

  for (const { file, record } of publishedRecords()) {
    it(`${file}: ${String(record.recordType)}`, () => {
      const read = claimsFromRecord(record);
      if (!read.ok) throw new Error(read.reason);
      expect(read.definition.claims.safeParse(read.claims).success).toBe(true);
      const back = read.definition.record!.toRecord(read.claims);
      expect(back).toEqual(asTheStandardDefinesIt(record));
      // Reading our own record again gives the same claims.
      const again = claimsFromRecord(back);
      expect(again.ok && again.claims).toEqual(read.claims);
    });
  }

  it('writes booleans as booleans and the registration number as a number where it is one', () => {
    const dbs = records.find((r) => r.record.recordType === 'DBSCheckOutcome')!.record;
    expect(dbs.informationDisclosed).toBe('false'); // the published fault
    const read = claimsFromRecord(dbs);
    expect(read.ok && read.definition.record!.toRecord(read.claims).informationDisclosed).toBe(false);
    const hcpc = claimsFromRecord({ recordType: 'ProfessionalRegistration', professionalBody: 'Health and Care Professions Council', registrationNumber: 'pa12345' });
    expect(hcpc.ok && hcpc.definition.record!.toRecord(hcpc.claims)).toEqual({ recordType: 'ProfessionalRegistration', professionalBody: 'Health and Care Professions Council', registrationNumber: 'PA12345' });
    const nmc = claimsFromRecord({ recordType: 'ProfessionalRegistration', professionalBody: 'Nursing and Midwifery Council', registrationNumber: '12A3456E' });
    expect(nmc.ok).toBe(true);
  });
});

describe('records that are refused, with a reason and never a throw', () => {
  const cases: Array<[string, unknown, RegExp]> = [
    ['nothing', undefined, /no record type/],
    ['a string', 'CoreSkillsTraining', /no record type/],
    ['an unknown type', { recordType: 'ParkingPermit' }, /not known/],
    ['a missing required field', { recordType: 'Vaccination', code: 'HEPB001', date: '2024-10-01' }, /description/],
    ['a value outside the enum', { recordType: 'Observation', code: 'TB001', description: 'BCG Scar Evident', result: 'Maybe' }, /result/],
    ['a malformed date', { recordType: 'Vaccination', code: 'X', description: 'Y', date: '01/10/2024' }, /date/],
    ['a DBS certificate of 11 digits', { recordType: 'DBSCheckOutcome', certificateNumber: '12345678901' }, /certificateNumber/],
    ['a boolean that is neither', { recordType: 'DBSCheckSupportingInformation', currentAddressVerified: 'yes' }, /currentAddressVerified/],
    ['a 1 MB description', { recordType: 'Vaccination', code: 'X', description: 'x'.repeat(1024 * 1024), date: '2024' }, /description/],
    ['an unknown field', { recordType: 'Vaccination', code: 'X', description: 'Y', date: '2024', dose: 2 }, /Unrecognized key|dose/],
  ];
  for (const [what, record, reason] of cases) {
    it(what, () => {
      const read = claimsFromRecord(record);
      expect(read.ok).toBe(false);
      if (!read.ok) expect(read.reason).toMatch(reason);
    });
  }
});

describe('validity rules', () => {
  it('core skill: date last awarded plus the renewal period, as the published example dates it', () => {
    const skill = definitionById('core-skill')!;
    const example = publishedRecords().find((r) => r.record.recordType === 'CoreSkillsTraining')!.record;
    const read = claimsFromRecord(example);
    expect(read.ok && skill.validUntil(read.claims)).toBe(example.dateTo);
    const base = read.ok ? read.claims : {};
    expect(skill.validUntil({ ...base, renewalPeriodNumber: '6', renewalPeriodUnits: 'Months', dateLastAwarded: '2024-08-31' })).toBe('2025-02-28');
    expect(skill.validUntil({ ...base, renewalPeriodNumber: '3', renewalPeriodUnits: 'Years', dateLastAwarded: '2024-03-01' })).toBe('2027-02-28');
    expect(skill.validUntil({ ...base, renewalPeriodNumber: '1', renewalPeriodUnits: 'Year', dateLastAwarded: '2024-02-29' })).toBe('2025-02-28');
    expect(skill.validUntil({ ...base, renewalPeriodNumber: undefined, renewalPeriodUnits: undefined, dateTo: undefined })).toBeNull();
  });

  it('professional registration, assignment and placement end on their own dates', () => {
    expect(definitionById('professional-registration')!.validUntil({ professionalBody: 'General Medical Council', registrationNumber: '1234567', expiryDate: '2030-10-31' })).toBe('2030-10-31');
    expect(definitionById('employment-assignment')!.validUntil({ fixedTermEndDate: '2027-07-31' })).toBe('2027-07-31');
    expect(definitionById('employment-assignment')!.validUntil({})).toBeNull();
    const placement = definitionById('temporary-placement')!;
    expect(placement.validUntil({ startDate: '2026-12-01', endDate: '2027-02-28' })).toBe('2027-02-28');
    expect(placement.notIssuable!({ startDate: '2026-12-01', endDate: '2026-11-30' }, '2026-11-22')).toMatch(/ends before it starts/);
  });

  it('right to work is not issued once the identity document has expired', () => {
    const rtw = definitionById('right-to-work')!;
    expect(rtw.notIssuable!({ identityDocumentExpiryDate: '2026-11-21' }, '2026-11-22')).toMatch(/expired/);
    expect(rtw.notIssuable!({ identityDocumentExpiryDate: '2026-11-22' }, '2026-11-22')).toBeNull();
  });
});

describe('the credential subject', () => {
  const provenance = { origin: 'ESR', provider: { odsCode: 'RHQ', name: 'Sheffield Teaching Hospitals NHS Foundation Trust' }, pedigree: 'Authoritative', lastRefresh: '2026-11-22T09:00:00Z' };
  const vaccination = definitionById('vaccination')!;

  it('needs the provenance block with its pedigree', () => {
    expect(subjectSchema(vaccination).safeParse({ code: 'HEPB001', description: 'Hepatitis B Vaccine', date: '2024-10-01' }).success).toBe(false);
    expect(validateSubject(vaccination, { code: 'HEPB001', description: 'Hepatitis B Vaccine', date: '2024-10-01', provenance })).toMatchObject({ ok: true, provenance: { pedigree: 'Authoritative' } });
    const bad = validateSubject(vaccination, { code: 'HEPB001', description: 'Hepatitis B Vaccine', date: '2024-10-01', provenance: { ...provenance, pedigree: 'Hearsay' } });
    expect(bad).toMatchObject({ ok: false, reason: expect.stringContaining('provenance.pedigree') });
  });
});

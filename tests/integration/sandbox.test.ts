// The sandbox systems over real HTTP on 127.0.0.1: where each system lives, search, personal details,
// records, adding records (the learning system's own renewal periods, duplicates, leavers, sizes,
// the published document's faults tolerated on input), organisations, and hostile input.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { connect } from 'node:net';
import { SANDBOX_SYSTEMS, type SandboxSystem } from '../sandbox/model.ts';
import { CROWD_SURNAME, FIXTURE_PEOPLE, FIXTURE_SURNAME } from '../sandbox/fixtures/people.ts';
import { postJson, read, startTestSandbox, type TestSandbox } from '../sandbox/fixtures/harness.ts';
import { seededRandom } from '../sandbox/faults.ts';
import type { OperationOutcome } from '../../main/systems/dsp-types.ts';

const EXAMPLES = join(import.meta.dirname, '../../../shared/specs/dsp-api/components/examples');
const example = (name: string) => JSON.parse(readFileSync(join(EXAMPLES, name), 'utf8')) as Record<string, unknown>;

let t: TestSandbox;
const records = (_system: SandboxSystem, id: string) => `/organisations/RHQ/employees/${id}/records`;

beforeAll(async () => {
  t = await startTestSandbox();
});
afterAll(async () => {
  await t.close();
});

function issue(body: unknown): { code: string; text: string } {
  const outcome = body as OperationOutcome;
  expect(outcome.resourceType).toBe('OperationOutcome');
  expect(outcome.issue[0]!.severity).toBe('error');
  return { code: outcome.issue[0]!.code, text: outcome.issue[0]!.details!.text };
}

const coreSkill = (overrides: Record<string, unknown> = {}) => ({
  recordType: 'CoreSkillsTraining',
  competencyFramework: 'CSTF',
  subjectName: 'Information Governance and Data Security',
  competencyName: 'Information Governance and Data Security',
  subjectLevel: '1',
  renewalPeriodNumber: '2',
  renewalPeriodUnits: 'Years',
  proficiencyLevel: '0 - Not Assessed',
  attainmentStatus: 'ACHIEVED',
  learningMethod: 'Examination',
  awardingOrganisation: 'RHQ',
  dateLastAwarded: '2024-11-01',
  dateTo: '2026-10-31',
  ...overrides,
});

describe('where the systems are', () => {
  it('serves four systems, each under its own base path ending /dsp-api, with an open shallow _status', async () => {
    expect(Object.keys(t.sandbox.systems).sort()).toEqual([...SANDBOX_SYSTEMS].sort());
    for (const system of SANDBOX_SYSTEMS) {
      expect(t.sandbox.systems[system].baseUrl).toBe(`${t.sandbox.url}/${system}/dsp-api`);
      const status = await t.api(system, '/organisations/RHQ/_status', { token: null });
      expect(status.status).toBe(200);
      expect(status.headers.get('content-type')).toBe('application/health+json');
      expect(status.json).toEqual({ status: 'pass' });
    }
    expect(t.sandbox.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(t.sandbox.organisations.map((organisation) => organisation.odsCode)).toEqual(['RHQ', 'RCB']);
  });

  it('describes itself at GET /_sandbox', async () => {
    const info = await read(await fetch(`${t.sandbox.url}/_sandbox`));
    expect(info.status).toBe(200);
    const body = info.json as { systems: Record<string, { baseUrl: string }>; tokenUrl: string; testClient: { clientId: string } };
    expect(body.systems.learning!.baseUrl).toBe(t.sandbox.systems.learning.baseUrl);
    expect(body.tokenUrl).toBe(`${t.sandbox.url}/oauth2/token`);
    expect(body.testClient.clientId).toBe('sandbox-test-client');
  });
});

describe('search-for-employee', () => {
  it('folds case and combines the parameters (AND), within the organisation asked for', async () => {
    const bySurname = await t.api('esr', `/organisations/RHQ/employees?surname=${FIXTURE_SURNAME.toUpperCase()}`);
    expect(bySurname.status).toBe(200);
    const names = (bySurname.json as Array<{ firstName: string; surname: string }>).map((person) => person.firstName).sort();
    expect(names).toEqual(['Lionel', 'Zelda']); // Ronan works at RCB
    const both = await t.api('esr', `/organisations/RHQ/employees?surname=quillFEATHER&firstName=zELDA`);
    expect((both.json as Array<{ id: string }>).map((person) => person.id)).toEqual([t.ids.zelda.esr]);
    const all3 = await t.api('esr', `/organisations/RHQ/employees?surname=quillfeather&firstName=zelda&birthDate=${FIXTURE_PEOPLE.zelda.birthDate}`);
    expect((all3.json as unknown[]).length).toBe(1);
    const wrongBirth = await t.api('esr', `/organisations/RHQ/employees?surname=quillfeather&firstName=zelda&birthDate=1988-03-01`);
    expect(wrongBirth.json).toEqual([]);
    const byBirth = await t.api('esr', `/organisations/RHQ/employees?birthDate=${FIXTURE_PEOPLE.leaver.birthDate}`);
    expect((byBirth.json as Array<{ id: string }>).map((person) => person.id)).toContain(t.ids.leaver.esr);
    const byFirst = await t.api('learning', `/organisations/RCB/employees?firstName=RONAN&surname=Quillfeather`, { token: null });
    expect(byFirst.status).toBe(401);
  });

  it('matches each field exactly (no prefixes) and answers an empty list when nobody matches', async () => {
    expect((await t.api('esr', '/organisations/RHQ/employees?surname=Quillfeathe')).json).toEqual([]);
    expect((await t.api('esr', '/organisations/RHQ/employees?surname=Quillfeather%20')).json).toEqual([]);
    expect((await t.api('esr', '/organisations/RHQ/employees?firstName=Zeld')).json).toEqual([]);
  });

  it('returns at most 50', async () => {
    const crowd = await t.api('esr', `/organisations/RHQ/employees?surname=${CROWD_SURNAME}`);
    expect(crowd.status).toBe(200);
    expect((crowd.json as unknown[]).length).toBe(50);
    expect(t.ids.crowd.length).toBeGreaterThan(50);
  });

  it('finds generated people by their own system\'s view of their name', async () => {
    const people = t.sandbox.population.people.filter((person) => person.organisation === 'RHQ' && person.systems.learning).slice(0, 25);
    expect(people.length).toBe(25);
    for (const person of people) {
      const details = person.systems.learning!.details;
      const query = new URLSearchParams({ surname: details.surname.toUpperCase(), firstName: details.firstName.toLowerCase() });
      const found = await t.api('learning', `/organisations/RHQ/employees?${query}`);
      expect(found.status).toBe(200);
      const list = found.json as Array<{ id: string; surname: string; firstName: string }>;
      expect(list.map((entry) => entry.id)).toContain(details.id);
      for (const entry of list) expect(entry.surname.toLowerCase()).toBe(details.surname.toLowerCase());
    }
  });

  it('refuses a search with no parameter, a malformed or unreal birthDate, or a repeated parameter (400 invalid)', async () => {
    for (const query of ['', '?', '?surname=', '?unknown=1', '?birthDate=1988-02-30', '?birthDate=88-02-29', '?birthDate=1988-2-29', '?birthDate=1988-02-29T00:00', '?birthDate=2023-02-29', '?surname=a&surname=b']) {
      const answer = await t.api('esr', `/organisations/RHQ/employees${query}`);
      expect(answer.status, query).toBe(400);
      expect(issue(answer.json).code).toBe('invalid');
    }
    const bad = await t.api('esr', '/organisations/RHQ/employees?birthDate=22/10/1998');
    expect(issue(bad.json).text).toMatch(/birthDate/);
    expect((await t.api('esr', '/organisations/RHQ/employees?birthDate=2024-02-29')).status).toBe(200);
  });
});

describe('get-employee-personal-details and organisations', () => {
  it('answers ESR details by the 8-digit assignment number', async () => {
    const details = await t.api('esr', `/organisations/RHQ/employees/${t.ids.zelda.esr}`);
    expect(details.status).toBe(200);
    expect(details.json).toMatchObject({ id: t.ids.zelda.esr, firstName: 'Zelda', surname: FIXTURE_SURNAME, birthDate: FIXTURE_PEOPLE.zelda.birthDate });
    expect(t.ids.zelda.esr).toMatch(/^\d{8}$/);
    expect((details.json as { esrIdentifier: string }).esrIdentifier).toMatch(/^\d{8}$/);
  });

  it('answers 404 not-found for an RHQ employee asked for at RCB, an unknown employee or an unknown organisation', async () => {
    // The test client is enabled at RHQ only, so RCB is refused before the employee is looked up.
    t.sandbox.registerClient({ clientId: 'both-trusts', jwks: JSON.parse(readFileSync(t.sandbox.testClient.jwksFile, 'utf8')), permissions: SANDBOX_SYSTEMS.flatMap((system) => ['RHQ', 'RCB'].map((organisation) => ({ system, organisation, operations: ['get-employee-personal-details' as const] }))) });
    const { requestAccessToken, testClientPrivateJwk } = await import('../sandbox/oauth.ts');
    const both = await requestAccessToken({ clientId: 'both-trusts', tokenUrl: t.sandbox.tokenUrl, privateJwk: testClientPrivateJwk() });
    const atRcb = await t.api('esr', `/organisations/RCB/employees/${t.ids.zelda.esr}`, { token: both.access_token });
    expect(atRcb.status).toBe(404);
    expect(issue(atRcb.json).code).toBe('not-found');
    expect((await t.api('esr', `/organisations/RCB/employees/${t.ids.ronan.esr}`, { token: both.access_token })).status).toBe(200);
    for (const path of ['/organisations/RHQ/employees/00000000', '/organisations/XYZ/employees/' + t.ids.zelda.esr, '/organisations/XYZ/employees?surname=Smith']) {
      const answer = await t.api('esr', path);
      expect(answer.status, path).toBe(404);
      expect(issue(answer.json).code).toBe('not-found');
    }
  });

  it('refuses a client enabled only at RHQ at RCB (403 forbidden), in every system and operation', async () => {
    for (const system of SANDBOX_SYSTEMS) {
      for (const [path, init] of [
        ['/organisations/RCB/employees?surname=Quillfeather', {}],
        [`/organisations/RCB/employees/${t.ids.ronan[system]}`, {}],
        [`/organisations/RCB/employees/${t.ids.ronan[system]}/records`, {}],
        [`/organisations/RCB/employees/${t.ids.ronan[system]}/records`, postJson({ recordType: 'Vaccination' })],
      ] as const) {
        const answer = await t.api(system, path, init);
        expect(answer.status, `${system} ${path}`).toBe(403);
        expect(issue(answer.json).code).toBe('forbidden');
      }
    }
  });
});

describe('get-employee-records', () => {
  it('answers what each system holds: ESR core skills, DBS outcomes and vaccinations; learning core skills; recruitment DBS outcomes; occupational health screening and vaccinations', async () => {
    const types = async (system: SandboxSystem) => ((await t.api(system, records(system, t.ids.zelda[system]))).json as { id: string; records: Array<{ recordType: string }> }).records.map((record) => record.recordType);
    expect(await types('esr')).toEqual(['CoreSkillsTraining', 'DBSCheckOutcome', 'Vaccination']);
    expect(await types('learning')).toEqual(['CoreSkillsTraining', 'CoreSkillsTraining']);
    expect(await types('recruitment')).toEqual(['DBSCheckOutcome']);
    expect(await types('occupational-health')).toEqual(['Vaccination', 'ClinicalTest', 'Observation']);
    const dbs = (await t.api('recruitment', records('recruitment', t.ids.zelda.recruitment))).json as { id: string; records: Array<Record<string, unknown>> };
    expect(dbs.id).toBe(t.ids.zelda.recruitment);
    expect(dbs.records[0]!.adultsBarredListChecked).toBe(true);
    expect(dbs.records[0]!.informationDisclosed).toBe(false);
  });

  it('answers 404 for an unknown employee and an employee of the other system', async () => {
    expect((await t.api('learning', records('learning', t.ids.zelda.esr))).status).toBe(404);
    expect((await t.api('learning', records('learning', 'LMS-NOBODY'))).status).toBe(404);
  });
});

describe('add-employee-record', () => {
  it('learning: applies its own renewal period and recalculates dateTo, ignoring what was sent, and later GETs return the record', async () => {
    const id = t.ids.zelda.learning;
    const sent = coreSkill({ dateLastAwarded: '2024-11-01', renewalPeriodNumber: '5', renewalPeriodUnits: 'Years', dateTo: '2099-12-31' });
    const added = await t.api('learning', records('learning', id), postJson(sent));
    expect(added.status).toBe(201);
    // Information governance renews every year here.
    expect(added.json).toEqual({ ...sent, renewalPeriodNumber: '1', renewalPeriodUnits: 'Year', dateTo: '2025-10-31' });
    const resus = await t.api('learning', records('learning', id), postJson(coreSkill({ subjectName: 'Moving and Handling', competencyName: 'Moving and Handling', subjectLevel: '2', dateLastAwarded: '2024-02-29', renewalPeriodNumber: undefined, renewalPeriodUnits: undefined, dateTo: undefined })));
    expect(resus.status).toBe(201);
    expect(resus.json).toMatchObject({ renewalPeriodNumber: '2', renewalPeriodUnits: 'Years', dateTo: '2026-02-28' });
    const held = (await t.api('learning', records('learning', id))).json as { records: Array<Record<string, unknown>> };
    expect(held.records).toContainEqual(added.json);
    expect(held.records).toContainEqual(resus.json);
    expect(t.sandbox.addedRecords('learning', 'RHQ', id)).toEqual([added.json, resus.json]);
    // Its own records of Oliver McGowan training never expire, so a sent expiry is dropped.
    const oliver = await t.api('learning', records('learning', id), postJson(coreSkill({ competencyFramework: 'MAND', subjectName: 'Oliver McGowan Mandatory Training on Learning Disability and Autism', competencyName: 'Oliver McGowan Mandatory Training on Learning Disability and Autism', renewalPeriodNumber: '3', renewalPeriodUnits: 'Years', dateTo: '2027-10-31' })));
    expect(oliver.status).toBe(201);
    expect(oliver.json).not.toHaveProperty('dateTo');
    expect(oliver.json).not.toHaveProperty('renewalPeriodNumber');
    // A competency it has never seen takes its local default of 3 years.
    const local = await t.api('learning', records('learning', id), postJson(coreSkill({ competencyFramework: 'MAND', subjectName: 'Sandbox Induction', competencyName: 'Sandbox Induction', renewalPeriodNumber: '6', renewalPeriodUnits: 'Months', dateLastAwarded: '2025-01-31' })));
    expect(local.json).toMatchObject({ renewalPeriodNumber: '3', renewalPeriodUnits: 'Years', dateTo: '2028-01-30' });
  });

  it('learning: 409 duplicate for the same competency and date last awarded as a record it holds, generated or added', async () => {
    const id = t.ids.zelda.learning;
    const generated = await t.api('learning', records('learning', id), postJson(coreSkill({ dateLastAwarded: '2023-11-01', competencyName: 'INFORMATION governance and data security' })));
    expect(generated.status).toBe(409);
    expect(issue(generated.json).code).toBe('duplicate');
    const first = await t.api('learning', records('learning', id), postJson(coreSkill({ dateLastAwarded: '2025-01-10' })));
    expect(first.status).toBe(201);
    const again = await t.api('learning', records('learning', id), postJson(coreSkill({ dateLastAwarded: '2025-01-10', dateTo: '2030-01-01' })));
    expect(again.status).toBe(409);
    expect(issue(again.json).code).toBe('duplicate');
    const otherDate = await t.api('learning', records('learning', id), postJson(coreSkill({ dateLastAwarded: '2025-01-11' })));
    expect(otherDate.status).toBe(201);
  });

  it('learning: accepts core skills only (400 invalid naming what it accepts)', async () => {
    const vaccination = await t.api('learning', records('learning', t.ids.zelda.learning), postJson(example('AddEmployeeRecordRequestVaccination.json')));
    expect(vaccination.status).toBe(400);
    const { code, text } = issue(vaccination.json);
    expect(code).toBe('invalid');
    expect(text).toMatch(/does not accept Vaccination.*CoreSkillsTraining/);
  });

  it('ESR takes no records through the DSP API: 403 forbidden', async () => {
    const answer = await t.api('esr', records('esr', t.ids.zelda.esr), postJson(coreSkill()));
    expect(answer.status).toBe(403);
    expect(issue(answer.json)).toMatchObject({ code: 'forbidden', text: expect.stringMatching(/ESR does not accept records/) });
  });

  it('checks required fields, enums, types and dates, naming the field (400 invalid)', async () => {
    const cases: Array<[SandboxSystem, Record<string, unknown>, RegExp]> = [
      ['learning', coreSkill({ competencyName: undefined }), /competencyName is missing/],
      ['learning', coreSkill({ competencyFramework: 'NATIONAL' }), /competencyFramework must be equal to one of the allowed values \(CSTF, MAND\)/],
      ['learning', coreSkill({ attainmentStatus: 'FAILED' }), /attainmentStatus/],
      ['learning', coreSkill({ subjectLevel: 2 }), /subjectLevel must be string/],
      ['learning', coreSkill({ dateLastAwarded: '2023-13-01' }), /dateLastAwarded must be a real date/],
      ['learning', coreSkill({ subjectName: '  ' }), /subjectName is empty/],
      ['learning', { ...coreSkill(), recordType: undefined }, /recordType is missing/],
      ['learning', coreSkill({ recordType: 'Payslip' }), /recordType "Payslip" is not a record type/],
      ['recruitment', { ...example('AddEmployeeRecordRequestDBSCheckOutcome.json'), registeredBodyNumber: '1234' }, /registeredBodyNumber must match pattern/],
      ['recruitment', { ...example('AddEmployeeRecordRequestDBSCheckOutcome.json'), informationDisclosed: 'yes' }, /informationDisclosed must be boolean/],
      ['recruitment', { ...example('AddEmployeeRecordRequestDBSCheckOutcome.json'), certificateNumber: '12345' }, /certificateNumber must be 12 digits/],
      ['recruitment', { ...example('AddEmployeeRecordRequestRightToWork.json'), evidenceCheckedBy: 'Post Office' }, /evidenceCheckedBy/],
      ['recruitment', { ...example('AddEmployeeRecordRequestProfessionalRegistration.json'), professionalBody: 'Nursing and Midwifery Council' }, /professionalBody/],
      ['recruitment', { ...example('AddEmployeeRecordRequestProfessionalRegistration.json'), registrationNumber: 'PA 123' }, /registrationNumber/],
      ['occupational-health', { ...example('AddEmployeeRecordRequestVaccination.json'), date: '2024-1' }, /date must be written YYYY-MM-DD, YYYY-MM or YYYY/],
      ['occupational-health', { ...example('AddEmployeeRecordRequestObservation.json'), result: 'Maybe' }, /result/],
    ];
    for (const [system, body, text] of cases) {
      const answer = await t.api(system, records(system, t.ids.zelda[system]), postJson(body));
      expect(answer.status, JSON.stringify(body).slice(0, 80)).toBe(400);
      const found = issue(answer.json);
      expect(found.code).toBe('invalid');
      expect(found.text).toMatch(text);
    }
  });

  it('refuses bodies that are not one JSON record (400 invalid) or not JSON at all (415)', async () => {
    const path = records('learning', t.ids.zelda.learning);
    for (const body of ['{"recordType":', '', '[]', '"CoreSkillsTraining"', 'null', '[{"recordType":"CoreSkillsTraining"}]']) {
      const answer = await t.api('learning', path, postJson(body));
      expect(answer.status, body).toBe(400);
      expect(issue(answer.json).code).toBe('invalid');
    }
    const text = await t.api('learning', path, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: JSON.stringify(coreSkill()) });
    expect(text.status).toBe(415);
    issue(text.json);
  });

  it('409 conflict for a leaver; 404 not-found for an unknown employee', async () => {
    const leaver = await t.api('occupational-health', records('occupational-health', t.ids.leaver['occupational-health']), postJson({ ...example('AddEmployeeRecordRequestVaccination.json'), date: '2025-01-01' }));
    expect(leaver.status).toBe(409);
    expect(issue(leaver.json).code).toBe('conflict');
    const nobody = await t.api('occupational-health', records('occupational-health', 'OH-NOBODY'), postJson(example('AddEmployeeRecordRequestVaccination.json')));
    expect(nobody.status).toBe(404);
    expect(issue(nobody.json).code).toBe('not-found');
  });

  it('recruitment: accepts right to work, DBS supporting information, DBS outcome and professional registration, booleans sent as strings stored as booleans', async () => {
    const id = t.ids.zelda.recruitment;
    const rightToWork = await t.api('recruitment', records('recruitment', id), postJson(example('AddEmployeeRecordRequestRightToWork.json')));
    expect(rightToWork.status).toBe(201);
    expect((rightToWork.json as Record<string, unknown>).identityVerified).toBe(true);
    const support = await t.api('recruitment', records('recruitment', id), postJson(example('AddEmployeeRecordRequestDBSCheckSupportingInformation.json')));
    expect(support.status).toBe(201);
    expect(support.json).toMatchObject({ currentAddressVerified: true, identityVerified: true });
    const outcome = await t.api('recruitment', records('recruitment', id), postJson(example('AddEmployeeRecordRequestDBSCheckOutcome.json')));
    expect(outcome.status).toBe(201);
    expect(outcome.json).toMatchObject({ adultsBarredListChecked: true, childrensBarredListChecked: true, informationDisclosed: false });
    const gmc = await t.api('recruitment', records('recruitment', id), postJson(example('AddEmployeeRecordRequestProfessionalRegistration.json')));
    expect(gmc.status).toBe(201);
    expect((gmc.json as { registrationNumber: unknown }).registrationNumber).toBe(1234567);
    const hcpc = await t.api('recruitment', records('recruitment', id), postJson({ ...example('AddEmployeeRecordRequestProfessionalRegistration.json'), professionalBody: 'Health and Care Professions Council', registrationNumber: 'PA12345' }));
    expect(hcpc.status).toBe(201);
    expect((hcpc.json as { registrationNumber: unknown }).registrationNumber).toBe('PA12345');
    // The DBS outcome is one of the records recruitment returns; the rest are kept but not returned.
    const held = (await t.api('recruitment', records('recruitment', id))).json as { records: Array<Record<string, unknown>> };
    expect(held.records.map((record) => record.certificateNumber)).toEqual(['001234567890', '123456789012']);
    expect(held.records[1]!.informationDisclosed).toBe(false);
    expect(t.sandbox.addedRecords('recruitment', 'RHQ', id).map((record) => record.recordType)).toEqual(['RightToWork', 'DBSCheckSupportingInformation', 'DBSCheckOutcome', 'ProfessionalRegistration', 'ProfessionalRegistration']);
    const again = await t.api('recruitment', records('recruitment', id), postJson(example('AddEmployeeRecordRequestDBSCheckOutcome.json')));
    expect(again.status).toBe(409);
    expect(issue(again.json).code).toBe('duplicate');
  });

  it('occupational health: accepts vaccinations, clinical tests ("Not Detected" read as "Not detected") and observations, and returns them', async () => {
    const id = t.ids.zelda['occupational-health'];
    const vaccination = await t.api('occupational-health', records('occupational-health', id), postJson({ ...example('AddEmployeeRecordRequestVaccination.json'), date: '2025-03' }));
    expect(vaccination.status).toBe(201);
    const test = await t.api('occupational-health', records('occupational-health', id), postJson({ ...example('AddEmployeeRecordRequestClinicalTest.json'), date: '2025-02-01' }));
    expect(test.status).toBe(201);
    expect((test.json as { interpretation: string }).interpretation).toBe('Not detected');
    const observation = await t.api('occupational-health', records('occupational-health', id), postJson({ ...example('AddEmployeeRecordRequestObservation.json'), result: 'No' }));
    expect(observation.status).toBe(201);
    const held = (await t.api('occupational-health', records('occupational-health', id))).json as { records: unknown[] };
    expect(held.records.slice(-3)).toEqual([vaccination.json, test.json, observation.json]);
    const sameTest = await t.api('occupational-health', records('occupational-health', id), postJson(example('AddEmployeeRecordRequestClinicalTest.json')));
    expect(sameTest.status).toBe(409); // the generated record has the same code and date
  });

  it('takes a body up to 6 MB (a 5 MB biometric image) and refuses a larger one with 413', async () => {
    const big = { ...example('AddEmployeeRecordRequestRightToWork.json'), biometricPageImage: Buffer.alloc(3_900_000, 7).toString('base64') };
    expect(JSON.stringify(big).length).toBeGreaterThan(5_000_000);
    const accepted = await t.api('recruitment', records('recruitment', t.ids.zelda.recruitment), postJson(big));
    expect(accepted.status).toBe(201);
    expect((accepted.json as { biometricPageImage: string }).biometricPageImage.length).toBe(big.biometricPageImage.length);
    const tooBig = { ...big, photograph: Buffer.alloc(1_000_000, 9).toString('base64'), biometricPageImage: Buffer.alloc(4_500_000, 8).toString('base64') };
    const refused = await t.api('recruitment', records('recruitment', t.ids.zelda.recruitment), postJson(tooBig));
    expect(refused.status).toBe(413);
    expect(issue(refused.json).text).toMatch(/larger than 6291456 bytes/);
    // Still serving afterwards.
    expect((await t.api('recruitment', records('recruitment', t.ids.zelda.recruitment))).status).toBe(200);
  });
});

describe('hostile input', () => {
  it('answers unknown paths 404 and wrong methods 405, as OperationOutcome', async () => {
    for (const path of ['/', '/esr', '/esr/dsp-api', '/esr/dsp-api/organisations', '/esr/dsp-api/organisations/RHQ', '/esr/dsp-api/organisations/RHQ/employees/', '/payroll/dsp-api/organisations/RHQ/employees', '/esr/dsp-api/organisations/RHQ/employees/1/records/2', '/esr/api/organisations/RHQ/employees']) {
      const answer = await read(await fetch(`${t.sandbox.url}${path}`));
      expect(answer.status, path).toBe(404);
      expect(issue(answer.json).code).toBe('not-found');
    }
    for (const [method, path, allow] of [
      ['DELETE', `/esr/dsp-api/organisations/RHQ/employees/${t.ids.zelda.esr}`, 'GET'],
      ['POST', '/esr/dsp-api/organisations/RHQ/employees', 'GET'],
      ['PUT', `/learning/dsp-api/organisations/RHQ/employees/${t.ids.zelda.learning}/records`, 'GET, POST'],
      ['POST', '/esr/dsp-api/organisations/RHQ/_status', 'GET'],
    ] as const) {
      const answer = await read(await fetch(`${t.sandbox.url}${path}`, { method, headers: { authorization: `Bearer ${t.token}` } }));
      expect(answer.status, `${method} ${path}`).toBe(405);
      expect(answer.headers.get('allow')).toBe(allow);
      expect(issue(answer.json).code).toBe('not-supported');
    }
  });

  it('survives odd paths, ids, queries and headers', async () => {
    const odd = ['/esr/dsp-api/organisations/RHQ/employees/%E0%A4%A', '/esr/dsp-api/organisations/RHQ/employees/..%2F..%2Fetc%2Fpasswd', `/esr/dsp-api/organisations/RHQ/employees/${'9'.repeat(5000)}`, '/esr/dsp-api/organisations/%00/employees?surname=x', '/esr/dsp-api/organisations/RHQ/employees?__proto__[x]=1&constructor=1&surname=%F0%9F%98%80', '/esr/dsp-api/organisations/RHQ/employees?surname=%'];
    for (const path of odd) {
      const answer = await read(await fetch(`${t.sandbox.url}${path}`, { headers: { authorization: `Bearer ${t.token}` } }));
      expect(answer.status, path).toBeLessThan(500);
      expect(answer.json, path).toBeDefined();
    }
    for (const authorization of ['Bearer', 'Bearer  ', `Bearer ${t.token} extra`, `bearer${t.token}`, 'Basic dXNlcjpwYXNz', 'Bearer ' + 'A'.repeat(8000)]) {
      const answer = await t.api('esr', `/organisations/RHQ/employees/${t.ids.zelda.esr}`, { headers: { authorization } });
      expect(answer.status, authorization.slice(0, 20)).toBe(401);
      expect(issue(answer.json).code).toBe('invalid-credentials');
    }
    // A raw request that is not HTTP at all.
    await new Promise<void>((resolve) => {
      const url = new URL(t.sandbox.url);
      const socket = connect(Number(url.port), url.hostname, () => socket.end('\u0000\u0001 GARBAGE\r\n\r\n'));
      socket.on('data', () => undefined);
      socket.on('close', () => resolve());
      socket.on('error', () => resolve());
    });
    expect((await t.api('esr', '/organisations/RHQ/_status')).status).toBe(200);
  });

  it('keeps answering a stream of random requests without a 5xx', async () => {
    const random = seededRandom(42);
    const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
    const paths = ['/esr/dsp-api/organisations/RHQ/employees', `/learning/dsp-api/organisations/RHQ/employees/${t.ids.zelda.learning}/records`, `/recruitment/dsp-api/organisations/RHQ/employees/${t.ids.zelda.recruitment}/records`, '/occupational-health/dsp-api/organisations/RCB/_status', '/oauth2/token', '/_sandbox/faults', '/_sandbox/clients', '/_sandbox/events', '/x'];
    const bodies = ['{', '{}', '[]', 'null', '{"recordType":"CoreSkillsTraining","dateLastAwarded":{"$gt":""}}', '{"recordType":{"toString":1}}', '{"__proto__":{"polluted":true},"recordType":"Vaccination"}', JSON.stringify(coreSkill({ subjectLevel: null })), 'grant_type=client_credentials&client_assertion=a.b.c', '\u0000\uffff', '{"kind":"latency","ms":-1}'];
    for (let index = 0; index < 150; index += 1) {
      const method = pick(['GET', 'POST', 'PUT', 'DELETE', 'PATCH']);
      const body = method === 'GET' || method === 'DELETE' ? undefined : pick(bodies);
      const contentType = pick(['application/json', 'application/x-www-form-urlencoded', 'text/plain', 'application/json; charset=utf-8']);
      const query = pick(['', '?surname=' + encodeURIComponent(pick(bodies)), '?birthDate=9999-99-99', '?firstName=%C3%A9']);
      const answer = await read(await fetch(`${t.sandbox.url}${pick(paths)}${query}`, { method, headers: { authorization: `Bearer ${t.token}`, 'content-type': contentType }, ...(body !== undefined ? { body } : {}) }));
      expect(answer.status, `${method} ${index}`).toBeLessThan(500);
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(t.sandbox.faults.list()).toEqual([]);
  });
});

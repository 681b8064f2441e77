// Every kind of answer the sandbox systems give, checked against the official DSP API standard with
// the project's validators: each operation in each system, success and each error status it can
// produce. Requests the sandbox accepts are checked with checkRequest; the published examples, with
// their known faults, are accepted too and answered without them. The population the systems serve
// is checked whole.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { dspStandard } from '../../main/systems/dsp-schema.ts';
import { SANDBOX_SYSTEMS, type SandboxSystem } from '../sandbox/model.ts';
import { SYSTEM_RECORD_TYPES } from '../sandbox/server.ts';
import { postJson, read, startTestSandbox, type Reply, type TestSandbox } from '../sandbox/fixtures/harness.ts';
import type { RecordType } from '../../main/systems/dsp-types.ts';

const EXAMPLES = join(import.meta.dirname, '../../../shared/specs/dsp-api/components/examples');
const published = (type: RecordType) => JSON.parse(readFileSync(join(EXAMPLES, `AddEmployeeRecordRequest${type}.json`), 'utf8')) as Record<string, unknown>;

/** Requests exactly per the standard: real booleans, "Not detected", a numeric registrationNumber. */
const CANONICAL: Record<RecordType, Record<string, unknown>> = {
  CoreSkillsTraining: { ...published('CoreSkillsTraining'), dateLastAwarded: '2025-02-03' },
  RightToWork: { ...published('RightToWork'), identityVerified: true },
  DBSCheckSupportingInformation: { ...published('DBSCheckSupportingInformation'), currentAddressVerified: true, identityVerified: true },
  DBSCheckOutcome: { ...published('DBSCheckOutcome'), adultsBarredListChecked: true, childrensBarredListChecked: true, informationDisclosed: false, certificateNumber: '111111111111' },
  ProfessionalRegistration: published('ProfessionalRegistration'),
  Vaccination: { ...published('Vaccination'), date: '2025-02' },
  ClinicalTest: { ...published('ClinicalTest'), interpretation: 'Not detected', date: '2025-02-03' },
  Observation: { ...published('Observation'), result: 'No' },
};
const ALL_TYPES = Object.keys(CANONICAL) as RecordType[];

const standard = dspStandard();
let t: TestSandbox;
/** "system operation status code" for every answer checked. */
const covered = new Set<string>();

beforeAll(async () => {
  t = await startTestSandbox({ faults: [] });
});
afterAll(async () => {
  await t.close();
});

function conforms(system: SandboxSystem, operation: string, answer: Reply): void {
  const label = `${system} ${operation} ${answer.status}`;
  expect(answer.json, `${label}: not JSON: ${answer.text.slice(0, 200)}`).toBeDefined();
  expect(answer.headers.get('content-type'), label).toBe(operation === 'status' ? 'application/health+json' : 'application/json');
  expect(standard.checkResponse(operation, answer.status, answer.json), label).toEqual({ ok: true });
  const code = answer.status >= 400 ? (answer.json as { issue: Array<{ code: string }> }).issue[0]!.code : '';
  covered.add(`${system} ${operation} ${answer.status}${code ? ` ${code}` : ''}`);
}

describe.each(SANDBOX_SYSTEMS)('%s', (system) => {
  const base = '/organisations';
  const zelda = () => t.ids.zelda[system];

  it('status: 200 pass, and fail (unhealthy or an organisation it does not serve), always the schema', async () => {
    conforms(system, 'status', await t.api(system, `${base}/RHQ/_status`, { token: null }));
    const other = await t.api(system, `${base}/XYZ/_status`, { token: null });
    conforms(system, 'status', other);
    expect((other.json as { status: string }).status).toBe('fail');
    t.sandbox.faults.add({ kind: 'statusFail', system });
    const failing = await t.api(system, `${base}/RHQ/_status`, { token: null });
    t.sandbox.faults.reset();
    conforms(system, 'status', failing);
    expect((failing.json as { status: string }).status).toBe('fail');
  });

  it('search-for-employee: 200 (some, none, at most 50), 400, 401, 403, 404', async () => {
    conforms(system, 'search-for-employee', await t.api(system, `${base}/RHQ/employees?surname=quillfeather`));
    conforms(system, 'search-for-employee', await t.api(system, `${base}/RHQ/employees?surname=Nobody-At-All`));
    if (system === 'esr') conforms(system, 'search-for-employee', await t.api(system, `${base}/RHQ/employees?surname=Fixturesen`));
    conforms(system, 'search-for-employee', await t.api(system, `${base}/RHQ/employees`));
    conforms(system, 'search-for-employee', await t.api(system, `${base}/RHQ/employees?birthDate=1990-02-30`));
    conforms(system, 'search-for-employee', await t.api(system, `${base}/RHQ/employees?surname=quillfeather`, { token: null }));
    conforms(system, 'search-for-employee', await t.api(system, `${base}/RHQ/employees?surname=quillfeather`, { token: 'forged' }));
    conforms(system, 'search-for-employee', await t.api(system, `${base}/RCB/employees?surname=quillfeather`));
    conforms(system, 'search-for-employee', await t.api(system, `${base}/XYZ/employees?surname=quillfeather`));
  });

  it('get-employee-personal-details: 200, 401, 403, 404', async () => {
    conforms(system, 'get-employee-personal-details', await t.api(system, `${base}/RHQ/employees/${zelda()}`));
    conforms(system, 'get-employee-personal-details', await t.api(system, `${base}/RHQ/employees/${zelda()}`, { token: null }));
    conforms(system, 'get-employee-personal-details', await t.api(system, `${base}/RCB/employees/${t.ids.ronan[system]}`));
    conforms(system, 'get-employee-personal-details', await t.api(system, `${base}/RHQ/employees/NOBODY`));
    conforms(system, 'get-employee-personal-details', await t.api(system, `${base}/XYZ/employees/${zelda()}`));
  });

  it('get-employee-records: 200 (with records and without), 401, 403, 404', async () => {
    const held = await t.api(system, `${base}/RHQ/employees/${zelda()}/records`);
    conforms(system, 'get-employee-records', held);
    expect((held.json as { records: unknown[] }).records.length).toBeGreaterThan(0);
    conforms(system, 'get-employee-records', await t.api(system, `${base}/RHQ/employees/${t.ids.petra[system]}/records`));
    conforms(system, 'get-employee-records', await t.api(system, `${base}/RHQ/employees/${zelda()}/records`, { token: null }));
    conforms(system, 'get-employee-records', await t.api(system, `${base}/RCB/employees/${t.ids.ronan[system]}/records`));
    conforms(system, 'get-employee-records', await t.api(system, `${base}/RHQ/employees/NOBODY/records`));
  });

  it('add-employee-record: 201 for each type it accepts (requests checked with checkRequest), and 400, 401, 403, 404, 409 conflict, 409 duplicate, 413, 415', async () => {
    const path = (id: string, organisation = 'RHQ') => `${base}/${organisation}/employees/${id}/records`;
    const accepts = SYSTEM_RECORD_TYPES[system].accepts;
    for (const type of accepts) {
      expect(standard.checkRequest('add-employee-record', CANONICAL[type]), type).toEqual({ ok: true });
      const added = await t.api(system, path(zelda()), postJson(CANONICAL[type]));
      expect(added.status, type).toBe(201);
      conforms(system, 'add-employee-record', added);
      // The published example as published (booleans as text, "Not Detected") is accepted and answered without those faults.
      const asPublished = await t.api(system, path(t.ids.petra[system]), postJson(published(type)));
      expect(asPublished.status, type).toBe(201);
      conforms(system, 'add-employee-record', asPublished);
      const again = await t.api(system, path(t.ids.petra[system]), postJson(published(type)));
      conforms(system, 'add-employee-record', again);
      expect(again.status).toBe(409);
      // The record comes back from get-employee-records where this system returns its type.
      const records = (await t.api(system, path(t.ids.petra[system]))).json as { records: Array<{ recordType: string }> };
      expect(records.records.some((record) => record.recordType === type), type).toBe(SYSTEM_RECORD_TYPES[system].returns.includes(type));
    }
    const refusedType = ALL_TYPES.find((type) => !accepts.includes(type))!;
    const someType = accepts[0] ?? 'CoreSkillsTraining';
    conforms(system, 'add-employee-record', await t.api(system, path(zelda()), { ...postJson(CANONICAL[someType]), token: null }));
    conforms(system, 'add-employee-record', await t.api(system, path(t.ids.ronan[system], 'RCB'), postJson(CANONICAL[someType])));
    conforms(system, 'add-employee-record', await t.api(system, path(zelda(), 'XYZ'), postJson(CANONICAL[someType])));
    if (accepts.length === 0) {
      const forbidden = await t.api(system, path(zelda()), postJson(CANONICAL[someType]));
      expect(forbidden.status).toBe(403);
      conforms(system, 'add-employee-record', forbidden);
      return;
    }
    conforms(system, 'add-employee-record', await t.api(system, path(zelda()), postJson(CANONICAL[refusedType])));
    conforms(system, 'add-employee-record', await t.api(system, path(zelda()), postJson({ ...CANONICAL[someType], recordType: undefined })));
    conforms(system, 'add-employee-record', await t.api(system, path(zelda()), postJson('{not json')));
    conforms(system, 'add-employee-record', await t.api(system, path('NOBODY'), postJson(CANONICAL[someType])));
    const leaver = await t.api(system, path(t.ids.leaver[system]), postJson(CANONICAL[someType]));
    expect(leaver.status).toBe(409);
    conforms(system, 'add-employee-record', leaver);
    conforms(system, 'add-employee-record', await t.api(system, path(zelda()), postJson({ ...CANONICAL[someType], padding: 'x'.repeat(6 * 1024 * 1024) })));
    conforms(system, 'add-employee-record', await t.api(system, path(zelda()), { method: 'POST', headers: { 'content-type': 'text/csv' }, body: 'a,b' }));
  });
});

describe('the whole matrix', () => {
  it('covered every operation, system and status the sandbox can produce', () => {
    const expected: string[] = [];
    for (const system of SANDBOX_SYSTEMS) {
      expected.push(`${system} status 200`);
      expected.push(...['200', '400 invalid', '401 invalid-credentials', '403 forbidden', '404 not-found'].map((status) => `${system} search-for-employee ${status}`));
      for (const operation of ['get-employee-personal-details', 'get-employee-records']) expected.push(...['200', '401 invalid-credentials', '403 forbidden', '404 not-found'].map((status) => `${system} ${operation} ${status}`));
      const add = system === 'esr' ? ['401 invalid-credentials', '403 forbidden', '404 not-found'] : ['201', '400 invalid', '401 invalid-credentials', '403 forbidden', '404 not-found', '409 conflict', '409 duplicate', '413 too-long', '415 not-supported'];
      expected.push(...add.map((status) => `${system} add-employee-record ${status}`));
    }
    expect([...covered].sort()).toEqual(expected.sort());
  });

  it('answers outside the operations (unknown path, wrong method, faults\' 5xx) are OperationOutcome per the Error schema', async () => {
    const answers = [
      await read(await fetch(`${t.sandbox.url}/nowhere`)),
      await read(await fetch(`${t.sandbox.systems.esr.baseUrl}/organisations/RHQ/employees`, { method: 'DELETE' })),
      await read(await fetch(`${t.sandbox.url}/_sandbox/nothing`)),
    ];
    t.sandbox.faults.add({ kind: 'serverError', status: 503 });
    answers.push(await t.api('learning', `/organisations/RHQ/employees/${t.ids.zelda.learning}`));
    t.sandbox.faults.reset();
    for (const answer of answers) expect(standard.check('#/components/schemas/Error', answer.json)).toEqual({ ok: true });
  });
});

describe('the population the systems serve', () => {
  it('every person\'s details and records in every system conform, ids match, and each system holds only the record types it returns', () => {
    const problems: string[] = [];
    let entries = 0;
    for (const person of t.sandbox.population.people) {
      for (const system of SANDBOX_SYSTEMS) {
        const entry = person.systems[system];
        if (!entry) continue;
        entries += 1;
        const label = `person ${person.key} in ${system}`;
        if (entry.details.id !== entry.id) problems.push(`${label}: details.id ${entry.details.id} is not the id ${entry.id}`);
        const details = standard.checkResponse('get-employee-personal-details', 200, entry.details);
        if (!details.ok) problems.push(`${label}: details ${JSON.stringify(details.issues)}`);
        const records = standard.checkResponse('get-employee-records', 200, { id: entry.id, records: entry.records });
        if (!records.ok) problems.push(`${label}: records ${JSON.stringify(records.issues)}`);
        for (const record of entry.records) if (!SYSTEM_RECORD_TYPES[system].returns.includes(record.recordType)) problems.push(`${label}: holds a ${record.recordType}`);
        if (system === 'esr' && !/^\d{8}$/.test(entry.id)) problems.push(`${label}: ESR id ${entry.id} is not 8 digits`);
      }
    }
    expect(problems.slice(0, 20)).toEqual([]);
    expect(entries).toBeGreaterThan(2000);
  });

  it('over HTTP, a sample of generated people in each system', async () => {
    for (const system of SANDBOX_SYSTEMS) {
      const sample = t.sandbox.population.people.filter((person) => person.organisation === 'RHQ' && person.systems[system]).slice(0, 20);
      expect(sample.length, system).toBe(20);
      for (const person of sample) {
        const id = person.systems[system]!.id;
        conforms(system, 'get-employee-personal-details', await t.api(system, `/organisations/RHQ/employees/${encodeURIComponent(id)}`));
        conforms(system, 'get-employee-records', await t.api(system, `/organisations/RHQ/employees/${encodeURIComponent(id)}/records`));
        const surname = person.systems[system]!.details.surname;
        conforms(system, 'search-for-employee', await t.api(system, `/organisations/RHQ/employees?surname=${encodeURIComponent(surname)}`));
      }
    }
  });
});
